"""The imports index costs the same queries for a few jobs in the log and for many (issue 18, point 16)."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentorship.models import ImportJob
from mentorship.models.imports import ImportStatus


def count_queries(client: Any, address: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200
    return len(queries)


def upload(user: Any, n: int, start: int) -> None:
    for i in range(start, start + n):
        ImportJob.objects.create(
            kind="people",
            user=user,
            file_name=f"список-{i}.xlsx",
            sha256=f"{i:064x}",
            status=ImportStatus.DONE if i % 2 else ImportStatus.INVALID,
        )


def test_the_imports_index_costs_the_same_queries_for_2_and_14_jobs(world, client_as, django_assert_num_queries):
    user = world.persona("curator_a1")
    client = client_as(user)
    address = reverse("imports:index")
    upload(user, 2, 0)
    client.get(address)  # warm up the session and the content types
    few = count_queries(client, address)
    upload(user, 12, 2)
    with django_assert_num_queries(few):
        response = client.get(address)
    assert response.content.decode().count("список-") >= 14
