"""The school year and the reporting period a monitoring page or document is asked for (query parameters).

Beside the views rather than in them: the monitoring report in ``reports`` reads the same parameters,
and no app imports another app's views (the import contract in pyproject.toml).
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone

from participants.models import school_year_of

from .choices import PeriodKind, current_period


def school_year_param(request: HttpRequest) -> int:
    """``?year=2026`` (the school year by its starting year), or the current school year."""
    raw = request.GET.get("year", "")
    if raw.isdigit() and 2019 <= int(raw) <= 2100:
        return int(raw)
    return school_year_of(timezone.localdate())


def period_param(request: HttpRequest) -> tuple[int, str]:
    """``?period=2026-q3``, or the latest period whose reporting month has begun."""
    raw = request.GET.get("period", "")
    year, _, kind = raw.partition("-")
    if year.isdigit() and 2019 <= int(year) <= 2100 and kind in PeriodKind.values:
        return int(year), kind
    return current_period(timezone.localdate())
