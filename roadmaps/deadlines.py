"""Roadmap deadlines («сроки») as the seeds write them, parsed into dates the portal can act on.

A roadmap cell rarely holds one date: «до 15.03.2021 г.», «март-апрель», «Декабрь 2021 г.»,
«2023-2025 гг.», «Март, июнь, сентябрь, декабрь», «до 1 мая 2020 г. (далее ежегодно)»,
«В течение всего периода реализации ЦМН», «По отдельному графику», «по запросу».
:func:`parse_deadline` turns such a cell into a :class:`Deadline`: the original text, never
altered, plus its kind, span, due dates and recurrence. Text it does not understand is kept,
flagged ``needs_review`` with a Russian ``problem`` for a person to fix, and given no date:
a missing deadline is a nuisance, a wrong one sends reminders on the wrong day.

Why a hand-written parser and not a library such as ``dateparser``:

* the phrasing is Russian officialese with a closed vocabulary («далее ежегодно»,
  «в течение всего периода реализации ЦМН», «по отдельному графику», «2023-2025 гг.»);
  general date libraries do not know these and would need the same rules on top;
* general libraries guess: they fill a missing year from today or a missing day from the
  1st, while here a missing year comes only from the roadmap's own period, or is flagged;
* spans, lists and recurrences («Август-сентябрь 2023, 2024, 2025») are the normal case,
  not the exception a single-date parser is built for;
* it runs once per row of 300-item imports: a few precompiled regular expressions and no
  dependency keep it fast and pure (no ORM, no settings, no clock).

Conventions worth knowing when reading the results:

* ``end`` is the date the portal acts on (due date, end of the span); ``dates`` lists every
  due point written in the cell (one for a single deadline), ``start`` the first day of work.
* «до <date>» is due on that date; «до мая 2021» is due on the last day before May.
* A month with no year takes ``default_year`` if given, else its first occurrence on or after
  ``period_start`` (so «март» in the 2023-2024 school year is March 2024); with neither it is
  flagged. The four quarter-end months with no year («Март, июнь, сентябрь, декабрь») are the
  quarterly monitoring calendar and repeat over the whole period.
* «2023-2024 учебный год» runs from 1 September 2023 to 31 August 2024.
* When ``needs_review`` is set, ``start``, ``end`` and ``dates`` are empty whatever the kind.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

MIN_YEAR = 2000
MAX_YEAR = 2100
# Longer than any real deadline cell; past it the text is a paragraph pasted in the wrong column.
MAX_TEXT_LENGTH = 300


class DeadlineKind(StrEnum):
    """The shape of a deadline («вид срока»)."""

    EXACT_DATE = "exact_date"
    BY_DATE = "by_date"
    DATE_RANGE = "date_range"
    MONTH = "month"
    MONTH_RANGE = "month_range"
    MONTH_LIST = "month_list"
    QUARTERLY = "quarterly"
    YEAR = "year"
    YEAR_RANGE = "year_range"
    RECURRING = "recurring"
    CONTINUOUS = "continuous"
    BY_SCHEDULE = "by_schedule"
    ON_REQUEST = "on_request"
    EXTERNAL = "external"
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        """The Russian name shown to users."""
        return _KIND_LABELS[self]


_KIND_LABELS = {
    DeadlineKind.EXACT_DATE: "Дата",
    DeadlineKind.BY_DATE: "До даты",
    DeadlineKind.DATE_RANGE: "Период дат",
    DeadlineKind.MONTH: "Месяц",
    DeadlineKind.MONTH_RANGE: "Период месяцев",
    DeadlineKind.MONTH_LIST: "Перечень месяцев",
    DeadlineKind.QUARTERLY: "Ежеквартально",
    DeadlineKind.YEAR: "Год",
    DeadlineKind.YEAR_RANGE: "Период лет",
    DeadlineKind.RECURRING: "Повторяется",
    DeadlineKind.CONTINUOUS: "Постоянно",
    DeadlineKind.BY_SCHEDULE: "По графику",
    DeadlineKind.ON_REQUEST: "По запросу",
    DeadlineKind.EXTERNAL: "В сроки, установленные извне",
    DeadlineKind.UNKNOWN: "Не распознан",
}


class Recurrence(StrEnum):
    """How often a deadline comes back («периодичность»)."""

    YEARLY = "yearly"
    QUARTERLY = "quarterly"
    MONTHLY = "monthly"
    # Daily work has no due point worth a reminder: it goes with CONTINUOUS, never expanded.
    DAILY = "daily"


# Kinds that never produce a due date, whatever span they carry.
_UNDATED_KINDS = frozenset(
    {
        DeadlineKind.CONTINUOUS,
        DeadlineKind.BY_SCHEDULE,
        DeadlineKind.ON_REQUEST,
        DeadlineKind.EXTERNAL,
        DeadlineKind.UNKNOWN,
    }
)


@dataclass(frozen=True, slots=True)
class Deadline:
    """A roadmap item's deadline («срок»): the original text and what the portal can act on.

    ``start``/``end`` are the span the work should happen in (``end`` being the due date),
    ``dates`` the due points written in the cell, ``recurrence`` and ``until`` how and until
    when they repeat (``until`` None: open-ended). ``needs_review`` with a Russian ``problem``
    marks text that was not understood: such a deadline carries no date at all.
    """

    text: str
    kind: DeadlineKind
    start: date | None = None
    end: date | None = None
    dates: tuple[date, ...] = ()
    recurrence: Recurrence | None = None
    until: date | None = None
    needs_review: bool = False
    problem: str = ""

    def due_dates(self, window_start: date, window_end: date) -> tuple[date, ...]:
        """Concrete due dates from ``window_start`` to ``window_end`` inclusive, recurrences expanded.

        Yearly recurrences repeat each written date every year; quarterly ones fall on the
        last day of March, June, September and December, monthly ones on the last day of each
        month, both within the deadline's span. Continuous, by-schedule, on-request, external
        and unknown deadlines, and any deadline needing review, have none.
        """
        if self.needs_review or self.kind in _UNDATED_KINDS or window_end < window_start:
            return ()
        if self.recurrence in (Recurrence.QUARTERLY, Recurrence.MONTHLY) or (
            self.recurrence is Recurrence.YEARLY and not self.dates
        ):
            first = max(window_start, self.start) if self.start else window_start
            last = min(window_end, self.until) if self.until else window_end
            return _period_ends(first, last, _PERIOD_MONTHS[self.recurrence])
        if self.recurrence is Recurrence.YEARLY:
            last = min(window_end, self.until) if self.until else window_end
            found = {day for anchor in self.dates for day in _anniversaries(anchor, last) if day >= window_start}
            return tuple(sorted(found))
        return tuple(day for day in self.dates if window_start <= day <= window_end)

    def next_due(self, on: date) -> date | None:
        """The first due date on or after ``on``, or None."""
        horizon = on + timedelta(days=800)
        if self.dates:
            horizon = max(horizon, self.dates[-1])
        upcoming = self.due_dates(on, horizon)
        return upcoming[0] if upcoming else None

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form (ISO dates), e.g. for ``import_roadmap --dry-run``."""
        return {
            "text": self.text,
            "kind": str(self.kind),
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "dates": [day.isoformat() for day in self.dates],
            "recurrence": str(self.recurrence) if self.recurrence else None,
            "until": self.until.isoformat() if self.until else None,
            "needs_review": self.needs_review,
            "problem": self.problem,
        }


# --- dates ------------------------------------------------------------------------------

_PERIOD_MONTHS = {Recurrence.MONTHLY: 1, Recurrence.QUARTERLY: 3, Recurrence.YEARLY: 12}


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _period_ends(first: date, last: date, step: int) -> tuple[date, ...]:
    """Last days of every month whose number is a multiple of ``step``, from ``first`` to ``last``."""
    found = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        if month % step == 0:
            end = _month_end(year, month)
            if first <= end <= last:
                found.append(end)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return tuple(found)


def _anniversaries(anchor: date, last: date) -> list[date]:
    """``anchor`` and the same day every following year up to ``last`` (29 February → 28th)."""
    found = []
    year = anchor.year
    while True:
        day = date(year, anchor.month, min(anchor.day, calendar.monthrange(year, anchor.month)[1]))
        if day > last:
            return found
        found.append(day)
        year += 1


# --- normalisation ----------------------------------------------------------------------

_DASHES = str.maketrans(dict.fromkeys("‐‑‒–—―−", "-"))
# Latin letters that look Cyrillic, as they slip into documents typed on a mixed keyboard.
# Every keyword below is Cyrillic, so mapping them in the normalised copy is safe.
_LOOKALIKES = str.maketrans("abcehkmoptxy", "авсенкмортху")
_DIGIT_LETTER = re.compile(r"(?<=\d)(?=[а-я])|(?<=[а-я])(?=\d)")
_SPACES = re.compile(r"\s+")
_SPACED_DASH = re.compile(r" ?- ?")
# «г.», «г», «гг.», «г.г.», «год», «года», «годы» after a year: noise once the year is read.
_YEAR_WORD = re.compile(r"(?<=\d) ?(?:г\. ?г\.?|гг\.?|годы|года|год|г\.?)(?![а-я])")
_FILLER = re.compile(r"(?:^| )(?:в|во|на|срок|сроки)(?= |$)")
_NOT_LATER = re.compile(r"\bне позднее\b|\bне позже\b")


def _normalise(text: str) -> str:
    """Lower-case, one kind of dash, single spaces, year words dropped: one spelling per meaning."""
    s = text.lower().replace("ё", "е").translate(_DASHES).translate(_LOOKALIKES)
    s = _DIGIT_LETTER.sub(" ", s)
    s = _SPACES.sub(" ", s).strip()
    s = _SPACED_DASH.sub("-", s)
    s = _YEAR_WORD.sub("", s)
    return _NOT_LATER.sub("до", s)


# --- phrases ----------------------------------------------------------------------------

_MONTH = (
    r"(?:январ[ьяе]|феврал[ьяе]|март[ае]?|апрел[ьяе]|ма[йяе]|июн[ьяе]|июл[ьяе]|август[ае]?"
    r"|сентябр[ьяе]|октябр[ьяе]|ноябр[ьяе]|декабр[ьяе])"
)
_MONTH_STEMS = (
    ("январ", 1),
    ("феврал", 2),
    ("март", 3),
    ("апрел", 4),
    ("июн", 6),
    ("июл", 7),
    ("август", 8),
    ("сентябр", 9),
    ("октябр", 10),
    ("ноябр", 11),
    ("декабр", 12),
    ("ма", 5),  # last: «март» also starts with «ма»
)
_MONTH_WORD = re.compile(_MONTH)

# «(далее ежегодно)», «, далее - постоянно», «(далее ежегодно - наполнение и обновление)».
_THEN = re.compile(r"\(?,? ?далее[ -]*(?P<word>ежегодно|ежеквартально|ежемесячно|ежедневно|постоянно)[^)]*\)?")
_RECURRENCE_WORDS = {
    "ежегодно": Recurrence.YEARLY,
    "ежеквартально": Recurrence.QUARTERLY,
    "ежемесячно": Recurrence.MONTHLY,
    "ежедневно": Recurrence.DAILY,
}
_STANDALONE_RECURRENCE = re.compile(r"\b(?:ежегодно|ежеквартально|ежемесячно)\b")

_WORDS_TAIL = rf"(?: (?!{_MONTH}\b)[а-я]+)*"
# Phrases that decide the kind whatever dates stand beside them; first match wins.
_PHRASES: tuple[tuple[re.Pattern[str], DeadlineKind, Recurrence | None], ...] = (
    (re.compile(rf"в соответствии со сроками реализации{_WORDS_TAIL}"), DeadlineKind.CONTINUOUS, None),
    (
        re.compile(rf"(?:в соответствии со сроками|в сроки),? (?:устанавлива|установлен|определя)[а-я]*{_WORDS_TAIL}"),
        DeadlineKind.EXTERNAL,
        None,
    ),
    (
        re.compile(
            r"(?:в течени[еи]|на протяжении) (?:всего |всех )?(?:учебного |календарного )?"
            rf"(?:года|периода|срока){_WORDS_TAIL}"
        ),
        DeadlineKind.CONTINUOUS,
        None,
    ),
    (re.compile(r"\bпостоянно\b"), DeadlineKind.CONTINUOUS, None),
    (re.compile(r"\bежедневно\b"), DeadlineKind.CONTINUOUS, Recurrence.DAILY),
    (
        re.compile(r"(?:по|согласно) (?:отдельному |утвержденному )?график[а-я]*"),
        DeadlineKind.BY_SCHEDULE,
        None,
    ),
    (re.compile(r"по (?:запросу|требованию|мере необходимости)"), DeadlineKind.ON_REQUEST, None),
)
# «в течение 2023 года», «в течение марта-апреля 2023»: continuous over the dates that follow.
# Matched after fillers such as «в» are dropped.
_DURING = re.compile(r"(?:в )?(?:течени[еи]|на протяжении) (?P<rest>.+)")

# --- spans ------------------------------------------------------------------------------

_Y = r"\d{4}"
_D = r"\d{1,2}\.\d{1,2}(?:\.(?:\d{4}|\d{2}))?"
_SEP = r"(?:, ?|; ?| и | )"

_P_DATE = re.compile(rf"(?P<by>до )?(?P<d>{_D})")
_P_DATE_LIST = re.compile(rf"(?P<by>до )?(?P<list>{_D}(?:{_SEP}{_D})+)")
_P_DATE_RANGE = re.compile(rf"(?:с )?(?P<a>{_D})(?:-| по )(?P<b>{_D})")
_P_DAY_MONTH = re.compile(rf"(?P<by>до )?(?P<day>\d{{1,2}}) (?P<m>{_MONTH})(?: (?P<y>{_Y}))?")
_P_BY_END = re.compile(rf"до (?:конца|окончания) (?:(?P<m>{_MONTH}) )?(?:(?P<y>{_Y})|года)")
_P_BY_MONTH = re.compile(rf"до (?P<m>{_MONTH})(?: (?P<y>{_Y}))?")
_P_MONTH_PAIR = re.compile(
    rf"(?P<from>с )?(?P<m1>{_MONTH})(?: (?P<y1>{_Y}))?(?P<sep>-| по | )(?P<m2>{_MONTH})(?: (?P<y2>{_Y}))?"
    rf"(?P<more>(?:, ?{_Y})*)"
)
_P_MONTH_LIST = re.compile(rf"(?P<list>{_MONTH}(?:{_SEP}{_MONTH})+)(?: (?P<y>{_Y}))?")
_P_MONTH_YEAR_LIST = re.compile(rf"{_MONTH} {_Y}(?:{_SEP}{_MONTH} {_Y})+")
_P_MONTH = re.compile(rf"(?P<m>{_MONTH})(?: (?P<y>{_Y})(?P<more>(?:, ?{_Y})*))?")
_P_YEARS = re.compile(rf"(?P<y1>{_Y})(?:-(?P<y2>{_Y}))?(?P<school> учебн[а-я]* год[а-я]*)?")
_P_QUARTER = re.compile(rf"(?P<q>[1-4]|i{{1,3}}|iv)(?:-?(?:й|ый|ом))? квартал[а-я]*(?: (?P<y>{_Y}))?")
_QUARTER_NUMBERS = {"1": 1, "2": 2, "3": 3, "4": 4, "i": 1, "ii": 2, "iii": 3, "iv": 4}
_QUARTER_MONTHS = (3, 6, 9, 12)
_YEAR_IN = re.compile(_Y)


class _Review(Exception):
    """A cell understood in shape but not safely datable: flag it with this Russian message."""

    def __init__(self, message: str, kind: DeadlineKind = DeadlineKind.UNKNOWN) -> None:
        super().__init__(message)
        self.message = message
        self.kind = kind


@dataclass(frozen=True, slots=True)
class _Span:
    kind: DeadlineKind
    start: date | None
    end: date | None
    dates: tuple[date, ...]
    recurrence: Recurrence | None = None
    until: date | None = None


@dataclass(frozen=True, slots=True)
class _Context:
    """What the roadmap around the cell tells: its period and the year to assume."""

    period_start: date | None
    period_end: date | None
    default_year: int | None

    def year_for(self, month: int, shown: str, kind: DeadlineKind) -> int:
        """The year of a month written without one, or a review flag when nothing tells it."""
        if self.default_year is not None:
            return self.default_year
        if self.period_start is None:
            raise _Review(f"В сроке «{shown}» не указан год, а период дорожной карты неизвестен: укажите год.", kind)
        year = self.period_start.year + (1 if month < self.period_start.month else 0)
        if self.period_end is not None and date(year, month, 1) > self.period_end:
            raise _Review(
                f"Срок «{shown}» без года не попадает в период дорожной карты "
                f"({self.period_start:%d.%m.%Y}–{self.period_end:%d.%m.%Y}): укажите год.",
                kind,
            )
        return year

    def span(self) -> tuple[date | None, date | None]:
        """The span of work with no dates of its own: the period, else the default year."""
        if self.period_start or self.period_end:
            return self.period_start, self.period_end
        if self.default_year is not None:
            return date(self.default_year, 1, 1), date(self.default_year, 12, 31)
        return None, None


def _month_number(word: str) -> int:
    return next(number for stem, number in _MONTH_STEMS if word.startswith(stem))


def _months_in(text: str) -> list[int]:
    return [_month_number(word) for word in _MONTH_WORD.findall(text)]


def _year(raw: str, kind: DeadlineKind) -> int:
    year = int(raw)
    if len(raw) == 2:
        year += 2000
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise _Review(f"Год {raw} вне диапазона {MIN_YEAR}–{MAX_YEAR}: вероятно, опечатка.", kind)
    return year


def _make_date(year: int, month: int, day: int, shown: str, kind: DeadlineKind) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise _Review(f"Даты «{shown}» не существует.", kind) from None


def _numeric_date(raw: str, ctx: _Context, kind: DeadlineKind) -> date:
    parts = raw.split(".")
    day, month = int(parts[0]), int(parts[1])
    if not 1 <= month <= 12:
        raise _Review(f"Даты «{raw}» не существует.", kind)
    year = _year(parts[2], kind) if len(parts) == 3 else ctx.year_for(month, raw, kind)
    return _make_date(year, month, day, raw, kind)


def _check_order(first: date, last: date, shown: str, kind: DeadlineKind) -> None:
    if first > last:
        raise _Review(f"В сроке «{shown}» начало позже окончания.", kind)


def _single(kind: DeadlineKind, start: date | None, end: date) -> _Span:
    return _Span(kind, start, end, (end,))


def _month_span(kind: DeadlineKind, year: int, first: int, last: int, last_year: int | None = None) -> _Span:
    return _single(kind, date(year, first, 1), _month_end(last_year or year, last))


def _parse_span(s: str, ctx: _Context) -> _Span | None:
    """The dates in a cleaned cell, None if its shape is not one we know."""
    K = DeadlineKind
    if m := _P_DATE.fullmatch(s):
        kind = K.BY_DATE if m["by"] else K.EXACT_DATE
        day = _numeric_date(m["d"], ctx, kind)
        return _single(kind, None if m["by"] else day, day)
    if m := _P_DATE_LIST.fullmatch(s):
        kind = K.BY_DATE if m["by"] else K.EXACT_DATE
        days = tuple(sorted({_numeric_date(raw, ctx, kind) for raw in re.findall(_D, m["list"])}))
        return _Span(kind, None if m["by"] else days[0], days[-1], days)
    if m := _P_DATE_RANGE.fullmatch(s):
        first, last = (_numeric_date(m[key], ctx, K.DATE_RANGE) for key in ("a", "b"))
        _check_order(first, last, s, K.DATE_RANGE)
        return _single(K.DATE_RANGE, first, last)
    if m := _P_DAY_MONTH.fullmatch(s):
        kind = K.BY_DATE if m["by"] else K.EXACT_DATE
        month = _month_number(m["m"])
        year = _year(m["y"], kind) if m["y"] else ctx.year_for(month, s, kind)
        day = _make_date(year, month, int(m["day"]), s, kind)
        return _single(kind, None if m["by"] else day, day)
    if m := _P_BY_END.fullmatch(s):
        month = _month_number(m["m"]) if m["m"] else 12
        year = _year(m["y"], K.BY_DATE) if m["y"] else ctx.year_for(month, s, K.BY_DATE)
        return _single(K.BY_DATE, None, _month_end(year, month))
    if m := _P_BY_MONTH.fullmatch(s):
        # «до мая 2021» is before May: due on the last day of April.
        month = _month_number(m["m"])
        year = _year(m["y"], K.BY_DATE) if m["y"] else ctx.year_for(month, s, K.BY_DATE)
        return _single(K.BY_DATE, None, date(year, month, 1) - timedelta(days=1))
    if m := _P_MONTH_PAIR.fullmatch(s):
        return _month_pair(m, s, ctx)
    if m := _P_MONTH_YEAR_LIST.fullmatch(s):
        pairs = re.findall(rf"({_MONTH}) ({_Y})", s)
        ends = [_month_end(_year(y, K.MONTH_LIST), _month_number(word)) for word, y in pairs]
        if ends != sorted(ends):
            raise _Review(f"Месяцы в сроке «{s}» перечислены не по порядку.", K.MONTH_LIST)
        return _Span(K.MONTH_LIST, ends[0].replace(day=1), ends[-1], tuple(ends))
    if m := _P_MONTH_LIST.fullmatch(s):
        return _month_list(_months_in(m["list"]), m["y"], s, ctx)
    if m := _P_MONTH.fullmatch(s):
        month = _month_number(m["m"])
        if not m["y"]:
            return _month_span(K.MONTH, ctx.year_for(month, s, K.MONTH), month, month)
        years = [_year(y, K.MONTH) for y in _YEAR_IN.findall(m["y"] + (m["more"] or ""))]
        if len(years) == 1:
            return _month_span(K.MONTH, years[0], month, month)
        return _repeated(K.MONTH_LIST, years, month, month, s)
    if m := _P_YEARS.fullmatch(s):
        return _years(m, s)
    if m := _P_QUARTER.fullmatch(s):
        quarter = _QUARTER_NUMBERS[m["q"]]
        last = quarter * 3
        year = _year(m["y"], K.MONTH_RANGE) if m["y"] else ctx.year_for(last - 2, s, K.MONTH_RANGE)
        return _month_span(K.MONTH_RANGE, year, last - 2, last)
    return None


def _month_pair(m: re.Match[str], s: str, ctx: _Context) -> _Span:
    """Two months: a range («март-апрель», «С марта по декабрь 2021», «Апрель Май 2023»)
    or, when only a space parts them and they are not neighbours or both carry a year, a list.
    """
    K = DeadlineKind
    m1, m2 = _month_number(m["m1"]), _month_number(m["m2"])
    if m["sep"] == " " and (m["y1"] or m2 != m1 + 1):
        if m["more"]:
            raise _Review(f"Не удалось разобрать годы в сроке «{s}».", K.MONTH_LIST)
        if m["y1"]:
            y1 = _year(m["y1"], K.MONTH_LIST)
            y2 = _year(m["y2"], K.MONTH_LIST) if m["y2"] else y1
            first, last = _month_end(y1, m1), _month_end(y2, m2)
            _check_order(first, last, s, K.MONTH_LIST)
            return _Span(K.MONTH_LIST, first.replace(day=1), last, (first, last))
        return _month_list([m1, m2], m["y2"], s, ctx)
    kind = K.MONTH_RANGE
    y1 = _year(m["y1"], kind) if m["y1"] else None
    y2 = _year(m["y2"], kind) if m["y2"] else None
    if m["more"]:
        if y1 or not y2:
            raise _Review(f"Не удалось разобрать годы в сроке «{s}».", kind)
        years = [y2, *(_year(y, kind) for y in _YEAR_IN.findall(m["more"]))]
        if m2 < m1:
            raise _Review(f"В сроке «{s}» начало позже окончания.", kind)
        return _repeated(kind, years, m1, m2, s)
    if y1 is None and y2 is not None:
        if m2 < m1:
            raise _Review(f"Непонятно, к какому году относится начало срока «{s}»: укажите год у обоих месяцев.", kind)
        y1 = y2
    elif y1 is None:
        y1 = ctx.year_for(m1, s, kind)
    if y2 is None:
        y2 = y1 if m2 >= m1 else y1 + 1
    first = date(y1, m1, 1)
    last = _month_end(y2, m2)
    _check_order(first, last, s, kind)
    return _single(kind, first, last)


def _month_list(months: list[int], raw_year: str | None, s: str, ctx: _Context) -> _Span:
    """«Март, июнь, сентябрь, декабрь»: each month a due point on its last day."""
    K = DeadlineKind
    if raw_year:
        year = _year(raw_year, K.MONTH_LIST)
        if months != sorted(set(months)):
            raise _Review(f"Месяцы в сроке «{s}» перечислены не по порядку.", K.MONTH_LIST)
        ends = tuple(_month_end(year, month) for month in months)
        return _Span(K.MONTH_LIST, ends[0].replace(day=1), ends[-1], ends)
    if tuple(months) == _QUARTER_MONTHS:
        first, last = ctx.span()
        if first and last:
            return _Span(K.MONTH_LIST, first, last, _period_ends(first, last, 3), Recurrence.QUARTERLY, last)
    year = ctx.year_for(months[0], s, K.MONTH_LIST)
    ends = []
    for month in months:
        # The list runs forward in time: a month not after the previous one is next year's.
        if ends and month <= ends[-1].month:
            year += 1
        ends.append(_month_end(year, month))
    return _Span(K.MONTH_LIST, ends[0].replace(day=1), ends[-1], tuple(ends))


def _repeated(kind: DeadlineKind, years: list[int], m1: int, m2: int, s: str) -> _Span:
    """The same months in several years: «Январь 2024, 2025», «Август-сентябрь 2023, 2024, 2025»."""
    if years != sorted(set(years)):
        raise _Review(f"Годы в сроке «{s}» перечислены не по порядку.", kind)
    ends = tuple(_month_end(year, m2) for year in years)
    return _Span(kind, date(years[0], m1, 1), ends[-1], ends)


def _years(m: re.Match[str], s: str) -> _Span:
    K = DeadlineKind
    kind = K.YEAR_RANGE if m["y2"] or m["school"] else K.YEAR
    y1 = _year(m["y1"], kind)
    if m["school"]:
        if not m["y2"]:
            raise _Review(f"Укажите учебный год двумя годами, например «{y1}-{y1 + 1} учебный год».", kind)
        y2 = _year(m["y2"], kind)
        if y2 != y1 + 1:
            raise _Review(f"Учебный год «{s}» должен охватывать два соседних года.", kind)
        return _single(kind, date(y1, 9, 1), date(y2, 8, 31))
    y2 = _year(m["y2"], kind) if m["y2"] else y1
    if y2 < y1:
        raise _Review(f"В сроке «{s}» начало позже окончания.", kind)
    return _single(kind, date(y1, 1, 1), date(y2, 12, 31))


def _clean(s: str) -> str:
    s = _FILLER.sub(" ", s)
    s = _SPACES.sub(" ", s)
    # Not «-»: a dangling dash («март-») is a cut-off range, not a month.
    return s.strip(" ,;.()")


# --- the parser -------------------------------------------------------------------------


def parse_deadline(
    text: str,
    *,
    period_start: date | None = None,
    period_end: date | None = None,
    default_year: int | None = None,
) -> Deadline:
    """Parse a roadmap deadline cell; never raises on bad text, flags it instead.

    ``period_start``/``period_end`` are the roadmap's period: they resolve a month written
    without a year and bound continuous and recurring work. ``default_year`` overrides the
    year assumed for a month without one.
    """
    if period_start and period_end and period_start > period_end:
        raise ValueError("period_start must not be after period_end")
    ctx = _Context(period_start, period_end, default_year)
    try:
        return _parse(text, ctx)
    except _Review as review:
        return Deadline(text=text, kind=review.kind, needs_review=True, problem=review.message)


def _parse(text: str, ctx: _Context) -> Deadline:
    K = DeadlineKind
    s = _normalise(text)
    if not s:
        raise _Review("Срок не указан.")
    if len(s) > MAX_TEXT_LENGTH:
        raise _Review(f"Текст срока слишком длинный ({len(s)} символов): оставьте в ячейке только дату или период.")

    then: str | None = None
    if m := _THEN.search(s):
        then = m["word"]
        s = s[: m.start()] + " " + s[m.end() :]
    if "далее" in s:
        raise _Review("После «далее» не указано, как продолжается срок (например, «далее ежегодно»).")

    for pattern, phrase_kind, phrase_recurrence in _PHRASES:
        if m := pattern.search(s):
            before, after = _clean(s[: m.start()]), _clean(s[m.end() :])
            return _with_phrase(text, phrase_kind, phrase_recurrence, before, after, then, ctx)

    recurrence = None
    if m := _STANDALONE_RECURRENCE.search(s):
        recurrence = _RECURRENCE_WORDS[m[0]]
        s = s[: m.start()] + " " + s[m.end() :]
    s = _clean(s)

    if not recurrence and not then and (m := _DURING.fullmatch(s)):
        span = _parse_span(_clean(m["rest"]), ctx)
        if span is None:
            raise _unknown(text)
        return Deadline(text=text, kind=K.CONTINUOUS, start=span.start, end=span.end)

    span = _parse_span(s, ctx) if s else None
    if s and span is None:
        raise _unknown(text)

    if then == "постоянно" or then == "ежедневно":
        return _continuous_from(text, span, ctx, _RECURRENCE_WORDS.get(then))
    if then:
        if span is None:
            raise _Review("Не указано, с какой даты срок повторяется.", K.RECURRING)
        return Deadline(
            text=text,
            kind=K.RECURRING,
            start=span.start,
            end=span.end,
            dates=span.dates,
            recurrence=_RECURRENCE_WORDS[then],
            until=ctx.period_end,
        )
    if recurrence:
        return _calendar_recurrence(text, recurrence, span, ctx)
    if span is None:
        raise _unknown(text)
    return Deadline(
        text=text,
        kind=span.kind,
        start=span.start,
        end=span.end,
        dates=span.dates,
        recurrence=span.recurrence,
        until=span.until,
    )


def _with_phrase(
    text: str,
    kind: DeadlineKind,
    recurrence: Recurrence | None,
    before: str,
    after: str,
    then: str | None,
    ctx: _Context,
) -> Deadline:
    """A cell led by a phrase («постоянно», «по запросу», …), with any dates written beside it."""
    K = DeadlineKind
    rest = " ".join(part for part in (before, after) if part)
    span = _parse_span(rest, ctx) if rest else None
    if rest and span is None:
        raise _unknown(text)
    if then:
        raise _Review("Срок сочетает «далее …» с другим указанием срока: уточните срок.", kind)
    if kind is K.CONTINUOUS:
        if span is None:
            start, end = ctx.span()
            return Deadline(text=text, kind=kind, start=start, end=end, recurrence=recurrence)
        if after:
            # «В течение года, август-сентябрь»: is the month a checkpoint or the whole span?
            raise _Review(
                f"Срок «{text.strip()}» сочетает работу в течение периода и отдельный срок после неё: "
                "непонятно, какой из них срок исполнения. Уточните срок или разделите мероприятие.",
                kind,
            )
        return _continuous_from(text, span, ctx, recurrence)
    if kind is K.EXTERNAL:
        return Deadline(text=text, kind=kind)
    # By schedule, on request: the dates beside the phrase are the span it applies to.
    return Deadline(text=text, kind=kind, start=span.start if span else None, end=span.end if span else None)


def _continuous_from(text: str, span: _Span | None, ctx: _Context, recurrence: Recurrence | None) -> Deadline:
    """«Сентябрь 2020, далее - постоянно», «Сентябрь 2023 В течении года»: work from a date on."""
    period_start, period_end = ctx.span()
    start = span.start if span else period_start
    end = period_end if period_end and (start is None or period_end >= start) else None
    return Deadline(text=text, kind=DeadlineKind.CONTINUOUS, start=start, end=end, recurrence=recurrence)


def _calendar_recurrence(text: str, recurrence: Recurrence, span: _Span | None, ctx: _Context) -> Deadline:
    """«ежеквартально», «2023-2024 ежеквартально», «до 1 мая 2020 ежегодно»."""
    K = DeadlineKind
    kind = K.QUARTERLY if recurrence is Recurrence.QUARTERLY else K.RECURRING
    if span is not None and span.kind not in (K.YEAR, K.YEAR_RANGE):
        # A dated anchor repeats from itself, as «далее ежегодно» does.
        return Deadline(
            text=text,
            kind=K.RECURRING,
            start=span.start,
            end=span.end,
            dates=span.dates,
            recurrence=recurrence,
            until=ctx.period_end,
        )
    start, end = (span.start, span.end) if span else ctx.span()
    dates = _period_ends(start, end, _PERIOD_MONTHS[recurrence]) if start and end else ()
    return Deadline(text=text, kind=kind, start=start, end=end, dates=dates, recurrence=recurrence, until=end)


def _unknown(text: str) -> _Review:
    shown = _SPACES.sub(" ", text).strip()
    return _Review(
        f"Не удалось распознать срок «{shown}». Укажите дату («до 15.03.2021»), месяц («март 2021»), "
        "период («2023-2025 гг.») или «постоянно»."
    )
