"""The federal statistical form's data as an .xlsx workbook (openpyxl).

Counts of participants by category (students, teachers, external participants) and role (mentors,
mentees) per form of mentorship, per organisation, then summed per municipality and for the whole
place. Cells that a spreadsheet would take for a formula (text starting with = + - @) are written
as text, so an organisation called «=HYPERLINK(…)» stays a name.
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from participants.choices import MentorshipForm
from participants.models import school_year_label

from .models import FormFigures

COUNTS = (
    ("mentors", "Наставников"),
    ("mentees", "Наставляемых"),
    ("students", "Из них обучающихся"),
    ("teachers", "Из них педагогов"),
    ("externals", "Из них внешних участников"),
    ("pairs", "Пар"),
    ("groups", "Групп"),
    ("completed_mentees", "Прошли полный цикл"),
)
FORMULA_STARTS = ("=", "+", "-", "@")


def _put(cell: Cell, value: Any) -> None:
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"


def _sheet(
    workbook: Workbook, title: str, header: list[str], rows: Iterable[list[Any]], *, first: bool = False
) -> None:
    sheet = workbook.active if first else workbook.create_sheet()
    sheet.title = title
    for column, label in enumerate(header, start=1):
        cell = sheet.cell(row=1, column=column)
        _put(cell, label)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(column)].width = 40 if column <= 3 else 14
    for index, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            _put(sheet.cell(row=index, column=column), value)
    sheet.freeze_panes = "A2"


def federal_workbook(*, rows: Iterable[FormFigures], title: str, school_year: int) -> bytes:
    """Three sheets: per organisation and form, per municipality and form, totals per form."""
    labels = dict(MentorshipForm.choices)
    names = [label for _, label in COUNTS]
    by_organisation, by_municipality, totals = (
        [],
        defaultdict(lambda: defaultdict(int)),
        defaultdict(lambda: defaultdict(int)),
    )
    municipality_names: dict[int, str] = {}
    for row in rows:
        counts = [getattr(row, name) for name, _ in COUNTS]
        by_organisation.append(
            [
                row.municipality.name,
                row.organisation.code,
                row.organisation.short_name,
                labels.get(row.form, row.form),
                *counts,
            ]
        )
        municipality_names[row.municipality_id] = row.municipality.name
        for (name, _), count in zip(COUNTS, counts, strict=True):
            by_municipality[(row.municipality_id, row.form)][name] += count
            totals[row.form][name] += count
    workbook = Workbook()
    _sheet(
        workbook,
        "По организациям",
        ["Муниципалитет", "Код ОО", "Образовательная организация", "Форма наставничества", *names],
        by_organisation,
        first=True,
    )
    _sheet(
        workbook,
        "По муниципалитетам",
        ["Муниципалитет", "Форма наставничества", *names],
        (
            [municipality_names[municipality_id], labels.get(form, form), *(counts[name] for name, _ in COUNTS)]
            for (municipality_id, form), counts in sorted(
                by_municipality.items(), key=lambda item: (municipality_names[item[0][0]], item[0][1])
            )
        ),
    )
    total_rows = [[labels.get(form, form), *(totals[form][name] for name, _ in COUNTS)] for form in sorted(totals)]
    total_rows.append(["Итого", *(sum(totals[form][name] for form in totals) for name, _ in COUNTS)])
    _sheet(workbook, "Итого", ["Форма наставничества", *names], total_rows)
    about = workbook.create_sheet("О выгрузке")
    _put(about.cell(row=1, column=1), f"Данные для формы ФСН: {title}")
    _put(about.cell(row=2, column=1), f"Учебный год {school_year_label(school_year)}")
    _put(
        about.cell(row=3, column=1),
        "Участник считается один раз в каждой форме, в которой он состоит в действующей или завершённой паре (группе).",
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
