"""Vocabularies of reminders, with Russian labels."""

from django.db import models


class EmailState(models.TextChoices):
    """Where a reminder is on its way to the recipient's mailbox (in the daily digest)."""

    PENDING = "pending", "Ожидает отправки"
    SENT = "sent", "Отправлено"
    FAILED = "failed", "Не удалось отправить"
    SKIPPED = "skipped", "Не отправляется (нет адреса или письма отключены)"
