"""The order register (реестр приказов) of each organisation, its counters and the rendered documents.

Numbering: an order gets its number when it is signed, not when its draft is created, so that
abandoned drafts leave no holes in the register. ``order_sign`` locks the organisation-year row
of ``OrderCounter`` (``select_for_update``) and takes the next number in the same transaction that
marks the order signed; a unique constraint on (organisation, year, number) backs it up.

Content: an order keeps its whole text (points, the appendix table) in its own row, built from the
portal's data when the draft is created and refreshed on request while it is a draft. Once signed
it is frozen, and the stored PDF is rendered from that frozen text, so later changes to pairs,
people or roadmaps never change a signed order.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from mentorship.models import Organisation, OwnedModel, ScopedModel, WorkflowEvent
from mentorship.models.base import TimeStampedModel
from roadmaps.models import Roadmap, RoadmapItem

from .choices import DocumentKind, OrderEventKind, OrderKind, OrderStatus, RenderStatus


class OrderCounter(models.Model):
    """Счётчик номеров приказов организации за год: the last number given, locked while signing."""

    organisation = models.ForeignKey(Organisation, models.CASCADE, related_name="+", verbose_name="организация")
    year = models.PositiveSmallIntegerField("год")
    last_number = models.PositiveIntegerField("последний номер", default=0)

    class Meta:
        verbose_name = "счётчик номеров приказов"
        verbose_name_plural = "счётчики номеров приказов"
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="order_counter_once_per_year")]

    def __str__(self) -> str:
        return f"{self.organisation}, {self.year}: {self.last_number}"


class Order(ScopedModel, TimeStampedModel):
    """Приказ образовательной организации по наставничеству: a draft, then a signed, numbered entry of the register."""

    scope_anchor: ClassVar = "organisation"

    organisation = models.ForeignKey(
        Organisation, models.PROTECT, related_name="orders", verbose_name="образовательная организация"
    )
    kind = models.CharField("вид приказа", max_length=32, choices=OrderKind.choices)
    status = models.CharField("статус", max_length=16, choices=OrderStatus.choices, default=OrderStatus.DRAFT)
    date = models.DateField("дата приказа")
    year = models.PositiveSmallIntegerField("год реестра", editable=False)
    number = models.PositiveIntegerField("номер", null=True, blank=True, editable=False)
    place = models.CharField(
        "место издания", max_length=255, blank=True, help_text="Населённый пункт, как в приказе: «с. Хосрех»."
    )
    issuer_name = models.CharField("наименование организации в шапке", max_length=500)
    issuer_genitive = models.CharField(
        "организация в строке «Утвержден приказом …»",
        max_length=500,
        blank=True,
        help_text="Например: «директора МКОУ «Хосрехская СОШ им. Ахмедова Т.А»».",
    )
    title = models.CharField("заголовок", max_length=1000)
    basis = models.TextField("основание («На основании …»)", blank=True)
    points = models.JSONField("пункты", default=list, help_text="Распорядительные пункты по порядку.")
    appendix = models.JSONField(
        "приложение", default=dict, blank=True, help_text="Таблица приложения: заголовок, столбцы, строки."
    )
    school_year = models.PositiveSmallIntegerField(
        "учебный год", null=True, blank=True, validators=[MinValueValidator(2019), MaxValueValidator(2100)]
    )
    roadmap = models.ForeignKey(
        Roadmap,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="утверждаемая дорожная карта",
    )
    signatory_position = models.CharField("должность подписывающего", max_length=255)
    signatory_name = models.CharField("подписывающий (И.О. Фамилия)", max_length=255, blank=True)

    signed_at = models.DateTimeField("подписан в портале", null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="подписал"
    )
    pdf = models.FileField("PDF подписанного приказа", upload_to="orders/%Y/", blank=True, editable=False)
    pdf_status = models.CharField(
        "PDF", max_length=16, choices=RenderStatus.choices, default=RenderStatus.NONE, blank=True
    )
    pdf_pages = models.PositiveIntegerField("страниц", null=True, blank=True)
    scan = models.FileField("скан подписанного экземпляра", upload_to="orders/scans/%Y/", blank=True)
    scan_uploaded_at = models.DateTimeField("скан приложен", null=True, blank=True)
    roadmap_items = models.ManyToManyField(
        RoadmapItem, blank=True, related_name="orders", verbose_name="результат пунктов дорожной карты"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="автор"
    )

    history = HistoricalRecords(excluded_fields=["points", "appendix"])

    class Meta:
        verbose_name = "приказ"
        verbose_name_plural = "приказы"
        ordering = ["-year", "-number", "-date", "-pk"]
        permissions = [("sign_order", "Может подписывать приказы (присваивать номер)")]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "number"],
                condition=Q(number__isnull=False),
                name="order_unique_number_in_year",
                violation_error_message="Приказ с таким номером в этом году уже есть.",
            ),
            models.CheckConstraint(
                condition=Q(status=OrderStatus.DRAFT, number__isnull=True)
                | Q(status=OrderStatus.SIGNED, number__isnull=False),
                name="order_number_iff_signed",
                violation_error_message="Номер есть только у подписанного приказа.",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "year", "status"], name="order_org_year_status")]

    def __str__(self) -> str:
        if self.number:
            return f"Приказ № {self.number} от {self.date:%d.%m.%Y} «{self.title}»"
        return f"Проект приказа «{self.title}»"

    def get_absolute_url(self) -> str:
        return reverse("reports:order", args=[self.pk])

    @property
    def is_signed(self) -> bool:
        return self.status == OrderStatus.SIGNED

    @property
    def appendix_rows(self) -> int:
        """Rows of the appendix's table, headings of groups not counted."""
        return sum(1 for row in (self.appendix or {}).get("rows", ()) if "span" not in row)

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The register's year is the order's date's year; fixed for good once signed.
        if self.date and not self.number:
            self.year = self.date.year
        super().save(*args, **kwargs)


class OrderEvent(WorkflowEvent):
    """Событие приказа: created, signed, scan attached… — the trail of the register."""

    order = models.ForeignKey(Order, models.CASCADE, related_name="events", verbose_name="приказ")
    kind = models.CharField("событие", max_length=32, choices=OrderEventKind.choices)

    class Meta(WorkflowEvent.Meta):
        verbose_name = "событие приказа"
        verbose_name_plural = "события приказов"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.order}"


class DocumentJob(OwnedModel, TimeStampedModel):
    """Формирование документа в фоне: a large PDF (over ~10 pages) rendered by a Celery task for one user.

    A job belongs to the user who asked for it (like a notification), so ``restrict()`` keeps
    the jobs of ``requested_by``, administrators' included; the document's object itself was
    obtained through ``restrict()`` when the job was requested and is obtained through it again,
    as that user, when the task renders it.
    """

    owner_field = "requested_by"

    kind = models.CharField("документ", max_length=16, choices=DocumentKind.choices)
    object_id = models.PositiveBigIntegerField("объект")
    title = models.CharField("название", max_length=1000)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="+", verbose_name="запросил"
    )
    status = models.CharField("статус", max_length=16, choices=RenderStatus.choices, default=RenderStatus.PENDING)
    file = models.FileField("файл", upload_to="documents/%Y/", blank=True)
    pages = models.PositiveIntegerField("страниц", null=True, blank=True)
    error = models.TextField("ошибка", blank=True)
    finished_at = models.DateTimeField("готов", null=True, blank=True)

    class Meta:
        verbose_name = "формирование документа"
        verbose_name_plural = "формирование документов"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display().lower()})"

    def get_absolute_url(self) -> str:
        return reverse("reports:job", args=[self.pk])
