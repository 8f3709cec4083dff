"""Exports of lists to .xlsx: the list page's own queryset (selector, search, filters), within the user's scope.

Each app registers its lists in its ``resources.py`` (``@register_export``); the view
(``mentorship.views.imports.ExportView``) looks them up by key. Cells are written by
``imports.workbook.export_bytes``, which stores text that a spreadsheet would run as a formula
(«=», «+», «-», «@»…) as plain text.

django-tables2 (with its ``TableExport``) was considered for the ordinary lists and not adopted:
its export builds the whole table in memory through tablib, while a region's people list is some
350 000 rows streamed here in chunks (``chunk_size``) with the formula guard above; the export's
columns differ from the page's on purpose (personal data only for the record's keepers, ids and
codes for a re-import); and the participants' pages are built from their keys first
(``KeysFirstPaginator``, measured in ``bench/participants.py``), which its paginated table does
not know. What the two would share, the selector, search and filters, comes from the page here.

An export whose rows name people (``personal_data``, true unless the export says otherwise) is
recorded in the security event log when it is made, with who, what and how many people it held
(``ListExport.workbook``, the one place an export's file is written).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from django.db.models import QuerySet
from django.http import HttpRequest

from . import security
from .choices import SecurityEventKind
from .imports.workbook import export_bytes

if TYPE_CHECKING:
    from .views.generic import ObjectListView

_exports: dict[str, type[ListExport]] = {}


class ListExport(ABC):
    """One list page's export: its rows are the page's, for the same request; the export adds the columns.

    The page (``list_view``, an ``ObjectListView``) is the one declaration of the list's selector,
    search fields and filter set: the export builds the page's queryset itself, so a filter or a
    search field added to the page applies to its export as well, and the file holds exactly the
    rows the page lists (all of them, not one page of them).
    """

    key: ClassVar[str]
    title: ClassVar[str]
    #: the list page whose rows are exported
    list_view: ClassVar[type[ObjectListView]]
    #: joins the export's columns need beyond the page's
    select_related: ClassVar[tuple[str, ...]] = ()
    #: rows per database round trip
    chunk_size: ClassVar[int] = 2000
    #: whether the rows name people (152-ФЗ): making the file is then recorded in the security event log.
    #: True unless the export declares it holds none (a list of organisations, roadmaps, programmes).
    personal_data: ClassVar[bool] = True

    def __init__(self, request: HttpRequest) -> None:
        self.request = request
        self.user = request.user

    def queryset(self) -> QuerySet:
        """The page's queryset (selector within ``restrict(user, "view")``, search, filters, order)."""
        view = self.list_view()
        view.setup(self.request)
        queryset = view.get_queryset()
        return queryset.select_related(*self.select_related) if self.select_related else queryset

    @abstractmethod
    def headers(self) -> list[str]:
        """The column headers, in Russian."""

    @abstractmethod
    def rows(self, queryset: QuerySet) -> Iterable[list[Any]]:
        """One list of cells per object, in the headers' order."""

    def people_count(self, rows_written: int) -> int:
        """How many people the file names: one per row, unless a row names several (a pair's members)."""
        return rows_written

    def workbook(self) -> bytes:
        """The .xlsx file of the page's rows; one naming people leaves a row in the security event log."""
        written = 0

        def counted(rows: Iterable[list[Any]]) -> Iterable[list[Any]]:
            nonlocal written
            for row in rows:
                written += 1
                yield row

        content = export_bytes(self.title, self.headers(), counted(self.rows(self.queryset())))
        if self.personal_data:
            security.record(
                SecurityEventKind.PERSONAL_DATA_EXPORT,
                actor=self.user,
                request=self.request,
                what=f"Выгрузка .xlsx: {self.title}",
                people=self.people_count(written),
            )
        return content


def register_export(export: type[ListExport]) -> type[ListExport]:
    _exports[export.key] = export
    return export


def export_for(key: str) -> type[ListExport]:
    return _exports[key]


def registered_exports() -> dict[str, type[ListExport]]:
    """Every registered export by key (a test lists each one as naming people or not)."""
    return dict(_exports)
