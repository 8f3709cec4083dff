"""Indicator arithmetic on small hand-checked cases."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from mentorship.tests.factories import OrganisationFactory
from monitoring.choices import IndicatorCode, ManualIndicator, PeriodKind, current_period, period_school_year
from monitoring.indicators import effective_target, is_met, value_of, with_derived
from monitoring.models import FormFigures, OrganisationFigures
from monitoring.services import figures_compute, figures_refresh, indicator_value_save
from participants.choices import MentorshipForm, PairStatus, QuestionKind, QuestionnaireAudience, QuestionnaireMoment
from participants.models import Answer, Response
from participants.tests.factories import (
    PairFactory,
    PersonFactory,
    ProgrammeFactory,
    QuestionFactory,
    QuestionnaireFactory,
)

pytestmark = pytest.mark.django_db


def test_share_is_involved_over_headcount_rounded_to_one_place() -> None:
    figures = with_derived({"students_involved": 1, "students_count": 3})
    assert value_of(IndicatorCode.STUDENTS_SHARE, figures) == Decimal("33.3")


def test_zero_denominator_gives_no_value_and_no_verdict() -> None:
    figures = with_derived({"students_involved": 0, "students_count": 0})
    assert value_of(IndicatorCode.STUDENTS_SHARE, figures) is None
    assert is_met(None, Decimal(10)) is None


def test_counts_are_their_numerator() -> None:
    figures = with_derived({"pairs_active": 2, "pairs_completed": 3, "programmes": 4})
    assert value_of(IndicatorCode.PAIRS, figures) == 5
    assert value_of(IndicatorCode.PROGRAMMES, figures) == 4


def test_strictest_target_applies_to_shares_but_counts_keep_their_own() -> None:
    assert effective_target(IndicatorCode.STUDENTS_SHARE, Decimal(15), [Decimal(20)]) == 20
    assert effective_target(IndicatorCode.STUDENTS_SHARE, Decimal(25), [Decimal(20)]) == 25
    assert effective_target(IndicatorCode.STUDENTS_SHARE, None, [Decimal(20), None]) == 20
    assert effective_target(IndicatorCode.PROGRAMMES, None, [Decimal(25)]) is None


def test_periods_map_onto_school_years() -> None:
    assert period_school_year(2027, PeriodKind.Q1) == 2026
    assert period_school_year(2026, PeriodKind.Q3) == 2026
    assert period_school_year(2026, PeriodKind.Q2) == 2025
    assert current_period(date(2026, 11, 23)) == (2026, "q3")
    assert current_period(date(2026, 12, 1)) == (2026, "q4")
    assert current_period(date(2027, 1, 10)) == (2026, "q4")


def _school(students: int = 10, teachers: int = 4):
    return OrganisationFactory(
        code="MON-1", short_name="СОШ мониторинга", students_count=students, teachers_count=teachers
    )


def test_a_person_in_two_pairs_counts_once(world) -> None:
    school = _school()
    teacher = PersonFactory(organisation=school, teacher=True)
    student = PersonFactory(organisation=school)
    first = ProgrammeFactory(organisation=school)
    second = ProgrammeFactory(organisation=school, form=MentorshipForm.STUDENT_STUDENT)
    peer = PersonFactory(organisation=school)
    PairFactory(programme=first, status=PairStatus.ACTIVE, mentors=[teacher], mentees=[student])
    PairFactory(programme=second, status=PairStatus.COMPLETED, mentors=[peer], mentees=[student])

    rows, forms = figures_compute(school_year=2026, organisations=[school.pk])
    row = rows[school.pk]
    assert row["participants"] == 3
    assert row["students_involved"] == 2  # the mentee once, and the peer mentor
    assert row["teachers_involved"] == 1
    assert row["mentees"] == 1
    assert row["completed_mentees"] == 1
    assert (row["pairs_active"], row["pairs_completed"], row["programmes"]) == (1, 1, 2)
    figures = with_derived(row)
    assert value_of(IndicatorCode.STUDENTS_SHARE, figures) == Decimal("20.0")
    assert value_of(IndicatorCode.TEACHERS_SHARE, figures) == Decimal("25.0")
    by_form = {f["form"]: f for f in forms}
    assert by_form[MentorshipForm.TEACHER_STUDENT]["teachers"] == 1
    assert by_form[MentorshipForm.STUDENT_STUDENT]["students"] == 2


def test_forming_and_terminated_pairs_do_not_involve_anyone(world) -> None:
    school = _school()
    programme = ProgrammeFactory(organisation=school)
    PairFactory(
        programme=programme, status=PairStatus.FORMING, mentors=[PersonFactory(organisation=school, teacher=True)]
    )
    PairFactory(programme=programme, status=PairStatus.TERMINATED, mentees=[PersonFactory(organisation=school)])
    row = figures_compute(school_year=2026, organisations=[school.pk])[0][school.pk]
    assert row["participants"] == 0
    assert row["pairs_forming"] == 1
    assert value_of(IndicatorCode.STUDENTS_SHARE, with_derived(row)) == Decimal("0.0")


def test_young_and_novice_teachers_are_judged_on_the_first_of_september(world) -> None:
    school = _school()
    programme = ProgrammeFactory(organisation=school, form=MentorshipForm.TEACHER_TEACHER)
    veteran = PersonFactory(organisation=school, teacher=True)
    just_35 = PersonFactory(
        organisation=school, teacher=True, birth_date=date(1991, 9, 1), service_start=date(2015, 9, 1)
    )
    young_novice = PersonFactory(organisation=school, young_teacher=True)  # born 2001, service from 2025
    just_3_years = PersonFactory(organisation=school, teacher=True, service_start=date(2023, 9, 1))
    PairFactory(
        programme=programme, status=PairStatus.ACTIVE, mentors=[veteran], mentees=[just_35, young_novice, just_3_years]
    )
    row = figures_compute(school_year=2026, organisations=[school.pk])[0][school.pk]
    assert row["teachers_involved"] == 4
    assert row["young_teachers_involved"] == 1
    assert row["novice_teachers_involved"] == 1
    assert row["groups"] == 1


def test_manager_pairs_and_satisfaction_from_exit_questionnaires(world) -> None:
    school = _school()
    programme = ProgrammeFactory(organisation=school, form=MentorshipForm.MANAGER_YOUNG_MANAGER)
    director = PersonFactory(organisation=school, teacher=True, is_manager=True)
    deputy = PersonFactory(organisation=school, young_teacher=True, is_manager=True)
    pair = PairFactory(programme=programme, status=PairStatus.COMPLETED, mentors=[director], mentees=[deputy])
    exit_form = QuestionnaireFactory(
        organisation=None, moment=QuestionnaireMoment.EXIT, audience=QuestionnaireAudience.MENTEE
    )
    scale = QuestionFactory(questionnaire=exit_form, kind=QuestionKind.SCALE)
    text = QuestionFactory(questionnaire=exit_form, kind=QuestionKind.TEXT)
    for person, mark in ((deputy, 9), (director, 6)):
        response = Response.objects.create(
            organisation=school, questionnaire=exit_form, person=person, pair=pair, filled_on=date(2027, 5, 20)
        )
        Answer.objects.create(response=response, question=scale, number=mark)
        Answer.objects.create(response=response, question=text, text="всё понравилось")
    row = figures_compute(school_year=2026, organisations=[school.pk])[0][school.pk]
    assert row["manager_pairs"] == 1
    assert (row["satisfaction_sum"], row["satisfaction_count"]) == (15, 2)
    assert value_of(IndicatorCode.SATISFACTION, with_derived(row)) == Decimal("7.5")


def test_refresh_replaces_the_rows_and_is_idempotent(world) -> None:
    school = _school()
    programme = ProgrammeFactory(organisation=school)
    PairFactory(programme=programme, status=PairStatus.ACTIVE, mentees=[PersonFactory(organisation=school)])
    assert figures_refresh(school_year=2026, organisations=[school.pk]) == 1
    assert figures_refresh(school_year=2026, organisations=[school.pk]) == 1
    row = OrganisationFigures.objects.get(organisation=school, school_year=2026)
    assert row.students_involved == 1
    assert row.region_id == school.municipality.region_id
    assert FormFigures.objects.filter(organisation=school, school_year=2026).count() == 1


def test_hand_entered_values_take_the_latest_period_of_the_school_year(world) -> None:
    school = world.organisation_a1
    curator = world.curator_a1
    indicator_value_save(
        actor=curator, organisation=school, indicator=ManualIndicator.EVENTS, year=2026, period="q3",
        value=2, evidence="Приказ № 12 от 20.09.2026",
    )  # fmt: skip
    indicator_value_save(
        actor=curator, organisation=school, indicator=ManualIndicator.EVENTS, year=2026, period="q2",
        value=9, evidence="Отчёт за II квартал",
    )  # fmt: skip
    row = figures_compute(school_year=2026, organisations=[school.pk])[0][school.pk]
    assert row["events"] == 2  # June's value belongs to 2025/2026
