"""Dates written the way Russian official documents write them."""

from __future__ import annotations

from datetime import date

MONTHS_GENITIVE = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)


def date_quoted(day: date) -> str:
    """«24» февраля 2021 г. — the form of an approval stamp («Утвержден приказом … от …»)."""
    return f"«{day.day:02d}» {MONTHS_GENITIVE[day.month - 1]} {day.year} г."


def date_words(day: date) -> str:
    """24 февраля 2021 года — the date line of an order's heading."""
    return f"{day.day} {MONTHS_GENITIVE[day.month - 1]} {day.year} года"


def date_numeric(day: date) -> str:
    """24.02.2021"""
    return f"{day:%d.%m.%Y}"
