"""Helpers for the tests of list pages and their .xlsx exports: the page's rows beside the file's."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
from django.urls import reverse


def page_objects(client: Any, url: str, query: dict[str, Any]) -> list[Any]:
    """The objects a list page shows for ``query`` (one page of at most 50)."""
    response = client.get(url, query)
    assert response.status_code == 200
    return list(response.context["object_list"])


def exported_rows(client: Any, key: str, query: dict[str, Any]) -> list[list[Any]]:
    """The rows of the list's .xlsx export for the same ``query``, without the header row."""
    response = client.get(reverse("imports:export", args=[key]), query)
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()][1:]


def filter_error(client: Any, url: str, query: dict[str, Any], field: str) -> str:
    """The Russian error the list page shows beside the filter ``field`` for an invalid value."""
    response = client.get(url, query)
    assert response.status_code == 200
    errors = response.context["filterset"].form.errors[field]
    assert errors[0] in response.content.decode()
    return errors[0]
