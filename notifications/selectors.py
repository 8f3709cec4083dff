"""Reads of notifications: always the user's own."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from . import registry
from .models import Notification, ReminderPreference


def notification_list(*, user: Any) -> QuerySet[Notification]:
    """The user's notifications, newest first."""
    return Notification.objects.restrict(user, "view").order_by("-created_at", "-pk")


def unread_count(*, user: Any) -> int:
    return Notification.objects.restrict(user, "view").filter(read_at__isnull=True).count()


def preference_of(*, user: Any) -> ReminderPreference:
    """The user's saved choices, or the defaults (everything on) when none are saved."""
    return ReminderPreference.objects.filter(user_id=user.pk).first() or ReminderPreference(user_id=user.pk)


def topic_choices() -> list[tuple[str, str]]:
    return registry.topic_choices()
