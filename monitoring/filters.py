"""Filters of the period reports' list: ``?status=`` and ``?period=2026-q3``."""

from __future__ import annotations

from datetime import date
from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from django_filters.fields import ChoiceField

from mentorship.filters import ScopedFilterSet

from .choices import PeriodKind, ReportStatus, current_period, period_label
from .models import PeriodReport


def period_choices(today: date, count: int = 6) -> list[tuple[str, str]]:
    """The latest periods begun, newest first, as ``(value, label)`` for a select."""
    year, kind = current_period(today)
    order = [PeriodKind.Q1, PeriodKind.Q2, PeriodKind.Q3, PeriodKind.Q4]
    found, index = [], order.index(PeriodKind(kind))
    while len(found) < count:
        if order[index] == PeriodKind.Q4:
            found.append((f"{year}-annual", period_label(year, PeriodKind.ANNUAL)))
        found.append((f"{year}-{order[index].value}", period_label(year, order[index])))
        index -= 1
        if index < 0:
            index, year = 3, year - 1
    return found


def parse_period(value: str) -> tuple[int, str] | None:
    """``"2026-q3"`` as ``(2026, "q3")``; None unless the year is 2019–2100 and the kind a period's."""
    year, _, kind = value.partition("-")
    if year.isascii() and year.isdigit() and 2019 <= int(year) <= 2100 and kind in PeriodKind.values:
        return int(year), kind
    return None


class PeriodField(ChoiceField):
    """The select offers the latest periods; any well-formed period is accepted (a link to an older one)."""

    def valid_value(self, value: Any) -> bool:
        return parse_period(str(value)) is not None


class PeriodFilter(django_filters.ChoiceFilter):
    field_class = PeriodField

    def filter(self, qs: QuerySet, value: str) -> QuerySet:
        period = parse_period(value) if value else None
        if period is None:
            return qs
        year, kind = period
        return qs.filter(year=year, period=kind)


class ReportFilter(ScopedFilterSet):
    status = django_filters.ChoiceFilter(choices=ReportStatus.choices, label="Статус", empty_label="Все")
    period = PeriodFilter(choices=lambda: period_choices(timezone.localdate()), label="Период", empty_label="Все")

    class Meta:
        model = PeriodReport
        fields = ["status", "period"]
