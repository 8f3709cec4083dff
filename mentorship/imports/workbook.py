"""Writing .xlsx: the import templates and the exports of lists, safe against formula injection."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .widgets import BooleanWidget, ChoiceWidget

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: a cell starting with one of these is a formula to Excel and LibreOffice (OWASP «CSV injection»)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
#: rows of the template that get the drop-down lists
TEMPLATE_ROWS = 5000


def safe_value(value: Any) -> Any:
    """A Python value as Excel stores it (no time zones; text stays text)."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if value is None or isinstance(value, bool | int | float | date):
        return value
    return str(value)


def safe_cell(sheet: Any, value: Any) -> WriteOnlyCell:
    """A cell for ``value``; text that a spreadsheet would run as a formula is stored as text.

    openpyxl writes a string starting with «=» as a formula; such text (and text starting with
    «+», «-», «@», a tab or a carriage return, which Excel and LibreOffice also evaluate when the
    cell is edited) is written as a string cell with Excel's «quote prefix» (the leading
    apostrophe a user would type), so the text is shown as is and never calculated.
    """
    value = safe_value(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        cell.data_type = "s"
        cell.quotePrefix = True
    elif isinstance(value, datetime):
        cell.number_format = "DD.MM.YYYY HH:MM"
    elif isinstance(value, date):
        cell.number_format = "DD.MM.YYYY"
    return cell


def template_bytes(kind: Any) -> bytes:
    """The kind's template: Russian headers, one example row, drop-down lists for fixed choices."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Данные"
    lists = workbook.create_sheet("Списки")
    lists.sheet_state = "hidden"
    fields = kind.fields()
    for column, resource_field in enumerate(fields, start=1):
        title = resource_field.column_name + ("*" if resource_field.attribute in kind.required else "")
        cell = sheet.cell(row=1, column=column, value=title)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        sheet.column_dimensions[get_column_letter(column)].width = max(14, min(len(title) + 4, 40))
        example = kind.example.get(resource_field.attribute)
        sheet.cell(row=2, column=column, value=safe_value(example))
        if isinstance(example, date):
            sheet.cell(row=2, column=column).number_format = "DD.MM.YYYY"
        widget = resource_field.widget
        options = (
            widget.labels
            if isinstance(widget, ChoiceWidget)
            else ["да", "нет"]
            if isinstance(widget, BooleanWidget)
            else None
        )
        if options:
            for row, option in enumerate(options, start=1):
                lists.cell(row=row, column=column, value=option)
            letter = get_column_letter(column)
            validation = DataValidation(
                type="list",
                formula1=f"=Списки!${letter}$1:${letter}${len(options)}",
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="Значение не из списка",
                error="Выберите значение из раскрывающегося списка.",
            )
            validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS}")
            sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_bytes(title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """A list as .xlsx, streamed row by row (``write_only``); every text cell passes ``safe_value``."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = HEADER_FONT
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([safe_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
