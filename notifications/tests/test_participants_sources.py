"""participants/reminders.py: planned meetings and expiring consents, and who is told."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from mentorship.tests.factories import World
from mentorship.tests.worlds import world_for_module
from participants import reminders
from participants.choices import PairStatus
from participants.tests.factories import ConsentFactory, MeetingFactory, PairFactory, build_participants_world

DAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def _module_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    yield from world_for_module(django_db_blocker, build_participants_world)


@pytest.fixture
def world(_module_world: World, db: None) -> World:
    return copy.deepcopy(_module_world)


@pytest.fixture
def pair(world):
    world.mentor_a1_person.user = world.mentor_a1
    world.mentor_a1_person.save()
    return PairFactory(
        programme=world.programme_a1,
        mentors=[world.mentor_a1_person],
        mentees=[world.mentee_a1_person],
        status=PairStatus.ACTIVE,
    )


@pytest.mark.parametrize(
    ("planned_on", "held", "expected"),
    [
        (date(2026, 11, 24), False, reminders.KIND_MEETING_TOMORROW),
        (date(2026, 11, 23), False, reminders.KIND_MEETING_TODAY),
        (date(2026, 11, 25), False, None),
        (date(2026, 11, 22), False, None),
        (date(2026, 11, 23), True, None),
    ],
)
def test_a_planned_meeting_is_reminded_the_day_before_and_on_the_day(world, pair, planned_on, held, expected):
    MeetingFactory(pair=pair, planned_on=planned_on, held_on=planned_on if held else None)
    dues = list(reminders.meetings_planned(DAY))
    assert {d.kind for d in dues} == ({expected} if expected else set())
    if expected:
        # The school's curator and coordinator, and the mentor who has an account; not the director.
        assert {d.recipient_id for d in dues} == {world.curator_a1.pk, world.coordinator_a1.pk, world.mentor_a1.pk}
        assert all(d.url == f"/participants/pairs/{pair.pk}/" for d in dues)


def test_a_completed_pairs_meeting_is_not_reminded(world, pair):
    pair.status = PairStatus.COMPLETED
    pair.save()
    MeetingFactory(pair=pair, planned_on=DAY)
    assert list(reminders.meetings_planned(DAY)) == []


@pytest.mark.parametrize(
    ("valid_until", "reminded"),
    [(date(2026, 12, 23), True), (date(2026, 11, 23), True), (date(2026, 12, 24), False), (None, False)],
)
def test_a_consent_expiring_within_30_days_tells_the_curators(world, valid_until, reminded):
    person = world.mentee_a1_person
    person.consents.update(valid_until=valid_until)
    dues = list(reminders.consents_expiring(DAY))
    assert [d.recipient_id for d in dues] == ([world.curator_a1.pk] if reminded else [])
    if reminded:
        assert dues[0].url == f"/participants/people/{person.pk}/"
        assert person.surname not in dues[0].title + dues[0].text  # no names in letters


def test_a_consent_replaced_by_a_later_one_is_not_reminded(world):
    person = world.mentee_a1_person
    person.consents.update(valid_until=date(2026, 12, 1))
    ConsentFactory(person=person, signed_on=date(2026, 11, 20), valid_until=date(2027, 12, 1))
    assert list(reminders.consents_expiring(DAY)) == []


def test_sources_run_a_fixed_number_of_queries(world, pair, django_assert_num_queries):
    for n in range(5):
        MeetingFactory(pair=pair, planned_on=DAY, topic=f"Тема {n}")
    with django_assert_num_queries(3):
        assert len(list(reminders.meetings_planned(DAY))) == 15
    world.mentee_a1_person.consents.update(valid_until=date(2026, 12, 1))
    world.mentee_a1_second.consents.update(valid_until=date(2026, 12, 2))
    with django_assert_num_queries(2):
        assert len(list(reminders.consents_expiring(DAY))) == 2
