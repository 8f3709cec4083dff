"""Demo monitoring for ``load_demo``: targets from the seeds, period reports in each status, refreshed figures.

Run by ``load_demo`` after the participants' demo, through the services, acting as the demo's own
users:

- the region's share of students involved from seed 004 (Республика Башкортостан, item 18:
  10/20/35/50/70 % for 2020–2024), the 2024 value kept for 2025 and 2026; the same values for the
  Красноярский край and Дагестан regions, whose schools hold the demo participants, so that their
  dashboards compare with a target (marked as demo values);
- the number of programmes for г.о. «Город Архангельск» from seed 001 (6.1: 25/35/45 for 2023–2025);
- the Большемуртинская school's third-quarter report accepted by the municipality and its
  second-quarter report returned with a comment; the Хосрехская school's third-quarter report on
  check, with its events entered by hand;
- the summary figures of the school years 2025/2026 and 2026/2027 refreshed.

Idempotent: a target or a report that exists is left alone.
"""

from __future__ import annotations

from demodata.demo import DemoReport
from mentorship.models import Municipality, Organisation, Region, User
from monitoring import services
from monitoring.choices import IndicatorCode, ManualIndicator, PeriodKind, ReportStatus
from monitoring.models import IndicatorValue, PeriodReport, Target

SEED_004 = {2020: 10, 2021: 20, 2022: 35, 2023: 50, 2024: 70, 2025: 70, 2026: 70}
SEED_001_PROGRAMMES = {2023: 25, 2024: 35, 2025: 45}


def _target(report: DemoReport, admin: User, place, indicator: str, year: int, value: int, source: str) -> bool:
    where = {type(place).__name__.lower(): place}
    if Target.objects.filter(**where, indicator=indicator, year=year).exists():
        return False
    services.target_save(actor=admin, place=place, indicator=indicator, year=year, value=value, source=source)
    return True


def targets_load(report: DemoReport, admin: User) -> None:
    created = 0
    for code, source in (
        ("02", "Дорожная карта Республики Башкортостан (seed 004, п. 18)"),
        ("24", "Демонстрационные значения по образцу seed 004"),
        ("05", "Демонстрационные значения по образцу seed 004"),
    ):
        region = Region.objects.filter(code=code).first()
        if region is None:
            continue
        for year, value in SEED_004.items():
            note = source if year <= 2024 else f"{source}; на {year} г. сохранено значение 2024 г."
            created += _target(report, admin, region, IndicatorCode.STUDENTS_SHARE, year, value, note)
    city = Municipality.objects.filter(code="29-arkhangelsk").first()
    if city is not None:
        for year, value in SEED_001_PROGRAMMES.items():
            created += _target(
                report, admin, city, IndicatorCode.PROGRAMMES, year, value,
                "Дорожная карта г.о. «Город Архангельск» (seed 001, п. 6.1)",
            )  # fmt: skip
    report.add(f"целевые значения: создано {created}")


def _report(actor: User, school: Organisation, year: int, period: str) -> PeriodReport | None:
    if PeriodReport.objects.filter(organisation=school, year=year, period=period).exists():
        return None
    return services.period_report_submit(actor=actor, organisation=school, year=year, period=period)


def reports_load(report: DemoReport) -> None:
    users = {
        u.username: u for u in User.objects.filter(username__in=["curator_murta", "muni_murta", "curator_khosreh"])
    }
    murta = Organisation.objects.filter(code="24-bolshemurtinsky-sosh-1").first()
    khosreh = Organisation.objects.filter(code="05-kulinsky-khosreh").first()
    if murta is not None and {"curator_murta", "muni_murta"} <= set(users):
        accepted = _report(users["curator_murta"], murta, 2026, PeriodKind.Q3)
        if accepted is not None:
            services.period_report_accept(actor=users["muni_murta"], report=accepted, comment="Показатели проверены.")
            report.add(f"{murta}: отчёт за III квартал 2026 г. принят")
        returned = _report(users["curator_murta"], murta, 2026, PeriodKind.Q2)
        if returned is not None:
            services.period_report_return(
                actor=users["muni_murta"],
                report=returned,
                comment="Уточните число завершённых пар: в отчёте их нет, а в приказе об итогах года — две.",
            )
            report.add(f"{murta}: отчёт за II квартал 2026 г. возвращён на доработку")
    if khosreh is not None and "curator_khosreh" in users:
        if not IndicatorValue.objects.filter(organisation=khosreh, year=2026, period=PeriodKind.Q3).exists():
            services.indicator_value_save(
                actor=users["curator_khosreh"], organisation=khosreh, indicator=ManualIndicator.EVENTS,
                year=2026, period=PeriodKind.Q3, value=3,
                evidence="Приказ № 41 от 28.09.2026 «Об итогах Недели наставничества»",
            )  # fmt: skip
        submitted = _report(users["curator_khosreh"], khosreh, 2026, PeriodKind.Q3)
        if submitted is not None:
            report.add(f"{khosreh}: отчёт за III квартал 2026 г. отправлен на проверку")
    statuses = dict(ReportStatus.choices)
    counts = {statuses[s]: PeriodReport.objects.filter(status=s).count() for s in ReportStatus.values}
    report.add("отчёты: " + ", ".join(f"{label.lower()} {count}" for label, count in counts.items()))


def monitoring_demo_load() -> DemoReport:
    report = DemoReport("Мониторинг")
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    if admin is None:
        report.add("пропущен — в демонстрационных данных нет администратора")
        return report
    targets_load(report, admin)
    reports_load(report)
    for year in (2025, 2026):
        count = services.figures_refresh(school_year=year)
        report.add(f"сводные показатели {year}/{year + 1}: организаций {count}")
    return report
