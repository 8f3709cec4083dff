"""What monitoring reminds about (registered with notifications' registry, found by autodiscovery).

* A period report due: from a week before the end of the reporting month (March, June, September,
  December) until a month after it, every school whose report for that period is neither on
  check nor accepted reminds its staff who submit reports (a returned report counts as not sent).
* A report waiting for the municipality's check for more than ``WAITING_DAYS`` days reminds the
  officers of that municipality.

Each source runs a fixed number of queries whatever the number of schools.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from mentorship import access
from notifications.registry import Due, register

from .choices import PeriodKind, ReportStatus, current_period, period_due, period_label
from .models import PeriodReport

AHEAD_DAYS = 7
LATE_DAYS = 30
WAITING_DAYS = 5
KIND_DUE = "monitoring_report_due"
KIND_WAITING = "monitoring_report_waiting"


def _periods(day: date) -> list[tuple[int, str]]:
    """The periods whose reminder window holds ``day``: this reporting month's, and last one's while late."""
    year, period = current_period(day)
    found = []
    for candidate in {(year, period), current_period(day.replace(day=1) - timedelta(days=1))}:
        due = period_due(*candidate)
        if due - timedelta(days=AHEAD_DAYS) <= day <= due + timedelta(days=LATE_DAYS):
            found.append(candidate)
            if candidate[1] == PeriodKind.Q4:
                found.append((candidate[0], PeriodKind.ANNUAL.value))
    return sorted(found)


@register("monitoring_report_due", "Отчёты организации за отчётный период (мониторинг)", order=60)
def reports_due(day: date) -> Iterator[Due]:
    for year, period in _periods(day):
        sent = PeriodReport.objects.filter(
            organisation=OuterRef("organisation_id"),
            year=year,
            period=period,
            status__in=[ReportStatus.SUBMITTED, ReportStatus.ACCEPTED],
        )
        due = period_due(year, period)
        label = period_label(year, period)
        rows = (
            access.holders(permission="monitoring.submit_periodreport")
            .filter(organisation__is_active=True)
            .exclude(Exists(sent))
            .values_list("user_id", "organisation_id", "organisation__short_name")
            .order_by()
            .distinct()
        )
        for user_id, organisation_id, name in rows:
            late = day > due
            yield Due(
                recipient_id=user_id,
                kind=KIND_DUE,
                subject_key=f"monitoring.report:{organisation_id}:{year}:{period}",
                title=f"{'Не отправлен' if late else 'Срок отправки'} отчёт за {label}: {name}",
                url=reverse("monitoring:report_submit", args=[organisation_id]),
                due_date=due,
                text=(
                    f"Отчёт организации за {label} нужно отправить в муниципалитет до {due:%d.%m.%Y}. "
                    "Показатели посчитаются по записям портала в момент отправки."
                ),
            )


@register("monitoring_report_waiting", "Отчёты организаций, ожидающие проверки (мониторинг)", order=61)
def reports_waiting(day: date) -> Iterator[Due]:
    before = timezone.make_aware(datetime.combine(day - timedelta(days=WAITING_DAYS), time.max))
    reports = list(
        PeriodReport.objects.filter(status=ReportStatus.SUBMITTED, submitted_at__lte=before).values(
            "pk", "year", "period", "submitted_at", "organisation__short_name", "organisation__municipality_id"
        )
    )
    if not reports:
        return
    officers: dict[int, set[int]] = defaultdict(set)
    deciders = access.holders(permission="monitoring.accept_periodreport").filter(
        municipality_id__in={row["organisation__municipality_id"] for row in reports}
    )
    for user_id, municipality_id in deciders.values_list("user_id", "municipality_id"):
        officers[municipality_id].add(user_id)
    for row in reports:
        submitted = timezone.localtime(row["submitted_at"]).date()
        for user_id in sorted(officers[row["organisation__municipality_id"]]):
            yield Due(
                recipient_id=user_id,
                kind=KIND_WAITING,
                subject_key=f"monitoring.periodreport:{row['pk']}",
                title=f"Ждёт проверки с {submitted:%d.%m.%Y}: отчёт за {period_label(row['year'], row['period'])}, "
                f"{row['organisation__short_name']}",
                url=reverse("monitoring:report", args=[row["pk"]]),
                due_date=submitted,
                text="Примите отчёт или верните его на доработку с комментарием.",
            )
