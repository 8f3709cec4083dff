"""Mentorship programmes, and copies from the bank of programmes."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from mentorship import access
from mentorship.errors import DomainError
from mentorship.models import Organisation
from mentorship.services import object_create, object_update
from participants.models import Programme

from .common import _check_fields, _ensure_visible, _lock

PROGRAMME_FIELDS = frozenset(
    {
        "title",
        "form",
        "goals",
        "expected_results",
        "duration_months",
        "school_year",
        "materials",
        "document",
        "is_published",
        "is_good_practice",
        "is_active",
    }
)


@transaction.atomic
def programme_create(*, actor: Any, data: dict[str, Any]) -> Programme:
    """A programme of an organisation (``data["organisation"]``) the actor keeps."""
    _check_fields(data, PROGRAMME_FIELDS | {"organisation"})
    return object_create(actor=actor, model=Programme, data=data)


@transaction.atomic
def programme_update(*, actor: Any, programme: Programme, data: dict[str, Any]) -> Programme:
    """Change a programme; its form and school year are fixed once pairs work in it."""
    _check_fields(data, PROGRAMME_FIELDS)
    access.ensure_can(actor, programme, "change")
    programme = _lock(Programme, programme)
    changes_pairs = any(field in data and data[field] != getattr(programme, field) for field in ("form", "school_year"))
    if changes_pairs and programme.pairs.exists():
        raise DomainError("В программе уже есть пары (группы): её форму и учебный год изменить нельзя.")
    return object_update(actor=actor, obj=programme, data=data)


@transaction.atomic
def programme_copy(*, actor: Any, source: Programme, organisation: Organisation, school_year: int) -> Programme:
    """Copy a programme from the bank (or one's own) into ``organisation`` for ``school_year``."""
    _ensure_visible(actor, source, "Выберите программу из банка программ.")
    if not source.is_published and source.organisation_id != organisation.pk:
        raise DomainError(f"Программа «{source}» не опубликована в банке программ: скопировать её нельзя.")
    return object_create(
        actor=actor,
        model=Programme,
        data={
            "organisation": organisation,
            "title": source.title,
            "form": source.form,
            "goals": source.goals,
            "expected_results": source.expected_results,
            "duration_months": source.duration_months,
            "school_year": school_year,
            "materials": source.materials,
            "document": source.document,
            "source": source,
        },
    )
