"""Cell converters for Excel imports, as django-import-export widgets.

They accept what people's spreadsheets really hold: dates typed as text («01.09.2010») or kept
as Excel serial numbers (40422), numbers stored as text («1 250»), choices by their Russian label,
«да»/«нет». A value that cannot be read raises ``ValueError`` with a Russian reason, which the
engine reports as «Строка N, столбец X: причина». Being widgets, they serve the library's own
``import_data`` too (the benchmark's untuned run) and ``render`` for exports.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from import_export import fields, widgets

from .reading import normalise_header

EXCEL_EPOCH = date(1899, 12, 30)
#: Excel serials between 1900 and 2100
SERIAL_RANGE = (1, 73051)
DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%y", "%d-%m-%Y")
_SPACES = re.compile(r"[\s\u00a0\u202f]+")


def column(attribute: str, title: str, widget: Any) -> fields.Field:
    """A resource's column: the model attribute, the Russian header of the sheet and the widget that reads it."""
    return fields.Field(attribute=attribute, column_name=title, widget=widget)


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def as_text(value: Any) -> str:
    """A cell as text: 12345.0 typed into a numeric cell is «12345», not «12345.0»."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return f"{value:%d.%m.%Y}"
    if isinstance(value, date):
        return f"{value:%d.%m.%Y}"
    return str(value).strip()


class TextWidget(widgets.CharWidget):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(allow_blank=True, **kwargs)

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        return as_text(value)


class DateWidget(widgets.DateWidget):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%d.%m.%Y", **kwargs)

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> date | None:
        if is_blank(value):
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, bool):
            raise ValueError("ожидается дата в виде ДД.ММ.ГГГГ.")
        if isinstance(value, int | float):
            return _from_serial(value)
        text = _SPACES.sub("", str(value)).rstrip("г.").rstrip()
        if text.isdigit():
            return _from_serial(int(text))
        for fmt in DATE_FORMATS:
            try:
                return datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        raise ValueError(f"«{value}» — не дата; укажите дату в виде ДД.ММ.ГГГГ.")


def _from_serial(value: float) -> date:
    if not SERIAL_RANGE[0] <= value < SERIAL_RANGE[1] or (isinstance(value, float) and not value.is_integer()):
        raise ValueError(f"«{value}» — не дата; укажите дату в виде ДД.ММ.ГГГГ.")
    return EXCEL_EPOCH + timedelta(days=int(value))


class IntegerWidget(widgets.IntegerWidget):
    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> int | None:
        if is_blank(value):
            return None
        if isinstance(value, bool):
            raise ValueError("ожидается целое число.")
        if isinstance(value, int):
            return value
        if isinstance(value, float):
            if value.is_integer():
                return int(value)
            raise ValueError(f"«{as_text(value)}» — не целое число.")
        text = _SPACES.sub("", str(value)).replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or number != number.to_integral_value():
            raise ValueError(f"«{value}» — не целое число.")
        return int(number)


class BooleanWidget(widgets.BooleanWidget):
    TRUE = {"да", "д", "1", "истина", "true", "yes", "+", "x", "х", "v"}
    FALSE = {"нет", "н", "0", "ложь", "false", "no", "-", ""}

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> bool:
        if isinstance(value, bool):
            return value
        text = as_text(value).lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValueError(f"«{value}» — укажите «да» или «нет».")

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return "да" if value else "нет"


class ChoiceWidget(widgets.Widget):
    """A choice by its Russian label (as the drop-down list of the template offers) or by its code."""

    def __init__(self, choices: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.choices = [(str(value), str(label)) for value, label in choices]
        self.lookup: dict[str, str] = {}
        for value, label in self.choices:
            self.lookup[normalise_header(label)] = value
            self.lookup[normalise_header(value)] = value

    @property
    def labels(self) -> list[str]:
        return [label for _, label in self.choices]

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        if is_blank(value):
            return ""
        # «учитель - ученик» typed with a hyphen means «учитель – ученик».
        key = normalise_header(as_text(value).replace(" - ", " – ").replace(" — ", " – "))
        try:
            return self.lookup[key]
        except KeyError:
            options = "; ".join(f"«{label}»" for label in self.labels)
            raise ValueError(f"«{as_text(value)}» — нет в списке; выберите одно из значений: {options}.") from None

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return dict(self.choices).get(str(value), "" if value is None else str(value))


class CodeWidget(widgets.ForeignKeyWidget):
    """A related record named by its stable code (organisations, partners).

    For the library's own ``import_data`` it looks the record up like ``ForeignKeyWidget`` (one
    query per row); the tuned engine resolves codes itself from a per-file cache and reads only
    the text here (``code``).
    """

    def __init__(self, model: Any, **kwargs: Any) -> None:
        super().__init__(model, field="code", **kwargs)

    def code(self, value: Any) -> str:
        return as_text(value)

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
        return super().clean(as_text(value) or None, row=row, **kwargs)
