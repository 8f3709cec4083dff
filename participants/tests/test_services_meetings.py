"""A pair's work: the meeting log (the introductory meeting first, ratings 1–10) and development plans."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from mentorship.errors import DomainError
from mentorship.tests.factories import World
from participants import services
from participants.choices import MeetingKind
from participants.models import DevelopmentPlan, Meeting, Pair

from .factories import PAIR_STARTED_ON, PairFactory


@pytest.fixture
def pair(world: World) -> Pair:
    return PairFactory(
        programme=world.programme_a1,
        mentors=[world.mentor_a1_person],
        mentees=[world.mentee_a1_person],
        started_on=PAIR_STARTED_ON,
    )


def log(world: World, pair: Pair, **data) -> Meeting:
    return services.meeting_log(actor=world.curator_a1, pair=pair, data={"kind": MeetingKind.INTRO} | data)


def test_curator_logs_the_first_meeting_with_feedback(world: World, pair: Pair) -> None:
    meeting = log(
        world,
        pair,
        held_on=date(2026, 10, 5),
        topic="Знакомство",
        notes="Обсудили цели",
        mentor_feedback="Мотивирован",
        mentee_feedback="Интересно",
        mentor_rating=9,
        mentee_rating="8",
    )
    assert (meeting.planned_on, meeting.held_on) == (date(2026, 10, 5), date(2026, 10, 5))
    assert (meeting.mentor_rating, meeting.mentee_rating) == (9, 8)


def test_a_regular_meeting_before_the_introduction_is_refused(world: World, pair: Pair) -> None:
    with pytest.raises(DomainError, match="Сначала запланируйте встречу-знакомство"):
        log(world, pair, kind=MeetingKind.REGULAR, held_on=date(2026, 10, 5))
    log(world, pair, held_on=date(2026, 10, 10))
    with pytest.raises(DomainError, match=r"не может быть раньше встречи-знакомства \(10.10.2026\)"):
        log(world, pair, kind=MeetingKind.REGULAR, held_on=date(2026, 10, 6))
    assert log(world, pair, kind=MeetingKind.REGULAR, held_on=date(2026, 10, 17)).kind == MeetingKind.REGULAR
    assert pair.meetings.count() == 2


def test_there_is_one_introduction_and_one_final_meeting(world: World, pair: Pair) -> None:
    log(world, pair, held_on=date(2026, 10, 5))
    with pytest.raises(DomainError, match="Встреча-знакомство у пары уже есть"):
        log(world, pair, held_on=date(2026, 10, 12))
    log(world, pair, kind=MeetingKind.FINAL, held_on=date(2026, 11, 20))
    with pytest.raises(DomainError, match="Итоговая встреча у пары уже есть"):
        log(world, pair, kind=MeetingKind.FINAL, held_on=date(2026, 11, 21))


def test_a_held_meeting_is_not_in_the_future_nor_before_the_pair(world: World, pair: Pair) -> None:
    with pytest.raises(DomainError, match=r"Дата встречи 24\.11\.2026 ещё не наступила"):
        log(world, pair, held_on=date(2026, 11, 24))
    with pytest.raises(DomainError, match="раньше начала работы пары"):
        log(world, pair, held_on=date(2026, 9, 20))
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("rating", [0, 11, "десять", 7.5, True])
def test_ratings_are_whole_numbers_from_one_to_ten(world: World, pair: Pair, rating: object) -> None:
    with pytest.raises(DomainError, match="целое число от 1 до 10"):
        log(world, pair, held_on=date(2026, 10, 5), mentee_rating=rating)
    assert not Meeting.objects.exists()


def test_a_planned_meeting_is_recorded_later(world: World, pair: Pair) -> None:
    intro = services.meeting_plan(
        actor=world.curator_a1, pair=pair, data={"kind": MeetingKind.INTRO, "planned_on": date(2026, 11, 10)}
    )
    assert intro.held_on is None
    with pytest.raises(DomainError, match="Сначала отметьте проведённой встречу-знакомство"):
        log(world, pair, kind=MeetingKind.TRIAL, held_on=date(2026, 11, 20))
    intro = services.meeting_record(
        actor=world.curator_a1, meeting=intro, data={"held_on": date(2026, 11, 12), "notes": "Перенесли на четверг"}
    )
    assert intro.held_on == date(2026, 11, 12)
    assert log(world, pair, kind=MeetingKind.TRIAL, held_on=date(2026, 11, 20)).kind == MeetingKind.TRIAL
    with pytest.raises(DomainError, match="Укажите дату"):
        services.meeting_record(actor=world.curator_a1, meeting=intro, data={"held_on": None})


def test_the_planning_meeting_sets_the_number_of_meetings(world: World, pair: Pair) -> None:
    log(world, pair, held_on=date(2026, 10, 5))
    with pytest.raises(DomainError, match="на встрече-планировании"):
        log(world, pair, kind=MeetingKind.REGULAR, held_on=date(2026, 10, 8), planned_meetings=10)
    with pytest.raises(DomainError, match="от 1 до 100"):
        log(world, pair, kind=MeetingKind.PLANNING, held_on=date(2026, 10, 9), planned_meetings=0)
    log(world, pair, kind=MeetingKind.PLANNING, held_on=date(2026, 10, 9), planned_meetings="12")
    pair.refresh_from_db()
    assert pair.planned_meetings == 12


def test_meetings_of_a_finished_pair_are_closed(world: World, pair: Pair) -> None:
    services.pair_terminate(actor=world.curator_a1, pair=pair, ended_on=date(2026, 10, 3), reason="Болезнь")
    with pytest.raises(DomainError, match="уже прекращена"):
        log(world, pair, held_on=date(2026, 10, 5))


def test_only_the_schools_staff_log_meetings(world: World, pair: Pair) -> None:
    for persona in ("curator_b1", "officer_a", "mentor_a1", "outsider"):
        with pytest.raises(PermissionDenied):
            services.meeting_log(
                actor=world.persona(persona), pair=pair, data={"kind": MeetingKind.INTRO, "held_on": date(2026, 10, 5)}
            )
    assert not Meeting.objects.exists()


# --- development plans ------------------------------------------------------------------------


def test_a_mentee_gets_a_development_plan_with_tasks(world: World, pair: Pair) -> None:
    plan = services.plan_save(actor=world.curator_a1, pair=pair, mentee=world.mentee_a1_person, goals="Оценка «4»")
    again = services.plan_save(actor=world.curator_a1, pair=pair, mentee=world.mentee_a1_person, goals="Оценка «5»")
    assert again.pk == plan.pk
    assert DevelopmentPlan.objects.get().goals == "Оценка «5»"
    task = services.plan_task_add(
        actor=world.curator_a1, plan=plan, data={"title": "Решить 20 задач", "deadline": date(2026, 12, 20)}
    )
    task = services.plan_task_update(
        actor=world.curator_a1, task=task, data={"done_on": date(2026, 11, 20), "result": "Решено"}
    )
    assert (task.done_on, task.result) == (date(2026, 11, 20), "Решено")


def test_plans_are_for_the_pairs_mentees(world: World, pair: Pair) -> None:
    with pytest.raises(DomainError, match="для наставляемого этой пары"):
        services.plan_save(actor=world.curator_a1, pair=pair, mentee=world.mentor_a1_person, goals="Цели")
    with pytest.raises(DomainError, match="Опишите цели"):
        services.plan_save(actor=world.curator_a1, pair=pair, mentee=world.mentee_a1_person, goals=" ")
    with pytest.raises(PermissionDenied):
        services.plan_save(actor=world.officer_a, pair=pair, mentee=world.mentee_a1_person, goals="Цели")


def test_task_dates_are_checked(world: World, pair: Pair) -> None:
    plan = services.plan_save(actor=world.curator_a1, pair=pair, mentee=world.mentee_a1_person, goals="Цели")
    with pytest.raises(DomainError, match="Укажите срок"):
        services.plan_task_add(actor=world.curator_a1, plan=plan, data={"title": "Задача"})
    with pytest.raises(DomainError, match="раньше начала работы пары"):
        services.plan_task_add(
            actor=world.curator_a1, plan=plan, data={"title": "Задача", "deadline": date(2026, 9, 1)}
        )
    with pytest.raises(DomainError, match="ещё не наступила"):
        services.plan_task_add(
            actor=world.curator_a1,
            plan=plan,
            data={"title": "Задача", "deadline": date(2026, 12, 1), "done_on": date(2026, 12, 1)},
        )
    assert not plan.tasks.exists()
