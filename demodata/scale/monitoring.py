"""Monitoring's part of ``manage.py generate_scale``: targets, period reports and the refreshed figures.

Run by ``generate_scale`` after the participants' steps, so that the figures are computed from the
generated people and pairs:

- targets: the region's share of students from seed 004 (10/20/35/50/70 % for 2020–2024, the 2024
  value kept for 2025 and 2026), and a stricter own target (75 %) for every tenth municipality;
- period reports for the third quarter of 2026 from about 60 % of the organisations: most
  accepted, some on check, a few returned with a comment; their snapshots are built from one
  set-based computation of the region's figures, never organisation by organisation;
- the summary figures of the school year 2026/2027 refreshed for the region's organisations.

Idempotent like the other steps: targets and reports are inserted only where missing, and a
refresh replaces the same rows with the same values.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from demodata.scale.directory import ScaleContext, Step
from monitoring.choices import IndicatorCode, PeriodKind, ReportEventKind, ReportStatus, period_school_year
from monitoring.models import OrganisationFigures, PeriodReport, PeriodReportEvent, Target
from monitoring.selectors import effective_targets
from monitoring.services import figures_compute, figures_refresh, snapshot_build
from participants.choices import MentorshipForm

SCHOOL_YEAR = 2026
REGION_TARGETS = {2020: 10, 2021: 20, 2022: 35, 2023: 50, 2024: 70, 2025: 70, 2026: 70}
SEED_SOURCE = "Дорожная карта региона (seed 004, п. 18); на 2025–2026 гг. сохранено значение 2024 г."
REPORT_YEAR, REPORT_PERIOD = 2026, PeriodKind.Q3.value
SUBMITTED_AT = datetime(2026, 10, 5, 10, 0, tzinfo=ZoneInfo("Europe/Moscow"))
ACCEPTED_AT = datetime(2026, 10, 12, 15, 0, tzinfo=ZoneInfo("Europe/Moscow"))


def targets_step(ctx: ScaleContext) -> tuple[int, int]:
    created = existing = 0
    wanted: list[Target] = [
        Target(
            region=ctx.region,
            indicator=IndicatorCode.STUDENTS_SHARE,
            year=year,
            value=Decimal(value),
            source=SEED_SOURCE,
        )
        for year, value in REGION_TARGETS.items()
    ]
    for index, municipality in enumerate(ctx.municipalities):
        if index % 10 == 3:
            wanted.append(
                Target(
                    municipality=municipality,
                    indicator=IndicatorCode.STUDENTS_SHARE,
                    year=SCHOOL_YEAR,
                    value=Decimal(75),
                    source="Муниципальная дорожная карта",
                )
            )
    for target in wanted:
        place = {"region": target.region, "municipality": target.municipality}
        place = {key: value for key, value in place.items() if value is not None}
        if Target.objects.filter(**place, indicator=target.indicator, year=target.year).exists():
            existing += 1
            continue
        target.full_clean()
        target.save()
        created += 1
    return created, existing


def reports_step(ctx: ScaleContext) -> tuple[int, int]:
    """Third-quarter reports of about 60 % of the organisations, snapshots from one computation."""
    rng = ctx.rng("monitoring_reports")
    chosen = [o for o in ctx.organisations if rng.random() < 0.6]
    done = set(
        PeriodReport.objects.filter(
            organisation__in=ctx.organisations, year=REPORT_YEAR, period=REPORT_PERIOD
        ).values_list("organisation_id", flat=True)
    )
    todo = [o for o in chosen if o.pk not in done]
    if not todo:
        return 0, len(done)
    school_year = period_school_year(REPORT_YEAR, REPORT_PERIOD)
    rows, form_rows = figures_compute(school_year=school_year, organisations=[o.pk for o in todo])
    forms_of: dict[int, list[dict]] = {}
    for row in form_rows:
        forms_of.setdefault(row["organisation_id"], []).append(row)
    found: dict = {}
    for target in Target.objects.filter(year=school_year, region=ctx.region) | Target.objects.filter(
        year=school_year, municipality__region=ctx.region
    ):
        key = ("region", target.region_id) if target.region_id else ("municipality", target.municipality_id)
        found.setdefault(key, {})[(target.indicator, target.year)] = target.value
    reports = []
    for organisation in todo:
        draw = rng.random()
        status = (
            ReportStatus.ACCEPTED if draw < 0.7 else ReportStatus.SUBMITTED if draw < 0.92 else ReportStatus.RETURNED
        )
        chain = [("region", ctx.region.pk), ("municipality", organisation.municipality_id)]
        snapshot = snapshot_build(
            school_year=school_year,
            row=rows.get(organisation.pk, {}),
            form_rows=forms_of.get(organisation.pk, []),
            targets=effective_targets(found, chain, school_year),
        )
        reports.append(
            PeriodReport(
                organisation=organisation,
                year=REPORT_YEAR,
                period=REPORT_PERIOD,
                school_year=school_year,
                status=status,
                snapshot=snapshot,
                submitted_at=SUBMITTED_AT,
                accepted_at=ACCEPTED_AT if status == ReportStatus.ACCEPTED else None,
            )
        )
    created = PeriodReport.objects.bulk_create(reports, batch_size=500)
    events = []
    for report in created:
        events.append(PeriodReportEvent(report=report, kind=ReportEventKind.SUBMITTED))
        if report.status == ReportStatus.ACCEPTED:
            events.append(PeriodReportEvent(report=report, kind=ReportEventKind.ACCEPTED))
        elif report.status == ReportStatus.RETURNED:
            events.append(
                PeriodReportEvent(
                    report=report,
                    kind=ReportEventKind.RETURNED,
                    comment=f"Уточните число пар по форме «{MentorshipForm.TEACHER_STUDENT.label}».",
                )
            )
    PeriodReportEvent.objects.bulk_create(events, batch_size=1000)
    return len(created), len(done)


def figures_step(ctx: ScaleContext) -> tuple[int, int]:
    """Rebuilt on every run (the same rows when nothing changed): «existing» counts the rows replaced."""
    ids = [o.pk for o in ctx.organisations]
    existing = OrganisationFigures.objects.filter(school_year=SCHOOL_YEAR, organisation_id__in=ids).count()
    count = figures_refresh(school_year=SCHOOL_YEAR, organisations=ids)
    return count - existing, existing


# (name, Russian label, step) in the order they run: the reports' snapshots compare with the targets,
# and the figures are refreshed last.
STEPS: list[tuple[str, str, Step]] = [
    ("monitoring_targets", "целевые значения мониторинга", targets_step),
    ("monitoring_reports", "отчёты организаций за III квартал", reports_step),
    ("monitoring_figures", "сводные показатели мониторинга", figures_step),
]
