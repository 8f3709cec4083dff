"""What the three dashboards show, assembled from the selectors' grouped queries (no query per place).

Each builder returns plain data that both the page and its charts use, so a chart's cache key
(a hash of its data) changes exactly when what it shows changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import Model, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from mentorship import access
from mentorship.models import Municipality, Organisation, Region
from participants.choices import Stage
from participants.models import school_year_label

from . import selectors
from .choices import IndicatorCode, ReportStatus, period_label
from .indicators import growth_of, indicator_rows, is_met, status_of, value_of

MAIN = IndicatorCode.STUDENTS_SHARE.value
VERSION_KEY = "monitoring:data-version"
BODY_SECONDS = 15 * 60


def data_version() -> int:
    """A number that changes whenever monitoring's data does (refresh, reports, targets, values)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        version = int(timezone.now().timestamp() * 1000)
        cache.add(VERSION_KEY, version, None)
        version = cache.get(VERSION_KEY, version)
    return version


def data_changed() -> None:
    """Make every cached dashboard body stale (called by the services after their commit)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, int(timezone.now().timestamp() * 1000), None)


def body_key(level: str, pk: int, school_year: int, period: str) -> str:
    """The cache key of a dashboard's body. Whoever may open a place sees all of it (``dashboard_place``
    requires a monitoring role at or above it), so the body depends on the place, the year and the period only."""
    return f"monitoring:body:{data_version()}:{timezone.localdate():%Y%m%d}:{level}:{pk}:{school_year}:{period}"


def _url_base(name: str) -> str:
    return reverse(name, args=[0])[: -len("0/")]


VIEW_PERMISSION = "monitoring.view_organisationfigures"
LEVELS: dict[str, type[Model]] = {"region": Region, "municipality": Municipality, "organisation": Organisation}


def dashboard_place(*, user: Any, level: str, pk: int) -> tuple[Model, access.Holdings]:
    """The place a dashboard (or its справка) opens, and where the user holds monitoring roles.

    404 unless the place is visible to the user and one of their monitoring roles is at it or
    above it (one query for the place, one for the roles).
    """
    if level not in LEVELS:
        raise Http404
    model = LEVELS[level]
    qs = model.objects.restrict(user, "view")
    if model is Organisation:
        qs = qs.select_related("municipality__region")
    elif model is Municipality:
        qs = qs.select_related("region")
    place = get_object_or_404(qs, pk=pk)
    held = access.holdings(user, VIEW_PERMISSION)
    if not held.reaches(place):
        raise Http404
    return place, held


@dataclass
class PlaceLine:
    """One municipality on the region's dashboard, or one school on a municipality's."""

    pk: int
    name: str
    figures: dict[str, Any]
    value: Decimal | None
    target: Decimal | None
    met: bool | None
    teachers_share: Decimal | None
    report: dict[str, int] | str | None = None
    url: str = ""

    @property
    def status(self) -> str:
        return status_of(self.met)

    # Preformatted cells: a table of a few hundred places renders without Django's per-value localisation.
    @property
    def badge(self) -> tuple[str, str]:
        return BADGES[self.status]

    @property
    def value_text(self) -> str:
        return share_text(self.value)

    @property
    def target_text(self) -> str:
        return decimal_text(self.target)

    @property
    def teachers_text(self) -> str:
        return share_text(self.teachers_share)

    def count(self, name: str) -> str:
        return int_text(self.figures.get(name))

    @property
    def students_count_text(self) -> str:
        return self.count("students_count")

    @property
    def students_involved_text(self) -> str:
        return self.count("students_involved")

    @property
    def programmes_text(self) -> str:
        return self.count("programmes")

    @property
    def pairs_text(self) -> str:
        return self.count("pairs")

    @property
    def report_label(self) -> str:
        """A school's report status for the period, in words (a municipality's line has counts instead)."""
        return ReportStatus(self.report).label if isinstance(self.report, str) and self.report else ""


BADGES = {
    "met": ("text-bg-success", "цель достигнута"),
    "below": ("text-bg-danger", "ниже цели"),
    "none": ("text-bg-secondary", "цель не задана"),
}


def share_text(value: Decimal | None) -> str:
    """A computed share with one decimal place, as Russian writes it: «12,5»; «—» for no value."""
    return "—" if value is None else f"{value:.1f}".replace(".", ",")


def decimal_text(value: Decimal | None) -> str:
    """A target as typed, without trailing zeros: «35», «12,5»; «—» for none."""
    if value is None:
        return "—"
    return f"{value.normalize():f}".replace(".", ",") if value != value.to_integral_value() else f"{value:.0f}"


def int_text(value: Any) -> str:
    """«12 345» with a no-break space between thousands."""
    return f"{int(value or 0):,}".replace(",", "\u00a0")


def _sorted(lines: list[PlaceLine]) -> list[PlaceLine]:
    """Highest coverage first; places without a value (no pupils counted) last, by name."""
    return sorted(lines, key=lambda line: (line.value is None, -(line.value or 0), line.name))


def _trend_points(rows: list[dict[str, Any]], targets: dict, chain: list[tuple[str, int]]) -> list[dict[str, Any]]:
    points = []
    for row in rows:
        year = row["school_year"]
        target = selectors.effective_targets(targets, chain, year)[MAIN]
        value = value_of(MAIN, row)
        points.append(
            {
                "year": year,
                "label": school_year_label(year),
                "value": value,
                "target": target,
                "met": is_met(value, target),
            }
        )
    return points


def region_dashboard(*, user: Any, region: Region, school_year: int, year: int, period: str) -> dict[str, Any]:
    per_year, history = selectors.by_year_and_part(user=user, part="municipality_id", region=region)
    rows = per_year.get(school_year, [])
    years = {school_year, *(row["school_year"] for row in history)}
    targets = selectors.targets_map(user=user, q=Q(region=region) | Q(municipality__region=region), years=years)
    reporting = selectors.reporting_by_municipality(user=user, region=region, year=year, period=period)
    lines = []
    names = {row["municipality_id"]: row["municipality__name"] for row in rows}
    names.update({pk: row["municipality__name"] for pk, row in reporting.items()})
    by_pk = {row["municipality_id"]: row for row in rows}
    base = _url_base("monitoring:municipality")
    for pk, name in names.items():
        figures = by_pk.get(pk) or selectors.total_of([])
        target = selectors.effective_targets(targets, [("region", region.pk), ("municipality", pk)], school_year)[MAIN]
        value = value_of(MAIN, figures)
        report = reporting.get(pk) or {"total": 0, **dict.fromkeys(ReportStatus.values, 0)}
        report = {**report, "missing": report["total"] - report[ReportStatus.ACCEPTED] - report[ReportStatus.SUBMITTED]}
        lines.append(
            PlaceLine(
                pk=pk,
                name=name,
                figures=figures,
                value=value,
                target=target,
                met=is_met(value, target),
                teachers_share=value_of(IndicatorCode.TEACHERS_SHARE, figures),
                report=report,
                url=f"{base}{pk}/",
            )
        )
    total = selectors.total_of(rows)
    own_targets = selectors.effective_targets(targets, [("region", region.pk)], school_year)
    lines = _sorted(lines)
    return {
        "lines": lines,
        "total": total,
        "indicators": indicator_rows(total, own_targets),
        "growth": growth_of(total),
        "trend": _trend_points(history, targets, [("region", region.pk)]),
        "not_reported": sorted(
            (line for line in lines if line.report["missing"]), key=lambda line: -line.report["missing"]
        ),
        "period_label": period_label(year, period),
    }


def municipality_dashboard(
    *, user: Any, municipality: Municipality, school_year: int, year: int, period: str
) -> dict[str, Any]:
    per_year, history = selectors.by_year_and_part(user=user, part="organisation_id", municipality=municipality)
    rows = {row["organisation_id"]: row for row in per_year.get(school_year, [])}
    schools = selectors.schools_with_report(user=user, municipality=municipality, year=year, period=period)
    years = {school_year, *(row["school_year"] for row in history)}
    q = Q(region_id=municipality.region_id) | Q(municipality=municipality) | Q(organisation__municipality=municipality)
    targets = selectors.targets_map(user=user, q=q, years=years)
    chain = [("region", municipality.region_id), ("municipality", municipality.pk)]
    lines = []
    base = _url_base("monitoring:organisation")
    for school in schools:
        figures = rows.get(school["pk"]) or selectors.total_of([])
        target = selectors.effective_targets(targets, [*chain, ("organisation", school["pk"])], school_year)[MAIN]
        value = value_of(MAIN, figures)
        lines.append(
            PlaceLine(
                pk=school["pk"],
                name=school["short_name"],
                figures=figures,
                value=value,
                target=target,
                met=is_met(value, target),
                teachers_share=value_of(IndicatorCode.TEACHERS_SHARE, figures),
                report=school["report_status"],
                url=f"{base}{school['pk']}/",
            )
        )
    total = selectors.total_of(rows.values())
    lines = _sorted(lines)
    statuses = dict(ReportStatus.choices)
    return {
        "lines": lines,
        "total": total,
        "indicators": indicator_rows(total, selectors.effective_targets(targets, chain, school_year)),
        "growth": growth_of(total),
        "trend": _trend_points(history, targets, chain),
        "not_reported": [line for line in lines if line.report not in (ReportStatus.ACCEPTED, ReportStatus.SUBMITTED)],
        "report_labels": statuses,
        "period_label": period_label(year, period),
    }


def organisation_dashboard(*, user: Any, organisation: Organisation, school_year: int) -> dict[str, Any]:
    qs = selectors.figures(user=user, school_year=school_year).filter(organisation=organisation)
    figures = selectors.total_of(selectors.rollup(qs, "organisation_id"))
    history = selectors.trend(user=user, organisation=organisation)
    years = {school_year, *(row["school_year"] for row in history)}
    municipality = organisation.municipality
    q = Q(region_id=municipality.region_id) | Q(municipality_id=municipality.pk) | Q(organisation=organisation)
    targets = selectors.targets_map(user=user, q=q, years=years)
    chain = [("region", municipality.region_id), ("municipality", municipality.pk), ("organisation", organisation.pk)]
    stages = selectors.pairs_by_stage(user=user, organisation=organisation, school_year=school_year)
    return {
        "total": figures,
        "indicators": indicator_rows(figures, selectors.effective_targets(targets, chain, school_year)),
        "growth": growth_of(figures),
        "trend": _trend_points(history, targets, chain),
        "stages": [(label, stages.get(value, 0)) for value, label in Stage.choices],
        "forms": selectors.form_figures(user=user, school_year=school_year, organisation=organisation),
    }


def coverage_rows(lines: list[PlaceLine]) -> list[tuple[str, float | None, float | None]]:
    """The bar chart's data: ``(name, share, target)`` per place, in the table's order."""
    return [(line.name, _float(line.value), _float(line.target)) for line in lines]


def trend_rows(points: list[dict[str, Any]]) -> list[tuple[str, float | None, float | None]]:
    return [(point["label"], _float(point["value"]), _float(point["target"])) for point in points]


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)
