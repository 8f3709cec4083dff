"""Case-insensitive search that also works for Cyrillic on the embedded SQLite.

PostgreSQL's LOWER() folds every alphabet. SQLite's built-in lower() and its
LIKE fold ASCII only, so «школа» would not find «Школа». On SQLite connections
lower() is replaced by Python's str.lower (SQLite lets an application redefine
a built-in function), and searches compare ``Lower(field)`` with the lowered
query on every database, so both behave alike.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connections
from django.db.backends.signals import connection_created
from django.db.models import CharField, Q, QuerySet, TextField
from django.db.models.functions import Lower

MAX_QUERY_LENGTH = 200
#: the shortest needle a trigram index can look up; shorter ones are matched by scanning
TRIGRAM_LENGTH = 3


def _python_lower(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


def _sqlite_unicode_lower(sender: object, connection: object, **kwargs: object) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function("lower", 1, _python_lower, deterministic=True)


def install() -> None:
    CharField.register_lookup(Lower)
    TextField.register_lookup(Lower)
    connection_created.connect(_sqlite_unicode_lower, dispatch_uid="mentorship_sqlite_unicode_lower")


def search_q(fields: Iterable[str], query: str) -> Q:
    """Rows where any of ``fields`` contains ``query``, whatever the letter case."""
    needle = query.strip()[:MAX_QUERY_LENGTH].lower()
    condition = Q()
    if not needle:
        return condition
    for field in fields:
        condition |= Q(**{f"{field}__lower__contains": needle})
    return condition


def search(queryset: QuerySet, fields: Iterable[str], query: str) -> QuerySet:
    """``queryset`` narrowed to the rows where any of ``fields`` contains ``query`` (a list's «?q=»).

    On PostgreSQL, when the model keeps a trigram index over these fields
    (``trigram_search_fields``), the match is a subquery of its own: the planner then looks the
    needle up in that index instead of lowering every row of the user's scope. It cannot tell
    how large a scope is, so with the condition inline it kept scanning the scope.
    """
    fields = tuple(fields)
    needle = query.strip()[:MAX_QUERY_LENGTH]
    if not needle or not fields:
        return queryset
    model = queryset.model
    indexed = set(getattr(model, "trigram_search_fields", ()))
    if connections[queryset.db].vendor == "postgresql" and len(needle) >= TRIGRAM_LENGTH and indexed.issuperset(fields):
        return queryset.filter(pk__in=model._base_manager.filter(search_q(fields, needle)).values("pk"))
    return queryset.filter(search_q(fields, needle))
