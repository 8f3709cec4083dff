"""Targets, hand-entered values and the period reports' workflow, through the services."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from mentorship.errors import DomainError
from monitoring.choices import IndicatorCode, ManualIndicator, ReportEventKind, ReportStatus
from monitoring.models import IndicatorValue, PeriodReport, Target
from monitoring.services import (
    indicator_value_save,
    period_report_accept,
    period_report_return,
    period_report_submit,
    target_save,
)
from participants.choices import PairStatus
from participants.tests.factories import PairFactory, PersonFactory

pytestmark = pytest.mark.django_db


# --- Targets ------------------------------------------------------------------------------------


def test_municipality_may_set_a_stricter_target_but_not_a_weaker_one(world) -> None:
    target = target_save(
        actor=world.officer_a, place=world.municipality_a, indicator=IndicatorCode.STUDENTS_SHARE, year=2026, value=15
    )
    assert target.value == Decimal(15)
    with pytest.raises(DomainError, match="не может быть ниже установленного вышестоящим уровнем"):
        target_save(
            actor=world.officer_a,
            place=world.municipality_a,
            indicator=IndicatorCode.STUDENTS_SHARE,
            year=2026,
            value=5,
        )
    assert Target.objects.get(pk=target.pk).value == Decimal(15)


def test_school_target_is_checked_against_region_and_municipality(world) -> None:
    target_save(
        actor=world.officer_a, place=world.municipality_a, indicator=IndicatorCode.STUDENTS_SHARE, year=2026, value=30
    )
    with pytest.raises(DomainError, match="Уфимский район — не менее 30"):
        target_save(
            actor=world.curator_a1,
            place=world.organisation_a1,
            indicator=IndicatorCode.STUDENTS_SHARE,
            year=2026,
            value=20,
        )
    assert target_save(
        actor=world.curator_a1, place=world.organisation_a1, indicator=IndicatorCode.STUDENTS_SHARE, year=2026, value=40
    ).value == Decimal(40)


def test_count_targets_are_not_inherited_and_need_whole_numbers(world) -> None:
    target_save(
        actor=world.officer_a, place=world.municipality_a, indicator=IndicatorCode.PROGRAMMES, year=2026, value=25
    )
    # A school's own programme target may be smaller than the city's total.
    assert target_save(
        actor=world.curator_a1, place=world.organisation_a1, indicator=IndicatorCode.PROGRAMMES, year=2026, value=2
    ).value == Decimal(2)
    with pytest.raises(DomainError, match="целое число"):
        target_save(
            actor=world.curator_a1,
            place=world.organisation_a1,
            indicator=IndicatorCode.PROGRAMMES,
            year=2026,
            value="2.5",
        )


@pytest.mark.parametrize(("value", "message"), [("-1", "отрицательным"), ("101", "больше 100"), ("много", "числом")])
def test_bad_target_values_are_refused(world, value, message) -> None:
    with pytest.raises(DomainError, match=message):
        target_save(
            actor=world.regional_coordinator,
            place=world.region_r,
            indicator=IndicatorCode.STUDENTS_SHARE,
            year=2027,
            value=value,
        )


def test_targets_outside_ones_scope_are_refused_and_nothing_is_saved(world) -> None:
    with pytest.raises(PermissionDenied):
        target_save(
            actor=world.officer_b,
            place=world.municipality_a,
            indicator=IndicatorCode.STUDENTS_SHARE,
            year=2026,
            value=50,
        )
    with pytest.raises(PermissionDenied):
        target_save(
            actor=world.officer_a, place=world.region_r, indicator=IndicatorCode.STUDENTS_SHARE, year=2026, value=50
        )
    assert not Target.objects.filter(value=50).exists()


# --- Hand-entered values ------------------------------------------------------------------------


def test_hand_entered_value_needs_evidence_and_an_open_period(world) -> None:
    kwargs = {
        "actor": world.curator_a1,
        "organisation": world.organisation_a1,
        "indicator": ManualIndicator.NETWORK_PROJECTS,
        "value": 2,
    }
    with pytest.raises(DomainError, match="подтверждение"):
        indicator_value_save(**kwargs, year=2026, period="q3", evidence="  ")
    with pytest.raises(DomainError, match="ещё не начался"):
        indicator_value_save(**kwargs, year=2026, period="q4", evidence="Соглашение о сетевом проекте № 4")
    value, created = indicator_value_save(**kwargs, year=2026, period="q3", evidence="Соглашение о сетевом проекте № 4")
    assert created
    assert value.value == 2
    again, created = indicator_value_save(**{**kwargs, "value": 3}, year=2026, period="q3", evidence="Уточнено")
    assert not created
    assert again.pk == value.pk
    assert again.value == 3
    with pytest.raises(DomainError, match="вычисляется"):
        indicator_value_save(**{**kwargs, "indicator": IndicatorCode.PROGRAMMES}, year=2026, period="q3", evidence="x")


def test_other_schools_values_cannot_be_entered(world) -> None:
    with pytest.raises(PermissionDenied):
        indicator_value_save(
            actor=world.curator_b1, organisation=world.organisation_a1, indicator=ManualIndicator.EVENTS,
            year=2026, period="q3", value=1, evidence="Приказ",
        )  # fmt: skip
    assert not IndicatorValue.objects.exists()


# --- Period reports -----------------------------------------------------------------------------


def _submit(world, **kwargs):
    return period_report_submit(
        actor=world.curator_a1, organisation=world.organisation_a1, year=2026, period="q3", **kwargs
    )


def test_school_submits_and_the_municipality_accepts_with_events(world) -> None:
    report = _submit(world, comment="Отчёт за сентябрь")
    assert report.status == ReportStatus.SUBMITTED
    assert report.school_year == 2026
    share = next(row for row in report.snapshot["indicators"] if row["code"] == "students_share")
    assert share == {**share, "value": "3.0", "target": "10.00", "met": False}
    accepted = period_report_accept(actor=world.officer_a, report=report)
    assert accepted.status == ReportStatus.ACCEPTED
    assert accepted.accepted_at is not None
    assert list(accepted.events.values_list("kind", flat=True)) == [ReportEventKind.SUBMITTED, ReportEventKind.ACCEPTED]


def test_double_submit_is_refused(world) -> None:
    _submit(world)
    with pytest.raises(DomainError, match="на проверке"):
        _submit(world)
    assert PeriodReport.objects.count() == 1


def test_returning_needs_a_comment_then_the_school_resubmits(world) -> None:
    report = _submit(world)
    with pytest.raises(DomainError, match="без комментария"):
        period_report_return(actor=world.officer_a, report=report, comment="   ")
    assert PeriodReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED
    returned = period_report_return(actor=world.officer_a, report=report, comment="Проверьте число пар")
    assert returned.status == ReportStatus.RETURNED
    again = _submit(world)
    assert again.pk == report.pk
    assert again.status == ReportStatus.SUBMITTED
    with pytest.raises(DomainError, match="недоступно"):
        period_report_return(
            actor=world.officer_a, report=period_report_accept(actor=world.officer_a, report=again), comment="ещё"
        )


def test_a_frozen_snapshot_does_not_move_when_records_change(world) -> None:
    report = period_report_accept(actor=world.officer_a, report=_submit(world))
    before = PeriodReport.objects.get(pk=report.pk).snapshot
    a1 = world.organisation_a1
    PairFactory(
        programme=world.programme_a1,
        status=PairStatus.ACTIVE,
        mentees=[PersonFactory(organisation=a1, surname="Новенький")],
    )
    with pytest.raises(DomainError):
        _submit(world)
    assert PeriodReport.objects.get(pk=report.pk).snapshot == before
    assert before["figures"]["students_involved"] == 3


def test_only_the_school_submits_and_only_its_municipality_decides(world) -> None:
    with pytest.raises(PermissionDenied):
        period_report_submit(actor=world.officer_a, organisation=world.organisation_a1, year=2026, period="q3")
    with pytest.raises(PermissionDenied):
        period_report_submit(actor=world.curator_b1, organisation=world.organisation_a1, year=2026, period="q3")
    assert not PeriodReport.objects.exists()
    report = _submit(world)
    for persona in ("curator_a1", "officer_b", "observer_a"):
        with pytest.raises(PermissionDenied):
            period_report_accept(actor=world.persona(persona), report=report)
    assert PeriodReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED


def test_a_period_not_begun_cannot_be_reported(world) -> None:
    with pytest.raises(DomainError, match=r"с 01\.12\.2026"):
        period_report_submit(actor=world.curator_a1, organisation=world.organisation_a1, year=2026, period="q4")


def test_a_roadmaps_target_values_are_copied_into_monitoring(world) -> None:
    from monitoring.services import targets_from_roadmap
    from roadmaps.models import TargetIndicator, TargetValue
    from roadmaps.tests.factories import RoadmapFactory

    roadmap = RoadmapFactory(region=None, municipality=world.municipality_a, organisation=None)
    programmes = TargetIndicator.objects.create(roadmap=roadmap, code="programmes", name="Число программ")
    for year, value in ((2023, 25), (2024, 35), (2025, 45)):
        TargetValue.objects.create(indicator=programmes, year=year, value=value)
    TargetIndicator.objects.create(roadmap=roadmap, code="own_code", name="Иной показатель")
    assert targets_from_roadmap(actor=world.officer_a, roadmap=roadmap) == 3
    saved = dict(
        Target.objects.filter(municipality=world.municipality_a, indicator="programmes").values_list("year", "value")
    )
    assert saved == {2023: 25, 2024: 35, 2025: 45}
