"""The participants' models: derived ages and service, consent validity, the database's own guards."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from mentorship.tests.factories import World
from participants.choices import BaseRole
from participants.models import PairMember, school_year_of
from participants.selectors import valid_consents

from .factories import ConsentFactory, PairFactory, PersonFactory


def test_school_year_starts_in_september() -> None:
    assert school_year_of(date(2026, 11, 23)) == 2026
    assert school_year_of(date(2027, 8, 31)) == 2026
    assert school_year_of(date(2027, 9, 1)) == 2027


@pytest.mark.django_db
def test_age_and_service_are_derived_from_dates() -> None:
    teacher = PersonFactory.build(young_teacher=True)
    assert teacher.age_on(date(2026, 11, 23)) == 25
    assert teacher.is_under_35_on(date(2026, 11, 23))
    assert teacher.service_years_on(date(2026, 11, 23)) == 1
    assert teacher.has_short_service_on(date(2026, 11, 23))
    student = PersonFactory.build()
    assert student.is_minor_on(date(2026, 11, 23))
    assert not PersonFactory.build(birth_date=None).is_minor_on(date(2026, 11, 23))


def test_consent_is_valid_between_signature_and_withdrawal(world: World) -> None:
    consent = ConsentFactory(person=world.mentee_a1_person, valid_until=date(2027, 8, 31))

    def valid_on(day: date) -> bool:
        return valid_consents(day).filter(pk=consent.pk).exists()

    assert not valid_on(date(2026, 8, 31))
    assert valid_on(date(2026, 9, 1))
    assert not valid_on(date(2027, 9, 1))
    consent.withdrawn_on = date(2026, 12, 1)
    consent.save()
    assert valid_on(date(2026, 11, 30))
    assert not valid_on(date(2026, 12, 1))


def test_factories_give_a_minor_a_parents_consent(world: World) -> None:
    consent = world.mentee_a1_person.consents.get()
    assert consent.signer == "parent"
    assert consent.signer_name


def test_database_refuses_the_same_person_twice_among_open_memberships_of_a_programme(world: World) -> None:
    mentee = world.mentee_a1_person
    PairFactory(programme=world.programme_a1, mentors=[world.mentor_a1_person], mentees=[mentee])
    other = PairFactory(programme=world.programme_a1)
    with pytest.raises(IntegrityError), transaction.atomic():
        PairMember.objects.create(
            pair=other, person=mentee, programme=other.programme, role=BaseRole.MENTEE, joined_on=other.started_on
        )
