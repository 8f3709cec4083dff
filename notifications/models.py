"""Reminders (напоминания), the portal's notifications (уведомления) and users' choices about them."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from mentorship.models import OwnedModel

from .choices import EmailState


class Reminder(models.Model):
    """Напоминание: one thing due for one user on one date, recorded exactly once.

    The unique constraint on (recipient, kind, subject, due date) is what makes the job
    idempotent: every run inserts what is due with ``ignore_conflicts``, so running twice, two
    beats ticking or two workers at once record each reminder once. Delivery state lives on
    the row: the e-mail digest claims rows with a compare-and-swap update of ``claimed_at``
    and marks them sent afterwards; a worker killed in between leaves a stale claim the next
    run takes over. It doubles as the administrators' log of what was sent to whom and when.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="reminders", verbose_name="получатель"
    )
    topic = models.CharField("тема", max_length=64)
    kind = models.CharField("вид", max_length=64)
    subject_key = models.CharField("предмет", max_length=200, help_text="Например, roadmaps.roadmapitem:42.")
    due_date = models.DateField("дата срока")
    title = models.CharField("заголовок", max_length=500)
    text = models.TextField("текст", blank=True)
    url = models.CharField("ссылка", max_length=500, blank=True)
    created_at = models.DateTimeField("записано", auto_now_add=True, db_index=True)

    # Whether the recipient wanted it on the portal; its ``notification`` exists once delivered there.
    portal = models.BooleanField("показывать на портале", default=True)
    email_state = models.CharField(
        "по почте", max_length=16, choices=EmailState.choices, default=EmailState.PENDING, db_index=True
    )
    claimed_at = models.DateTimeField("взято в отправку", null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True, db_index=True, editable=False)
    sent_at = models.DateTimeField("отправлено", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("попыток отправки", default=0)
    last_error = models.TextField("последняя ошибка", blank=True)

    class Meta:
        verbose_name = "напоминание"
        verbose_name_plural = "напоминания"
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "subject_key", "due_date"], name="reminder_once_per_recipient_subject_day"
            ),
        ]
        indexes = [models.Index(fields=["recipient", "email_state"], name="reminder_recipient_email")]

    def __str__(self) -> str:
        return f"{self.title} ({self.due_date:%d.%m.%Y})"


class Notification(OwnedModel):
    """Уведомление на портале: a line in the user's notification list, read or not (only its user sees it)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="notifications", verbose_name="пользователь"
    )
    reminder = models.OneToOneField(
        Reminder, models.SET_NULL, null=True, blank=True, related_name="notification", verbose_name="напоминание"
    )
    title = models.CharField("заголовок", max_length=500)
    text = models.TextField("текст", blank=True)
    url = models.CharField("ссылка", max_length=500, blank=True)
    created_at = models.DateTimeField("создано", auto_now_add=True)
    read_at = models.DateTimeField("прочитано", null=True, blank=True)

    class Meta:
        verbose_name = "уведомление"
        verbose_name_plural = "уведомления"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "read_at"], name="notification_user_unread"),
            models.Index(fields=["user", "-created_at"], name="notification_user_recent"),
        ]

    def __str__(self) -> str:
        return self.title


class ReminderPreference(models.Model):
    """Настройки напоминаний пользователя: which topics, and whether by e-mail and/or on the portal.

    No row means the defaults: every topic, both channels.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="reminder_preference", verbose_name="пользователь"
    )
    disabled_topics = models.JSONField("отключённые темы", default=list, blank=True)
    email_digest = models.BooleanField("ежедневное письмо со сводкой", default=True)
    portal = models.BooleanField("уведомления на портале", default=True)
    updated_at = models.DateTimeField("изменено", auto_now=True)

    class Meta:
        verbose_name = "настройки напоминаний"
        verbose_name_plural = "настройки напоминаний"

    def __str__(self) -> str:
        return f"Настройки напоминаний: {self.user}"
