"""Reminders of period reports: schools that have not sent theirs, and reports waiting for the municipality."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from monitoring.models import PeriodReport
from monitoring.reminders import KIND_DUE, KIND_WAITING, reports_due, reports_waiting

pytestmark = pytest.mark.django_db


def _report(organisation, period: str, status: str, submitted: datetime) -> PeriodReport:
    return PeriodReport.objects.create(
        organisation=organisation, year=2026, period=period, school_year=2026, status=status, submitted_at=submitted
    )


def test_schools_without_a_report_are_reminded_a_week_before_the_end_of_december(world) -> None:
    _report(world.organisation_b1, "q4", "submitted", datetime(2026, 12, 20, tzinfo=ZoneInfo("Europe/Moscow")))
    due = [d for d in reports_due(date(2026, 12, 26)) if d.kind == KIND_DUE]
    quarter = {d.recipient_id for d in due if d.subject_key.endswith(":q4")}
    assert {world.curator_a1.pk, world.director_a1.pk, world.coordinator_a1.pk} <= quarter
    assert world.curator_b1.pk not in quarter  # B1 has sent its December report
    assert world.mentor_a1.pk not in quarter
    assert any(d.subject_key.endswith(":annual") for d in due)
    assert list(reports_due(date(2026, 11, 23))) == []  # September's window is over, December's not open


def test_reports_waiting_too_long_remind_the_municipal_officers(world) -> None:
    report = _report(world.organisation_a1, "q3", "submitted", datetime(2026, 10, 1, tzinfo=ZoneInfo("Europe/Moscow")))
    _report(world.organisation_b1, "q3", "submitted", datetime(2026, 11, 22, tzinfo=ZoneInfo("Europe/Moscow")))
    waiting = list(reports_waiting(date(2026, 11, 23)))
    assert {(d.recipient_id, d.subject_key) for d in waiting} == {
        (world.officer_a.pk, f"monitoring.periodreport:{report.pk}")
    }
    assert all(d.kind == KIND_WAITING for d in waiting)
