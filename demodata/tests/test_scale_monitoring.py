"""Monitoring's steps of ``generate_scale`` at a tiny scale: targets, reports, figures, idempotency."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from demodata.management.commands.generate_scale import ALL_STEPS, scale_generate
from demodata.scale.directory import ScaleContext, ScaleSpec
from mentorship.models import Organisation
from mentorship.tests.worlds import world_for_module
from monitoring.models import OrganisationFigures, PeriodReport, PeriodReportEvent, Target
from monitoring.services import figures_compute

pytestmark = pytest.mark.usefixtures("pinned_clock", "empty_cache")

SPEC = ScaleSpec(region_code="TM", municipalities=2, organisations=6, seed=5)


@pytest.fixture(scope="module")
def _generated(django_db_setup: None, django_db_blocker: Any) -> Iterator[ScaleContext]:
    yield from world_for_module(django_db_blocker, lambda: scale_generate(spec=SPEC)[0])


@pytest.fixture
def ctx(_generated: ScaleContext, db: None) -> ScaleContext:
    return _generated


def test_monitoring_steps_run_last() -> None:
    labels = [label for _, label, _ in ALL_STEPS]
    assert labels[-3:] == [
        "целевые значения мониторинга",
        "отчёты организаций за III квартал",
        "сводные показатели мониторинга",
    ]


def test_the_regions_targets_follow_seed_004(ctx) -> None:
    values = dict(Target.objects.filter(region=ctx.region).values_list("year", "value"))
    assert [values[year] for year in range(2020, 2025)] == [10, 20, 35, 50, 70]


def test_every_organisation_has_figures_equal_to_a_fresh_computation(ctx) -> None:
    ids = list(Organisation.objects.filter(municipality__region=ctx.region).values_list("pk", flat=True))
    fresh, _ = figures_compute(school_year=2026, organisations=ids)
    stored = {row.organisation_id: row for row in OrganisationFigures.objects.filter(organisation_id__in=ids)}
    assert set(stored) == set(ids)
    for pk, row in fresh.items():
        assert stored[pk].students_involved == row["students_involved"]
        assert stored[pk].pairs_active == row["pairs_active"]


def test_reports_have_snapshots_and_events(ctx) -> None:
    reports = PeriodReport.objects.filter(organisation__municipality__region=ctx.region)
    assert reports.exists()
    for report in reports:
        assert report.snapshot["school_year"] == 2026
        assert PeriodReportEvent.objects.filter(report=report, kind="submitted").exists()


def test_running_again_adds_nothing(ctx) -> None:
    counts = (Target.objects.count(), PeriodReport.objects.count(), OrganisationFigures.objects.count())
    _, results = scale_generate(spec=SPEC)
    assert (Target.objects.count(), PeriodReport.objects.count(), OrganisationFigures.objects.count()) == counts
    by_name = {result.name: result for result in results}
    assert by_name["отчёты организаций за III квартал"].created == 0
    assert by_name["сводные показатели мониторинга"].created == 0
