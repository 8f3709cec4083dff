"""Every deadline text of the five seed roadmaps, exactly as written, with the parse it must give.

One row per cell, in document order, so that a reader can hold the table next to the seed.
The «item» is the number printed in the seed; rows the seed leaves unnumbered are named by
their neighbour. ``column`` tells which column the text comes from: «Сроки» (the deadline),
and for seed 002 also «когда» (when to inform of the result) and its plan/fact column. Rows
marked «(разрыв)» are the two halves of a cell the source document split over a page break,
next to the merged text an importer joining them would see.

Each seed is parsed within its roadmap's period (``SEED_PERIODS``), as the import will do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from roadmaps.deadlines import DeadlineKind, Recurrence

K = DeadlineKind

SEED_FILES = {
    "000": "000_cf1546ac034ae8f8.txt",
    "001": "001_2000984a5addcc1b.txt",
    "002": "002_61c77388ad7892a2.txt",
    "003": "003_a549bcac88716e9e.txt",
    "004": "004_9f951eea9fe66bf3.txt",
}

# The period each roadmap covers, as its heading states it.
SEED_PERIODS: dict[str, tuple[date, date]] = {
    # Большемуртинский район: the 2021 implementation («в 2021 г.», order of 24.02.2021).
    "000": (date(2021, 1, 1), date(2021, 12, 31)),
    # г. Архангельск: «на 2023 – 2025 гг.».
    "001": (date(2023, 1, 1), date(2025, 12, 31)),
    # Сургутский район: «на 2023-2024 г.г.».
    "002": (date(2023, 1, 1), date(2024, 12, 31)),
    # Хосрехская СОШ: «на 2023– 2024 учебный год».
    "003": (date(2023, 9, 1), date(2024, 8, 31)),
    # Башкортостан: from 2020, targets set to the end of 2024 (item 18).
    "004": (date(2020, 1, 1), date(2024, 12, 31)),
}

PLAN_FACT = "Даты начала и окончания (план/факт)"
INFORM_WHEN = "Информирование о результате: когда"


@dataclass(frozen=True)
class SeedDeadline:
    """One seed cell and the deadline it must parse to (within its seed's period)."""

    seed: str
    item: str
    text: str
    kind: DeadlineKind
    start: date | None = None
    end: date | None = None
    dates: tuple[date, ...] = ()
    recurrence: Recurrence | None = None
    until: date | None = None
    needs_review: bool = False
    column: str = "Сроки"
    # True for a cell the seed splits over a page break, given here joined: not verbatim in the file.
    joined: bool = False

    @property
    def id(self) -> str:
        return f"{self.seed} {self.item} {self.column}: {self.text!r}"


def row(
    seed: str,
    item: str,
    text: str,
    kind: DeadlineKind,
    *,
    start: str | None = None,
    end: str | None = None,
    dates: tuple[str, ...] | list[str] = (),
    recurrence: Recurrence | None = None,
    until: str | None = None,
    needs_review: bool = False,
    column: str = "Сроки",
    joined: bool = False,
) -> SeedDeadline:
    """A table row with dates written as ISO strings, for a table that reads like the seed."""

    def iso(value: str | None) -> date | None:
        return date.fromisoformat(value) if value else None

    return SeedDeadline(
        seed=seed,
        item=item,
        text=text,
        kind=kind,
        start=iso(start),
        end=iso(end),
        dates=tuple(date.fromisoformat(value) for value in dates),
        recurrence=recurrence,
        until=iso(until),
        needs_review=needs_review,
        column=column,
        joined=joined,
    )


def by(seed: str, item: str, text: str, due: str, **extra: Any) -> SeedDeadline:
    """«до <date>»: due on that date."""
    return row(seed, item, text, K.BY_DATE, end=due, dates=[due], **extra)


def exact(seed: str, item: str, text: str, day: str, **extra: Any) -> SeedDeadline:
    """An exact date: the work happens and is due that day."""
    return row(seed, item, text, K.EXACT_DATE, start=day, end=day, dates=[day], **extra)


def span(seed: str, item: str, text: str, kind: DeadlineKind, start: str, end: str, **extra: Any) -> SeedDeadline:
    """A month, month range, year or year range: work from ``start``, due on ``end``."""
    return row(seed, item, text, kind, start=start, end=end, dates=[end], **extra)


def quarter_ends(*years: int) -> list[str]:
    return [f"{year}-{day}" for year in years for day in ("03-31", "06-30", "09-30", "12-31")]


YEARLY = Recurrence.YEARLY
QUARTERLY = Recurrence.QUARTERLY

# 000: Большемуртинский район, plan of 24.02.2021 («Сроки», column 3).
SEED_000 = [
    by("000", "1.1", "До 15.03.2021г.", "2021-03-15"),
    exact("000", "1.2", "15.03.2021 г.", "2021-03-15"),
    by("000", "1.3", "до 15.03.2021 г.", "2021-03-15"),
    by("000", "1.4", "до 15.03.2021 г.", "2021-03-15"),
    by("000", "1.5", "до 15.03.2021 г.", "2021-03-15"),
    exact("000", "1.6", "01.04.2021 г.", "2021-04-01"),
    by("000", "1.7", "до 01.04.2021 г.", "2021-04-01"),
    by("000", "1.8", "до 12.04.2021 г.", "2021-04-12"),
    by("000", "1.9", "до 12.04.2021 г.", "2021-04-12"),
    by("000", "1.10", "до 01.09.2021 г.", "2021-09-01"),
    by("000", "1.11", "до 01.09.2021 г.", "2021-09-01"),
    span("000", "1.12", "Сентябрь-октябрь 2021г.", K.MONTH_RANGE, "2021-09-01", "2021-10-31"),
    by("000", "2.1", "до 01.03.2021 г.", "2021-03-01"),
    by("000", "2.2", "до 01.06.2021 г.", "2021-06-01"),
    row("000", "2.3", "В течение всего периода реализации ЦМН", K.CONTINUOUS, start="2021-01-01", end="2021-12-31"),
    row("000", "2.4", "В течение всего периода реализации ЦМН", K.CONTINUOUS, start="2021-01-01", end="2021-12-31"),
    span("000", "2.5", "март-апрель", K.MONTH_RANGE, "2021-03-01", "2021-04-30"),
    row("000", "2.6", "По отдельному графику", K.BY_SCHEDULE),
    span("000", "2.7", "март-апрель", K.MONTH_RANGE, "2021-03-01", "2021-04-30"),
    row("000", "2.8", "В течении всего периода реализации ЦМН", K.CONTINUOUS, start="2021-01-01", end="2021-12-31"),
    span("000", "3.1", "март-декабрь", K.MONTH_RANGE, "2021-03-01", "2021-12-31"),
    span("000", "3.2", "март", K.MONTH, "2021-03-01", "2021-03-31"),
    span("000", "3.3", "март", K.MONTH, "2021-03-01", "2021-03-31"),
    row("000", "3.4", "По отдельному графику", K.BY_SCHEDULE),
    span("000", "3.5", "март-апрель", K.MONTH_RANGE, "2021-03-01", "2021-04-30"),
    row(
        "000",
        "3.6",
        "В соответствии со сроками реализации программ наставничества",
        K.CONTINUOUS,
        start="2021-01-01",
        end="2021-12-31",
    ),
    row(
        "000",
        "3.7",
        "В соответствии со сроками реализации программ наставничества",
        K.CONTINUOUS,
        start="2021-01-01",
        end="2021-12-31",
    ),
    # «До мая»: before May, so the last day of April.
    by("000", "4.1", "До мая 2021 г.", "2021-04-30"),
    by("000", "4.2", "до 01.05.2021 г.", "2021-05-01"),
    row("000", "4.3", "В течение всего срока реализации ЦМН", K.CONTINUOUS, start="2021-01-01", end="2021-12-31"),
    span("000", "5.1", "март-декабрь", K.MONTH_RANGE, "2021-03-01", "2021-12-31"),
    row("000", "5.2", "в соответствии со сроками, устанавливаемыми Минпросвещения России", K.EXTERNAL),
    span("000", "5.3", "Декабрь 2021 г.", K.MONTH, "2021-12-01", "2021-12-31"),
    span("000", "5.4", "Декабрь 2021 г.", K.MONTH, "2021-12-01", "2021-12-31"),
    span("000", "6.1", "Январь 2022 г.", K.MONTH, "2022-01-01", "2022-01-31"),
    span("000", "6.2", "Январь 2022 г.", K.MONTH, "2022-01-01", "2022-01-31"),
    span("000", "7.1.1", "С марта по декабрь 2021 г.", K.MONTH_RANGE, "2021-03-01", "2021-12-31"),
    span("000", "б/н после 7.1.1", "С сентября по декабрь 2021 г.", K.MONTH_RANGE, "2021-09-01", "2021-12-31"),
    row("000", "7.2.1", "В течение всего периода внедрения ЦМН", K.CONTINUOUS, start="2021-01-01", end="2021-12-31"),
    row("000", "7.2.2", "В течение всего периода внедрения ЦМН", K.CONTINUOUS, start="2021-01-01", end="2021-12-31"),
]

# 001: г. Архангельск, «на 2023 – 2025 гг.» (one cell per line; «Сроки» is the fourth cell).
SEED_001 = [
    span("001", "заголовок", "на 2023 – 2025 гг.", K.YEAR_RANGE, "2023-01-01", "2025-12-31", column="Заголовок"),
    span("001", "1.1", "Февраль\n2023 года", K.MONTH, "2023-02-01", "2023-02-28"),
    span("001", "1.2", "Март-апрель\n2023 года", K.MONTH_RANGE, "2023-03-01", "2023-04-30"),
    span("001", "1.3", "Апрель-май\n2023 года", K.MONTH_RANGE, "2023-04-01", "2023-05-31"),
    span("001", "2.1", "Апрель-май\n2023 года", K.MONTH_RANGE, "2023-04-01", "2023-05-31"),
    span("001", "2.2", "Апрель\n2023 года", K.MONTH, "2023-04-01", "2023-04-30"),
    row("001", "2.3", "Постоянно", K.CONTINUOUS, start="2023-01-01", end="2025-12-31"),
    span("001", "2.4", "2023-2025 гг.", K.YEAR_RANGE, "2023-01-01", "2025-12-31"),
    span("001", "2.5", "2023-2025 гг.", K.YEAR_RANGE, "2023-01-01", "2025-12-31"),
    span("001", "2.6", "2023-2025 гг.", K.YEAR_RANGE, "2023-01-01", "2025-12-31"),
    span("001", "2.7", "2023-2025 гг.", K.YEAR_RANGE, "2023-01-01", "2025-12-31"),
    span("001", "2.8", "Октябрь-ноябрь\n2023 года", K.MONTH_RANGE, "2023-10-01", "2023-11-30"),
    span("001", "3.1", "2023 год", K.YEAR, "2023-01-01", "2023-12-31"),
    span("001", "3.2", "2023-2025 гг.", K.YEAR_RANGE, "2023-01-01", "2025-12-31"),
    span("001", "3.3", "2023-2025 гг.", K.YEAR_RANGE, "2023-01-01", "2025-12-31"),
    span("001", "3.4", "2023 год", K.YEAR, "2023-01-01", "2023-12-31"),
    span("001", "3.5", "2023-2025 гг.", K.YEAR_RANGE, "2023-01-01", "2025-12-31"),
    span("001", "4.1", "2023-2025 гг.", K.YEAR_RANGE, "2023-01-01", "2025-12-31"),
    span("001", "4.2", "2023-2025 гг.", K.YEAR_RANGE, "2023-01-01", "2025-12-31"),
    span("001", "4.3", "2023-2025 гг.", K.YEAR_RANGE, "2023-01-01", "2025-12-31"),
    span("001", "5.1", "Апрель-май 2023 года", K.MONTH_RANGE, "2023-04-01", "2023-05-31"),
    # The quarterly monitoring calendar, every year of the period.
    row(
        "001",
        "5.2",
        "Март, июнь, сентябрь, декабрь",
        K.MONTH_LIST,
        start="2023-01-01",
        end="2025-12-31",
        dates=quarter_ends(2023, 2024, 2025),
        recurrence=QUARTERLY,
        until="2025-12-31",
    ),
    # No year: the first November-December of the period.
    span("001", "5.3", "Ноябрь-декабрь", K.MONTH_RANGE, "2023-11-01", "2023-12-31"),
    row(
        "001",
        "5.4",
        "Январь\n2024, 2025 года",
        K.MONTH_LIST,
        start="2024-01-01",
        end="2025-01-31",
        dates=["2024-01-31", "2025-01-31"],
    ),
    row(
        "001",
        "5.5",
        "Август-сентябрь 2023, 2024, 2025 год",
        K.MONTH_RANGE,
        start="2023-08-01",
        end="2025-09-30",
        dates=["2023-09-30", "2024-09-30", "2025-09-30"],
    ),
    row(
        "001",
        "6.1",
        "Март, июнь, сентябрь, декабрь",
        K.MONTH_LIST,
        start="2023-01-01",
        end="2025-12-31",
        dates=quarter_ends(2023, 2024, 2025),
        recurrence=QUARTERLY,
        until="2025-12-31",
    ),
    # Flagged: «в течение года» and «август-сентябрь» side by side in a 2023-2025 roadmap;
    # which one is the due date, and of which year, is for a person to say.
    row("001", "6.2", "В течение года, август-сентябрь ", K.CONTINUOUS, needs_review=True),
    span("001", "6.3", "2023-2025 гг.", K.YEAR_RANGE, "2023-01-01", "2025-12-31"),
]

# 002: Сургутский район, «на 2023-2024 г.г.»: plan/fact dates and when to inform.
SEED_002 = [
    span("002", "заголовок", "на 2023-2024 г.г.", K.YEAR_RANGE, "2023-01-01", "2024-12-31", column="Заголовок"),
    by("002", "1.4", "До 10.09.2023", "2023-09-10", column=PLAN_FACT),
    exact("002", "1.4", "11.09.2023", "2023-09-11", column=INFORM_WHEN),
    by("002", "1.5", "До 10.09.2023", "2023-09-10", column=PLAN_FACT),
    exact("002", "1.5", "11.09.2023", "2023-09-11", column=INFORM_WHEN),
    span("002", "1.6", "Сентябрь\n2023", K.MONTH, "2023-09-01", "2023-09-30", column=PLAN_FACT, joined=True),
    # The same cell as its two halves: «Сентябрь» alone takes the period's first September.
    span("002", "1.6 (разрыв)", "Сентябрь", K.MONTH, "2023-09-01", "2023-09-30", column=PLAN_FACT),
    span("002", "1.6 (разрыв)", "2023", K.YEAR, "2023-01-01", "2023-12-31", column=PLAN_FACT),
    exact("002", "1.6", "29.09.2023", "2023-09-29", column=INFORM_WHEN),
    row(
        "002",
        "2.1",
        "30.11.2023 30.11.2024",
        K.EXACT_DATE,
        start="2023-11-30",
        end="2024-11-30",
        dates=["2023-11-30", "2024-11-30"],
        column=PLAN_FACT,
    ),
    row(
        "002",
        "2.1",
        "30.11.2023 30.11.2024",
        K.EXACT_DATE,
        start="2023-11-30",
        end="2024-11-30",
        dates=["2023-11-30", "2024-11-30"],
        column=INFORM_WHEN,
    ),
    row(
        "002",
        "2.2",
        "30.11.2023 30.11.2024",
        K.EXACT_DATE,
        start="2023-11-30",
        end="2024-11-30",
        dates=["2023-11-30", "2024-11-30"],
        column=PLAN_FACT,
    ),
    row(
        "002",
        "2.2",
        "30.11.2023 30.11.2024",
        K.EXACT_DATE,
        start="2023-11-30",
        end="2024-11-30",
        dates=["2023-11-30", "2024-11-30"],
        column=INFORM_WHEN,
    ),
    span("002", "2.3", "2023-2024", K.YEAR_RANGE, "2023-01-01", "2024-12-31", column=PLAN_FACT),
    row("002", "2.3", "По запросу", K.ON_REQUEST, column=INFORM_WHEN),
    by("002", "2.4", "До 29.09.2023", "2023-09-29", column=PLAN_FACT),
    exact("002", "2.4", "02.10.2023", "2023-10-02", column=INFORM_WHEN),
    span("002", "2.5", "2023-2024", K.YEAR_RANGE, "2023-01-01", "2024-12-31", column=PLAN_FACT),
    row("002", "2.5", "По запросу", K.ON_REQUEST, column=INFORM_WHEN),
    row(
        "002",
        "2.6",
        "Сентябрь 2023 Январь 2024",
        K.MONTH_LIST,
        start="2023-09-01",
        end="2024-01-31",
        dates=["2023-09-30", "2024-01-31"],
        column=PLAN_FACT,
    ),
    span("002", "2.6", "Январь 2024", K.MONTH, "2024-01-01", "2024-01-31", column=INFORM_WHEN),
    span("002", "2.7", "2023-2024", K.YEAR_RANGE, "2023-01-01", "2024-12-31", column=PLAN_FACT),
    row("002", "2.7", "По запросу", K.ON_REQUEST, column=INFORM_WHEN),
    span("002", "2.8", "2023-2024", K.YEAR_RANGE, "2023-01-01", "2024-12-31", column=PLAN_FACT),
    row("002", "2.8", "По запросу", K.ON_REQUEST, column=INFORM_WHEN),
    span("002", "2.9", "Октябрь 2023", K.MONTH, "2023-10-01", "2023-10-31", column=PLAN_FACT),
    row("002", "2.9", "По запросу", K.ON_REQUEST, column=INFORM_WHEN),
    span("002", "2.10", "Октябрь 2023", K.MONTH, "2023-10-01", "2023-10-31", column=PLAN_FACT),
    row("002", "2.10", "По запросу", K.ON_REQUEST, column=INFORM_WHEN),
    span("002", "2.11", "Февраль 2024", K.MONTH, "2024-02-01", "2024-02-29", column=PLAN_FACT),
    row("002", "2.11", "По запросу", K.ON_REQUEST, column=INFORM_WHEN),
    span("002", "2.12", "Май 2024", K.MONTH, "2024-05-01", "2024-05-31", column=PLAN_FACT),
    row("002", "2.12", "По запросу", K.ON_REQUEST, column=INFORM_WHEN),
    span("002", "3.1", "2023-2024", K.YEAR_RANGE, "2023-01-01", "2024-12-31", column=PLAN_FACT),
    row("002", "3.1", "По запросу", K.ON_REQUEST, column=INFORM_WHEN),
    span("002", "3.2", "2023-2024", K.YEAR_RANGE, "2023-01-01", "2024-12-31", column=PLAN_FACT),
    # Informing every day is ongoing work, not a due date worth a reminder.
    row(
        "002",
        "3.2",
        "Ежедневно",
        K.CONTINUOUS,
        start="2023-01-01",
        end="2024-12-31",
        recurrence=Recurrence.DAILY,
        column=INFORM_WHEN,
    ),
    row(
        "002",
        "3.2 (второй с этим номером)",
        "Ноябрь 2023 Апрель 2024",
        K.MONTH_LIST,
        start="2023-11-01",
        end="2024-04-30",
        dates=["2023-11-30", "2024-04-30"],
        column=PLAN_FACT,
    ),
    row(
        "002",
        "3.2 (второй с этим номером)",
        "Ноябрь 2023 Апрель 2024",
        K.MONTH_LIST,
        start="2023-11-01",
        end="2024-04-30",
        dates=["2023-11-30", "2024-04-30"],
        column=INFORM_WHEN,
    ),
    row(
        "002",
        "3.3",
        "2023-2024 ежеквартально",
        K.QUARTERLY,
        start="2023-01-01",
        end="2024-12-31",
        dates=quarter_ends(2023, 2024),
        recurrence=QUARTERLY,
        until="2024-12-31",
        column=PLAN_FACT,
    ),
    row(
        "002",
        "3.3",
        "2023-2024 ежеквартально",
        K.QUARTERLY,
        start="2023-01-01",
        end="2024-12-31",
        dates=quarter_ends(2023, 2024),
        recurrence=QUARTERLY,
        until="2024-12-31",
        column=INFORM_WHEN,
    ),
    span("002", "3.4", "2023-2024", K.YEAR_RANGE, "2023-01-01", "2024-12-31", column=PLAN_FACT),
    span("002", "3.4", "2020-2024", K.YEAR_RANGE, "2020-01-01", "2024-12-31", column=INFORM_WHEN),
    exact("002", "б/н после 3.4", "27.09.2023", "2023-09-27", column=PLAN_FACT),
    span("002", "б/н после 3.4", "2020-2024", K.YEAR_RANGE, "2020-01-01", "2024-12-31", column=INFORM_WHEN),
    row(
        "002",
        "4.1",
        "30.10.2023 30.10.2024",
        K.EXACT_DATE,
        start="2023-10-30",
        end="2024-10-30",
        dates=["2023-10-30", "2024-10-30"],
        column=PLAN_FACT,
    ),
    row(
        "002",
        "4.1",
        "30.11.2023 30.11.2024",
        K.EXACT_DATE,
        start="2023-11-30",
        end="2024-11-30",
        dates=["2023-11-30", "2024-11-30"],
        column=INFORM_WHEN,
    ),
    span("002", "4.2", "2023-2024", K.YEAR_RANGE, "2023-01-01", "2024-12-31", column=PLAN_FACT),
    row("002", "4.2", "По запросу", K.ON_REQUEST, column=INFORM_WHEN),
    row(
        "002",
        "4.3",
        "30.09.2020 30.09.2021 30.09.2022 30.09.2023 30.09.2024",
        K.EXACT_DATE,
        start="2020-09-30",
        end="2024-09-30",
        dates=["2020-09-30", "2021-09-30", "2022-09-30", "2023-09-30", "2024-09-30"],
        column=PLAN_FACT,
    ),
    # The last date breaks the pattern (20.12, not 30.12): kept as written, not «corrected».
    row(
        "002",
        "4.3",
        "30.12.2020 30.12.2021 30.12.2022 30.12.2023 20.12.2024",
        K.EXACT_DATE,
        start="2020-12-30",
        end="2024-12-20",
        dates=["2020-12-30", "2021-12-30", "2022-12-30", "2023-12-30", "2024-12-20"],
        column=INFORM_WHEN,
    ),
    span("002", "4.4", "2020-2024", K.YEAR_RANGE, "2020-01-01", "2024-12-31", column=PLAN_FACT),
    row("002", "4.4", "2020-2024, по запросу", K.ON_REQUEST, start="2020-01-01", end="2024-12-31", column=INFORM_WHEN),
    row(
        "002",
        "5.1",
        "Сентябрь 2020, далее - постоянно",
        K.CONTINUOUS,
        start="2020-09-01",
        end="2024-12-31",
        column=PLAN_FACT,
    ),
    row("002", "5.1", "2020-2024, по запросу", K.ON_REQUEST, start="2020-01-01", end="2024-12-31", column=INFORM_WHEN),
    row(
        "002",
        "5.2",
        "Сентябрь 2020, далее -\nпостоянно",
        K.CONTINUOUS,
        start="2020-09-01",
        end="2024-12-31",
        column=PLAN_FACT,
        joined=True,
    ),
    # Flagged: the first half of the split cell says «далее -» and stops.
    row("002", "5.2 (разрыв)", "Сентябрь 2020, далее -", K.UNKNOWN, needs_review=True, column=PLAN_FACT),
    row("002", "5.2 (разрыв)", "постоянно", K.CONTINUOUS, start="2023-01-01", end="2024-12-31", column=PLAN_FACT),
    row("002", "5.2", "2020-2024, по запросу", K.ON_REQUEST, start="2020-01-01", end="2024-12-31", column=INFORM_WHEN),
    row(
        "002",
        "5.3",
        "Сентябрь 2020, далее - постоянно",
        K.CONTINUOUS,
        start="2020-09-01",
        end="2024-12-31",
        column=PLAN_FACT,
    ),
    row("002", "5.3", "2020-2024, по запросу", K.ON_REQUEST, start="2020-01-01", end="2024-12-31", column=INFORM_WHEN),
    span("002", "6.1", "Ноябрь 2024", K.MONTH, "2024-11-01", "2024-11-30", column=PLAN_FACT),
    span("002", "6.1", "Ноябрь 2024", K.MONTH, "2024-11-01", "2024-11-30", column=INFORM_WHEN),
    span("002", "6.2", "Декабрь 2024", K.MONTH, "2024-12-01", "2024-12-31", column=PLAN_FACT),
    span("002", "6.2", "Декабрь 2024", K.MONTH, "2024-12-01", "2024-12-31", column=INFORM_WHEN),
]

# 003: Хосрехская СОШ, «на 2023– 2024 учебный год»: seven stages, events numbered within each.
SEED_003 = [
    span("003", "заголовок", "на2023– 2024учебный год", K.YEAR_RANGE, "2023-09-01", "2024-08-31", column="Заголовок"),
    span("003", "Положение, заголовок", "2023-2024гг.", K.YEAR_RANGE, "2023-01-01", "2024-12-31", column="Заголовок"),
    span("003", "1.1", "Апрель 2023год", K.MONTH, "2023-04-01", "2023-04-30"),
    span("003", "1.2", "Апрель 2023год", K.MONTH, "2023-04-01", "2023-04-30"),
    row("003", "1.3", "В течении года", K.CONTINUOUS, start="2023-09-01", end="2024-08-31"),
    span("003", "1.4", "Апрель\n2023год", K.MONTH, "2023-04-01", "2023-04-30"),
    span("003", "1.5", "Апрель 2023год", K.MONTH, "2023-04-01", "2023-04-30"),
    span("003", "1.6", "Апрель\nМай \n2023год", K.MONTH_RANGE, "2023-04-01", "2023-05-31"),
    span("003", "2.1", "Июнь\n2023год", K.MONTH, "2023-06-01", "2023-06-30"),
    span("003", "2.2", "Март \n2023 год", K.MONTH, "2023-03-01", "2023-03-31"),
    span("003", "2.3", "Апрель\n2023год", K.MONTH, "2023-04-01", "2023-04-30"),
    span("003", "3.1", "Июнь\n2023 год", K.MONTH, "2023-06-01", "2023-06-30"),
    span("003", "3.2", "Май \n2023год", K.MONTH, "2023-05-01", "2023-05-31"),
    span("003", "3.3", "Апрель\n2023год", K.MONTH, "2023-04-01", "2023-04-30"),
    span("003", "4.1", "Март\n2023год", K.MONTH, "2023-03-01", "2023-03-31"),
    span("003", "4.2", "Апрель\n2023год", K.MONTH, "2023-04-01", "2023-04-30"),
    span("003", "4.3", "Апрель\n2023год", K.MONTH, "2023-04-01", "2023-04-30"),
    span("003", "5.1", "Апрель\n2023год", K.MONTH, "2023-04-01", "2023-04-30"),
    span("003", "5.2", "Апрель\n2023год", K.MONTH, "2023-04-01", "2023-04-30"),
    span("003", "5.3", "Май \n2023год", K.MONTH, "2023-05-01", "2023-05-31"),
    span("003", "5.4", "Май\n2023 год", K.MONTH, "2023-05-01", "2023-05-31"),
    # First meeting in September, the regular meetings through the school year.
    row("003", "6.1", "Сентябрь \n2023год\n\n\nВ течении года", K.CONTINUOUS, start="2023-09-01", end="2024-08-31"),
    row("003", "6.2", "В течении года", K.CONTINUOUS, start="2023-09-01", end="2024-08-31"),
    span("003", "7.1", "Декабрь 2023 год", K.MONTH, "2023-12-01", "2023-12-31"),
    span("003", "7.2", "Декабрь 2023 год", K.MONTH, "2023-12-01", "2023-12-31"),
    span("003", "7.3", "Апрель \n2024год", K.MONTH, "2024-04-01", "2024-04-30"),
]


def yearly(item: str, text: str, *, start: str | None, end: str) -> SeedDeadline:
    """Seed 004's «… 2020 г. (далее ежегодно)»: the first deadline, then every year of the period."""
    return row("004", item, text, K.RECURRING, start=start, end=end, dates=[end], recurrence=YEARLY, until="2024-12-31")


# 004: Республика Башкортостан («Сроки реализации мероприятий», the third cell).
SEED_004 = [
    yearly("1", "до 1 мая 2020 г. (далее ежегодно)", start=None, end="2020-05-01"),
    yearly("2", "до 15 мая 2020 г. (далее ежегодно)", start=None, end="2020-05-15"),
    yearly("3", "до 25 мая 2020 г. (далее ежегодно)", start=None, end="2020-05-25"),
    yearly("4", "до 31 мая 2020 г. (далее ежегодно)", start=None, end="2020-05-31"),
    yearly(
        "5",
        "июль – декабрь 2020 г. \n\n(далее  ежегодно - наполнение и обновление)",
        start="2020-07-01",
        end="2020-12-31",
    ),
    yearly("6", "июль - август 2020 г. (далее – ежегодно)", start="2020-07-01", end="2020-08-31"),
    yearly("7", "июль – октябрь 2020 г. (далее - ежегодно)", start="2020-07-01", end="2020-10-31"),
    yearly("8", "август – декабрь 2020 г. (далее - ежегодно)", start="2020-08-01", end="2020-12-31"),
    by("004", "9", "до 1 августа 2020 г. ", "2020-08-01"),
    by("004", "10", "до 1 августа 2020 г.", "2020-08-01"),
    by("004", "11", "до 15 августа 2020 г.", "2020-08-15"),
    by("004", "12", "до 15 августа 2020 г.", "2020-08-15"),
    span("004", "13", "август – сентябрь 2020 г.", K.MONTH_RANGE, "2020-08-01", "2020-09-30"),
    yearly("14", "август-декабрь 2020 г. (далее ежегодно)", start="2020-08-01", end="2020-12-31"),
    yearly("15", "сентябрь 2020 г. (далее – ежегодно)", start="2020-09-01", end="2020-09-30"),
    yearly("16", "октябрь – декабрь 2020 г. (далее – ежегодно)", start="2020-10-01", end="2020-12-31"),
    yearly("17", "до 5 декабря 2020 г. (далее – ежегодно)", start=None, end="2020-12-05"),
    # The targets inside item 18 are written as deadlines too.
    by("004", "18 (содержание)", "до конца 2020 г.", "2020-12-31", column="Мероприятия"),
    by("004", "18 (содержание)", "до конца 2024 г.", "2024-12-31", column="Мероприятия"),
    yearly("18", "до 25 декабря 2020 г. (далее – ежегодно)", start=None, end="2020-12-25"),
    yearly("19", "до 20 января 2021 г. (далее – ежегодно)", start=None, end="2021-01-20"),
]

SEED_DEADLINES = [*SEED_000, *SEED_001, *SEED_002, *SEED_003, *SEED_004]
