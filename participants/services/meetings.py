"""Meetings of a pair, planned and held, with both sides' feedback."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Q

from mentorship import access
from mentorship.errors import DomainError
from mentorship.services import object_create, object_update
from mentorship.workflow import actor_user
from participants.choices import MeetingKind
from participants.models import Meeting, Pair

from .common import _check_fields, _d, _ensure_not_future
from .pairs import _ensure_open, _lock_pair

MEETING_PLAN_FIELDS = frozenset({"kind", "planned_on", "topic", "notes", "planned_meetings"})


MEETING_RECORD_FIELDS = frozenset(
    {
        "held_on",
        "topic",
        "notes",
        "mentor_feedback",
        "mentee_feedback",
        "mentor_rating",
        "mentee_rating",
        "duration_minutes",
        "planned_meetings",
    }
)

#: what a pair's mentee writes about a held meeting (``meeting_rate``)
MEETING_RATE_FIELDS = frozenset({"mentee_rating", "mentee_feedback"})


def _meeting_day(meeting: Meeting) -> date:
    return meeting.held_on or meeting.planned_on


def _check_meeting_order(pair: Pair, meeting: Meeting) -> None:
    """The introductory meeting comes first and once; there is one final meeting."""
    others = pair.meetings.exclude(pk=meeting.pk)
    day = _meeting_day(meeting)
    if day < pair.started_on:
        raise DomainError(
            f"Встреча не может быть раньше начала работы пары ({_d(pair.started_on)}).",
            field="held_on" if meeting.held_on else "planned_on",
        )
    intro = others.filter(kind=MeetingKind.INTRO).first()
    if meeting.kind == MeetingKind.INTRO:
        if intro is not None:
            raise DomainError(f"Встреча-знакомство у пары уже есть ({_d(_meeting_day(intro))}).")
        if earlier := others.filter(Q(held_on__lt=day) | Q(held_on__isnull=True, planned_on__lt=day)).first():
            raise DomainError(
                f"Встреча-знакомство — первая встреча пары, а «{earlier.get_kind_display()}» уже назначена раньше."
            )
        return
    if intro is None:
        raise DomainError(f"Сначала запланируйте встречу-знакомство: «{meeting.get_kind_display()}» идёт после неё.")
    if day < _meeting_day(intro):
        raise DomainError(
            f"«{meeting.get_kind_display()}» не может быть раньше встречи-знакомства ({_d(_meeting_day(intro))})."
        )
    if meeting.held_on is not None and intro.held_on is None:
        raise DomainError("Сначала отметьте проведённой встречу-знакомство.")
    if meeting.kind == MeetingKind.FINAL and others.filter(kind=MeetingKind.FINAL).exists():
        raise DomainError("Итоговая встреча у пары уже есть.")


def _set_planned_meetings(pair: Pair, meeting: Meeting, planned: Any, actor: Any) -> None:
    if planned in (None, ""):
        return
    if meeting.kind != MeetingKind.PLANNING:
        raise DomainError("Число встреч устанавливается на встрече-планировании.", field="planned_meetings")
    try:
        number = int(planned)
    except (TypeError, ValueError):
        number = 0
    if not 1 <= number <= 100:
        raise DomainError("Число запланированных встреч — от 1 до 100.", field="planned_meetings")
    object_update(actor=actor, obj=pair, data={"planned_meetings": number})


def _check_ratings(meeting: Meeting) -> None:
    for field in ("mentor_rating", "mentee_rating"):
        value = getattr(meeting, field)
        if value in (None, ""):
            setattr(meeting, field, None)
            continue
        if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).isdigit():
            raise DomainError("Оценка — целое число от 1 до 10.", field=field)
        if not 1 <= int(value) <= 10:
            raise DomainError("Оценка — целое число от 1 до 10.", field=field)
        setattr(meeting, field, int(value))


def _check_duration(meeting: Meeting) -> None:
    value = meeting.duration_minutes
    if value in (None, ""):
        meeting.duration_minutes = None
        return
    if isinstance(value, bool) or not str(value).isdigit() or not 5 <= int(value) <= 600:
        raise DomainError("Продолжительность — от 5 до 600 минут.", field="duration_minutes")
    meeting.duration_minutes = int(value)


@transaction.atomic
def meeting_plan(*, actor: Any, pair: Pair, data: dict[str, Any]) -> Meeting:
    """Plan a meeting of an open pair: kind, date, topic (and, at the planning meeting, the number of meetings)."""
    _check_fields(data, MEETING_PLAN_FIELDS)
    # "lead": the school's staff, and the pair's own mentor (participants/roles.py).
    pair = _lock_pair(actor, pair, "lead")
    _ensure_open(pair)
    fields = dict(data)
    planned = fields.pop("planned_meetings", None)
    meeting = Meeting(pair=pair, **fields)
    if meeting.planned_on is None:
        raise DomainError("Укажите дату встречи.", field="planned_on")
    _check_meeting_order(pair, meeting)
    _set_planned_meetings(pair, meeting, planned, actor)
    return object_create(
        actor=actor, model=Meeting, data={"pair": pair, **{k: v for k, v in fields.items() if k != "pair"}}
    )


@transaction.atomic
def meeting_record(*, actor: Any, meeting: Meeting, data: dict[str, Any]) -> Meeting:
    """Record that a planned meeting was held: the date, notes, both sides' feedback and ratings (1–10).

    The school's staff and the pair's own mentor may (``change`` of the meeting, ``lead`` of the
    pair); the first to record it held is kept as ``recorded_by``, a correction keeps them.
    """
    _check_fields(data, MEETING_RECORD_FIELDS)
    access.ensure_can(actor, meeting, "change")
    pair = _lock_pair(actor, meeting.pair, "lead")
    _ensure_open(pair)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    fields = dict(data)
    planned = fields.pop("planned_meetings", None)
    mentees_word = {field: getattr(meeting, field) for field in MEETING_RATE_FIELDS}
    for field, value in fields.items():
        setattr(meeting, field, value)
    if meeting.held_on is None:
        raise DomainError("Укажите дату, когда встреча прошла.", field="held_on")
    _ensure_not_future(meeting.held_on, "Дата встречи", "held_on")
    _check_ratings(meeting)
    if any(getattr(meeting, field) != value for field, value in mentees_word.items()):
        # The mentee's rating and comment are theirs (or the school staff's to correct), not the mentor's.
        access.ensure_can(actor, meeting, "rate")
    _check_duration(meeting)
    _check_meeting_order(pair, meeting)
    _set_planned_meetings(pair, meeting, planned, actor)
    if meeting.recorded_by_id is None:
        meeting.recorded_by = actor_user(actor)
    return object_update(actor=actor, obj=meeting, data={})


@transaction.atomic
def meeting_log(*, actor: Any, pair: Pair, data: dict[str, Any]) -> Meeting:
    """Plan and hold a meeting in one step (the date it was held is also its planned date)."""
    _check_fields(data, (MEETING_PLAN_FIELDS | MEETING_RECORD_FIELDS) - {"planned_on"})
    held_on = data.get("held_on")
    if held_on is None:
        raise DomainError("Укажите дату, когда встреча прошла.", field="held_on")
    _ensure_not_future(held_on, "Дата встречи", "held_on")
    plan_data = {key: value for key, value in data.items() if key in {"kind", "topic"}}
    meeting = meeting_plan(actor=actor, pair=pair, data={**plan_data, "planned_on": held_on})
    record_data = {key: value for key, value in data.items() if key in MEETING_RECORD_FIELDS}
    return meeting_record(actor=actor, meeting=meeting, data=record_data)


@transaction.atomic
def meeting_rate(*, actor: Any, meeting: Meeting, data: dict[str, Any]) -> Meeting:
    """The mentee's own rating (1–10) and comment on a held meeting of their pair («rate»)."""
    _check_fields(data, MEETING_RATE_FIELDS)
    access.ensure_can(actor, meeting, "rate")
    pair = _lock_pair(actor, meeting.pair, "view")
    _ensure_open(pair)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.held_on is None:
        raise DomainError("Оценить можно только проведённую встречу.")
    meeting.mentee_rating = data.get("mentee_rating")
    meeting.mentee_feedback = (data.get("mentee_feedback") or "").strip()
    _check_ratings(meeting)
    if meeting.mentee_rating is None and not meeting.mentee_feedback:
        raise DomainError("Поставьте оценку или напишите отзыв.", field="mentee_rating")
    meeting.full_clean()
    meeting.save()
    return meeting
