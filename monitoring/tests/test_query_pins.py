"""Period reports and the quality page cost the same queries for a few rows and for many (issue 18, point 16)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse

from mentorship.tests.factories import OrganisationFactory
from mentorship.tests.pins import assert_queries_do_not_grow
from monitoring.choices import PeriodKind, ReportStatus
from monitoring.models import PeriodReport
from participants.choices import QuestionKind, QuestionnaireAudience, QuestionnaireMoment
from participants.models import Answer, Response
from participants.tests.factories import (
    PairFactory,
    PersonFactory,
    ProgrammeFactory,
    QuestionFactory,
    QuestionnaireFactory,
)

QUARTERS = (PeriodKind.Q1, PeriodKind.Q2, PeriodKind.Q3, PeriodKind.Q4)


def report(world: Any, n: int, start: int) -> None:
    for i in range(start, start + n):
        PeriodReport.objects.create(
            organisation=world.organisation_a1 if i % 2 else world.organisation_a2,
            year=2020 + i // 8,
            period=QUARTERS[(i // 2) % 4],
            school_year=2020 + i // 8,
            status=ReportStatus.SUBMITTED,
        )


def test_period_reports_cost_the_same_queries_for_2_and_14_reports(world, client_as, django_assert_num_queries):
    client = client_as(world.officer_a)
    address = reverse("monitoring:reports")
    report(world, 2, 0)

    def more() -> None:
        report(world, 12, 2)

    response = assert_queries_do_not_grow(client, address, more, django_assert_num_queries)
    assert len(response.context["object_list"]) >= 14


def answered(world: Any, schools: int) -> None:
    """``schools`` more schools of municipality A, each with a pair whose mentee answered at entry and at exit."""
    questionnaires = {
        moment: QuestionnaireFactory(organisation=None, moment=moment, audience=QuestionnaireAudience.MENTEE)
        for moment in (QuestionnaireMoment.ENTRY, QuestionnaireMoment.EXIT)
    }
    questions = {
        moment: QuestionFactory(questionnaire=q, kind=QuestionKind.SCALE) for moment, q in questionnaires.items()
    }
    for _ in range(schools):
        school = OrganisationFactory(municipality=world.municipality_a)
        mentee = PersonFactory(organisation=school)
        pair = PairFactory(programme=ProgrammeFactory(organisation=school), mentees=[mentee])
        for moment, mark in ((QuestionnaireMoment.ENTRY, 4), (QuestionnaireMoment.EXIT, 7)):
            response = Response.objects.create(
                organisation=school,
                questionnaire=questionnaires[moment],
                person=mentee,
                pair=pair,
                filled_on=date(2026, 11, 1),
            )
            Answer.objects.create(response=response, question=questions[moment], number=mark)


def test_the_quality_page_costs_the_same_queries_for_2_and_12_schools(world, client_as, django_assert_num_queries):
    client = client_as(world.officer_a)
    address = reverse("monitoring:quality", args=["municipality", world.municipality_a.pk])
    answered(world, 2)

    def more() -> None:
        answered(world, 10)

    response = assert_queries_do_not_grow(client, address, more, django_assert_num_queries)
    assert len(response.context["by_organisation"]) >= 12
