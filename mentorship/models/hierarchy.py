"""The region → municipality → organisation hierarchy, its bodies and partners."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from ..choices import BodyKind, Level, MunicipalityKind, OrganisationKind, PartnerKind
from .base import LegalEntity, ScopedModel, TimeStampedModel, code_validator

# A school of 100 000 pupils does not exist; the bound catches typing slips.
MAX_HEADCOUNT = 100_000


class Region(ScopedModel, TimeStampedModel):
    """Субъект Российской Федерации: the top of the hierarchy."""

    code = models.CharField(
        "код",
        max_length=64,
        unique=True,
        validators=[code_validator],
        help_text="Код субъекта РФ (например, 02) или иной постоянный код для импорта.",
    )
    name = models.CharField("наименование", max_length=255, unique=True)
    is_active = models.BooleanField("действует", default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "регион"
        verbose_name_plural = "регионы"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:region", args=[self.pk])

    @classmethod
    def scope_q(cls, level: Level, places: Any, action: str) -> Q | None:
        if level == Level.REGION:
            return Q(pk__in=places)
        if action != "view":
            return None
        # Everyone sees the region they work in (breadcrumbs, headers), not its siblings.
        if level == Level.MUNICIPALITY:
            return Q(pk__in=Municipality.objects.filter(pk__in=places).values("region_id"))
        return Q(pk__in=Organisation.objects.filter(pk__in=places).values("municipality__region_id"))


class Municipality(ScopedModel, TimeStampedModel):
    """Муниципальный район, муниципальный или городской округ."""

    region = models.ForeignKey(Region, models.PROTECT, related_name="municipalities", verbose_name="регион")
    code = models.CharField(
        "код",
        max_length=64,
        unique=True,
        validators=[code_validator],
        help_text="Постоянный код для импорта (например, ОКТМО или внутренний код региона).",
    )
    name = models.CharField("наименование", max_length=255)
    kind = models.CharField("вид", max_length=32, choices=MunicipalityKind.choices, default=MunicipalityKind.DISTRICT)
    is_active = models.BooleanField("действует", default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "муниципалитет"
        verbose_name_plural = "муниципалитеты"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="municipality_unique_name_in_region"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:municipality", args=[self.pk])

    @classmethod
    def scope_q(cls, level: Level, places: Any, action: str) -> Q | None:
        if level == Level.REGION:
            return Q(region__in=places)
        if level == Level.MUNICIPALITY:
            return Q(pk__in=places)
        if action != "view":
            return None
        return Q(pk__in=Organisation.objects.filter(pk__in=places).values("municipality_id"))


class Organisation(ScopedModel, LegalEntity, TimeStampedModel):
    """Образовательная организация (ОО): школа, колледж, детский сад, организация доп. образования."""

    municipality = models.ForeignKey(
        Municipality, models.PROTECT, related_name="organisations", verbose_name="муниципалитет"
    )
    kind = models.CharField("тип", max_length=32, choices=OrganisationKind.choices, default=OrganisationKind.SCHOOL)
    students_count = models.PositiveIntegerField(
        "число обучающихся",
        default=0,
        validators=[MaxValueValidator(MAX_HEADCOUNT)],
        help_text="Знаменатель охвата обучающихся (по форме ОО-1).",
    )
    teachers_count = models.PositiveIntegerField(
        "число педагогических работников",
        default=0,
        validators=[MaxValueValidator(MAX_HEADCOUNT)],
        help_text="Знаменатель охвата педагогов (по форме ОО-1).",
    )

    history = HistoricalRecords()

    object_permissions = True
    scope_paths = {
        Level.REGION: "municipality__region",
        Level.MUNICIPALITY: "municipality",
        Level.ORGANISATION: "pk",
    }

    class Meta:
        verbose_name = "образовательная организация"
        verbose_name_plural = "образовательные организации"
        ordering = ["short_name"]
        indexes = [models.Index(fields=["municipality", "short_name"])]

    def get_absolute_url(self) -> str:
        return reverse("directory:organisation", args=[self.pk])


class Body(ScopedModel, LegalEntity, TimeStampedModel):
    """A body acting at a level: ministry, regional centre (РНЦ), education authority (УО), ИМЦ."""

    kind = models.CharField("вид", max_length=32, choices=BodyKind.choices)
    region = models.ForeignKey(Region, models.PROTECT, related_name="bodies", verbose_name="регион")
    municipality = models.ForeignKey(
        Municipality,
        models.PROTECT,
        related_name="bodies",
        verbose_name="муниципалитет",
        null=True,
        blank=True,
        help_text="Только для муниципальных органов и центров.",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "орган (учреждение) управления и сопровождения"
        verbose_name_plural = "органы и учреждения управления и сопровождения"
        ordering = ["region__name", "municipality__name", "short_name"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind__in=BodyKind.municipal(), municipality__isnull=False)
                    | (~Q(kind__in=BodyKind.municipal()) & Q(municipality__isnull=True))
                ),
                name="body_level_matches_kind",
                violation_error_message="Муниципальный орган должен относиться к муниципалитету, региональный — нет.",
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("directory:body", args=[self.pk])

    def clean(self) -> None:
        if self.municipality_id and self.region_id and self.municipality.region_id != self.region_id:
            raise ValidationError({"municipality": "Муниципалитет относится к другому региону."})

    @classmethod
    def scope_q(cls, level: Level, places: Any, action: str) -> Q | None:
        return _regional_or_municipal_scope(level, places, action)


class Partner(ScopedModel, LegalEntity, TimeStampedModel):
    """Организация-партнёр: предприятие, вуз, НКО, поставляющие наставников или ведущие проекты."""

    kind = models.CharField("вид", max_length=32, choices=PartnerKind.choices, default=PartnerKind.COMPANY)
    region = models.ForeignKey(Region, models.PROTECT, related_name="partners", verbose_name="регион")
    municipality = models.ForeignKey(
        Municipality,
        models.PROTECT,
        related_name="partners",
        verbose_name="муниципалитет",
        null=True,
        blank=True,
        help_text="Пусто, если партнёр работает со всем регионом.",
    )
    contact = models.CharField("контактное лицо и телефон", max_length=255, blank=True)

    history = HistoricalRecords()

    #: a partner may be shown to a school it works with (``assign_perm``)
    object_permissions = True

    class Meta:
        verbose_name = "организация-партнёр"
        verbose_name_plural = "организации-партнёры"
        ordering = ["short_name"]

    def get_absolute_url(self) -> str:
        return reverse("directory:partner", args=[self.pk])

    def clean(self) -> None:
        if self.municipality_id and self.region_id and self.municipality.region_id != self.region_id:
            raise ValidationError({"municipality": "Муниципалитет относится к другому региону."})

    @classmethod
    def scope_q(cls, level: Level, places: Any, action: str) -> Q | None:
        return _regional_or_municipal_scope(level, places, action)


class PlaceOwned(ScopedModel):
    """A record kept by exactly one place: the subclass's ``region``, ``municipality`` or ``organisation``.

    Downward, a place controls its own records and those of every place below it; upward, it
    only reads those of the places above it (a school follows its municipality's and region's).
    Roadmaps and monitoring targets are such records.
    """

    class Meta:
        abstract = True

    @property
    def level(self) -> Level:
        if self.organisation_id:
            return Level.ORGANISATION
        return Level.MUNICIPALITY if self.municipality_id else Level.REGION

    @property
    def place(self) -> Region | Municipality | Organisation:
        return getattr(self, self.level.value)

    @property
    def place_key(self) -> tuple[str, int]:
        """``(level, place pk)``, e.g. ``("municipality", 7)``, without reading the place."""
        level = self.level.value
        return level, getattr(self, f"{level}_id")

    @classmethod
    def scope_q(cls, level: Level, places: Any, action: str) -> Q | None:
        if level == Level.REGION:
            return (
                Q(region__in=places)
                | Q(municipality__region__in=places)
                | Q(organisation__municipality__region__in=places)
            )
        if level == Level.MUNICIPALITY:
            own = Q(municipality__in=places) | Q(organisation__municipality__in=places)
            if action != "view":
                return own
            return own | Q(region__in=Municipality.objects.filter(pk__in=places).values("region_id"))
        own = Q(organisation__in=places)
        if action != "view":
            return own
        schools = Organisation.objects.filter(pk__in=places)
        return (
            own
            | Q(municipality__in=schools.values("municipality_id"))
            | Q(region__in=schools.values("municipality__region_id"))
        )


def _regional_or_municipal_scope(level: Level, places: Any, action: str) -> Q | None:
    """Scope of a row kept either for a whole region or for one of its municipalities.

    Downward, a place controls what belongs to it; for viewing, a municipality
    and its schools also see the rows of their region as a whole.
    """
    if level == Level.REGION:
        return Q(region__in=places)
    if level == Level.MUNICIPALITY:
        own = Q(municipality__in=places)
        regions = Municipality.objects.filter(pk__in=places).values("region_id")
    else:
        if action != "view":
            return None
        own = Q(municipality__in=Organisation.objects.filter(pk__in=places).values("municipality_id"))
        regions = Organisation.objects.filter(pk__in=places).values("municipality__region_id")
    if action != "view":
        return own
    return own | Q(municipality__isnull=True, region__in=regions)


def organisations_within(places: Mapping[Level, Any]) -> models.QuerySet:
    """The pks of the organisations at or below ``places`` (``{level: subquery of place pks}``).

    One subquery over the directory; a record kept by an organisation is then
    scoped by a single semi-join on it (``ScopedModel.scope_anchor``).
    """
    q = Q(pk__in=[])
    for level, level_places in places.items():
        q |= Q(**{f"{Organisation.scope_paths[level]}__in": level_places})
    return Organisation.objects.filter(q).order_by().values("pk")


def regions_within(places: Mapping[Level, Any]) -> models.QuerySet:
    """The pks of the regions the holder of ``places`` works in (what they see of the region as a whole)."""
    q = Q(pk__in=[])
    for level, level_places in places.items():
        q |= Region.scope_q(level, level_places, "view")
    return Region.objects.filter(q).order_by().values("pk")
