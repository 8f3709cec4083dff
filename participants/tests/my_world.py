"""The world of «Моя пара»: participants with accounts at school A1, beside the staff personas.

On top of the participants' world (``factories.build_participants_world``):

* ``pair``: an active pair at stage 6 of «Шаг к успеху», the mentor persona ``mentor_a1`` (Петрова)
  leading the minor mentee Сидоров, whose account is the persona ``mentee``; the introductory
  meeting held on 05.10.2026, a regular one planned for 30.11.2026; Сидоров's plan with one task;
* ``parent``: Сидоров's mother, an account linked to him under the consent she signed;
* ``other_pair``: another pair of the same school, led by ``mentor_other`` (Гарипова), with the
  mentee Кузнецова; ``parent_withdrawn`` is Кузнецова's parent, whose consent was withdrawn.
"""

from __future__ import annotations

from datetime import date

from mentorship.tests.factories import PERSONAS, UserFactory, World
from participants.choices import BaseRole, MeetingKind, PairStatus, Stage
from participants.models import Consent, Guardianship

from .factories import (
    ConsentFactory,
    DevelopmentPlanFactory,
    MeetingFactory,
    PairFactory,
    PlanTaskFactory,
    build_participants_world,
    enrolled,
)

#: the participants' personas, added to the staff's (``mentorship.tests.factories.PERSONAS``)
PARTICIPANTS = ("mentee", "parent", "parent_withdrawn", "mentor_other")
MY_PERSONAS = (*PERSONAS, *PARTICIPANTS)


def build_my_world() -> World:
    world = build_participants_world()
    o, p = world.objects, world.personas
    mentor, mentee = o["mentor_a1_person"], o["mentee_a1_person"]
    mentor.user = p["mentor_a1"]
    mentor.save()
    p["mentee"] = UserFactory(username="mentee_sidorov", last_name="Сидоров", first_name="Илья", patronymic="")
    mentee.user = p["mentee"]
    mentee.save()
    o["pair"] = PairFactory(
        programme=o["programme_a1"],
        mentors=[mentor],
        mentees=[mentee],
        stage=Stage.WORK,
        status=PairStatus.ACTIVE,
        title="Пара «Алгебра»",
    )
    o["intro"] = MeetingFactory(pair=o["pair"], kind=MeetingKind.INTRO, planned_on=date(2026, 10, 5))
    o["intro"].held_on = date(2026, 10, 5)
    o["intro"].notes = "Познакомились, обсудили цели."
    o["intro"].save()
    o["regular"] = MeetingFactory(
        pair=o["pair"], kind=MeetingKind.REGULAR, planned_on=date(2026, 11, 30), topic="Квадратные уравнения"
    )
    o["plan"] = DevelopmentPlanFactory(pair=o["pair"], mentee=mentee)
    o["task"] = PlanTaskFactory(plan=o["plan"], title="Решить 20 задач из сборника")
    p["parent"] = UserFactory(username="parent_sidorova", last_name="Сидорова", first_name="Ольга")
    o["guardianship"] = Guardianship.objects.create(
        user=p["parent"], person=mentee, consent=Consent.objects.get(person=mentee)
    )

    other_mentor = enrolled(BaseRole.MENTOR, organisation=o["organisation_a1"], surname="Гарипова", name="Лилия")
    p["mentor_other"] = UserFactory(username="mentor_garipova", last_name="Гарипова", first_name="Лилия")
    other_mentor.user = p["mentor_other"]
    other_mentor.save()
    second = o["mentee_a1_second"]
    o["other_pair"] = PairFactory(
        programme=o["programme_a1"],
        mentors=[other_mentor],
        mentees=[second],
        stage=Stage.WORK,
        status=PairStatus.ACTIVE,
        title="Пара «Физика»",
    )
    o["other_meeting"] = MeetingFactory(pair=o["other_pair"], kind=MeetingKind.INTRO, planned_on=date(2026, 11, 30))
    p["parent_withdrawn"] = UserFactory(username="parent_kuznetsova", last_name="Кузнецова", first_name="Анна")
    withdrawn = ConsentFactory(person=second, withdrawn_on=date(2026, 11, 1))
    Guardianship.objects.create(user=p["parent_withdrawn"], person=second, consent=withdrawn)
    return world
