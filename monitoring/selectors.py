"""Reads of monitoring: every query goes through ``restrict(user, …)`` and sums the summary rows in SQL.

A dashboard costs the same fixed number of queries whatever the size of the region: one grouped
query over ``OrganisationFigures`` per table or chart, one for the targets, one for the reports.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Exists, F, Min, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, NullIf

from mentorship.models import Municipality, Organisation, Region
from participants.choices import MentorshipForm, QuestionKind, QuestionnaireMoment
from participants.models import Answer, Pair, QuestionnaireLink, Response

from .choices import ReportStatus
from .indicators import DEFINITIONS, FIGURE_FIELDS, ResponseRate, effective_target, with_derived
from .models import FormFigures, IndicatorValue, OrganisationFigures, PeriodReport, Target

SUMS = {name: Sum(name) for name in FIGURE_FIELDS}


def figures(*, user: Any, school_year: int) -> QuerySet[OrganisationFigures]:
    return OrganisationFigures.objects.restrict(user, "view").filter(school_year=school_year)


def rollup(qs: QuerySet, *group_by: str) -> list[dict[str, Any]]:
    """One grouped query: the sums of every figure per ``group_by``, the organisations counted and the
    oldest refresh time. Each row gets the derived figures (``indicators.with_derived``)."""
    rows = qs.values(*group_by).annotate(**SUMS, organisations=Count("pk"), refreshed_at=Min("refreshed_at")).order_by()
    return [{**row, **with_derived(row)} for row in rows]


def total_of(rows: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The sum of parts: a level's figures are its rows' figures added up (never averaged)."""
    rows = list(rows)
    total = with_derived({name: sum(int(row.get(name) or 0) for row in rows) for name in FIGURE_FIELDS})
    times = [row["refreshed_at"] for row in rows if row.get("refreshed_at")]
    total["refreshed_at"] = min(times) if times else None
    total["organisations"] = sum(int(row.get("organisations") or 0) for row in rows)
    return total


def by_year_and_part(*, user: Any, part: str, **place: Any) -> tuple[dict[int, list[dict]], list[dict[str, Any]]]:
    """One grouped query for a dashboard's table and its trend: the place's figures per school year and
    per ``part`` (``municipality_id`` or ``organisation_id``). Returns ``({year: rows of the parts}, trend)``
    where the trend is each year's rows summed (the sum of the parts)."""
    names = ("municipality__name",) if part == "municipality_id" else ()
    qs = OrganisationFigures.objects.restrict(user, "view").filter(**place)
    per_year: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rollup(qs, "school_year", part, *names):
        per_year[row["school_year"]].append(row)
    trend_rows = [{**total_of(rows), "school_year": year} for year, rows in sorted(per_year.items())]
    return per_year, trend_rows


def trend(*, user: Any, **place: Any) -> list[dict[str, Any]]:
    """The place's figures per school year (``region=…`` or ``municipality=…`` or ``organisation=…``)."""
    qs = OrganisationFigures.objects.restrict(user, "view").filter(**place)
    return sorted(rollup(qs, "school_year"), key=lambda row: row["school_year"])


# --- Targets -----------------------------------------------------------------------------------------


TargetMap = dict[tuple[str, int], dict[tuple[str, int], Decimal]]


def targets_map(*, user: Any, q: Q, years: Iterable[int]) -> TargetMap:
    """``{(level, place pk): {(indicator, year): value}}`` of the visible targets matching ``q``, one query."""
    found: TargetMap = defaultdict(dict)
    for target in (
        Target.objects.restrict(user, "view")
        .filter(q, year__in=list(years))
        .only("region_id", "municipality_id", "organisation_id", "indicator", "year", "value")
    ):
        found[target.place_key][(target.indicator, target.year)] = target.value
    return found


def effective_targets(found: TargetMap, chain: list[tuple[str, int]], year: int) -> dict[str, Decimal | None]:
    """The targets applying at the last place of ``chain`` (region → municipality → organisation)."""
    own_key = chain[-1]
    result = {}
    for code in DEFINITIONS:
        own = found.get(own_key, {}).get((code, year))
        above = [found.get(key, {}).get((code, year)) for key in chain[:-1]]
        result[code] = effective_target(code, own, above)
    return result


def targets_for_organisation(*, organisation: Organisation, year: int) -> dict[str, Decimal | None]:
    """The targets applying at an organisation for a year (unscoped: the organisation's own view of them)."""
    municipality = organisation.municipality
    found: TargetMap = defaultdict(dict)
    q = Q(region_id=municipality.region_id) | Q(municipality_id=municipality.pk) | Q(organisation_id=organisation.pk)
    for target in Target.objects.filter(q, year=year):
        found[target.place_key][(target.indicator, target.year)] = target.value
    chain = [("region", municipality.region_id), ("municipality", municipality.pk), ("organisation", organisation.pk)]
    return effective_targets(found, chain, year)


def target_list(*, user: Any) -> QuerySet[Target]:
    return Target.objects.restrict(user, "view").select_related("region", "municipality", "organisation")


# --- Reporting ---------------------------------------------------------------------------------------


def _report_counts(prefix: str, year: int, period: str) -> dict[str, Any]:
    of_period = Q(**{f"{prefix}year": year, f"{prefix}period": period})
    return {
        status: Count("period_reports", filter=of_period & Q(**{f"{prefix}status": status}))
        for status in ReportStatus.values
    }


def reporting_by_municipality(*, user: Any, region: Region, year: int, period: str) -> dict[int, dict[str, int]]:
    """Per municipality of the region: organisations, and how many reports of the period are in each status."""
    rows = (
        Organisation.objects.restrict(user, "view")
        .filter(municipality__region=region, is_active=True)
        .values("municipality_id", "municipality__name")
        .annotate(total=Count("pk", distinct=True), **_report_counts("period_reports__", year, period))
        .order_by()
    )
    return {row["municipality_id"]: row for row in rows}


def schools_with_report(*, user: Any, municipality: Municipality, year: int, period: str) -> list[dict[str, Any]]:
    """The municipality's active organisations with the status of their report for the period (or ``None``)."""
    status = PeriodReport.objects.filter(organisation=OuterRef("pk"), year=year, period=period).values("status")[:1]
    return list(
        Organisation.objects.restrict(user, "view")
        .filter(municipality=municipality, is_active=True)
        .annotate(report_status=Subquery(status))
        .values("pk", "short_name", "code", "report_status")
        .order_by("short_name")
    )


def report_list(*, user: Any) -> QuerySet[PeriodReport]:
    return PeriodReport.objects.restrict(user, "view").select_related("organisation__municipality")


def organisation_reports(*, user: Any, organisation: Organisation) -> QuerySet[PeriodReport]:
    return PeriodReport.objects.restrict(user, "view").filter(organisation=organisation).order_by("-year", "-period")


def indicator_values(*, user: Any, organisation: Organisation) -> QuerySet[IndicatorValue]:
    return (
        IndicatorValue.objects.restrict(user, "view")
        .filter(organisation=organisation)
        .select_related("entered_by")
        .order_by("-year", "-period", "indicator")
    )


# --- A school's own --------------------------------------------------------------------------------


def pairs_by_stage(*, user: Any, organisation: Organisation, school_year: int) -> dict[int, int]:
    """Live (one grouped query over one school's pairs): how many pairs are at each stage."""
    rows = (
        Pair.objects.restrict(user, "view")
        .filter(organisation=organisation, school_year=school_year)
        .exclude(status="terminated")
        .values("stage")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["stage"]: row["n"] for row in rows}


def form_figures(*, user: Any, school_year: int, **place: Any) -> list[dict[str, Any]]:
    """Per form, summed over the place's organisations (``region=…``/``municipality=…``/``organisation=…``)."""
    fields = ("pairs", "groups", "mentors", "mentees", "students", "teachers", "externals", "completed_mentees")
    rows = (
        FormFigures.objects.restrict(user, "view")
        .filter(school_year=school_year, **place)
        .values("form")
        .annotate(**{name: Sum(name) for name in fields})
        .order_by("form")
    )
    labels = dict(MentorshipForm.choices)
    return [{**row, "label": labels.get(row["form"], row["form"])} for row in rows]


def federal_rows(*, user: Any, school_year: int, **place: Any) -> QuerySet[FormFigures]:
    """The per-organisation, per-form rows of the federal statistical form, in scope."""
    return (
        FormFigures.objects.restrict(user, "view")
        .filter(school_year=school_year, **place)
        .select_related("organisation", "municipality")
        .order_by("municipality__name", "organisation__short_name", "form")
    )


# --- Quality and growth (questionnaires) -----------------------------------------------------------


def _asked_in(links: QuerySet, school_year: int) -> QuerySet:
    """The links asked within the school year: dated by the letter, else the printed sheet, else the deadline."""
    from datetime import date, time

    from django.utils import timezone

    since = timezone.make_aware(datetime.combine(date(school_year, 9, 1), time.min))
    until = timezone.make_aware(datetime.combine(date(school_year + 1, 9, 1), time.min))
    return links.alias(asked_at=Coalesce("sent_at", "printed_at", "expires_at")).filter(
        asked_at__gte=since, asked_at__lt=until
    )


def rate_counts(
    *, links: QuerySet, responses: QuerySet, school_year: int, group: list[str]
) -> dict[tuple, tuple[int, int]]:
    """``{group values: (asked, answered)}`` by the rule of ``services.response_rates``: distinct people sent a
    link in the school year (answered: the link was, or they answered without it), plus people whose response
    came without a link, who count as both asked and answered. ``links`` and ``responses`` come filtered
    (scope, audience, place); ``group`` names fields both have (``form`` is annotated here). Two grouped queries.
    """
    from datetime import date

    form = Coalesce(F("pair__form"), NullIf(F("questionnaire__form"), Value("")), default=None)
    links = _asked_in(links, school_year).annotate(form=form)
    unlinked = responses.filter(
        link__isnull=True, filled_on__range=(date(school_year, 9, 1), date(school_year + 1, 8, 31))
    ).annotate(form=form)
    same_person = {
        "organisation_id": OuterRef("organisation_id"),
        "person_id": OuterRef("person_id"),
        "questionnaire__moment": OuterRef("questionnaire__moment"),
    }
    answered_elsewhere = unlinked.filter(**same_person)
    result: dict[tuple, tuple[int, int]] = {}
    for row in (
        links.values(*group)
        .annotate(
            asked=Count("person_id", distinct=True),
            answered=Count(
                "person_id", distinct=True, filter=Q(answered_at__isnull=False) | Q(Exists(answered_elsewhere))
            ),
        )
        .order_by()
    ):
        result[tuple(row[name] for name in group)] = (row["asked"], row["answered"])
    for row in (
        unlinked.filter(~Exists(links.filter(**same_person)))
        .values(*group)
        .annotate(n=Count("person_id", distinct=True))
        .order_by()
    ):
        key = tuple(row[name] for name in group)
        asked, answered = result.get(key, (0, 0))
        result[key] = (asked + row["n"], answered + row["n"])
    return result


def growth(*, user: Any, school_year: int, by_organisation: bool = False, **place: Any) -> list[dict[str, Any]]:
    """Average scale answers at entry, interim and exit per form (and per organisation), without marks.

    The form is the pair's, or the questionnaire's when the response is not about a pair. One
    grouped query over the answers of the responses in scope, two for the response rates at entry
    and exit (``rate_counts``); the growth is exit minus entry, ``low`` when either rate is too low.
    """
    from datetime import date

    responses = Response.objects.restrict(user, "view").filter(
        filled_on__range=(date(school_year, 9, 1), date(school_year + 1, 8, 31)), person__isnull=False, **place
    )
    group = ["form", "response__questionnaire__moment"]
    if by_organisation:
        group = ["response__organisation_id", "response__organisation__short_name", *group]
    rows = (
        Answer.objects.filter(
            response__in=responses.values("pk"), question__kind=QuestionKind.SCALE, number__isnull=False
        )
        .annotate(
            form=Coalesce(
                F("response__pair__form"), NullIf(F("response__questionnaire__form"), Value("")), default=None
            )
        )
        .values(*group)
        .annotate(average=Avg("number"), answers=Count("pk"), people=Count("response__person_id", distinct=True))
        .order_by()
    )
    table: dict[tuple, dict[str, Any]] = {}
    labels = dict(MentorshipForm.choices)
    for row in rows:
        key = (row.get("response__organisation_id"), row["form"])
        item = table.setdefault(
            key,
            {
                "organisation_id": row.get("response__organisation_id"),
                "organisation": row.get("response__organisation__short_name"),
                "form": row["form"] or "",
                "label": labels.get(row["form"], "Форма не указана"),
            },
        )
        moment = row["response__questionnaire__moment"]
        item[moment] = round(Decimal(row["average"]), 1) if row["average"] is not None else None
        item[f"{moment}_people"] = row["people"]
    rate_group = ["form", "questionnaire__moment"]
    if by_organisation:
        rate_group = ["organisation_id", *rate_group]
    rates = rate_counts(
        links=QuestionnaireLink.objects.restrict(user, "view").filter(**place),
        responses=Response.objects.restrict(user, "view").filter(**place),
        school_year=school_year,
        group=rate_group,
    )
    result = []
    for item in table.values():
        entry, exit_ = item.get(QuestionnaireMoment.ENTRY), item.get(QuestionnaireMoment.EXIT)
        item["growth"] = None if entry is None or exit_ is None else exit_ - entry
        head = (item["organisation_id"],) if by_organisation else ()
        for moment in (QuestionnaireMoment.ENTRY, QuestionnaireMoment.EXIT):
            asked, answered = rates.get((*head, item["form"] or None, moment), (0, 0))
            item[f"{moment}_rate"] = ResponseRate(answered=answered, asked=asked)
        item["low"] = item[f"{QuestionnaireMoment.ENTRY}_rate"].low or item[f"{QuestionnaireMoment.EXIT}_rate"].low
        result.append(item)
    return sorted(result, key=lambda item: (item["organisation"] or "", item["label"]))


def refreshed_label(moment: datetime | None) -> str:
    from django.utils import timezone

    if moment is None:
        return "сводные данные ещё не рассчитаны"
    local = timezone.localtime(moment)
    return f"Данные на {local:%H:%M} {local:%d.%m.%Y}"
