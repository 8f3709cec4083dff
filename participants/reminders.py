"""What participants remind about (registered with notifications' registry, found by autodiscovery).

* A pair's planned meeting, the day before and on the day, while it is not marked held: the
  school's curators and coordinators, and the pair's mentors who have a portal account.
* A questionnaire someone has not answered, on the day the curator pressed «Напомнить остальным»
  (``QuestionnaireLink.reminded_on``, set at most once a day): the participant, when they have a
  portal account. The line links to ``/q/mine/<id>/``, which opens a fresh personal link after
  log-in (the digest cannot carry the link itself: only its fingerprint is stored). People without
  an account get a new letter with a fresh link instead (``services.questionnaire_remind``).
* A consent to personal data processing that expires within ``CONSENT_NOTICE_DAYS`` days and
  is not replaced by a later one: the school's curators, once per consent.

Letters carry no names: a consent or a pair is named by its date and linked to its page,
which only those in scope can open. Each source runs a fixed number of queries.

* An active pair at stage 6 («Работа пар и групп») with no held meeting for
  ``PARTICIPANTS_NO_MEETING_WEEKS`` weeks (a setting, 4 by default): the school's curators,
  once per silence (the due date is the day it reached that length).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from mentorship import access
from mentorship.choices import Role
from notifications.registry import Due, register

from .choices import BaseRole, PairStatus
from .models import Consent, Meeting, PairMember, QuestionnaireLink

CONSENT_NOTICE_DAYS = 30
KIND_MEETING_TOMORROW = "participants_meeting_tomorrow"
KIND_MEETING_TODAY = "participants_meeting_today"
KIND_CONSENT_EXPIRING = "participants_consent_expiring"
_PLACEHOLDER = 987654321


def _url_pattern(name: str) -> str:
    return reverse(name, args=[_PLACEHOLDER]).replace(str(_PLACEHOLDER), "{}")


def _school_staff(organisations: Any, roles: list[Role]) -> dict[int, list[int]]:
    """Users holding ``roles`` at each of ``organisations`` (a queryset of ids): one query."""
    staff: dict[int, list[int]] = defaultdict(list)
    rows = (
        access.holders(roles=roles)
        .filter(organisation__in=organisations, user__is_active=True)
        .values_list("organisation_id", "user_id")
    )
    for organisation_id, user_id in rows.order_by():
        staff[organisation_id].append(user_id)
    return staff


@register("participants_meetings", "Встречи наставнических пар (накануне и в день встречи)", order=40)
def meetings_planned(day: date) -> Iterator[Due]:
    """Meetings planned for ``day`` or the day after and not held yet; three queries."""
    meetings = Meeting.objects.filter(
        planned_on__range=(day, day + timedelta(days=1)),
        held_on__isnull=True,
        pair__status__in=[PairStatus.FORMING, PairStatus.ACTIVE],
    )
    rows = list(
        meetings.values(
            "pk", "planned_on", "kind", "topic", "pair_id", "pair__title", "pair__organisation_id"
        ).order_by()
    )
    if not rows:
        return
    staff = _school_staff(meetings.values("pair__organisation_id"), [Role.CURATOR, Role.COORDINATOR])
    mentors: dict[int, list[int]] = defaultdict(list)
    for pair_id, user_id in (
        PairMember.objects.filter(
            pair__in=meetings.values("pair_id"),
            role=BaseRole.MENTOR,
            left_on__isnull=True,
            person__user__isnull=False,
            person__user__is_active=True,
        )
        .values_list("pair_id", "person__user_id")
        .order_by()
    ):
        mentors[pair_id].append(user_id)
    labels = dict(Meeting._meta.get_field("kind").choices)
    pair_url = _url_pattern("participants:pair")
    for row in rows:
        today = row["planned_on"] == day
        when = "сегодня" if today else "завтра"
        name = row["pair__title"] or f"пара № {row['pair_id']}"
        topic = f" «{row['topic']}»" if row["topic"] else ""
        recipients = dict.fromkeys(staff.get(row["pair__organisation_id"], []) + mentors.get(row["pair_id"], []))
        for user_id in recipients:
            yield Due(
                recipient_id=user_id,
                kind=KIND_MEETING_TODAY if today else KIND_MEETING_TOMORROW,
                subject_key=f"participants.meeting:{row['pk']}",
                title=f"Встреча {when}: {name}",
                url=pair_url.format(row["pair_id"]),
                due_date=row["planned_on"],
                text=f"{labels.get(row['kind'], 'Встреча')}{topic}, {row['planned_on']:%d.%m.%Y}. "
                "После встречи отметьте её проведённой.",
            )


@register("participants_consents", "Истекающие согласия на обработку персональных данных", order=50)
def consents_expiring(day: date) -> Iterator[Due]:
    """Consents ending within ``CONSENT_NOTICE_DAYS`` days, not withdrawn, not replaced; two queries."""
    replaced = Consent.objects.filter(person_id=OuterRef("person_id"), withdrawn_on__isnull=True).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gt=OuterRef("valid_until"))
    )
    consents = Consent.objects.filter(
        valid_until__range=(day, day + timedelta(days=CONSENT_NOTICE_DAYS)),
        withdrawn_on__isnull=True,
        person__anonymised_at__isnull=True,
    ).exclude(Exists(replaced))
    rows = list(consents.values("pk", "valid_until", "person_id", "organisation_id").order_by())
    if not rows:
        return
    curators = _school_staff(consents.values("organisation_id"), [Role.CURATOR])
    person_url = _url_pattern("participants:person")
    for row in rows:
        for user_id in curators.get(row["organisation_id"], []):
            yield Due(
                recipient_id=user_id,
                kind=KIND_CONSENT_EXPIRING,
                subject_key=f"participants.consent:{row['pk']}",
                title=f"Истекает согласие на обработку персональных данных: действует до {row['valid_until']:%d.%m.%Y}",
                url=person_url.format(row["person_id"]),
                due_date=row["valid_until"],
                text="Получите новое согласие до этой даты: без действующего согласия участника нельзя "
                "включать в пары. Карточка участника — по ссылке.",
            )


KIND_NO_MEETING = "participants_no_meeting"


def no_meeting_weeks() -> int:
    """After how many weeks without a held meeting the curator is told (setting ``PARTICIPANTS_NO_MEETING_WEEKS``)."""
    from django.conf import settings

    return int(getattr(settings, "PARTICIPANTS_NO_MEETING_WEEKS", 4))


@register("participants_no_meeting", "Пары без встреч несколько недель", order=45)
def pairs_without_meetings(day: date) -> Iterator[Due]:
    """Active pairs at stage 6 whose last held meeting (or start, if none) is ``N`` weeks old or older; two queries."""
    from django.db.models import F, Max
    from django.db.models.functions import Coalesce

    from .choices import Stage
    from .models import Pair

    weeks = no_meeting_weeks()
    since = day - timedelta(weeks=weeks)
    pairs = (
        Pair.objects.filter(status=PairStatus.ACTIVE, stage=Stage.WORK)
        .annotate(last_held=Coalesce(Max("meetings__held_on"), F("started_on")))
        .filter(last_held__lte=since)
    )
    rows = list(pairs.values("pk", "title", "organisation_id", "last_held").order_by())
    if not rows:
        return
    curators = _school_staff(
        Pair.objects.filter(pk__in=[row["pk"] for row in rows]).values("organisation_id"), [Role.CURATOR]
    )
    pair_url = _url_pattern("participants:pair")
    for row in rows:
        name = row["title"] or f"пара № {row['pk']}"
        for user_id in curators.get(row["organisation_id"], []):
            yield Due(
                recipient_id=user_id,
                kind=KIND_NO_MEETING,
                subject_key=f"participants.pair:{row['pk']}",
                title=f"Нет встреч {weeks} нед. и дольше: {name}",
                url=pair_url.format(row["pk"]) + "#meetings",
                due_date=row["last_held"] + timedelta(weeks=weeks),
                text=f"Последняя проведённая встреча (или начало работы) — {row['last_held']:%d.%m.%Y}. "
                "Узнайте у наставника, всё ли в порядке, и запланируйте встречу.",
            )


KIND_QUESTIONNAIRE_UNANSWERED = "participants_questionnaire_unanswered"


@register("participants_questionnaires", "Анкеты, которые нужно заполнить", order=46)
def questionnaires_unanswered(day: date) -> Iterator[Due]:
    """Links reminded about on ``day``, still unanswered and open, of people with an account; one query."""
    rows = (
        QuestionnaireLink.objects.filter(
            reminded_on=day,
            answered_at__isnull=True,
            expires_at__date__gte=day,
            person__user__isnull=False,
            person__user__is_active=True,
        )
        .values("pk", "person__user_id", "questionnaire__title", "expires_at")
        .order_by()
    )
    link_url = _url_pattern("questionnaire_mine")
    for row in rows:
        yield Due(
            recipient_id=row["person__user_id"],
            kind=KIND_QUESTIONNAIRE_UNANSWERED,
            subject_key=f"participants.questionnairelink:{row['pk']}",
            title=f"Заполните анкету «{row['questionnaire__title']}»",
            url=link_url.format(row["pk"]),
            due_date=day,
            text=f"Анкету можно заполнить до {timezone.localtime(row['expires_at']):%d.%m.%Y}. "
            "Это займёт несколько минут.",
        )
