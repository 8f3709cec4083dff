"""The curator is told when an active pair at stage 6 has had no held meeting for N weeks (issue 16, point 9).

N is the setting ``PARTICIPANTS_NO_MEETING_WEEKS`` (4 by default). The source is one of the
notifications registry's, so the daily run records it once per pair and silence.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest

from mentorship.tests.worlds import world_for_module
from notifications import registry
from notifications.models import Reminder
from notifications.services import reminders_collect
from participants import reminders
from participants.choices import MeetingKind, PairStatus, Stage
from participants.models import Meeting, Pair

from .factories import MeetingFactory
from .my_world import build_my_world

pytestmark = pytest.mark.django_db

DAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def _module_world(_pinned_clock: None, django_db_setup: None, django_db_blocker: Any) -> Iterator[Any]:
    yield from world_for_module(django_db_blocker, build_my_world)


def told(day: date = DAY) -> dict[int, set[int]]:
    """{pair id: the users told} by the source on ``day``."""
    found: dict[int, set[int]] = {}
    for due in reminders.pairs_without_meetings(day):
        found.setdefault(int(due.subject_key.rsplit(":", 1)[1]), set()).add(due.recipient_id)
    return found


def last_held(pair: Pair, day: date) -> None:
    """Make ``day`` the pair's last held meeting (the world's introductory meeting is on 05.10.2026)."""
    Meeting.objects.filter(pair=pair).exclude(held_on=None).update(
        held_on=date(2026, 10, 1), planned_on=date(2026, 10, 1)
    )
    MeetingFactory(pair=pair, kind=MeetingKind.REGULAR, planned_on=day, held_on=day)


def test_the_source_is_registered_as_a_topic_users_can_switch_off():
    topic = registry.topic("participants_no_meeting")
    assert topic is not None
    assert topic.source is reminders.pairs_without_meetings
    assert topic.label == "Пары без встреч несколько недель"


@pytest.mark.parametrize(
    ("last", "reminded"),
    [
        (DAY - timedelta(weeks=4), True),
        (DAY - timedelta(weeks=6), True),
        (DAY - timedelta(weeks=4) + timedelta(days=1), False),
        (DAY - timedelta(days=3), False),
    ],
)
def test_four_weeks_without_a_held_meeting_tell_the_schools_curator(world, last, reminded):
    last_held(world.pair, last)
    assert told().get(world.pair.pk) == ({world.curator_a1.pk} if reminded else None)


def test_the_reminder_names_the_pair_links_to_its_meetings_and_is_due_when_the_silence_reached_n_weeks(world):
    last_held(world.pair, date(2026, 10, 12))
    due = next(
        d for d in reminders.pairs_without_meetings(DAY) if d.subject_key == f"participants.pair:{world.pair.pk}"
    )
    assert due.kind == reminders.KIND_NO_MEETING
    assert due.title == "Нет встреч 4 нед. и дольше: Пара «Алгебра»"
    assert due.url == f"/participants/pairs/{world.pair.pk}/#meetings"
    assert due.due_date == date(2026, 11, 9)
    assert "12.10.2026" in due.text


def test_a_planned_meeting_does_not_count_only_a_held_one(world):
    last_held(world.pair, DAY - timedelta(weeks=5))
    MeetingFactory(pair=world.pair, kind=MeetingKind.REGULAR, planned_on=DAY - timedelta(days=2))
    assert world.pair.pk in told()


def test_a_pair_without_any_held_meeting_counts_from_its_start(world):
    Meeting.objects.filter(pair=world.other_pair).update(held_on=None)
    # «Физика» started on 01.10.2026: seven weeks and more before the day.
    assert told().get(world.other_pair.pk) == {world.curator_a1.pk}
    assert world.other_pair.pk not in told(date(2026, 10, 28))


@pytest.mark.parametrize(
    ("status", "stage"),
    [(PairStatus.FORMING, Stage.WORK), (PairStatus.COMPLETED, Stage.WORK), (PairStatus.ACTIVE, Stage.PAIRING)],
)
def test_only_active_pairs_at_stage_6_are_reminded(world, status, stage):
    last_held(world.pair, DAY - timedelta(weeks=8))
    Pair.objects.filter(pk=world.pair.pk).update(status=status, stage=stage)
    assert world.pair.pk not in told()


def test_the_number_of_weeks_is_a_setting(world, settings):
    last_held(world.pair, DAY - timedelta(weeks=3))
    assert world.pair.pk not in told()
    settings.PARTICIPANTS_NO_MEETING_WEEKS = 2
    assert world.pair.pk in told()


def test_the_source_costs_two_queries_however_many_pairs(world, django_assert_num_queries):
    last_held(world.pair, DAY - timedelta(weeks=8))
    with django_assert_num_queries(2):
        assert len(list(reminders.pairs_without_meetings(DAY))) == 2


def test_the_daily_run_records_one_reminder_per_silence_however_often_it_runs(world):
    last_held(world.pair, DAY - timedelta(weeks=5))
    reminders_collect(day=DAY)
    reminders_collect(day=DAY)
    reminders_collect(day=DAY + timedelta(days=1))
    rows = Reminder.objects.filter(kind=reminders.KIND_NO_MEETING, subject_key=f"participants.pair:{world.pair.pk}")
    assert list(rows.values_list("recipient_id", "due_date")) == [(world.curator_a1.pk, DAY - timedelta(weeks=1))]
