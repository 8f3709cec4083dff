"""Users, their roles at places of the hierarchy, and once-only form submissions."""

from __future__ import annotations

import operator
from functools import reduce
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from ..choices import ROLE_LEVELS, Level, Role
from ..querysets import HistoryQuerySet
from .base import ScopedModel
from .hierarchy import Municipality, Organisation, Region


class UserManager(DjangoUserManager.from_queryset(HistoryQuerySet)):
    pass


# «укажите только …»: the level's name in the accusative case.
PLACE_ACCUSATIVE = {
    Level.REGION: "регион",
    Level.MUNICIPALITY: "муниципалитет",
    Level.ORGANISATION: "образовательную организацию",
}


class User(AbstractUser):
    """Пользователь портала. What they may do comes from their role assignments."""

    patronymic = models.CharField("отчество", max_length=150, blank=True)
    position = models.CharField("должность", max_length=255, blank=True)
    phone = models.CharField("телефон", max_length=32, blank=True)

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = UserManager()

    class Meta(AbstractUser.Meta):
        verbose_name = "пользователь"
        verbose_name_plural = "пользователи"
        ordering = ["last_name", "first_name"]

    def get_full_name(self) -> str:
        parts = [self.last_name, self.first_name, self.patronymic]
        return " ".join(p for p in parts if p).strip() or self.username

    def get_short_name(self) -> str:
        """«Ростовская Е.В.», as the seeds write people."""
        initials = "".join(f"{p[0]}." for p in (self.first_name, self.patronymic) if p)
        return f"{self.last_name} {initials}".strip() if self.last_name else self.username

    def __str__(self) -> str:
        return self.get_short_name()


def place_matches_role() -> Q:
    """Exactly the place column of the role's level is filled."""
    conditions = []
    for level in Level:
        roles = [role for role, role_level in ROLE_LEVELS.items() if role_level == level]
        only_this = Q(**{f"{lvl.value}__isnull": lvl != level for lvl in Level})
        conditions.append(Q(role__in=roles) & only_this)
    return reduce(operator.or_, conditions)


class HeldAtPlace:
    """A role at one place of the hierarchy (an assignment, or an invitation to one): its level, its
    place, and its scope: it belongs to its place, and the officers above see it."""

    role: str

    @property
    def level(self) -> Level:
        return ROLE_LEVELS[self.role]

    @property
    def place(self) -> Region | Municipality | Organisation | None:
        return getattr(self, self.level.value) if self.role in ROLE_LEVELS else None

    @classmethod
    def scope_q(cls, level: Level, places: Any, action: str) -> Q | None:
        if level == Level.REGION:
            return (
                Q(region__in=places)
                | Q(municipality__region__in=places)
                | Q(organisation__municipality__region__in=places)
            )
        if level == Level.MUNICIPALITY:
            return Q(municipality__in=places) | Q(organisation__municipality__in=places)
        return Q(organisation__in=places)


class RoleAssignment(HeldAtPlace, ScopedModel):
    """Назначение роли: a user holds a role at exactly one place of the hierarchy."""

    #: granting and revoking follow the grant table (``mentorship/roles.py``), role by role
    grant_actions: ClassVar[frozenset[str]] = frozenset({"grant", "revoke"})

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="role_assignments", verbose_name="пользователь"
    )
    role = models.CharField("роль", max_length=32, choices=Role.choices)
    region = models.ForeignKey(
        Region, models.CASCADE, null=True, blank=True, related_name="role_assignments", verbose_name="регион"
    )
    municipality = models.ForeignKey(
        Municipality,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name="муниципалитет",
    )
    organisation = models.ForeignKey(
        Organisation,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name="образовательная организация",
    )
    created_at = models.DateTimeField("назначено", auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "назначение роли"
        verbose_name_plural = "назначения ролей"
        ordering = ["user__last_name", "role"]
        constraints = [
            models.CheckConstraint(
                condition=place_matches_role(),
                name="role_assignment_place_matches_role",
                violation_error_message="Роль назначается на месте своего уровня: регион, муниципалитет или ОО.",
            ),
            *[
                models.UniqueConstraint(
                    fields=["user", "role", level.value],
                    condition=Q(**{f"{level.value}__isnull": False}),
                    name=f"role_assignment_unique_{level.value}",
                    violation_error_message="Эта роль у пользователя здесь уже есть.",
                )
                for level in Level
            ],
        ]
        indexes = [models.Index(fields=["user", "role"])]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.place}"

    def clean(self) -> None:
        if self.role not in ROLE_LEVELS:
            return
        expected = self.level.value
        filled = [level.value for level in Level if getattr(self, f"{level.value}_id")]
        if filled != [expected]:
            raise ValidationError(
                {expected: f"Для роли «{self.get_role_display()}» укажите только {PLACE_ACCUSATIVE[expected]}."}
            )


class FormSubmission(models.Model):
    """A one-time token of a rendered form: posting it twice changes nothing the second time."""

    token = models.UUIDField("токен", unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)
    result_url = models.CharField("куда вела отправка", max_length=500, blank=True)

    class Meta:
        verbose_name = "отправка формы"
        verbose_name_plural = "отправки форм"

    def __str__(self) -> str:
        return str(self.token)
