"""Celery tasks: thin, taking ids, calling the services (which make reruns harmless)."""

from __future__ import annotations

import smtplib

from celery import shared_task
from django.utils import timezone

from mentorship.celery import app

from . import services

__all__ = ["app", "digest_send", "reminders_run"]


@shared_task(name="notifications.reminders_run")
def reminders_run() -> str:
    """The periodic job (beat, every 15 minutes): the same service as ``manage.py send_reminders``."""
    return services.reminders_run(day=timezone.localdate()).summary()


@shared_task(
    name="notifications.digest_send",
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    max_retries=5,
)
def digest_send(user_id: int) -> int:
    """One user's daily digest; a failed send is retried with exponential backoff."""
    return services.digest_send(user_id=user_id)
