"""Status changes of workflow objects: a compare-and-swap on the status plus its event row.

Roadmap approval, period-report acceptance and order signing all move an object's ``status``
with an ``UPDATE … WHERE pk = … AND status IN (allowed)``: a double click, or two approvers at
once, make one transition and the second caller is refused with the workflow's own message. The
update goes through the model's queryset (``HistoryQuerySet.update``), so django-simple-history
records it like a save().

The core knows no app model: the caller hands in the object and its concrete ``WorkflowEvent``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.utils import timezone

from .errors import DomainError
from .models import User, WorkflowEvent

M = TypeVar("M", bound=models.Model)


def actor_user(actor: Any) -> User | None:
    """The user to record as the author of a write: nobody for an anonymous actor (a task, a loader)."""
    return actor if getattr(actor, "is_authenticated", False) else None


def event_record(
    event_model: type[WorkflowEvent], obj: models.Model, *, kind: str, actor: Any, comment: str = ""
) -> WorkflowEvent:
    """Write one event row of ``obj``'s workflow."""
    return event_model.objects.create(
        **{_subject_field(event_model, obj): obj}, kind=kind, actor=actor_user(actor), comment=comment
    )


def status_transition(
    obj: M,
    *,
    allowed: Iterable[str],
    new: str,
    event_model: type[WorkflowEvent],
    kind: str,
    actor: Any,
    refused: Callable[[str | None], str],
    comment: str = "",
    **fields: Any,
) -> M:
    """Move ``obj`` from one of the ``allowed`` statuses to ``new`` and write the event; return it fresh.

    ``fields`` are set in the same UPDATE (``approved_at=…``); ``auto_now`` fields are set to now
    unless given, as ``update()`` leaves them alone. When no row matched, no event is written,
    ``obj`` is re-read (a page shown again with it shows the status that refused) and a
    ``DomainError`` is raised with the message ``refused(current status, or None if the row is
    gone)``.
    """
    manager = type(obj)._default_manager
    now = timezone.now()
    stamps = {field.name: now for field in obj._meta.concrete_fields if getattr(field, "auto_now", False)}
    with transaction.atomic(savepoint=False):
        changed = manager.filter(pk=obj.pk, status__in=list(allowed)).update(**{**stamps, **fields, "status": new})
        if changed:
            event_record(event_model, obj, kind=kind, actor=actor, comment=comment)
    # refused outside the block: nothing was written, and a caller that catches the refusal keeps
    # a usable transaction (an error inside a block without a savepoint dooms the outer one)
    if not changed:
        current = manager.filter(pk=obj.pk).values_list("status", flat=True).first()
        if current is not None:
            obj.refresh_from_db()
        raise DomainError(refused(current))
    obj.refresh_from_db()
    return obj


def _subject_field(event_model: type[WorkflowEvent], obj: models.Model) -> str:
    """The event's foreign key to ``obj``'s model (``roadmap``, ``report``, ``order``)."""
    model = obj._meta.concrete_model
    names = [
        field.name
        for field in event_model._meta.concrete_fields
        if field.many_to_one and field.related_model is model and field.name != "actor"
    ]
    if len(names) != 1:
        raise ImproperlyConfigured(f"{event_model.__name__} needs exactly one foreign key to {model.__name__}.")
    return names[0]
