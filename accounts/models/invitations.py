"""Invitations: a letter that lets a person set a password and take up a role at a place."""

from __future__ import annotations

import operator
from functools import reduce
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from mentorship.choices import ROLE_LEVELS, Level, Role
from mentorship.models import Municipality, Organisation, Region, ScopedModel


def _place_matches_role() -> Q:
    """Exactly the place column of the role's level is filled (as for a role assignment)."""
    conditions = []
    for level in Level:
        roles = [role for role, role_level in ROLE_LEVELS.items() if role_level == level]
        only_this = Q(**{f"{lvl.value}__isnull": lvl != level for lvl in Level})
        conditions.append(Q(role__in=roles) & only_this)
    return reduce(operator.or_, conditions)


class Invitation(ScopedModel):
    """Приглашение: a letter to an e-mail address offering a role at a place of the hierarchy.

    The link in the letter carries a random token; only its SHA-256 is stored, so the table (or a
    backup of it) opens no account. The token is drawn when the letter is sent (``send_pending``
    marks a letter still to send), and drawn again by «Отправить снова», which kills the old link.
    An invitation is scoped like the role it offers: whoever may grant that role at that place
    (the grant table, ``mentorship/roles.py``) sees it, sends it again or withdraws it.
    """

    #: view, add and change follow the grant table role by role, like granting the role itself
    grant_actions: ClassVar[frozenset[str]] = frozenset({"view", "add", "change"})

    email = models.EmailField("электронная почта")
    last_name = models.CharField("фамилия", max_length=150)
    first_name = models.CharField("имя", max_length=150)
    patronymic = models.CharField("отчество", max_length=150, blank=True)
    position = models.CharField("должность", max_length=255, blank=True)
    role = models.CharField("роль", max_length=32, choices=Role.choices)
    region = models.ForeignKey(
        Region, models.CASCADE, null=True, blank=True, related_name="invitations", verbose_name="регион"
    )
    municipality = models.ForeignKey(
        Municipality, models.CASCADE, null=True, blank=True, related_name="invitations", verbose_name="муниципалитет"
    )
    organisation = models.ForeignKey(
        Organisation,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name="образовательная организация",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_sent",
        verbose_name="пригласил",
    )
    created_at = models.DateTimeField("создано", default=timezone.now)
    expires_at = models.DateTimeField("действует до")
    #: the SHA-256 (hex) of the link's token; never the token itself
    token_hash = models.CharField("отпечаток ссылки", max_length=64, unique=True, editable=False)
    send_pending = models.BooleanField("письмо ждёт отправки", default=True)
    sent_count = models.PositiveIntegerField("отправлено писем", default=0)
    last_sent_at = models.DateTimeField("последнее письмо", null=True, blank=True)
    accepted_at = models.DateTimeField("принято", null=True, blank=True)
    accepted_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_accepted",
        verbose_name="учётная запись",
    )
    withdrawn_at = models.DateTimeField("отозвано", null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["token_hash"])

    class Meta:
        verbose_name = "приглашение"
        verbose_name_plural = "приглашения"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=_place_matches_role(),
                name="invitation_place_matches_role",
                violation_error_message="Роль назначается на месте своего уровня: регион, муниципалитет или ОО.",
            ),
        ]
        indexes = [models.Index(fields=["email", "role"], name="invitation_email_role")]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.email}): {self.get_role_display()}"

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.last_name, self.first_name, self.patronymic) if part)

    @property
    def level(self) -> Level:
        return ROLE_LEVELS[self.role]

    @property
    def place(self) -> Region | Municipality | Organisation | None:
        return getattr(self, self.level.value) if self.role in ROLE_LEVELS else None

    @property
    def pending(self) -> bool:
        """Neither accepted nor withdrawn (it may have expired)."""
        return self.accepted_at is None and self.withdrawn_at is None

    @property
    def expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @classmethod
    def scope_q(cls, level: Level, places: Any, action: str) -> Q | None:
        # An invitation belongs to its place, like the role assignment it will become.
        if level == Level.REGION:
            return (
                Q(region__in=places)
                | Q(municipality__region__in=places)
                | Q(organisation__municipality__region__in=places)
            )
        if level == Level.MUNICIPALITY:
            return Q(municipality__in=places) | Q(organisation__municipality__in=places)
        return Q(organisation__in=places)
