"""Reading the change log kept by django-simple-history, for the «История изменений» pages."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import models

HISTORY_TYPES = {"+": "Создание", "~": "Изменение", "-": "Удаление"}


@dataclass
class FieldChange:
    label: str
    old: Any
    new: Any
    model_field: Any = field(default=None, repr=False)


@dataclass
class HistoryEntry:
    date: datetime
    user: Any
    kind: str
    reason: str
    changes: list[FieldChange] = field(default_factory=list)


def history_entries(obj: models.Model, *, limit: int = 200) -> list[HistoryEntry]:
    """Newest first; each entry lists the fields that changed against the previous version.

    Related records (a school's municipality, say) are named, not shown as ids:
    one query per related model for the whole page, whatever the number of entries.
    """
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    entries = []
    related_ids: dict[type[models.Model], set[Any]] = defaultdict(set)
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous, foreign_keys_are_objs=False)
            for change in delta.changes:
                model_field = type(obj)._meta.get_field(change.field)
                if model_field.is_relation:
                    related_ids[model_field.related_model].update(v for v in (change.old, change.new) if v is not None)
                changes.append(
                    FieldChange(
                        label=str(model_field.verbose_name), old=change.old, new=change.new, model_field=model_field
                    )
                )
        entries.append(
            HistoryEntry(
                date=record.history_date,
                user=record.history_user,
                kind=HISTORY_TYPES.get(record.history_type, record.history_type),
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
    names = {model: model._base_manager.in_bulk(ids) for model, ids in related_ids.items()}
    for entry in entries:
        for change in entry.changes:
            change.old = _display(change.model_field, change.old, names)
            change.new = _display(change.model_field, change.new, names)
    return entries


def _display(model_field: models.Field, value: Any, names: dict[type[models.Model], dict[Any, Any]]) -> Any:
    if model_field.is_relation and value is not None:
        return names[model_field.related_model].get(value, f"удалённая запись №{value}")
    if model_field.choices:
        return dict(model_field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return "да" if value else "нет"
    return "—" if value in (None, "") else value
