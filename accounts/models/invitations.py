"""Invitations: a letter that lets a person set a password and take up a role at a place."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from mentorship.choices import Role
from mentorship.models import Municipality, Organisation, Region, ScopedModel
from mentorship.models.users import HeldAtPlace, place_matches_role


class Invitation(HeldAtPlace, ScopedModel):
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
                condition=place_matches_role(),
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
    def pending(self) -> bool:
        """Neither accepted nor withdrawn (it may have expired)."""
        return self.accepted_at is None and self.withdrawn_at is None

    @property
    def expired(self) -> bool:
        return self.expires_at <= timezone.now()
