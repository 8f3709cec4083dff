"""Monitoring: the figures indicators are computed from, targets, hand-entered values and period reports.

The dashboards never count participants themselves: ``services.figures_refresh`` fills
``OrganisationFigures`` (one row per organisation and school year) and ``FormFigures`` (the same
per form of mentorship) with a few grouped queries over the participants' records, and every
page reads and sums those rows. Targets are kept here too (see ``Target``), as are the numbers
that cannot be computed (``IndicatorValue``) and the period reports with their frozen snapshots.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from mentorship.models import Municipality, Organisation, PlaceOwned, Region, ScopedModel, WorkflowEvent
from mentorship.models.base import TimeStampedModel
from participants.choices import MentorshipForm

from .choices import IndicatorCode, ManualIndicator, PeriodKind, ReportEventKind, ReportStatus, period_label

YEAR_VALIDATORS = [MinValueValidator(2019), MaxValueValidator(2100)]


class OrganisationFigures(ScopedModel):
    """Сводные показатели организации за учебный год: the numerators and denominators every indicator needs.

    Derived data, rebuilt by ``services.figures_refresh``; nobody edits it. ``municipality`` and
    ``region`` repeat the organisation's place so that a dashboard sums a level with one grouped
    query over this table alone. Shares are never stored: a level's share is the sum of its
    numerators over the sum of its denominators.
    """

    scope_anchor: ClassVar = "organisation"
    derived: ClassVar = True

    organisation = models.ForeignKey(
        Organisation, models.CASCADE, related_name="monitoring_figures", verbose_name="образовательная организация"
    )
    municipality = models.ForeignKey(Municipality, models.CASCADE, related_name="+", verbose_name="муниципалитет")
    region = models.ForeignKey(Region, models.CASCADE, related_name="+", verbose_name="регион")
    school_year = models.PositiveSmallIntegerField("учебный год", validators=YEAR_VALIDATORS)
    # Denominators (ОО-1), copied at the refresh.
    students_count = models.PositiveIntegerField("обучающихся", default=0)
    teachers_count = models.PositiveIntegerField("педагогов", default=0)
    # Distinct people in active or completed pairs and groups of the school year.
    participants = models.PositiveIntegerField("участников", default=0)
    mentors = models.PositiveIntegerField("наставников", default=0)
    mentees = models.PositiveIntegerField("наставляемых", default=0)
    students_involved = models.PositiveIntegerField("обучающихся в наставничестве", default=0)
    teachers_involved = models.PositiveIntegerField("педагогов в наставничестве", default=0)
    young_teachers_involved = models.PositiveIntegerField("педагогов до 35 лет в наставничестве", default=0)
    novice_teachers_involved = models.PositiveIntegerField("педагогов со стажем до 3 лет в наставничестве", default=0)
    completed_mentees = models.PositiveIntegerField("наставляемых, прошедших полный цикл", default=0)
    programmes = models.PositiveIntegerField("программ", default=0)
    pairs_forming = models.PositiveIntegerField("пар формируется", default=0)
    pairs_active = models.PositiveIntegerField("пар действует", default=0)
    pairs_completed = models.PositiveIntegerField("пар завершено", default=0)
    groups = models.PositiveIntegerField("из них групп", default=0)
    manager_pairs = models.PositiveIntegerField("пар «руководитель – молодой руководитель»", default=0)
    satisfaction_sum = models.PositiveIntegerField("сумма оценок на выходе", default=0)
    satisfaction_count = models.PositiveIntegerField("число оценок на выходе", default=0)
    # Response rates (``services.figures_compute``): distinct people asked and those who answered.
    satisfaction_asked = models.PositiveIntegerField("опрошено на выходе", default=0)
    satisfaction_answered = models.PositiveIntegerField("ответили на выходе", default=0)
    entry_sum = models.PositiveIntegerField("сумма оценок на входе", default=0)
    entry_count = models.PositiveIntegerField("число оценок на входе", default=0)
    entry_asked = models.PositiveIntegerField("опрошено на входе", default=0)
    entry_answered = models.PositiveIntegerField("ответили на входе", default=0)
    # Entered by hand (IndicatorValue): the latest period's value within the school year.
    network_projects = models.PositiveIntegerField("сетевых проектов", default=0)
    events = models.PositiveIntegerField("мероприятий", default=0)
    refreshed_at = models.DateTimeField("данные на")

    class Meta:
        verbose_name = "сводные показатели организации"
        verbose_name_plural = "сводные показатели организаций"
        ordering = ["school_year", "organisation"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "school_year"], name="figures_unique_per_year"),
        ]
        indexes = [
            models.Index(fields=["region", "school_year"], name="figures_region_year"),
            models.Index(fields=["municipality", "school_year"], name="figures_municipality_year"),
        ]
        permissions = [("refresh_organisationfigures", "Может обновлять сводные показатели мониторинга")]

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.school_year}"


class FormFigures(ScopedModel):
    """Показатели организации по форме наставничества за учебный год (для форм ФСН и сравнения форм)."""

    scope_anchor: ClassVar = "organisation"
    derived: ClassVar = True

    organisation = models.ForeignKey(
        Organisation, models.CASCADE, related_name="+", verbose_name="образовательная организация"
    )
    municipality = models.ForeignKey(Municipality, models.CASCADE, related_name="+", verbose_name="муниципалитет")
    region = models.ForeignKey(Region, models.CASCADE, related_name="+", verbose_name="регион")
    school_year = models.PositiveSmallIntegerField("учебный год", validators=YEAR_VALIDATORS)
    form = models.CharField("форма наставничества", max_length=32, choices=MentorshipForm.choices)
    pairs = models.PositiveIntegerField("пар", default=0)
    groups = models.PositiveIntegerField("групп", default=0)
    mentors = models.PositiveIntegerField("наставников", default=0)
    mentees = models.PositiveIntegerField("наставляемых", default=0)
    students = models.PositiveIntegerField("обучающихся", default=0)
    teachers = models.PositiveIntegerField("педагогов", default=0)
    externals = models.PositiveIntegerField("внешних участников", default=0)
    completed_mentees = models.PositiveIntegerField("прошли полный цикл", default=0)

    class Meta:
        verbose_name = "показатели по форме наставничества"
        verbose_name_plural = "показатели по формам наставничества"
        ordering = ["school_year", "organisation", "form"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "school_year", "form"], name="form_figures_unique"),
        ]
        indexes = [models.Index(fields=["region", "school_year"], name="form_figures_region_year")]

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.school_year}, {self.form}"


class Target(PlaceOwned, TimeStampedModel):
    """Целевое значение показателя на год для региона, муниципалитета или ОО (ровно одно место).

    The region sets its values (seed 004, item 18: 10/20/35/50/70 % of students); a municipality
    or an organisation may set its own, stricter, never weaker ones (``services.target_save``).
    For a share or an average the target at a place is the strictest of its own and those above
    it (``indicators.effective_target``); a count (programmes, pairs) is a total of the place
    itself, so its target is the place's own only (seed 001's 25/35/45 programmes are the whole
    city's, not each school's).

    Relation to ``roadmaps.TargetIndicator``/``TargetValue``: those record the indicators as a
    roadmap document writes them (the text of the plan). These are the values the dashboards
    compare with; ``services.targets_from_roadmap`` copies a roadmap's values here when its code
    is one of ``IndicatorCode``, so a target is typed once but monitoring never depends on a
    roadmap being approved or edited later.
    """

    region = models.ForeignKey(Region, models.CASCADE, null=True, blank=True, related_name="+", verbose_name="регион")
    municipality = models.ForeignKey(
        Municipality, models.CASCADE, null=True, blank=True, related_name="+", verbose_name="муниципалитет"
    )
    organisation = models.ForeignKey(
        Organisation,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="образовательная организация",
    )
    indicator = models.CharField("показатель", max_length=32, choices=IndicatorCode.choices)
    year = models.PositiveSmallIntegerField(
        "год", validators=YEAR_VALIDATORS, help_text="Календарный год; относится к учебному году, начатому в нём."
    )
    value = models.DecimalField("целевое значение (не менее)", max_digits=9, decimal_places=2)
    source = models.CharField("основание", max_length=500, blank=True, help_text="Документ, которым установлено.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="автор"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "целевое значение показателя"
        verbose_name_plural = "целевые значения показателей"
        ordering = ["indicator", "year"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(region__isnull=False, municipality__isnull=True, organisation__isnull=True)
                    | Q(region__isnull=True, municipality__isnull=False, organisation__isnull=True)
                    | Q(region__isnull=True, municipality__isnull=True, organisation__isnull=False)
                ),
                name="target_has_exactly_one_place",
                violation_error_message=(
                    "Целевое значение относится ровно к одному месту: региону, муниципалитету или ОО."
                ),
            ),
            models.UniqueConstraint(
                fields=["region", "indicator", "year"], condition=Q(region__isnull=False), name="target_unique_region"
            ),
            models.UniqueConstraint(
                fields=["municipality", "indicator", "year"],
                condition=Q(municipality__isnull=False),
                name="target_unique_municipality",
            ),
            models.UniqueConstraint(
                fields=["organisation", "indicator", "year"],
                condition=Q(organisation__isnull=False),
                name="target_unique_organisation",
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="target_value_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_indicator_display()}, {self.year}: {self.value}"


class IndicatorValue(ScopedModel, TimeStampedModel):
    """Значение показателя, введённое вручную, с подтверждением (сетевые проекты, мероприятия).

    Natural key for imports: (organisation code, indicator code, year, period); save through
    ``services.indicator_value_save``, which validates and upserts by that key. The value is
    cumulative from the start of the school year up to the end of the period.
    """

    scope_anchor: ClassVar = "organisation"

    organisation = models.ForeignKey(
        Organisation, models.PROTECT, related_name="+", verbose_name="образовательная организация"
    )
    indicator = models.CharField("показатель", max_length=32, choices=ManualIndicator.choices)
    year = models.PositiveSmallIntegerField("год", validators=YEAR_VALIDATORS)
    period = models.CharField("отчётный период", max_length=8, choices=PeriodKind.choices)
    value = models.PositiveIntegerField("значение", validators=[MaxValueValidator(100_000)])
    evidence = models.TextField(
        "подтверждение", help_text="Что подтверждает значение: приказ, отчёт, публикация (номер, дата, название)."
    )
    evidence_url = models.URLField("ссылка на подтверждение", max_length=1000, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="кто ввёл"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "значение показателя (вручную)"
        verbose_name_plural = "значения показателей (вручную)"
        ordering = ["-year", "period", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "indicator", "year", "period"],
                name="indicator_value_natural_key",
                violation_error_message="Значение этого показателя за этот период уже введено.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_indicator_display()}, {period_label(self.year, self.period)}: {self.value}"


class PeriodReport(ScopedModel, TimeStampedModel):
    """Отчёт организации за отчётный период: submitted by the school, accepted or returned by the municipality.

    ``snapshot`` holds the organisation's figures as they were when the report was (re)submitted;
    once accepted the report never changes again, so history does not move when records do.
    """

    scope_anchor: ClassVar = "organisation"

    organisation = models.ForeignKey(
        Organisation, models.PROTECT, related_name="period_reports", verbose_name="образовательная организация"
    )
    year = models.PositiveSmallIntegerField("год", validators=YEAR_VALIDATORS)
    period = models.CharField("отчётный период", max_length=8, choices=PeriodKind.choices)
    school_year = models.PositiveSmallIntegerField("учебный год", validators=YEAR_VALIDATORS)
    status = models.CharField("статус", max_length=16, choices=ReportStatus.choices, default=ReportStatus.SUBMITTED)
    snapshot = models.JSONField("показатели на момент отправки", default=dict)
    submitted_at = models.DateTimeField("отправлен", null=True, blank=True)
    accepted_at = models.DateTimeField("принят", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "отчёт за период"
        verbose_name_plural = "отчёты за периоды"
        ordering = ["-year", "-period", "organisation"]
        permissions = [
            ("submit_periodreport", "Может отправлять отчёт организации за период"),
            ("accept_periodreport", "Может принимать и возвращать отчёты организаций"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "period"],
                name="period_report_once",
                violation_error_message="Отчёт организации за этот период уже есть.",
            ),
        ]
        indexes = [models.Index(fields=["year", "period", "status"], name="period_report_period_status")]

    def __str__(self) -> str:
        return f"Отчёт за {period_label(self.year, self.period)}"

    @property
    def label(self) -> str:
        return period_label(self.year, self.period)

    def clean(self) -> None:
        if self.period and self.period not in PeriodKind.values:
            raise ValidationError({"period": "Неизвестный отчётный период."})


class PeriodReportEvent(WorkflowEvent):
    """Шаг проверки отчёта (отправлен, возвращён с комментарием, принят), хранится навсегда."""

    report = models.ForeignKey(PeriodReport, models.CASCADE, related_name="events", verbose_name="отчёт")
    kind = models.CharField("событие", max_length=16, choices=ReportEventKind.choices)

    class Meta(WorkflowEvent.Meta):
        verbose_name = "событие проверки отчёта"
        verbose_name_plural = "события проверки отчётов"
        ordering = ["report", "created_at", "pk"]
