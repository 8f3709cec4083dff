"""Writing many rows of a tracked model at once, each with its django-simple-history row.

Elsewhere ``HistoryQuerySet.bulk_create``/``bulk_update`` (``mentorship/querysets.py``) keep bulk
writes in the change log, and on SQLite the import uses exactly them. On PostgreSQL, measured on
the import benchmark, Django's ``bulk_create`` spends most of its time preparing values in
Python (about 20 µs per value, 40 values per person and its history row) and ``bulk_update``
builds a ``CASE`` per column; 100 000 people took well over a minute. So on PostgreSQL the rows
and their history rows go through ``COPY`` (psycopg's binary-safe protocol, values adapted in C):

* inserts: the primary keys are drawn from the table's sequence in one query, the rows are
  copied with them, and the history rows (``history_type`` «+») are copied with the same values;
* updates: the changed columns of the changed rows are copied into a temporary table and
  applied by one ``UPDATE … FROM``; their history rows (``history_type`` «~») hold the full
  new state, as ``save()`` would record.

The history rows have the same columns and values simple_history writes itself (date, user,
change reason, type), so the change log cannot tell an imported row from a saved one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection, models
from django.utils import timezone

BATCH_SIZE = 2000


def instance_factory(model: type[models.Model]) -> Any:
    """``make(attname=value, …)``: an unsaved instance, the other fields at their defaults.

    Positional construction (the way ``Model.from_db`` builds rows) skips ``__init__``'s keyword
    handling, which costs more than the rest of a row's validation on large files.
    """
    fields = model._meta.concrete_fields
    index = {field.attname: position for position, field in enumerate(fields)}
    template = [None if field.primary_key else field.get_default() for field in fields]
    fresh = [position for position, field in enumerate(fields) if callable(getattr(field, "default", None))]

    def make(**values: Any) -> models.Model:
        row = template.copy()
        for position in fresh:
            row[position] = fields[position].get_default()
        for attname, value in values.items():
            row[index[attname]] = value
        return model(*row)

    return make


def _getter(field: models.Field) -> Any:
    """How a field's value goes into ``COPY``: psycopg adapts plain values itself; files and JSON need Django's prep."""
    attname = field.attname
    if isinstance(field, models.FileField | models.JSONField):
        return lambda obj: field.get_db_prep_save(getattr(obj, attname), connection)
    return lambda obj: getattr(obj, attname)


def _now_fields(model: type[models.Model]) -> list[models.Field]:
    return [field for field in model._meta.concrete_fields if getattr(field, "auto_now", False)]


def _history_rows(model: type[models.Model], objs: Sequence[Any], kind: str, user: Any, reason: str) -> tuple:
    history = model.history.model
    columns = [field for field in history._meta.concrete_fields if field.attname != history._meta.pk.attname]
    special = {
        "history_date": timezone.now(),
        "history_change_reason": reason,
        "history_type": kind,
        "history_user_id": getattr(user, "pk", None),
    }
    names = [field.column for field in columns]
    # simple_history keeps a file field as text: the value is read as the tracked model's field gives it.
    source = {field.attname: field for field in model._meta.concrete_fields}
    getters = [
        (lambda obj, value=special[field.attname]: value)
        if field.attname in special
        else _getter(source.get(field.attname, field))
        for field in columns
    ]
    rows = ([get(obj) for get in getters] for obj in objs)
    return history._meta.db_table, names, rows


def _copy(cursor: Any, table: str, columns: Sequence[str], rows: Any) -> None:
    quote = connection.ops.quote_name
    statement = f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    with cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def insert(model: type[models.Model], objs: list[Any], *, user: Any, reason: str) -> None:
    """Insert ``objs`` (unsaved instances) and their «+» history rows; sets their primary keys."""
    if not objs:
        return
    now = timezone.now()
    for field in model._meta.concrete_fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            for obj in objs:
                setattr(obj, field.attname, now)
    if connection.vendor != "postgresql":
        for obj in objs:
            obj._history_user = user
            obj._change_reason = reason
        model.objects.bulk_create(objs, batch_size=BATCH_SIZE)
        return
    table = model._meta.db_table
    pk = model._meta.pk
    fields = [field for field in model._meta.concrete_fields if field is not pk]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, pk.column, len(objs)]
        )
        for obj, (value,) in zip(objs, cursor.fetchall(), strict=True):
            setattr(obj, pk.attname, value)
            obj._state.adding = False
        raw = cursor.cursor
        getters = [_getter(field) for field in (pk, *fields)]
        _copy(
            raw,
            table,
            [pk.column, *(field.column for field in fields)],
            ([get(obj) for get in getters] for obj in objs),
        )
        _copy(raw, *_history_rows(model, objs, "+", user, reason))


def update(model: type[models.Model], objs: list[Any], names: Sequence[str], *, user: Any, reason: str) -> None:
    """Write the fields ``names`` of ``objs`` (saved instances holding their full new state) and «~» history rows."""
    if not objs:
        return
    now = timezone.now()
    touched = [field.attname for field in _now_fields(model)]
    for obj in objs:
        for attname in touched:
            setattr(obj, attname, now)
    fields = [model._meta.get_field(name) for name in names]
    fields += [field for field in _now_fields(model) if field.name not in names]
    if connection.vendor != "postgresql":
        for obj in objs:
            obj._history_user = user
            obj._change_reason = reason
        model.objects.bulk_update(objs, [field.name for field in fields], batch_size=BATCH_SIZE)
        return
    quote = connection.ops.quote_name
    table = model._meta.db_table
    pk = model._meta.pk
    columns = [pk.column, *(field.column for field in fields)]
    with connection.cursor() as cursor:
        # Identifiers only, from the model's meta and quoted; no value is formatted into SQL.
        selected = ", ".join(quote(c) for c in columns)
        create = f"CREATE TEMPORARY TABLE import_changes ON COMMIT DROP AS SELECT {selected} FROM {quote(table)} WITH NO DATA"  # noqa: E501, S608
        cursor.execute(create)
        raw = cursor.cursor
        getters = [_getter(field) for field in (pk, *fields)]
        _copy(raw, "import_changes", columns, ([get(obj) for get in getters] for obj in objs))
        assignments = ", ".join(f"{quote(field.column)} = changes.{quote(field.column)}" for field in fields)
        apply = (
            f"UPDATE {quote(table)} AS target SET {assignments} FROM import_changes AS changes "  # noqa: S608
            f"WHERE target.{quote(pk.column)} = changes.{quote(pk.column)}"
        )
        cursor.execute(apply)
        cursor.execute("DROP TABLE import_changes")
        _copy(raw, *_history_rows(model, objs, "~", user, reason))
