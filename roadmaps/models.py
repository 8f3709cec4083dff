"""Roadmaps (дорожные карты) of every level, their numbered items and target indicators."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from mentorship.choices import Level
from mentorship.models import Body, Municipality, Organisation, PlaceOwned, Region, ScopedModel, WorkflowEvent
from mentorship.models.base import TimeStampedModel

from .choices import (
    IndicatorUnit,
    ItemKind,
    ItemStatus,
    ResponsibleKind,
    RoadmapEventKind,
    RoadmapStatus,
)
from .deadlines import DeadlineKind, Recurrence


def number_sort_key(number: str, *, parent_key: str = "", position: int = 0) -> str:
    """The key items are ordered by within a roadmap.

    «7.1.10» → «0007.0001.0010», so numbers sort as numbers, not as text. An
    unnumbered item (seed 003 lists activities without numbers under each stage)
    sorts after its parent's numbered children, in document order: «~» sorts
    after «.» and the digits.
    """
    parts = re.findall(r"\d+", number)
    if parts:
        return ".".join(part.zfill(4) for part in parts)
    return f"{parent_key}~{position:06d}"


class Roadmap(PlaceOwned, TimeStampedModel):
    """Дорожная карта: the plan of one place of the hierarchy (region, municipality or school) for a period."""

    region = models.ForeignKey(
        Region, models.PROTECT, null=True, blank=True, related_name="roadmaps", verbose_name="регион"
    )
    municipality = models.ForeignKey(
        Municipality, models.PROTECT, null=True, blank=True, related_name="roadmaps", verbose_name="муниципалитет"
    )
    organisation = models.ForeignKey(
        Organisation,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="roadmaps",
        verbose_name="образовательная организация",
    )
    title = models.CharField("наименование", max_length=1000)
    period_start = models.DateField("начало периода")
    period_end = models.DateField("окончание периода")
    goal = models.TextField("цель", blank=True)
    tasks = models.TextField("задачи", blank=True, help_text="По одной задаче в строке.")
    status = models.CharField("статус", max_length=16, choices=RoadmapStatus.choices, default=RoadmapStatus.DRAFT)
    submitted_at = models.DateTimeField("отправлена на согласование", null=True, blank=True)
    approved_at = models.DateTimeField("согласована", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="автор"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "дорожная карта"
        verbose_name_plural = "дорожные карты"
        ordering = ["-period_start", "title"]
        permissions = [
            ("submit_roadmap", "Может отправлять дорожную карту на согласование"),
            ("approve_roadmap", "Может согласовывать и возвращать дорожные карты"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(region__isnull=False, municipality__isnull=True, organisation__isnull=True)
                    | Q(region__isnull=True, municipality__isnull=False, organisation__isnull=True)
                    | Q(region__isnull=True, municipality__isnull=True, organisation__isnull=False)
                ),
                name="roadmap_has_exactly_one_place",
                violation_error_message="Дорожная карта относится ровно к одному месту: региону, муниципалитету или ОО",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="roadmap_period_ordered",
                violation_error_message="Окончание периода не может быть раньше его начала.",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class RoadmapItem(ScopedModel, TimeStampedModel):
    """Пункт дорожной карты: a numbered section or activity, nested as the seeds number them (1, 1.1, 7.1.1)."""

    roadmap = models.ForeignKey(Roadmap, models.CASCADE, related_name="items", verbose_name="дорожная карта")
    parent = models.ForeignKey(
        "self", models.CASCADE, null=True, blank=True, related_name="children", verbose_name="раздел"
    )
    kind = models.CharField("вид", max_length=16, choices=ItemKind.choices, default=ItemKind.ACTIVITY)
    number = models.CharField("номер", max_length=32, blank=True, help_text="Как в документе: 1, 1.1, 7.1.1.")
    sort_key = models.CharField(max_length=160, editable=False, db_index=True)
    position = models.PositiveIntegerField("порядок", default=0, help_text="Порядок среди пунктов без номера.")
    title = models.TextField("наименование мероприятия")
    content = models.TextField("содержание", blank=True, help_text="Подробности; списки сохраняются построчно.")

    deadline_text = models.CharField("сроки (как в документе)", max_length=500, blank=True)
    deadline_kind = models.CharField(
        "вид срока", max_length=24, choices=[(k.value, k.label) for k in DeadlineKind], blank=True
    )
    deadline_start = models.DateField("начало срока", null=True, blank=True)
    deadline_due = models.DateField("срок исполнения", null=True, blank=True, db_index=True)
    deadline_recurrence = models.CharField(
        "повторение", max_length=16, choices=[(r.value, r.value) for r in Recurrence], blank=True
    )
    deadline_needs_review = models.BooleanField("срок требует уточнения", default=False)
    deadline_problem = models.CharField("что не так со сроком", max_length=500, blank=True)

    responsible_text = models.TextField("ответственные (как в документе)", blank=True)
    expected_result = models.TextField("ожидаемый результат", blank=True)
    document_type = models.CharField("вид документа", max_length=500, blank=True)
    inform_whom = models.CharField("кого информировать о результате", max_length=500, blank=True)
    inform_when_text = models.CharField("когда информировать", max_length=255, blank=True)

    plan_start = models.DateField("начало (план)", null=True, blank=True)
    plan_end = models.DateField("окончание (план)", null=True, blank=True)
    fact_start = models.DateField("начало (факт)", null=True, blank=True)
    fact_end = models.DateField("окончание (факт)", null=True, blank=True)
    status = models.CharField("статус", max_length=16, choices=ItemStatus.choices, default=ItemStatus.NOT_STARTED)

    cascaded_from = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="cascaded_items",
        verbose_name="поручение вышестоящего уровня",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "пункт дорожной карты"
        verbose_name_plural = "пункты дорожной карты"
        ordering = ["roadmap", "sort_key", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["roadmap", "number"],
                condition=~Q(number=""),
                name="roadmap_item_unique_number",
                violation_error_message="Пункт с таким номером в дорожной карте уже есть.",
            ),
        ]
        indexes = [models.Index(fields=["roadmap", "sort_key", "position"])]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()

    @classmethod
    def scope_filter(cls, places: Mapping[Level, Any], action: str) -> Q:
        # An item is visible and changeable exactly where its roadmap is.
        return Q(roadmap__in=Roadmap.objects.filter(Roadmap.scope_filter(places, action)).values("pk"))

    def clean(self) -> None:
        if self.parent_id and self.parent.roadmap_id != self.roadmap_id:
            raise ValidationError({"parent": "Раздел принадлежит другой дорожной карте."})
        if self.plan_start and self.plan_end and self.plan_end < self.plan_start:
            raise ValidationError({"plan_end": "Окончание по плану раньше начала."})
        if self.fact_start and self.fact_end and self.fact_end < self.fact_start:
            raise ValidationError({"fact_end": "Фактическое окончание раньше начала."})

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The sort key is derived from the number; bulk writers set it with number_sort_key().
        parent_key = self.parent.sort_key if self.parent_id else ""
        self.sort_key = number_sort_key(self.number, parent_key=parent_key, position=self.position)
        super().save(*args, **kwargs)


class ResponsibleParty(models.Model):
    """Ответственный исполнитель пункта: a user, a named person, a role or a body; an item lists several."""

    item = models.ForeignKey(RoadmapItem, models.CASCADE, related_name="responsible", verbose_name="пункт")
    kind = models.CharField("вид", max_length=16, choices=ResponsibleKind.choices)
    name = models.CharField("как указано", max_length=500)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="roadmap_responsibilities",
        verbose_name="пользователь",
    )
    body = models.ForeignKey(Body, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="орган")
    role = models.CharField("роль", max_length=32, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "ответственный исполнитель"
        verbose_name_plural = "ответственные исполнители"
        ordering = ["item", "position"]

    def __str__(self) -> str:
        return self.name


class ItemEvidence(TimeStampedModel):
    """Подтверждение выполнения пункта: a file or a link attached when the item is marked done."""

    item = models.ForeignKey(RoadmapItem, models.CASCADE, related_name="evidence", verbose_name="пункт")
    file = models.FileField("файл", upload_to="roadmaps/evidence/%Y/%m/", blank=True)
    url = models.URLField("ссылка", max_length=1000, blank=True)
    description = models.CharField("описание", max_length=500, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name="добавил"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "подтверждение выполнения"
        verbose_name_plural = "подтверждения выполнения"
        ordering = ["item", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(url=""),
                name="evidence_has_file_or_url",
                violation_error_message="Приложите файл или укажите ссылку.",
            ),
        ]

    def __str__(self) -> str:
        return self.description or self.url or self.file.name


class TargetIndicator(models.Model):
    """Целевой показатель дорожной карты with its values by year (seed 001 section 6, seed 004 item 18)."""

    roadmap = models.ForeignKey(Roadmap, models.CASCADE, related_name="indicators", verbose_name="дорожная карта")
    code = models.CharField("код показателя", max_length=64, help_text="Связывает показатель с расчётом в мониторинге.")
    name = models.CharField("наименование", max_length=1000)
    unit = models.CharField("единица", max_length=16, choices=IndicatorUnit.choices, default=IndicatorUnit.PERCENT)
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "целевой показатель"
        verbose_name_plural = "целевые показатели"
        ordering = ["roadmap", "position"]
        constraints = [
            models.UniqueConstraint(fields=["roadmap", "code"], name="indicator_unique_code_in_roadmap"),
        ]

    def __str__(self) -> str:
        return self.name


class TargetValue(models.Model):
    """Значение целевого показателя на год (не менее …)."""

    indicator = models.ForeignKey(TargetIndicator, models.CASCADE, related_name="values", verbose_name="показатель")
    year = models.PositiveSmallIntegerField("год", validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    value = models.DecimalField("значение", max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])

    history = HistoricalRecords()

    class Meta:
        verbose_name = "значение показателя на год"
        verbose_name_plural = "значения показателей по годам"
        ordering = ["indicator", "year"]
        constraints = [models.UniqueConstraint(fields=["indicator", "year"], name="target_value_unique_year")]

    def __str__(self) -> str:
        return f"{self.year}: {self.value}"


class RoadmapEvent(WorkflowEvent):
    """A step of a roadmap's approval (submitted, returned with a comment, approved), kept for good."""

    roadmap = models.ForeignKey(Roadmap, models.CASCADE, related_name="events", verbose_name="дорожная карта")
    kind = models.CharField("событие", max_length=16, choices=RoadmapEventKind.choices)

    class Meta(WorkflowEvent.Meta):
        verbose_name = "событие согласования"
        verbose_name_plural = "события согласования"
        ordering = ["roadmap", "created_at"]
