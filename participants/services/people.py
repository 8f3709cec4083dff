"""People: a participant's record (ФИО, kind, dates), created and changed."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from mentorship import access
from mentorship.errors import DomainError
from mentorship.services import object_create, object_update
from participants.choices import PersonKind
from participants.models import Person

from .common import (
    STUDENT_BIRTH_DATE_REQUIRED,
    _check_fields,
    _ensure_not_anonymised,
    _ensure_not_future,
    _ensure_visible,
    _lock,
)

#: the fields of a person a caller may set, in the order the import template lists them
PERSON_FIELD_ORDER = (
    "external_id",
    "kind",
    "surname",
    "name",
    "patronymic",
    "birth_date",
    "email",
    "phone",
    "class_name",
    "position",
    "subject",
    "service_start",
    "is_manager",
    "workplace",
    "partner",
    "interests",
    "competences",
    "achievements",
)
PERSON_FIELDS = frozenset(PERSON_FIELD_ORDER)


def person_validate(person: Person) -> None:
    """The domain's rules on one person's record, without the database: forms and imports share them."""
    _ensure_not_future(person.birth_date, "Дата рождения", "birth_date")
    _ensure_not_future(person.service_start, "Дата начала педагогического стажа", "service_start")
    if person.birth_date and person.service_start and person.service_start <= person.birth_date:
        raise DomainError("Педагогический стаж не может начинаться раньше даты рождения.", field="service_start")
    if person.kind == PersonKind.STUDENT and person.birth_date is None:
        raise DomainError(STUDENT_BIRTH_DATE_REQUIRED, field="birth_date")


@transaction.atomic
def person_create(*, actor: Any, data: dict[str, Any]) -> Person:
    """Add a person to an organisation (``data["organisation"]``) the actor keeps."""
    _check_fields(data, PERSON_FIELDS | {"organisation"})
    _ensure_visible(actor, data.get("partner"), "Выберите организацию-партнёр из списка.")
    person = Person(**data)
    person_validate(person)
    return object_create(actor=actor, model=Person, data=data)


@transaction.atomic
def person_update(*, actor: Any, person: Person, data: dict[str, Any]) -> Person:
    """Change a person's record; the organisation does not change (a move is a new record at the new school)."""
    _check_fields(data, PERSON_FIELDS)
    access.ensure_can(actor, person, "change")
    person = _lock(Person, person)
    _ensure_not_anonymised(person)
    _ensure_visible(actor, data.get("partner"), "Выберите организацию-партнёр из списка.")
    for field, value in data.items():
        setattr(person, field, value)
    person_validate(person)
    return object_update(actor=actor, obj=person, data={})
