"""A mentor logs a meeting from «Моя пара», a mentee rates it, the curator sees and corrects it (issue 16, point 8).

Every write goes through the services the curator's forms use (``meeting_log``, ``meeting_record``),
with the same rules; a mentor may act only on a pair they lead now, a mentee only rate.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from mentorship.errors import DomainError
from mentorship.tests.matrix import token
from mentorship.tests.worlds import world_for_module
from participants import services
from participants.choices import MeetingKind, PairStatus
from participants.models import Meeting, Pair, PlanTask

from .my_world import build_my_world

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _module_world(_pinned_clock: None, django_db_setup: None, django_db_blocker: Any) -> Iterator[Any]:
    yield from world_for_module(django_db_blocker, build_my_world)


def url(name: str, obj: Any) -> str:
    return reverse(f"participants:{name}", args=[obj.pk])


def log(client: Any, pair: Pair, **data: Any) -> Any:
    fields = {"kind": MeetingKind.REGULAR, "held_on": "2026-11-20", "duration_minutes": "45", "notes": ""}
    return client.post(url("my_meeting_log", pair), {**fields, **data, "_submission": token()})


def test_a_mentor_logs_a_held_meeting_with_its_duration_note_and_rating(world, client_as):
    response = log(client_as(world.mentor_a1), world.pair, notes="Разобрали ошибки контрольной.", mentor_rating="8")
    assert response.status_code == 302
    assert response["Location"] == reverse("participants:my_pair", args=[world.pair.pk]) + "#meetings"
    meeting = Meeting.objects.get(pair=world.pair, held_on=date(2026, 11, 20))
    assert (meeting.kind, meeting.planned_on, meeting.duration_minutes) == (MeetingKind.REGULAR, date(2026, 11, 20), 45)
    assert (meeting.notes, meeting.mentor_rating, meeting.recorded_by) == (
        "Разобрали ошибки контрольной.",
        8,
        world.mentor_a1,
    )


def test_the_log_form_offers_the_five_meetings_of_stage_6_and_big_rating_buttons(world, client_as):
    page = client_as(world.mentor_a1).get(url("my_meeting_log", world.pair)).content.decode()
    for label in MeetingKind.labels:
        assert label in page
    assert page.count('class="btn-check"') == len(MeetingKind) + 11


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"mentor_rating": "11"}, "Выберите корректный вариант"),
        ({"held_on": "2026-11-30"}, "Дата встречи 30.11.2026 ещё не наступила."),
        ({"duration_minutes": "2"}, "Продолжительность — от 5 до 600 минут."),
        ({"held_on": "2026-09-01"}, "Встреча не может быть раньше начала работы пары (01.10.2026)."),
        ({"kind": MeetingKind.INTRO}, "Встреча-знакомство у пары уже есть (05.10.2026)."),
    ],
)
def test_bad_input_is_refused_in_russian_and_nothing_is_written(world, client_as, data, message):
    before = Meeting.objects.count()
    response = log(client_as(world.mentor_a1), world.pair, **data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Meeting.objects.count() == before


def test_posting_the_log_form_twice_writes_one_meeting(world, client_as):
    client = client_as(world.mentor_a1)
    data = {"kind": MeetingKind.REGULAR, "held_on": "2026-11-20", "_submission": token()}
    client.post(url("my_meeting_log", world.pair), data)
    client.post(url("my_meeting_log", world.pair), data)
    assert Meeting.objects.filter(pair=world.pair, held_on=date(2026, 11, 20)).count() == 1


def test_a_mentor_marks_a_planned_meeting_held(world, client_as):
    world.regular.planned_on = date(2026, 11, 16)
    world.regular.save()
    response = client_as(world.mentor_a1).post(
        url("my_meeting_held", world.regular),
        {"held_on": "2026-11-17", "duration_minutes": "60", "mentor_rating": "9", "_submission": token()},
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get(pk=world.regular.pk)
    assert (meeting.held_on, meeting.duration_minutes, meeting.mentor_rating) == (date(2026, 11, 17), 60, 9)
    assert meeting.recorded_by == world.mentor_a1


def test_the_services_refuse_a_mentor_on_another_mentors_pair(world):
    with pytest.raises(PermissionDenied):
        services.meeting_log(
            actor=world.mentor_a1,
            pair=world.other_pair,
            data={"kind": MeetingKind.TRIAL, "held_on": date(2026, 11, 20)},
        )
    assert not Meeting.objects.filter(pair=world.other_pair, kind=MeetingKind.TRIAL).exists()


@pytest.mark.parametrize("persona", ["mentee", "parent"])
def test_the_services_refuse_a_mentee_or_a_parent_who_logs_a_meeting(world, persona):
    with pytest.raises(PermissionDenied):
        services.meeting_log(
            actor=world.persona(persona),
            pair=world.pair,
            data={"kind": MeetingKind.TRIAL, "held_on": date(2026, 11, 20)},
        )
    with pytest.raises(PermissionDenied):
        services.meeting_record(
            actor=world.persona(persona), meeting=world.regular, data={"held_on": date(2026, 11, 20)}
        )


def test_a_mentor_who_left_the_pair_can_no_longer_log(world):
    world.pair.members.filter(person=world.mentor_a1_person).update(left_on=date(2026, 11, 10))
    with pytest.raises(PermissionDenied):
        services.meeting_log(
            actor=world.mentor_a1, pair=world.pair, data={"kind": MeetingKind.TRIAL, "held_on": date(2026, 11, 20)}
        )


def test_a_finished_pair_takes_no_more_meetings_from_its_mentor(world):
    Pair.objects.filter(pk=world.pair.pk).update(status=PairStatus.COMPLETED)
    with pytest.raises(DomainError, match="её работа окончена"):
        services.meeting_log(
            actor=world.mentor_a1, pair=world.pair, data={"kind": MeetingKind.TRIAL, "held_on": date(2026, 11, 20)}
        )


def test_a_mentor_cannot_set_the_number_of_planned_meetings_of_the_pair(world):
    with pytest.raises(PermissionDenied):
        services.meeting_log(
            actor=world.mentor_a1,
            pair=world.pair,
            data={"kind": MeetingKind.PLANNING, "held_on": date(2026, 11, 20), "planned_meetings": 12},
        )
    assert Pair.objects.get(pk=world.pair.pk).planned_meetings is None


# --- the mentee's rating --------------------------------------------------------------------------------------


def test_a_mentee_adds_their_rating_and_comment_to_a_held_meeting(world, client_as):
    response = client_as(world.mentee).post(
        url("my_meeting_rate", world.intro),
        {"mentee_rating": "10", "mentee_feedback": "Было интересно", "_submission": token()},
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get(pk=world.intro.pk)
    assert (meeting.mentee_rating, meeting.mentee_feedback) == (10, "Было интересно")
    assert meeting.notes == "Познакомились, обсудили цели."


def test_a_planned_meeting_cannot_be_rated_yet(world):
    with pytest.raises(DomainError, match=r"Оценить можно только проведённую встречу\."):
        services.meeting_rate(actor=world.mentee, meeting=world.regular, data={"mentee_rating": 7})


def test_an_empty_rating_is_refused(world, client_as):
    response = client_as(world.mentee).post(url("my_meeting_rate", world.intro), {"_submission": token()})
    assert "Поставьте оценку или напишите отзыв." in response.content.decode()
    assert Meeting.objects.get(pk=world.intro.pk).mentee_rating is None


@pytest.mark.parametrize("persona", ["mentor_a1", "parent", "mentor_other"])
def test_only_the_pairs_mentee_rates_for_the_mentee(world, persona):
    with pytest.raises(PermissionDenied):
        services.meeting_rate(actor=world.persona(persona), meeting=world.intro, data={"mentee_rating": 3})
    assert Meeting.objects.get(pk=world.intro.pk).mentee_rating is None


# --- the curator's view -----------------------------------------------------------------------------------


def test_the_curator_sees_who_logged_the_meeting_on_the_pair_page_and_corrects_it(world, client_as):
    log(client_as(world.mentor_a1), world.pair, notes="Разобрали ошибки контрольной.", duration_minutes="50")
    meeting = Meeting.objects.get(pair=world.pair, held_on=date(2026, 11, 20))
    curator = client_as(world.curator_a1)
    page = curator.get(url("pair", world.pair)).content.decode()
    assert f"записал(а): {world.mentor_a1.get_full_name()}" in page
    assert "50 мин" in page
    form = curator.get(url("meeting_record", meeting)).content.decode()
    assert "Разобрали ошибки контрольной." in form
    response = curator.post(
        url("meeting_record", meeting),
        {
            "held_on": "2026-11-19",
            "notes": "Разобрали ошибки контрольной.",
            "duration_minutes": "55",
            "_submission": token(),
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.held_on, meeting.duration_minutes, meeting.recorded_by) == (date(2026, 11, 19), 55, world.mentor_a1)
    assert meeting.history.first().history_user == world.curator_a1


# --- ticking the plan's tasks (point 9) -------------------------------------------------------------------------


def test_a_mentor_ticks_a_task_done_and_can_take_the_tick_back(world, client_as):
    client = client_as(world.mentor_a1)
    client.post(url("my_task_done", world.task), {"_submission": token()})
    assert PlanTask.objects.get(pk=world.task.pk).done_on == date(2026, 11, 23)
    client.post(url("my_task_done", world.task), {"_submission": token()})
    assert PlanTask.objects.get(pk=world.task.pk).done_on is None


def test_a_mentor_ticks_but_does_not_rewrite_the_task(world):
    services.plan_task_update(actor=world.mentor_a1, task=world.task, data={"done_on": date(2026, 11, 20)})
    with pytest.raises(PermissionDenied):
        services.plan_task_update(actor=world.mentor_a1, task=world.task, data={"title": "Другая задача"})
    assert PlanTask.objects.get(pk=world.task.pk).title == "Решить 20 задач из сборника"


def test_another_mentor_cannot_tick_this_pairs_task(world):
    with pytest.raises(PermissionDenied):
        services.plan_task_update(actor=world.mentor_other, task=world.task, data={"done_on": date(2026, 11, 20)})


def test_the_mentor_cannot_write_the_mentees_rating_even_through_the_curators_form(world, client_as):
    with pytest.raises(PermissionDenied):
        services.meeting_record(
            actor=world.mentor_a1, meeting=world.intro, data={"held_on": date(2026, 10, 5), "mentee_rating": 10}
        )
    response = client_as(world.mentor_a1).post(
        url("meeting_record", world.intro),
        {"held_on": "2026-10-05", "mentee_rating": "10", "mentee_feedback": "Отлично", "_submission": token()},
    )
    assert response.status_code == 200
    assert Meeting.objects.get(pk=world.intro.pk).mentee_rating is None


def test_the_curator_may_correct_the_mentees_rating(world):
    services.meeting_record(
        actor=world.curator_a1, meeting=world.intro, data={"held_on": date(2026, 10, 5), "mentee_rating": 7}
    )
    assert Meeting.objects.get(pk=world.intro.pk).mentee_rating == 7
