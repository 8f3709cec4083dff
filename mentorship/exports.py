"""Exports of lists to .xlsx: the same selector, search and filters as the list page, within the user's scope.

Each app registers its lists in its ``resources.py`` (``@register_export``); the view
(``mentorship.views.imports.ExportView``) looks them up by key. Cells are written by
``imports.workbook.export_bytes``, which stores text that a spreadsheet would run as a formula
(«=», «+», «-», «@»…) as plain text.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from typing import Any, ClassVar

from django.db.models import QuerySet
from django.http import HttpRequest

from .search import search

_exports: dict[str, type[ListExport]] = {}


class ListExport(ABC):
    """One list page's export: how to get its rows for a request, and the columns."""

    key: ClassVar[str]
    title: ClassVar[str]
    #: the list page's search fields and filter set (``?q=`` and the filters apply the same way)
    search_fields: ClassVar[tuple[str, ...]] = ()
    filterset_class: ClassVar[Any] = None
    #: rows per database round trip
    chunk_size: ClassVar[int] = 2000

    def __init__(self, request: HttpRequest) -> None:
        self.request = request
        self.user = request.user

    @abstractmethod
    def base_queryset(self) -> QuerySet:
        """The list page's selector (it goes through ``restrict(user, "view")``)."""

    def queryset(self) -> QuerySet:
        queryset = self.base_queryset()
        if getattr(queryset, "restricted_action", None) != "view":
            raise TypeError(f"{type(self).__name__}.base_queryset() must come from restrict(user, 'view').")
        queryset = search(queryset, self.search_fields, self.request.GET.get("q", ""))
        if self.filterset_class is not None:
            queryset = self.filterset_class(self.request.GET or None, queryset=queryset, request=self.request).qs
        return queryset

    @abstractmethod
    def headers(self) -> list[str]:
        """The column headers, in Russian."""

    @abstractmethod
    def rows(self, queryset: QuerySet) -> Iterable[list[Any]]:
        """One list of cells per object, in the headers' order."""


def register_export(export: type[ListExport]) -> type[ListExport]:
    _exports[export.key] = export
    return export


def export_for(key: str) -> type[ListExport]:
    return _exports[key]
