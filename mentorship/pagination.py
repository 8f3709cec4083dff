"""Pagination of long lists whose rows are expensive to build.

Django's ``Paginator`` slices the list's queryset, so the database joins, annotates and sorts
every row of the scope before it skips to the page: on a municipality's participant list
(about 34 000 people) the consent and pair-membership subqueries ran 34 000 times each, and a
deep page took 300 ms. ``KeysFirstPaginator`` pages through the bare primary keys in the list's
order first, then builds the rows of that one page only.

Written here rather than taken from a package: the maintained ones (django-keyset-pagination,
django-cursor-pagination) replace page numbers with cursors, while the lists show «N из M»
and keep ``?page=`` in their links and exports.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.db.models.sql.where import WhereNode

#: orderings that already end on a unique column
_UNIQUE_KEYS = {"pk", "-pk", "id", "-id"}


def stable_ordering(queryset: QuerySet) -> list[Any]:
    """The queryset's ordering (its own, else the model's) ending on the primary key, so pages never overlap."""
    query = queryset.query
    ordering = list(query.order_by or (query.get_meta().ordering if query.default_ordering else ()))
    if not any(isinstance(key, str) and key in _UNIQUE_KEYS for key in ordering):
        ordering.append("pk")
    return ordering


class KeysFirstPaginator(Paginator):
    """A ``Paginator`` that reads one page's primary keys first, then loads only those rows.

    Two queries per page (plus the count) whatever the page number and the size of the list.
    Anything that is not a queryset is paged as Django does.
    """

    def page(self, number: Any) -> Page:
        if not isinstance(self.object_list, QuerySet):
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(self._rows(bottom, top), number, self)

    def _rows(self, bottom: int, top: int) -> list[Any]:
        queryset = self.object_list
        keys = list(queryset.order_by(*stable_ordering(queryset)).values_list("pk", flat=True)[bottom:top])
        if not keys:
            return []
        # The keys already passed the list's scope, search and filters. Repeating those conditions
        # here only misleads PostgreSQL, which cannot tell how large a scope is: for a region it
        # read 350 000 people by organisation to find the 50 keys instead of looking them up.
        # The joins, annotations and prefetches of the list stay.
        rows = queryset.order_by()
        rows.query.where = WhereNode()
        loaded = {row.pk: row for row in rows.filter(pk__in=keys)}
        # A row deleted between the two queries is left out.
        return [loaded[key] for key in keys if key in loaded]
