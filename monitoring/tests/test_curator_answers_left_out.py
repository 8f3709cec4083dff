"""The curator's own questionnaire (answered by a staff member, not a participant) bends no monitoring figure."""

from __future__ import annotations

from typing import Any

import pytest

from monitoring import selectors, services
from participants import services as participant_services
from participants.choices import QuestionKind
from participants.models import Questionnaire
from participants.services.questionnaires import curator_response_submit
from participants.tests.factories import SCHOOL_YEAR, TODAY, PairFactory

pytestmark = pytest.mark.django_db


def _answers(questionnaire: Questionnaire, score: int) -> dict[int, Any]:
    def value(q: Any) -> Any:
        if q.kind == QuestionKind.SCALE:
            return score
        return q.option_list[0] if q.option_list else "Встречи"

    return {q.pk: value(q) for q in questionnaire.questions.all()}


def _figures(world: Any) -> tuple[Any, Any]:
    growth = selectors.growth(user=world.curator_a1, school_year=SCHOOL_YEAR)
    rows, _ = services.figures_compute(school_year=SCHOOL_YEAR, organisations=[world.organisation_a1.pk])
    school = rows.get(world.organisation_a1.pk, {})
    return growth, (school.get("satisfaction_sum"), school.get("satisfaction_count"))


def test_growth_and_satisfaction_ignore_the_curators_own_answers(world: Any) -> None:
    participant_services.questionnaire_templates_load()
    mentee_q = Questionnaire.objects.get(template_key="teacher_student:mentee:exit")
    pair = PairFactory(programme=world.programme_a1, mentors=[world.mentor_a1_person], mentees=[world.mentee_a1_person])
    participant_services.response_submit(
        actor=world.curator_a1,
        questionnaire=mentee_q,
        person=world.mentee_a1_person,
        pair=pair,
        filled_on=TODAY,
        answers=_answers(mentee_q, 8),
    )
    before = _figures(world)
    assert before[0], "the mentee's exit answers make a growth row"
    assert before[1][1], "the mentee's exit answers make the satisfaction"
    curator_q = Questionnaire.objects.get(template_key="curator:exit")
    curator_response_submit(
        actor=world.curator_a1, questionnaire=curator_q, programme=world.programme_a1, answers=_answers(curator_q, 1)
    )
    assert _figures(world) == before
