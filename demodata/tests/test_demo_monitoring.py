"""Monitoring's demo data: seeds' targets, a report in each status, refreshed figures; loaded once only."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from demodata.management.commands.load_demo import demo_load_all
from mentorship.models import Municipality, Organisation, Region
from mentorship.tests.clock import pinned_clock
from mentorship.tests.worlds import world_for_module
from monitoring.choices import IndicatorCode, ReportStatus
from monitoring.models import OrganisationFigures, PeriodReport, Target

pytestmark = pytest.mark.usefixtures("pinned_clock", "empty_cache")


@pytest.fixture(scope="module")
def _loaded(django_db_setup: None, django_db_blocker: Any) -> Iterator[Any]:
    with pinned_clock():
        yield from world_for_module(django_db_blocker, demo_load_all)


@pytest.fixture
def loaded(_loaded: Any, db: None) -> Any:
    return _loaded


def test_regional_targets_come_from_seed_004(loaded) -> None:
    region = Region.objects.get(code="02")
    values = dict(
        Target.objects.filter(region=region, indicator=IndicatorCode.STUDENTS_SHARE).values_list("year", "value")
    )
    assert [values[year] for year in range(2020, 2025)] == [Decimal(v) for v in (10, 20, 35, 50, 70)]


def test_arkhangelsk_programmes_come_from_seed_001(loaded) -> None:
    city = Municipality.objects.get(code="29-arkhangelsk")
    values = dict(
        Target.objects.filter(municipality=city, indicator=IndicatorCode.PROGRAMMES).values_list("year", "value")
    )
    assert values == {2023: 25, 2024: 35, 2025: 45}


def test_one_report_in_each_status_with_their_events(loaded) -> None:
    statuses = set(PeriodReport.objects.values_list("status", flat=True))
    assert statuses == set(ReportStatus.values)
    returned = PeriodReport.objects.get(status=ReportStatus.RETURNED)
    assert returned.events.filter(kind="returned").exclude(comment="").exists()


def test_figures_show_the_demo_participants(loaded) -> None:
    murta = Organisation.objects.get(code="24-bolshemurtinsky-sosh-1")
    row = OrganisationFigures.objects.get(organisation=murta, school_year=2026)
    assert row.students_involved > 0
    assert row.pairs_active + row.pairs_completed > 0


def test_loading_again_writes_nothing(loaded) -> None:
    counts = (Target.objects.count(), PeriodReport.objects.count(), PeriodReport.history.count())
    demo_load_all()
    assert (Target.objects.count(), PeriodReport.objects.count(), PeriodReport.history.count()) == counts
