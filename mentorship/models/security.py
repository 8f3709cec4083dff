"""The security event log (журнал событий безопасности): append-only, read by a region's security officer."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from django.conf import settings
from django.db import models

from ..choices import Level, SecurityEventKind
from .base import ScopedModel
from .hierarchy import Region


class SecurityEvent(ScopedModel):
    """Событие безопасности: a log-in, a lock-out, a password or role change, an export of personal data.

    Rows are only ever added (``security.record``): the portal offers no way to change or delete
    one, the admin shows them read-only, and on PostgreSQL a trigger refuses UPDATE and DELETE.
    Who acted and whose account it was are kept as names too, so a row still reads right after
    the account is renamed.
    """

    # Kept per region: the region's security officer reads the region's events.
    scope_paths: ClassVar[Mapping[Level, str]] = {Level.REGION: "region"}
    #: an append-only log: its rows never change, so there is no change history to keep
    append_only: ClassVar[bool] = True

    at = models.DateTimeField("когда", auto_now_add=True, db_index=True)
    kind = models.CharField("событие", max_length=32, choices=SecurityEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="кто"
    )
    actor_name = models.CharField("кто (на момент события)", max_length=300, blank=True)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="чья учётная запись",
    )
    subject_name = models.CharField("чья учётная запись (на момент события)", max_length=300, blank=True)
    #: what was typed in the log-in form, for failures of unknown accounts too
    username = models.CharField("введённое имя пользователя", max_length=150, blank=True)
    ip = models.GenericIPAddressField("IP-адрес", null=True, blank=True)
    region = models.ForeignKey(Region, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="регион")
    what = models.CharField("подробности", max_length=500, blank=True)
    #: how many people's personal data an export or a PDF held
    people = models.PositiveIntegerField("сколько человек", null=True, blank=True)

    class Meta:
        verbose_name = "событие безопасности"
        verbose_name_plural = "журнал событий безопасности"
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["region", "-at"]), models.Index(fields=["kind", "-at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject_name or self.username or self.actor_name}"
