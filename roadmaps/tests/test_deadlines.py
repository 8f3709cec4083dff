"""The deadline parser: every deadline of the five seeds, then the edge cases real documents bring."""

from __future__ import annotations

import dataclasses
import json
import time
from datetime import date

import pytest
from django.conf import settings

from roadmaps.deadlines import Deadline, DeadlineKind, Recurrence, parse_deadline
from roadmaps.tests.make_seed_files import SEEDS_DIR
from roadmaps.tests.seed_deadlines import SEED_DEADLINES, SEED_FILES, SEED_PERIODS, SeedDeadline

K = DeadlineKind
PERIOD_2023_2025 = {"period_start": date(2023, 1, 1), "period_end": date(2025, 12, 31)}
SCHOOL_YEAR_2023 = {"period_start": date(2023, 9, 1), "period_end": date(2024, 8, 31)}


def parse_in_seed(case: SeedDeadline) -> Deadline:
    start, end = SEED_PERIODS[case.seed]
    return parse_deadline(case.text, period_start=start, period_end=end)


# --- every seed deadline ----------------------------------------------------------------


@pytest.mark.parametrize("case", SEED_DEADLINES, ids=lambda case: case.id)
def test_seed_deadline_parses_as_the_table_says(case: SeedDeadline) -> None:
    deadline = parse_in_seed(case)

    assert (
        deadline.kind,
        deadline.start,
        deadline.end,
        deadline.dates,
        deadline.recurrence,
        deadline.until,
        deadline.needs_review,
    ) == (case.kind, case.start, case.end, case.dates, case.recurrence, case.until, case.needs_review), deadline.problem


@pytest.mark.parametrize("case", SEED_DEADLINES, ids=lambda case: case.id)
def test_seed_deadline_keeps_its_original_text_unaltered(case: SeedDeadline) -> None:
    assert parse_in_seed(case).text == case.text


def test_table_holds_every_deadline_of_every_seed() -> None:
    """A guard against rows dropped by accident: the counts are those of the seeds read line by line."""
    cells_per_seed = {seed: sum(case.seed == seed for case in SEED_DEADLINES) for seed in SEED_FILES}
    distinct_texts = {case.text for case in SEED_DEADLINES}

    assert cells_per_seed == {"000": 40, "001": 28, "002": 65, "003": 26, "004": 21}
    assert len(distinct_texts) == 108


def test_only_the_two_ambiguous_seed_texts_are_flagged_for_review() -> None:
    flagged = {case.text for case in SEED_DEADLINES if case.needs_review}

    assert flagged == {"В течение года, август-сентябрь ", "Сентябрь 2020, далее -"}


def test_every_seed_text_is_kept_in_the_repository() -> None:
    """The seed texts live in ``fixtures/seeds/``: a plain clone runs every test that reads them, none skips."""
    assert SEEDS_DIR.is_relative_to(settings.BASE_DIR)
    assert sorted(path.name for path in SEEDS_DIR.glob("*.txt")) == sorted(SEED_FILES.values())


@pytest.mark.parametrize("case", [case for case in SEED_DEADLINES if not case.joined], ids=lambda case: case.id)
def test_seed_text_is_written_exactly_as_in_the_seed(case: SeedDeadline) -> None:
    assert case.text in (SEEDS_DIR / SEED_FILES[case.seed]).read_text(encoding="utf-8")


@pytest.mark.parametrize("case", [case for case in SEED_DEADLINES if case.dates], ids=lambda case: case.id)
def test_dated_seed_deadline_is_due_on_its_last_date_in_order(case: SeedDeadline) -> None:
    deadline = parse_in_seed(case)

    assert deadline.end == deadline.dates[-1]
    assert list(deadline.dates) == sorted(deadline.dates)


# --- a missing year ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["март-апрель", "март", "март-декабрь", "Ноябрь-декабрь", "Март, июнь, сентябрь, декабрь", "Сентябрь", "до 15 мая"],
)
def test_month_without_a_year_and_no_period_is_flagged_not_guessed(text: str) -> None:
    deadline = parse_deadline(text)

    assert deadline.needs_review
    assert (deadline.start, deadline.end, deadline.dates) == (None, None, ())
    assert "не указан год" in deadline.problem


def test_month_range_without_a_year_keeps_its_kind_while_flagged() -> None:
    assert parse_deadline("март-апрель").kind is K.MONTH_RANGE


def test_default_year_gives_the_missing_year() -> None:
    deadline = parse_deadline("март-апрель", default_year=2022, **PERIOD_2023_2025)

    assert (deadline.start, deadline.end) == (date(2022, 3, 1), date(2022, 4, 30))


def test_month_before_the_period_start_falls_in_the_next_year_of_a_school_year() -> None:
    deadline = parse_deadline("март", **SCHOOL_YEAR_2023)

    assert (deadline.start, deadline.end) == (date(2024, 3, 1), date(2024, 3, 31))


def test_month_range_across_new_year_without_a_year_runs_forward() -> None:
    deadline = parse_deadline("декабрь-январь", **SCHOOL_YEAR_2023)

    assert (deadline.start, deadline.end) == (date(2023, 12, 1), date(2024, 1, 31))


def test_month_without_a_year_outside_the_period_is_flagged() -> None:
    deadline = parse_deadline("Сентябрь", period_start=date(2023, 1, 1), period_end=date(2023, 6, 30))

    assert deadline.needs_review
    assert deadline.end is None
    assert "не попадает в период" in deadline.problem


def test_month_range_ending_before_it_starts_in_one_written_year_is_flagged() -> None:
    deadline = parse_deadline("декабрь-март 2023")

    assert deadline.needs_review
    assert deadline.dates == ()
    assert "укажите год у обоих месяцев" in deadline.problem


def test_month_list_without_a_year_runs_forward_through_the_school_year() -> None:
    deadline = parse_deadline("сентябрь, декабрь, март", **SCHOOL_YEAR_2023)

    assert deadline.dates == (date(2023, 9, 30), date(2023, 12, 31), date(2024, 3, 31))


def test_quarter_end_months_without_a_year_and_only_a_default_year_fall_in_that_year() -> None:
    deadline = parse_deadline("Март, июнь, сентябрь, декабрь", default_year=2024)

    assert deadline.dates == (date(2024, 3, 31), date(2024, 6, 30), date(2024, 9, 30), date(2024, 12, 31))


# --- what real documents do -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "end"),
    [
        ("до 15.03.2021", K.BY_DATE, date(2021, 3, 15)),
        ("ДО 15.03.2021 Г.", K.BY_DATE, date(2021, 3, 15)),
        ("до 15.03.2021года", K.BY_DATE, date(2021, 3, 15)),
        ("не позднее 15.03.2021", K.BY_DATE, date(2021, 3, 15)),
        ("15.03.21г.", K.EXACT_DATE, date(2021, 3, 15)),
        ("до 5.3.21", K.BY_DATE, date(2021, 3, 5)),
        ("до\n1 мая\n2020 г.", K.BY_DATE, date(2020, 5, 1)),
        ("до 29.02.2024", K.BY_DATE, date(2024, 2, 29)),
        ("в марте 2023 г.", K.MONTH, date(2023, 3, 31)),
        ("Сентябрь—октябрь 2021 г.", K.MONTH_RANGE, date(2021, 10, 31)),
        ("сентябрь – октябрь 2021", K.MONTH_RANGE, date(2021, 10, 31)),
        ("сентябрь -октябрь 2021г", K.MONTH_RANGE, date(2021, 10, 31)),
        ("декабрь 2023 – январь 2024", K.MONTH_RANGE, date(2024, 1, 31)),
        ("2023–2025 гг.", K.YEAR_RANGE, date(2025, 12, 31)),
        ("2023 - 2025 годы", K.YEAR_RANGE, date(2025, 12, 31)),
        ("2023-2024 учебный год", K.YEAR_RANGE, date(2024, 8, 31)),
        ("с 01.09.2023 по 31.05.2024", K.DATE_RANGE, date(2024, 5, 31)),
        ("01.09.2023 – 31.05.2024", K.DATE_RANGE, date(2024, 5, 31)),
        ("IV квартал 2023 г.", K.MONTH_RANGE, date(2023, 12, 31)),
        ("до конца 2020 г.", K.BY_DATE, date(2020, 12, 31)),
        ("до конца марта 2021 года", K.BY_DATE, date(2021, 3, 31)),
        ("в течение 2023 года", K.CONTINUOUS, date(2023, 12, 31)),
    ],
)
def test_real_world_spelling_is_understood(text: str, kind: DeadlineKind, end: date) -> None:
    deadline = parse_deadline(text)

    assert (deadline.kind, deadline.end, deadline.needs_review) == (kind, end, False), deadline.problem


@pytest.mark.parametrize(
    ("text", "kind", "end"),
    [
        # Latin «o» in «до»; Latin «M» and «a» in «Март»; Latin «C», «e», «p» in «Сентябрь».
        ("дo 15.03.2021", K.BY_DATE, date(2021, 3, 15)),
        ("Maрт 2023", K.MONTH, date(2023, 3, 31)),
        ("Ceнтябpь 2023", K.MONTH, date(2023, 9, 30)),
        ("пocтoяннo", K.CONTINUOUS, None),
    ],
)
def test_latin_look_alike_letters_are_read_as_cyrillic(text: str, kind: DeadlineKind, end: date | None) -> None:
    deadline = parse_deadline(text)

    assert (deadline.kind, deadline.end, deadline.needs_review) == (kind, end, False)
    assert deadline.text == text


def test_several_due_dates_in_one_cell_are_all_kept_in_order() -> None:
    deadline = parse_deadline("30.11.2024; 30.11.2023")

    assert deadline.dates == (date(2023, 11, 30), date(2024, 11, 30))
    assert deadline.end == date(2024, 11, 30)


def test_by_date_has_no_start() -> None:
    assert parse_deadline("до 15.03.2021").start is None


def test_two_months_side_by_side_that_are_not_neighbours_are_a_list_not_a_range() -> None:
    deadline = parse_deadline("март июнь 2023")

    assert deadline.kind is K.MONTH_LIST
    assert deadline.dates == (date(2023, 3, 31), date(2023, 6, 30))


def test_continuous_work_without_a_period_has_no_span_and_is_not_flagged() -> None:
    deadline = parse_deadline("постоянно")

    assert (deadline.kind, deadline.start, deadline.end, deadline.needs_review) == (K.CONTINUOUS, None, None, False)


def test_continuous_work_with_only_a_default_year_spans_that_year() -> None:
    deadline = parse_deadline("в течение года", default_year=2023)

    assert (deadline.start, deadline.end) == (date(2023, 1, 1), date(2023, 12, 31))


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("По отдельному графику", K.BY_SCHEDULE),
        ("согласно графику", K.BY_SCHEDULE),
        ("по запросу", K.ON_REQUEST),
        ("по мере необходимости", K.ON_REQUEST),
        ("в сроки, установленные Минпросвещения России", K.EXTERNAL),
        ("ежеквартально", K.QUARTERLY),
        ("ежемесячно", K.RECURRING),
        ("ежегодно", K.RECURRING),
    ],
)
def test_phrase_without_dates_is_understood_and_not_flagged(text: str, kind: DeadlineKind) -> None:
    deadline = parse_deadline(text)

    assert (deadline.kind, deadline.needs_review) == (kind, False)


# --- what must be flagged ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("31.02.2021", K.EXACT_DATE),
        ("до 31.02.2021 г.", K.BY_DATE),
        ("до 32.01.2021", K.BY_DATE),
        ("до 15.13.2021", K.BY_DATE),
        ("до 29.02.2023", K.BY_DATE),
        ("до 31 июня 2023 г.", K.BY_DATE),
        ("до 31.02.2021 (далее ежегодно)", K.BY_DATE),
    ],
)
def test_date_that_does_not_exist_is_flagged_without_crashing(text: str, kind: DeadlineKind) -> None:
    deadline = parse_deadline(text)

    assert (deadline.kind, deadline.needs_review) == (kind, True)
    assert (deadline.start, deadline.end, deadline.dates) == (None, None, ())
    assert "не существует" in deadline.problem


@pytest.mark.parametrize(
    "text",
    [
        "абракадабра",
        "asap",
        "когда получится",
        "до 15.03.2021 или позже",
        "15/03/2021",
        "???",
        "2023-2025 гг. и далее",
        "до пятницы",
        "март-",
        "2023-",
        "с марта по",
    ],
)
def test_gibberish_is_unknown_flagged_and_dateless(text: str) -> None:
    deadline = parse_deadline(text)

    assert (deadline.kind, deadline.needs_review) == (K.UNKNOWN, True)
    assert (deadline.start, deadline.end, deadline.dates, deadline.recurrence) == (None, None, (), None)
    assert deadline.problem.startswith("Не удалось распознать срок") or "далее" in deadline.problem


@pytest.mark.parametrize("text", ["", "   ", "\n\t\n"])
def test_empty_cell_is_flagged_as_missing_deadline(text: str) -> None:
    deadline = parse_deadline(text)

    assert (deadline.kind, deadline.needs_review, deadline.problem) == (K.UNKNOWN, True, "Срок не указан.")
    assert deadline.text == text


def test_very_long_text_is_flagged_quickly_and_kept_whole() -> None:
    text = "В соответствии с планом " * 2000 + "до 15.03.2021"
    started = time.perf_counter()

    deadline = parse_deadline(text)

    assert time.perf_counter() - started < 0.1
    assert (deadline.needs_review, deadline.end) == (True, None)
    assert "слишком длинный" in deadline.problem
    assert deadline.text == text


def test_long_run_of_spaces_around_a_real_deadline_is_not_too_long() -> None:
    assert parse_deadline(" " * 5000 + "до 15.03.2021" + "\n" * 5000).end == date(2021, 3, 15)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1025 год", "опечатка"),
        ("до 15.03.1921", "опечатка"),
        ("2025-2023 гг.", "начало позже окончания"),
        ("с 31.05.2024 по 01.09.2023", "начало позже окончания"),
        ("2023 учебный год", "двумя годами"),
        ("Сентябрь 2020, далее -", "далее"),
        ("декабрь, март 2023", "не по порядку"),
    ],
)
def test_suspicious_deadline_is_flagged_with_a_russian_reason(text: str, message: str) -> None:
    deadline = parse_deadline(text)

    assert deadline.needs_review
    assert deadline.dates == ()
    assert message in deadline.problem


def test_continuous_work_followed_by_another_deadline_is_flagged_as_ambiguous() -> None:
    deadline = parse_deadline("В течение года, август-сентябрь", default_year=2023)

    assert (deadline.kind, deadline.needs_review, deadline.end) == (K.CONTINUOUS, True, None)
    assert "непонятно" in deadline.problem


def test_period_that_ends_before_it_starts_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="period_start"):
        parse_deadline("март", period_start=date(2024, 1, 1), period_end=date(2023, 1, 1))


NASTY_TEXTS = [
    "до",
    "до .",
    "(далее ежегодно)",
    "далее",
    "-",
    "—–-",
    "....",
    "00.00.0000",
    "99.99.99",
    "0 мая 2020",
    "ежегодно ежегодно",
    "по запросу по запросу",
    "постоянно, по запросу",
    "с марта по",
    "март-",
    "2023-",
    ",,,2023",
    "\x00",
    "март" * 80,
    "1" * 400,
    "до 15.03.2021 г. (далее ежегодно) (далее ежеквартально)",
]


@pytest.mark.parametrize("text", NASTY_TEXTS)
def test_parser_never_raises_and_never_dates_what_it_flags(text: str) -> None:
    deadline = parse_deadline(text, **PERIOD_2023_2025)

    assert deadline.text == text
    if deadline.needs_review:
        assert (deadline.start, deadline.end, deadline.dates) == (None, None, ())
        assert deadline.problem
    else:
        assert deadline.problem == ""


# --- the value object -------------------------------------------------------------------


def test_deadline_is_immutable() -> None:
    deadline = parse_deadline("до 15.03.2021")

    with pytest.raises(dataclasses.FrozenInstanceError):
        deadline.end = date(2030, 1, 1)  # type: ignore[misc]


def test_deadline_serialises_to_json_with_iso_dates() -> None:
    deadline = parse_deadline("до 1 мая 2020 г. (далее ежегодно)", period_start=date(2020, 1, 1))

    assert json.loads(json.dumps(deadline.as_dict())) == {
        "text": "до 1 мая 2020 г. (далее ежегодно)",
        "kind": "recurring",
        "start": None,
        "end": "2020-05-01",
        "dates": ["2020-05-01"],
        "recurrence": "yearly",
        "until": None,
        "needs_review": False,
        "problem": "",
    }


def test_every_kind_has_a_russian_label() -> None:
    assert {kind.label for kind in DeadlineKind} >= {"До даты", "Постоянно", "Не распознан"}
    assert all(kind.label for kind in DeadlineKind)


# --- due dates for reminders ------------------------------------------------------------


def test_yearly_deadline_repeats_on_the_same_day_every_year_in_the_window() -> None:
    deadline = parse_deadline("до 1 мая 2020 г. (далее ежегодно)")

    assert deadline.due_dates(date(2021, 1, 1), date(2023, 12, 31)) == (
        date(2021, 5, 1),
        date(2022, 5, 1),
        date(2023, 5, 1),
    )


def test_yearly_deadline_stops_at_the_end_of_the_period() -> None:
    deadline = parse_deadline("до 1 мая 2020 г. (далее ежегодно)", period_end=date(2021, 12, 31))

    assert deadline.due_dates(date(2020, 1, 1), date(2030, 12, 31)) == (date(2020, 5, 1), date(2021, 5, 1))


def test_yearly_deadline_on_29_february_falls_on_28_february_in_other_years() -> None:
    deadline = parse_deadline("до 29.02.2024 (далее ежегодно)")

    assert deadline.due_dates(date(2024, 1, 1), date(2025, 12, 31)) == (date(2024, 2, 29), date(2025, 2, 28))


def test_yearly_month_range_is_due_at_its_end_every_year() -> None:
    deadline = parse_deadline("июль – октябрь 2020 г. (далее - ежегодно)")

    assert deadline.due_dates(date(2020, 1, 1), date(2021, 12, 31)) == (date(2020, 10, 31), date(2021, 10, 31))


def test_quarterly_deadline_falls_on_quarter_ends_within_its_span() -> None:
    deadline = parse_deadline("2023-2024 ежеквартально")

    assert deadline.due_dates(date(2023, 5, 1), date(2030, 1, 1)) == (
        date(2023, 6, 30),
        date(2023, 9, 30),
        date(2023, 12, 31),
        date(2024, 3, 31),
        date(2024, 6, 30),
        date(2024, 9, 30),
        date(2024, 12, 31),
    )


def test_open_quarterly_deadline_falls_on_every_quarter_end_of_the_window() -> None:
    deadline = parse_deadline("ежеквартально")

    assert deadline.due_dates(date(2025, 1, 1), date(2025, 12, 31)) == (
        date(2025, 3, 31),
        date(2025, 6, 30),
        date(2025, 9, 30),
        date(2025, 12, 31),
    )


def test_monthly_deadline_falls_on_month_ends() -> None:
    deadline = parse_deadline("ежемесячно", default_year=2024)

    assert deadline.due_dates(date(2024, 1, 15), date(2024, 3, 31)) == (
        date(2024, 1, 31),
        date(2024, 2, 29),
        date(2024, 3, 31),
    )


def test_quarter_end_month_list_in_a_multi_year_roadmap_is_quarterly_over_the_period() -> None:
    deadline = parse_deadline("Март, июнь, сентябрь, декабрь", **PERIOD_2023_2025)

    assert deadline.recurrence is Recurrence.QUARTERLY
    assert deadline.due_dates(date(2025, 7, 1), date(2026, 12, 31)) == (date(2025, 9, 30), date(2025, 12, 31))


def test_list_of_dates_is_filtered_by_the_window() -> None:
    deadline = parse_deadline("30.09.2020 30.09.2021 30.09.2022 30.09.2023 30.09.2024")

    assert deadline.due_dates(date(2021, 1, 1), date(2023, 9, 30)) == (
        date(2021, 9, 30),
        date(2022, 9, 30),
        date(2023, 9, 30),
    )


@pytest.mark.parametrize(
    "text",
    [
        "постоянно",
        "В течение всего периода реализации ЦМН",
        "Ежедневно",
        "По отдельному графику",
        "2020-2024, по запросу",
        "в соответствии со сроками, устанавливаемыми Минпросвещения России",
        "абракадабра",
        "март-апрель",
    ],
)
def test_undated_or_flagged_deadline_has_no_due_dates(text: str) -> None:
    deadline = parse_deadline(text)

    assert deadline.due_dates(date(2000, 1, 1), date(2100, 12, 31)) == ()


def test_next_due_date_is_the_first_on_or_after_the_day() -> None:
    yearly = parse_deadline("до 25 декабря 2020 г. (далее – ежегодно)")
    once = parse_deadline("до 15.03.2021")

    assert yearly.next_due(date(2023, 12, 26)) == date(2024, 12, 25)
    assert yearly.next_due(date(2023, 12, 25)) == date(2023, 12, 25)
    assert once.next_due(date(2021, 3, 16)) is None
    assert once.next_due(date(2019, 1, 1)) == date(2021, 3, 15)


# --- speed ------------------------------------------------------------------------------


def test_a_300_item_import_parses_in_well_under_half_a_second() -> None:
    """About 20 ms on a laptop; the bound leaves room for a slow CI machine."""
    texts = [case.text for case in SEED_DEADLINES] * 2  # 360 cells

    started = time.perf_counter()
    for text in texts:
        parse_deadline(text, **PERIOD_2023_2025)

    assert time.perf_counter() - started < 0.5
