"""Vocabularies of monitoring, with Russian labels."""

from __future__ import annotations

import calendar
from datetime import date

from django.db import models


class IndicatorCode(models.TextChoices):
    """The indicators of the target model's monitoring (seeds 001 section 6, 002 4.3, 004 item 18)."""

    STUDENTS_SHARE = "students_share", "Доля обучающихся, вовлечённых в наставничество"
    TEACHERS_SHARE = "teachers_share", "Доля педагогов, вовлечённых в наставничество"
    YOUNG_TEACHERS_SHARE = "young_teachers_share", "Доля педагогов до 35 лет в наставничестве (от всех педагогов)"
    NOVICE_TEACHERS_SHARE = (
        "novice_teachers_share",
        "Доля педагогов со стажем до 3 лет в наставничестве (от всех педагогов)",
    )
    PROGRAMMES = "programmes", "Число программ наставничества"
    PAIRS = "pairs", "Число действующих и завершённых пар и групп"
    COMPLETED_CYCLE = "completed_cycle", "Наставляемые, прошедшие полный цикл программы"
    MANAGER_PAIRS = "manager_pairs", "Пары «руководитель – молодой руководитель»"
    SATISFACTION = "satisfaction", "Удовлетворённость участников (анкеты на выходе, 1–10)"
    NETWORK_PROJECTS = "network_projects", "Сетевые проекты по сопровождению наставничества"
    EVENTS = "events", "Проведённые мероприятия по наставничеству"


class ManualIndicator(models.TextChoices):
    """Indicators that cannot be computed from the records: entered by hand, with evidence."""

    NETWORK_PROJECTS = IndicatorCode.NETWORK_PROJECTS.value, IndicatorCode.NETWORK_PROJECTS.label
    EVENTS = IndicatorCode.EVENTS.value, IndicatorCode.EVENTS.label


class PeriodKind(models.TextChoices):
    """A reporting period: quarterly in March, June, September, December, and the year in December (seed 001, 5.2)."""

    Q1 = "q1", "I квартал (март)"
    Q2 = "q2", "II квартал (июнь)"
    Q3 = "q3", "III квартал (сентябрь)"
    Q4 = "q4", "IV квартал (декабрь)"
    ANNUAL = "annual", "Год (декабрь)"


#: the month each period is reported in
PERIOD_MONTH = {PeriodKind.Q1: 3, PeriodKind.Q2: 6, PeriodKind.Q3: 9, PeriodKind.Q4: 12, PeriodKind.ANNUAL: 12}


def period_due(year: int, period: str) -> date:
    """The last day of the period's reporting month: 2026 Q3 → 30.09.2026."""
    month = PERIOD_MONTH[PeriodKind(period)]
    return date(year, month, calendar.monthrange(year, month)[1])


def period_opens(year: int, period: str) -> date:
    """The first day a period's report may be submitted: the first day of its reporting month."""
    return date(year, PERIOD_MONTH[PeriodKind(period)], 1)


def period_school_year(year: int, period: str) -> int:
    """The school year (by its starting year) a period's figures belong to: 2027 Q1 (March) → 2026."""
    due = period_due(year, period)
    return due.year if due.month >= 9 else due.year - 1


def period_label(year: int, period: str) -> str:
    return f"{PeriodKind(period).label}, {year}"


def current_period(today: date) -> tuple[int, str]:
    """The latest period whose reporting month has begun: 23.11.2026 → (2026, q3); 02.12.2026 → (2026, q4)."""
    for month, period in ((12, PeriodKind.Q4), (9, PeriodKind.Q3), (6, PeriodKind.Q2), (3, PeriodKind.Q1)):
        if today.month >= month:
            return today.year, period.value
    return today.year - 1, PeriodKind.Q4.value


class ReportStatus(models.TextChoices):
    """Where a period report is in the municipality's check."""

    SUBMITTED = "submitted", "На проверке"
    RETURNED = "returned", "Возвращён на доработку"
    ACCEPTED = "accepted", "Принят"


class ReportEventKind(models.TextChoices):
    SUBMITTED = "submitted", "Отправлен"
    RETURNED = "returned", "Возвращён на доработку"
    ACCEPTED = "accepted", "Принят"
