"""The bases of mentors and mentees: enrolment of a person for a school year and its rules."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from mentorship import access
from mentorship.errors import DomainError
from mentorship.models import Organisation
from mentorship.services import object_create, object_delete, object_update
from participants.choices import BaseRole, MenteeCategory, MentorKind, PersonKind
from participants.models import BaseEntry, Person
from participants.selectors import open_memberships

from .common import _check_fields, _ensure_not_anonymised, _ensure_visible
from .consents import consent_record
from .people import person_create

ENTRY_FIELDS = frozenset(
    {
        "mentee_category",
        "mentor_kind",
        "form",
        "request",
        "capacity",
        "preferred_age_min",
        "preferred_age_max",
        "availability",
        "is_active",
    }
)


#: Who may be a mentor in the base, by the kind of person.
MENTOR_KINDS_BY_PERSON = {
    PersonKind.STUDENT: {MentorKind.STUDENT},
    PersonKind.TEACHER: {MentorKind.TEACHER, MentorKind.VETERAN},
    PersonKind.EXTERNAL: {
        MentorKind.STUDENT,
        MentorKind.PARENT,
        MentorKind.GRADUATE,
        MentorKind.EMPLOYEE,
        MentorKind.PUBLIC_FIGURE,
        MentorKind.VETERAN,
    },
}


def base_entry_validate(entry: BaseEntry, person: Person) -> None:
    """The rules on a base entry for ``person`` (clears the category of the other base); no database access."""
    if entry.role == BaseRole.MENTEE:
        if person.kind == PersonKind.EXTERNAL:
            raise DomainError(
                "Внешний участник может быть только наставником: в базу наставляемых вносятся обучающиеся и педагоги."
            )
        allowed = MenteeCategory.for_students() if person.kind == PersonKind.STUDENT else MenteeCategory.for_teachers()
        if not entry.mentee_category:
            raise DomainError("Укажите категорию наставляемого.", field="mentee_category")
        if entry.mentee_category not in allowed:
            raise DomainError(
                f"Категория «{entry.get_mentee_category_display()}» не подходит: "
                f"{person.full_name} — {person.get_kind_display().lower()}.",
                field="mentee_category",
            )
        entry.mentor_kind = ""
    else:
        if not entry.mentor_kind:
            raise DomainError("Укажите категорию наставника.", field="mentor_kind")
        if entry.mentor_kind not in MENTOR_KINDS_BY_PERSON[person.kind]:
            raise DomainError(
                f"Категория наставника «{entry.get_mentor_kind_display()}» не подходит: "
                f"{person.full_name} — {person.get_kind_display().lower()}.",
                field="mentor_kind",
            )
        entry.mentee_category = ""
    low, high = entry.preferred_age_min, entry.preferred_age_max
    if low is not None and high is not None and low > high:
        raise DomainError("Возраст наставляемых «от» больше, чем «до».", field="preferred_age_max")


@transaction.atomic
def participant_enrol(
    *,
    actor: Any,
    organisation: Organisation,
    role: BaseRole | str,
    school_year: int,
    person: dict[str, Any] | None = None,
    existing: Person | None = None,
    entry: dict[str, Any],
    consent: dict[str, Any] | None = None,
) -> BaseEntry:
    """Add a mentor or a mentee to the organisation's base of a school year, in one step.

    Creates the person from ``person`` (or takes ``existing``, a person of the same organisation),
    their base entry from ``entry`` and, when given, their consent from ``consent``.
    """
    if (person is None) == (existing is None):
        raise ValueError("Give either the new person's data or an existing person.")
    _check_fields(entry, ENTRY_FIELDS)
    if existing is None:
        someone = person_create(actor=actor, data={**person, "organisation": organisation})
    else:
        _ensure_visible(actor, existing, "Выберите участника из списка своей организации.")
        if existing.organisation_id != organisation.pk:
            raise DomainError(
                f"{existing.full_name} относится к другой организации: выберите участника из «{organisation}»."
            )
        _ensure_not_anonymised(existing)
        someone = existing
    data = {"organisation": organisation, "person": someone, "school_year": school_year, "role": role, **entry}
    draft = BaseEntry(**data)
    base_entry_validate(draft, someone)
    data |= {"mentee_category": draft.mentee_category, "mentor_kind": draft.mentor_kind}
    record = object_create(actor=actor, model=BaseEntry, data=data)
    if consent is not None:
        consent_record(actor=actor, person=someone, data=consent)
    return record


@transaction.atomic
def base_entry_update(*, actor: Any, entry: BaseEntry, data: dict[str, Any]) -> BaseEntry:
    _check_fields(data, ENTRY_FIELDS)
    access.ensure_can(actor, entry, "change")
    entry = BaseEntry.objects.select_for_update().select_related("person").get(pk=entry.pk)
    for field, value in data.items():
        setattr(entry, field, value)
    base_entry_validate(entry, entry.person)
    return object_update(actor=actor, obj=entry, data={})


@transaction.atomic
def base_entry_remove(*, actor: Any, entry: BaseEntry) -> None:
    """Take a person out of a base; refused while they are in an open pair of that year in that role."""
    access.ensure_can(actor, entry, "delete")
    if open_memberships(role=entry.role, school_year=entry.school_year).filter(person_id=entry.person_id).exists():
        raise DomainError(
            f"{entry.person.full_name} состоит в действующей паре (группе) этого учебного года: "
            "сначала завершите или прекратите её."
        )
    object_delete(actor=actor, obj=entry)
