"""The sessions a user logged in with, so that they can be ended without scanning every session."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class UserSession(models.Model):
    """Сеанс пользователя: a session key recorded at log-in (and followed when Django renews the key)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="recorded_sessions",
        verbose_name="пользователь",
    )
    session_key = models.CharField("ключ сеанса", max_length=40, unique=True)
    created_at = models.DateTimeField("начат", default=timezone.now)
    ip_address = models.GenericIPAddressField("адрес при входе", null=True, blank=True)

    class Meta:
        verbose_name = "сеанс пользователя"
        verbose_name_plural = "сеансы пользователей"
        indexes = [models.Index(fields=["user", "created_at"], name="accounts_session_user_idx")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.created_at:%d.%m.%Y %H:%M}"
