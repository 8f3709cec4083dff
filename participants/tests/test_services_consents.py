"""Consents under 152-ФЗ and co-operation agreements: who signs, when, and what a withdrawal erases and keeps."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from mentorship.errors import DomainError
from mentorship.tests.factories import World
from participants import services
from participants.choices import BaseRole, ConsentSigner, PairStatus, SuggestionStatus
from participants.models import BaseEntry, MatchSuggestion, Pair, PairMember, Person

from .factories import PAIR_STARTED_ON, ConsentFactory, MatchRunFactory, PersonFactory, enrolled


def record(world: World, person: Person, **data):
    return services.consent_record(
        actor=world.curator_a1, person=person, data={"signer": ConsentSigner.SELF, "signed_on": date(2026, 9, 3)} | data
    )


def test_an_adult_signs_their_own_consent(world: World) -> None:
    consent = record(world, world.mentor_a1_person, signer_name="лишнее")
    assert (consent.signer, consent.signer_name, consent.organisation) == (
        ConsentSigner.SELF,
        "",
        world.organisation_a1,
    )


def test_a_minor_cannot_sign_their_own_consent(world: World) -> None:
    with pytest.raises(
        DomainError, match="Согласие за несовершеннолетнего подписывает родитель или законный представитель"
    ):
        record(world, world.mentee_a1_person)
    assert world.mentee_a1_person.consents.count() == 1


def test_age_is_taken_on_the_day_of_signing(world: World) -> None:
    turns_18 = PersonFactory(organisation=world.organisation_a1, birth_date=date(2008, 9, 2))
    with pytest.raises(DomainError, match="несовершеннолетнего"):
        record(world, turns_18, signed_on=date(2026, 9, 1))
    assert record(world, turns_18, signed_on=date(2026, 9, 2)).signer == ConsentSigner.SELF


def test_a_guardian_signs_with_their_name(world: World) -> None:
    consent = record(world, world.mentee_a1_person, signer=ConsentSigner.GUARDIAN, signer_name=" Опекунова Н. В. ")
    assert consent.signer_name == "Опекунова Н. В."
    with pytest.raises(DomainError, match="Укажите ФИО родителя"):
        record(world, world.mentee_a1_person, signer=ConsentSigner.PARENT)


def test_consent_dates_are_checked(world: World) -> None:
    with pytest.raises(DomainError, match=r"Дата подписания согласия 24\.11\.2026 ещё не наступила"):
        record(world, world.mentor_a1_person, signed_on=date(2026, 11, 24))
    with pytest.raises(DomainError, match="раньше даты рождения"):
        record(world, world.mentor_a1_person, signed_on=date(1970, 1, 1))
    with pytest.raises(DomainError, match="закончиться раньше его подписания"):
        record(world, world.mentor_a1_person, valid_until=date(2026, 9, 1))
    with pytest.raises(DomainError, match="Укажите дату подписания"):
        record(world, world.mentor_a1_person, signed_on=None)


def test_consents_are_kept_by_the_persons_school_only(world: World) -> None:
    with pytest.raises(DomainError, match="Выберите участника"):
        record(world, world.student_b1_person)
    with pytest.raises(PermissionDenied):
        services.consent_record(
            actor=world.officer_a,
            person=world.mentor_a1_person,
            data={"signer": ConsentSigner.SELF, "signed_on": date(2026, 9, 3)},
        )


def paired(world: World) -> Pair:
    return services.pair_create(
        actor=world.curator_a1,
        programme=world.programme_a1,
        mentors=[world.mentor_a1_person],
        mentees=[world.mentee_a1_person, world.mentee_a1_second],
        started_on=PAIR_STARTED_ON,
    )


def test_withdrawal_ends_memberships_and_anonymises_the_person(world: World) -> None:
    mentee = world.mentee_a1_person
    pair = paired(world)
    consent = mentee.consents.get()
    services.consent_withdraw(actor=world.curator_a1, consent=consent, on=date(2026, 11, 20))
    consent.refresh_from_db()
    mentee.refresh_from_db()
    assert consent.withdrawn_on == date(2026, 11, 20)
    assert consent.signer_name == ""
    assert (mentee.surname, mentee.name, mentee.patronymic) == ("Участник", f"№{mentee.pk}", "")
    assert (mentee.email, mentee.phone, mentee.external_id, mentee.interests) == ("", "", "", "")
    assert mentee.birth_date == date(2011, 7, 1)
    assert mentee.anonymised_at is not None
    assert mentee.kind == "student"
    membership = PairMember.objects.get(pair=pair, person=mentee)
    assert membership.left_on == date(2026, 11, 20)
    pair.refresh_from_db()
    assert pair.status == PairStatus.FORMING  # the group still has a mentor and a mentee
    assert not mentee.base_entries.filter(is_active=True).exists()
    # The change log forgets the name too.
    assert not Person.history.filter(id=mentee.pk, surname="Сидоров").exists()


def test_withdrawal_keeps_anonymous_counts(world: World) -> None:
    paired(world)
    before = (Person.objects.count(), PairMember.objects.count(), BaseEntry.objects.count())
    services.consent_withdraw(
        actor=world.curator_a1, consent=world.mentee_a1_person.consents.get(), on=date(2026, 11, 20)
    )
    assert (Person.objects.count(), PairMember.objects.count(), BaseEntry.objects.count()) == before
    assert PairMember.objects.filter(role=BaseRole.MENTEE, person__kind="student").count() == 2


def test_a_pair_left_without_its_mentor_is_terminated(world: World) -> None:
    pair = paired(world)
    services.consent_withdraw(
        actor=world.curator_a1, consent=world.mentor_a1_person.consents.get(), on=date(2026, 11, 20)
    )
    pair.refresh_from_db()
    assert pair.status == PairStatus.TERMINATED
    assert pair.termination_reason == "Отзыв согласия на обработку персональных данных"
    assert pair.ended_on == date(2026, 11, 20)
    assert not PairMember.objects.filter(pair=pair, left_on__isnull=True).exists()


def test_withdrawal_rejects_proposed_matches(world: World) -> None:
    run = MatchRunFactory(programme=world.programme_a1)
    suggestion = MatchSuggestion.objects.create(
        run=run, mentor=world.mentor_a1_person, mentee=world.mentee_a1_person, score=80, reasons=[]
    )
    services.consent_withdraw(
        actor=world.curator_a1, consent=world.mentee_a1_person.consents.get(), on=date(2026, 11, 20)
    )
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.decided_by) == (SuggestionStatus.REJECTED, world.curator_a1)


def test_an_anonymised_person_is_not_paired_nor_changed(world: World) -> None:
    mentee = world.mentee_a1_person
    services.consent_withdraw(actor=world.curator_a1, consent=mentee.consents.get(), on=date(2026, 11, 20))
    ConsentFactory(person=mentee)
    with pytest.raises(DomainError, match="отозвал согласие"):
        services.person_update(actor=world.curator_a1, person=mentee, data={"class_name": "9Б"})
    with pytest.raises(DomainError, match="отозвал согласие"):
        record(world, mentee, signer=ConsentSigner.PARENT, signer_name="Сидорова А. А.")


def test_a_consent_is_withdrawn_once_and_not_in_the_future(world: World) -> None:
    consent = world.mentor_a1_person.consents.get()
    with pytest.raises(DomainError, match="ещё не наступила"):
        services.consent_withdraw(actor=world.curator_a1, consent=consent, on=date(2026, 12, 1))
    with pytest.raises(DomainError, match="раньше, чем подписано"):
        services.consent_withdraw(actor=world.curator_a1, consent=consent, on=date(2026, 8, 1))
    services.consent_withdraw(actor=world.curator_a1, consent=consent, on=date(2026, 11, 20))
    with pytest.raises(DomainError, match=r"уже отозвано 20\.11\.2026"):
        services.consent_withdraw(actor=world.curator_a1, consent=consent, on=date(2026, 11, 21))


def test_only_the_schools_staff_record_a_withdrawal(world: World) -> None:
    consent = world.mentor_a1_person.consents.get()
    for persona in ("curator_b1", "officer_a", "mentor_a1", "outsider"):
        with pytest.raises(PermissionDenied):
            services.consent_withdraw(actor=world.persona(persona), consent=consent, on=date(2026, 11, 20))
    consent.refresh_from_db()
    assert consent.withdrawn_on is None


def test_an_external_mentor_gets_an_agreement(world: World) -> None:
    mentor = enrolled(BaseRole.MENTOR, organisation=world.organisation_a1, external=True)
    agreement = services.agreement_record(
        actor=world.curator_a1,
        person=mentor,
        data={"number": "12/С", "signed_on": date(2026, 9, 10), "partner": world.partner_a},
    )
    assert (agreement.organisation, agreement.partner) == (world.organisation_a1, world.partner_a)
    with pytest.raises(DomainError, match="внешним наставником"):
        services.agreement_record(
            actor=world.curator_a1, person=world.mentor_a1_person, data={"signed_on": date(2026, 9, 10)}
        )
    with pytest.raises(DomainError, match="ещё не наступила"):
        services.agreement_record(actor=world.curator_a1, person=mentor, data={"signed_on": date(2027, 1, 1)})
    with pytest.raises(DomainError, match="Выберите организацию-партнёр"):
        services.agreement_record(
            actor=world.curator_a1, person=mentor, data={"signed_on": date(2026, 9, 10), "partner": world.partner_r2}
        )
