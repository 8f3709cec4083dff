"""How each indicator is computed from the summed figures of a place, and how targets combine.

Pure functions over plain numbers: a place's figures are the SUM of its organisations'
``OrganisationFigures`` columns (``FIGURE_FIELDS``), and every indicator is computed from those
sums, so a municipality's share is its involved students over its students, never an average
of its schools' percentages.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings

from .choices import IndicatorCode

#: the summable columns of ``OrganisationFigures``
FIGURE_FIELDS = (
    "students_count",
    "teachers_count",
    "participants",
    "mentors",
    "mentees",
    "students_involved",
    "teachers_involved",
    "young_teachers_involved",
    "novice_teachers_involved",
    "completed_mentees",
    "programmes",
    "pairs_forming",
    "pairs_active",
    "pairs_completed",
    "groups",
    "manager_pairs",
    "satisfaction_sum",
    "satisfaction_count",
    "satisfaction_asked",
    "satisfaction_answered",
    "entry_sum",
    "entry_count",
    "entry_asked",
    "entry_answered",
    "network_projects",
    "events",
)

PERCENT = "percent"
COUNT = "count"
SCORE = "score"
UNIT_LABELS = {PERCENT: "%", COUNT: "", SCORE: "из 10"}


@dataclass(frozen=True)
class Definition:
    """One indicator: what it divides (or counts), and whether targets are inherited downward."""

    code: IndicatorCode
    unit: str
    numerator: str
    denominator: str | None = None
    #: counted from the records (False: entered by hand with evidence)
    computed: bool = True

    @property
    def label(self) -> str:
        return self.code.label

    @property
    def relative(self) -> bool:
        """A share or an average: comparable across levels, so the strictest target above applies."""
        return self.unit in (PERCENT, SCORE)


DEFINITIONS: dict[str, Definition] = {
    d.code.value: d
    for d in (
        Definition(IndicatorCode.STUDENTS_SHARE, PERCENT, "students_involved", "students_count"),
        Definition(IndicatorCode.TEACHERS_SHARE, PERCENT, "teachers_involved", "teachers_count"),
        Definition(IndicatorCode.YOUNG_TEACHERS_SHARE, PERCENT, "young_teachers_involved", "teachers_count"),
        Definition(IndicatorCode.NOVICE_TEACHERS_SHARE, PERCENT, "novice_teachers_involved", "teachers_count"),
        Definition(IndicatorCode.PROGRAMMES, COUNT, "programmes"),
        Definition(IndicatorCode.PAIRS, COUNT, "pairs"),
        Definition(IndicatorCode.COMPLETED_CYCLE, COUNT, "completed_mentees"),
        Definition(IndicatorCode.MANAGER_PAIRS, COUNT, "manager_pairs"),
        Definition(IndicatorCode.SATISFACTION, SCORE, "satisfaction_sum", "satisfaction_count"),
        Definition(IndicatorCode.NETWORK_PROJECTS, COUNT, "network_projects", computed=False),
        Definition(IndicatorCode.EVENTS, COUNT, "events", computed=False),
    )
}

ONE_PLACE = Decimal("0.1")


def with_derived(sums: Mapping[str, Any]) -> dict[str, int]:
    """The summed figures (``None`` from an empty SUM read as 0) plus ``pairs`` (active + completed)."""
    figures = {name: int(sums.get(name) or 0) for name in FIGURE_FIELDS}
    figures["pairs"] = figures["pairs_active"] + figures["pairs_completed"]
    return figures


def value_of(code: str, figures: Mapping[str, int]) -> Decimal | None:
    """The indicator's value from summed figures; ``None`` when the denominator is zero (nothing to divide by)."""
    definition = DEFINITIONS[code]
    numerator = Decimal(figures.get(definition.numerator, 0) or 0)
    if definition.denominator is None:
        return numerator
    denominator = Decimal(figures.get(definition.denominator, 0) or 0)
    if not denominator:
        return None
    if definition.unit == PERCENT:
        return (numerator * 100 / denominator).quantize(ONE_PLACE, ROUND_HALF_UP)
    return (numerator / denominator).quantize(ONE_PLACE, ROUND_HALF_UP)


def effective_target(code: str, own: Decimal | None, above: Iterable[Decimal | None] = ()) -> Decimal | None:
    """The target that applies at a place: the strictest of its own and those above it for a share or an
    average; a count's target is the place's own total only."""
    if not DEFINITIONS[code].relative:
        return own
    values = [v for v in (own, *above) if v is not None]
    return max(values) if values else None


def is_met(value: Decimal | None, target: Decimal | None) -> bool | None:
    """Whether the value reaches the target; ``None`` when there is no target or no value."""
    if value is None or target is None:
        return None
    return value >= target


@dataclass(frozen=True)
class ResponseRate:
    """«Ответили N из M»: who answered a questionnaire moment out of those asked (``services.response_rates``)."""

    answered: int
    asked: int

    @property
    def percent(self) -> int | None:
        return None if not self.asked else round(self.answered * 100 / self.asked)

    @property
    def low(self) -> bool:
        """Too few answers for the figure to read as a result: under ``MONITORING_MIN_RESPONSES`` people, or
        under ``MONITORING_MIN_RESPONSE_PERCENT`` of those asked."""
        if self.answered < settings.MONITORING_MIN_RESPONSES:
            return True
        return self.answered * 100 < settings.MONITORING_MIN_RESPONSE_PERCENT * self.asked

    @property
    def text(self) -> str:
        return f"ответили {self.answered} из {self.asked}"


def rate_of(figures: Mapping[str, int], column: str) -> ResponseRate:
    """The response rate behind ``column``'s average (``satisfaction`` at exit, ``entry`` at entry)."""
    return ResponseRate(
        answered=int(figures.get(f"{column}_answered") or 0), asked=int(figures.get(f"{column}_asked") or 0)
    )


def average_of(figures: Mapping[str, int], column: str) -> Decimal | None:
    count = Decimal(figures.get(f"{column}_count") or 0)
    if not count:
        return None
    return (Decimal(figures.get(f"{column}_sum") or 0) / count).quantize(ONE_PLACE, ROUND_HALF_UP)


@dataclass(frozen=True)
class Growth:
    """Рост по анкетам: the average 1–10 answer at exit minus the one at entry, each with its response rate."""

    entry: Decimal | None
    exit: Decimal | None
    entry_rate: ResponseRate
    exit_rate: ResponseRate

    @property
    def value(self) -> Decimal | None:
        return None if self.entry is None or self.exit is None else self.exit - self.entry

    @property
    def low(self) -> bool:
        return self.entry_rate.low or self.exit_rate.low

    @property
    def value_text(self) -> str:
        if self.value is None:
            return "—"
        sign = "+" if self.value > 0 else ""
        return f"{sign}{self.value:.1f}".replace(".", ",")

    @property
    def items(self) -> list[tuple[str, str, str, ResponseRate | None, bool]]:
        """``(label, moment, value text, rate, low)`` per line, as the dashboard and the справка list them
        (``low`` only where there is a value: «—» needs no warning)."""
        return [
            (
                "На входе",
                "entry",
                score_text(self.entry),
                self.entry_rate,
                self.entry is not None and self.entry_rate.low,
            ),
            (
                "На выходе (удовлетворённость)",
                "exit",
                score_text(self.exit),
                self.exit_rate,
                self.exit is not None and self.exit_rate.low,
            ),
            ("Рост (выход − вход)", "growth", self.value_text, None, self.value is not None and self.low),
        ]


def score_text(value: Decimal | None) -> str:
    """An average score with one decimal place, as Russian writes it: «7,5»; «—» for none."""
    return "—" if value is None else f"{value:.1f}".replace(".", ",")


def growth_of(figures: Mapping[str, int]) -> Growth:
    return Growth(
        entry=average_of(figures, "entry"),
        exit=average_of(figures, "satisfaction"),
        entry_rate=rate_of(figures, "entry"),
        exit_rate=rate_of(figures, "satisfaction"),
    )


@dataclass(frozen=True)
class Row:
    """An indicator at a place: value, target and whether it is met, as a page shows it."""

    code: str
    label: str
    unit: str
    value: Decimal | None
    target: Decimal | None
    met: bool | None
    computed: bool
    #: for an indicator computed from questionnaires: who answered out of who was asked
    rate: ResponseRate | None = None

    @property
    def low(self) -> bool:
        """A figure from too few answers: shown greyed, «мало ответов», and never as met or below target."""
        return self.rate is not None and self.value is not None and self.rate.low

    @property
    def unit_label(self) -> str:
        return UNIT_LABELS[self.unit]


def indicator_rows(figures: Mapping[str, int], targets: Mapping[str, Decimal | None]) -> list[Row]:
    """Every indicator of a place, in ``DEFINITIONS`` order, with the targets that apply there."""
    rows = []
    for code, definition in DEFINITIONS.items():
        value = value_of(code, figures)
        target = targets.get(code)
        rate = rate_of(figures, "satisfaction") if code == IndicatorCode.SATISFACTION else None
        rows.append(
            Row(
                code=code,
                label=definition.label,
                unit=definition.unit,
                value=value,
                target=target,
                met=None if rate is not None and rate.low else is_met(value, target),
                computed=definition.computed,
                rate=rate,
            )
        )
    return rows


def status_of(met: bool | None) -> str:
    """The colour class a dashboard paints an indicator with."""
    return {True: "met", False: "below", None: "none"}[met]
