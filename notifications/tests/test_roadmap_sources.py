"""roadmaps/reminders.py: which items are due on a given day, and who is told."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from roadmaps import reminders
from roadmaps.choices import ItemStatus, RoadmapStatus

from .helpers import dated_item

WEEK, TOMORROW, TODAY, OVERDUE = (
    reminders.KIND_AHEAD,
    reminders.KIND_TOMORROW,
    reminders.KIND_TODAY,
    reminders.KIND_OVERDUE,
)

# (deadline as in the document, the day the job runs, the reminders it makes as (kind, due date)).
# The roadmaps' period is 2024–2025: a month without a year is its first occurrence from January 2024.
CASES = [
    ("до 15.03.2025 г.", date(2025, 3, 7), set()),
    ("до 15.03.2025 г.", date(2025, 3, 8), {(WEEK, date(2025, 3, 15))}),
    ("до 15.03.2025 г.", date(2025, 3, 12), {(WEEK, date(2025, 3, 15))}),
    ("до 15.03.2025 г.", date(2025, 3, 14), {(TOMORROW, date(2025, 3, 15))}),
    ("до 15.03.2025 г.", date(2025, 3, 15), {(TODAY, date(2025, 3, 15))}),
    ("до 15.03.2025 г.", date(2025, 3, 16), {(OVERDUE, date(2025, 3, 15))}),
    ("до 15.03.2025 г.", date(2025, 4, 14), {(OVERDUE, date(2025, 3, 15))}),
    ("до 15.03.2025 г.", date(2025, 4, 15), set()),  # more than 30 days late: no longer reminded
    ("март-апрель", date(2024, 4, 29), {(TOMORROW, date(2024, 4, 30))}),
    ("март-апрель", date(2024, 3, 25), set()),  # the range's end is what is due
    ("Декабрь 2024 г.", date(2024, 12, 31), {(TODAY, date(2024, 12, 31))}),
    ("Декабрь 2024 г.", date(2024, 12, 24), {(WEEK, date(2024, 12, 31))}),
    ("до 1 мая 2024 г. (далее ежегодно)", date(2024, 4, 30), {(TOMORROW, date(2024, 5, 1))}),
    ("до 1 мая 2024 г. (далее ежегодно)", date(2025, 4, 30), {(TOMORROW, date(2025, 5, 1))}),
    ("до 1 мая 2024 г. (далее ежегодно)", date(2025, 2, 1), set()),
    ("ежегодно", date(2024, 12, 24), {(WEEK, date(2024, 12, 31))}),
    ("ежегодно", date(2025, 12, 31), {(TODAY, date(2025, 12, 31))}),
    ("Март, июнь, сентябрь, декабрь", date(2024, 6, 30), {(TODAY, date(2024, 6, 30))}),
    ("Март, июнь, сентябрь, декабрь", date(2025, 9, 29), {(TOMORROW, date(2025, 9, 30))}),
    ("Март, июнь, сентябрь, декабрь", date(2024, 5, 1), set()),
    ("ежеквартально", date(2025, 3, 31), {(TODAY, date(2025, 3, 31))}),
    ("ежеквартально", date(2024, 9, 24), {(WEEK, date(2024, 9, 30))}),
    ("Март 2024, июнь 2024", date(2024, 3, 30), {(TOMORROW, date(2024, 3, 31))}),
    ("Март 2024, июнь 2024", date(2024, 6, 29), {(TOMORROW, date(2024, 6, 30))}),
    ("В течение всего периода реализации ЦМН", date(2024, 6, 1), set()),
    ("по запросу", date(2024, 6, 1), set()),
    ("По отдельному графику", date(2024, 6, 1), set()),
    ("когда-нибудь потом", date(2024, 6, 1), set()),  # not understood: never a guessed date
]


def _item_dues(world, day):
    return {
        (due.kind, due.due_date) for due in reminders.item_deadlines(day) if due.recipient_id == world.curator_a1.pk
    }


@pytest.mark.parametrize(("text", "day", "expected"), CASES)
def test_items_due_on_a_day(world, text, day, expected):
    dated_item(world.roadmap_a1, text)
    assert _item_dues(world, day) == expected


def test_done_items_and_sections_are_not_reminded(world):
    dated_item(world.roadmap_a1, "до 15.03.2025", status=ItemStatus.DONE)
    assert _item_dues(world, date(2025, 3, 15)) == set()


def test_an_item_reminds_its_responsible_users_only(world):
    item = dated_item(world.roadmap_a1, "до 15.03.2025", responsible=world.mentor_a1)
    dues = list(reminders.item_deadlines(date(2025, 3, 15)))
    assert [(d.recipient_id, d.subject_key) for d in dues] == [(world.mentor_a1.pk, f"roadmaps.roadmapitem:{item.pk}")]
    assert dues[0].url == f"/roadmaps/{world.roadmap_a1.pk}/#item-{item.pk}"
    assert dues[0].title.startswith("Срок сегодня: ")


def test_without_responsible_users_the_keepers_of_the_place_are_reminded(world):
    dated_item(world.roadmap_a1, "до 15.03.2025")
    dated_item(world.roadmap_a, "до 15.03.2025")
    recipients = {due.recipient_id for due in reminders.item_deadlines(date(2025, 3, 15))}
    # The school's director, curator and coordinator; the municipal officer for the municipal roadmap.
    # Not the region above, nor the school's mentor (who cannot change items).
    assert recipients == {world.director_a1.pk, world.curator_a1.pk, world.coordinator_a1.pk, world.officer_a.pk}


def test_item_source_runs_a_fixed_number_of_queries(world, django_assert_num_queries):
    for n in range(3):
        dated_item(world.roadmap_a1, "до 15.03.2025", number=f"5.{n}")
    with django_assert_num_queries(3):
        small = list(reminders.item_deadlines(date(2025, 3, 28)))
    for n in range(12):
        dated_item(world.roadmap_b1, "ежеквартально", number=f"6.{n}", responsible=world.curator_b1)
        dated_item(world.roadmap_a2, "до 20.03.2025", number=f"7.{n}", responsible=world.mentor_a1)
    with django_assert_num_queries(3):
        large = list(reminders.item_deadlines(date(2025, 3, 28)))
    assert len(large) == len(small) + 24


def test_an_unclear_deadline_tells_the_author_once_and_is_never_dated(world):
    world.roadmap_a1.created_by = world.curator_a1
    world.roadmap_a1.save()
    item = dated_item(world.roadmap_a1, "когда-нибудь потом")
    assert item.deadline_needs_review
    notices = list(reminders.unclear_deadlines(date(2024, 6, 1)))
    assert [(n.recipient_id, n.kind) for n in notices] == [(world.curator_a1.pk, reminders.KIND_UNCLEAR)]
    assert notices[0].title.startswith("Срок не распознан")
    assert "не отправляются" in notices[0].text
    # The same notice on the next days (one reminder once recorded), a new one for a new unclear text.
    assert list(reminders.unclear_deadlines(date(2024, 6, 9))) == notices
    item.deadline_text = "потом, когда-нибудь"
    item.save()
    assert next(iter(reminders.unclear_deadlines(date(2024, 6, 9)))).subject_key != notices[0].subject_key


def test_an_unclear_deadline_without_an_author_tells_the_keepers(world):
    dated_item(world.roadmap_a1, "когда-нибудь потом")
    recipients = {n.recipient_id for n in reminders.unclear_deadlines(date(2024, 6, 1))}
    assert recipients == {world.director_a1.pk, world.curator_a1.pk, world.coordinator_a1.pk}


@pytest.mark.parametrize(
    ("waited_days", "expected"),
    [(4, set()), (5, {"officer_a"}), (30, {"officer_a"})],
)
def test_a_roadmap_waiting_for_approval_reminds_the_level_above(world, settings, waited_days, expected):
    settings.REMINDER_APPROVAL_DAYS = 5
    day = date(2024, 6, 20)
    submitted = timezone.make_aware(datetime.combine(day - timedelta(days=waited_days), datetime.min.time()))
    world.roadmap_a1.status, world.roadmap_a1.submitted_at = RoadmapStatus.SUBMITTED, submitted
    world.roadmap_a1.save()
    dues = list(reminders.approvals_waiting(day))
    by_pk = {u.pk: name for name, u in world.personas.items() if hasattr(u, "pk") and u.pk}
    assert {by_pk[d.recipient_id] for d in dues} == expected
    if dues:
        assert dues[0].due_date == submitted.date() + timedelta(days=5)


def test_a_municipal_roadmap_waiting_reminds_the_regional_coordinator(world):
    world.roadmap_a.status, world.roadmap_a.submitted_at = RoadmapStatus.SUBMITTED, timezone.now() - timedelta(days=40)
    world.roadmap_a.save()
    recipients = {d.recipient_id for d in reminders.approvals_waiting(timezone.localdate())}
    assert recipients == {world.regional_coordinator.pk}
