"""Consents to personal-data processing (152-ФЗ), their withdrawal, and external mentors' agreements."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Q, Value
from django.db.models.functions import Greatest
from django.utils import timezone

from mentorship import access
from mentorship.errors import DomainError
from mentorship.models import Partner
from mentorship.services import object_create
from mentorship.workflow import actor_user
from participants.choices import ConsentSigner, PersonKind, SuggestionStatus
from participants.models import BaseEntry, Consent, CooperationAgreement, MatchSuggestion, Person
from participants.selectors import open_memberships

from .common import (
    STUDENT_BIRTH_DATE_REQUIRED,
    _check_fields,
    _d,
    _ensure_not_anonymised,
    _ensure_not_future,
    _ensure_visible,
    _lock,
)
from .pairs import _terminate_unstaffed

CONSENT_FIELDS = frozenset({"signer", "signer_name", "signed_on", "scope", "valid_until", "document"})


AGREEMENT_FIELDS = frozenset({"partner", "number", "signed_on", "valid_until", "document"})


WITHDRAWAL_REASON = "Отзыв согласия на обработку персональных данных"


ANONYMOUS_SURNAME = "Участник"


@transaction.atomic
def consent_record(*, actor: Any, person: Person, data: dict[str, Any]) -> Consent:
    """Record a consent to personal-data processing (152-ФЗ): the person signs it, a parent for a minor."""
    _check_fields(data, CONSENT_FIELDS)
    _ensure_visible(actor, person, "Выберите участника из списка своей организации.")
    person = _lock(Person, person)
    _ensure_not_anonymised(person)
    data = {"organisation": person.organisation, "person": person, **data}
    consent = Consent(**data)
    consent_validate(consent, person)
    return object_create(actor=actor, model=Consent, data=data | {"signer_name": consent.signer_name})


def consent_validate(consent: Consent, person: Person) -> None:
    """The rules on a consent signed by or for ``person`` (normalises ``signer_name``); no database access."""
    if not consent.signer:
        raise DomainError("Укажите, кто подписал согласие.", field="signer")
    if consent.signed_on is None:
        raise DomainError("Укажите дату подписания согласия.", field="signed_on")
    _ensure_not_future(consent.signed_on, "Дата подписания согласия", "signed_on")
    if person.birth_date and consent.signed_on < person.birth_date:
        raise DomainError("Согласие не может быть подписано раньше даты рождения участника.", field="signed_on")
    if consent.valid_until is not None and consent.valid_until < consent.signed_on:
        raise DomainError("Срок действия согласия не может закончиться раньше его подписания.", field="valid_until")
    consent.signer_name = (consent.signer_name or "").strip()
    if consent.signer == ConsentSigner.SELF:
        if person.birth_date is None and person.kind == PersonKind.STUDENT:
            raise DomainError(STUDENT_BIRTH_DATE_REQUIRED, field="birth_date")
        if person.is_minor_on(consent.signed_on):
            raise DomainError(
                "Согласие за несовершеннолетнего подписывает родитель или законный представитель: "
                f"{person.full_name} на {_d(consent.signed_on)} нет 18 лет.",
                field="signer",
            )
        consent.signer_name = ""
    elif not consent.signer_name:
        raise DomainError(
            "Укажите ФИО родителя или законного представителя, подписавшего согласие.", field="signer_name"
        )


def _anonymise(person: Person, now: Any) -> None:
    """Erase what identifies the person, here and in the change log; keep the kind and the birth year."""
    erased = {
        "surname": ANONYMOUS_SURNAME,
        "name": f"№{person.pk}",
        "patronymic": "",
        "email": "",
        "phone": "",
        "external_id": "",
        "workplace": "",
        "interests": "",
        "competences": "",
        "achievements": "",
        "user": None,
        "birth_date": date(person.birth_date.year, 7, 1) if person.birth_date else None,
        "service_start": date(person.service_start.year, 7, 1) if person.service_start else None,
    }
    for field, value in erased.items():
        setattr(person, field, value)
    person.anonymised_at = now
    person._change_reason = WITHDRAWAL_REASON
    person.save()
    # The change log must not keep what the person asked to erase.
    Person.history.filter(id=person.pk).update(**erased)
    Consent.objects.filter(person=person).update(signer_name="")
    Consent.history.filter(person_id=person.pk).update(signer_name="")


@transaction.atomic
def consent_withdraw(*, actor: Any, consent: Consent, on: date) -> None:
    """The person withdraws their consent on ``on``.

    Their open memberships end that day; a pair left without a mentor or without a mentee is
    terminated; their proposed matches are rejected; they leave the bases; then their personal
    data are erased (``anonymised_at``). The records stay, nameless, so counts for monitoring hold.
    """
    access.ensure_can(actor, consent, "change")
    consent = Consent.objects.select_for_update().select_related("person").get(pk=consent.pk)
    if consent.withdrawn_on is not None:
        raise DomainError(f"Согласие уже отозвано {_d(consent.withdrawn_on)}.")
    _ensure_not_future(on, "Дата отзыва согласия", "on")
    if on < consent.signed_on:
        raise DomainError("Согласие не может быть отозвано раньше, чем подписано.", field="on")
    person = _lock(Person, consent.person)
    access.ensure_can(actor, person, "change")
    Consent.objects.filter(person=person, withdrawn_on__isnull=True).update(withdrawn_on=on)

    memberships = open_memberships().filter(person=person)
    pair_ids = list(memberships.values_list("pair_id", flat=True))
    memberships.update(left_on=Greatest("joined_on", Value(on)))
    _terminate_unstaffed(pair_ids, on, WITHDRAWAL_REASON)
    MatchSuggestion.objects.filter(Q(mentor=person) | Q(mentee=person), status=SuggestionStatus.PROPOSED).update(
        status=SuggestionStatus.REJECTED, decided_by=actor_user(actor), decided_at=timezone.now()
    )
    BaseEntry.objects.filter(person=person, is_active=True).update(is_active=False)
    _anonymise(person, timezone.now())


@transaction.atomic
def agreement_record(*, actor: Any, person: Person, data: dict[str, Any]) -> CooperationAgreement:
    """Record the free co-operation agreement an external mentor signs (seed 003, 4.14)."""
    _check_fields(data, AGREEMENT_FIELDS)
    _ensure_visible(actor, person, "Выберите участника из списка своей организации.")
    person = _lock(Person, person)
    _ensure_not_anonymised(person)
    if person.kind != PersonKind.EXTERNAL:
        raise DomainError("Соглашение о сотрудничестве заключается с внешним наставником.")
    partner: Partner | None = data.get("partner")
    _ensure_visible(actor, partner, "Выберите организацию-партнёр из списка.")
    signed_on = data.get("signed_on")
    if signed_on is None:
        raise DomainError("Укажите дату заключения соглашения.", field="signed_on")
    _ensure_not_future(signed_on, "Дата заключения соглашения", "signed_on")
    valid_until = data.get("valid_until")
    if valid_until is not None and valid_until < signed_on:
        raise DomainError("Соглашение не может закончиться раньше, чем заключено.", field="valid_until")
    return object_create(
        actor=actor,
        model=CooperationAgreement,
        data={"organisation": person.organisation, "person": person, **data},
    )
