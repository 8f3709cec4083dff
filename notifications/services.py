"""Writes of notifications: recording what is due, delivering it, and the user's own choices.

The job (``reminders_run``) is the same for the periodic Celery task and for
``manage.py send_reminders``:

1. ``reminders_collect``: every registered source says what is due on the day; the rows are
   inserted with ``bulk_create(ignore_conflicts=True)`` under the unique constraint on
   (recipient, kind, subject, due date), so each reminder is recorded once however many runs
   overlap. Topics a user switched off are not recorded at all.
2. ``notifications_deliver``: each pending reminder becomes a line in the recipient's portal
   list; ``Notification.reminder`` is one-to-one, so concurrent runs add it once.
3. one ``notifications.tasks.digest_send`` per user with e-mail waiting: ``digest_send`` claims
   the user's rows with a compare-and-swap update, sends one letter listing all of them and
   marks them sent. Nothing is scheduled ahead (no ETA): what a killed worker left pending is
   picked up by the next run, 15 minutes later at most.
"""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.db.models import Case, F, Q, Value, When
from django.template.loader import render_to_string
from django.utils import timezone

from mentorship.errors import DomainError

from . import registry
from .choices import EmailState
from .models import Notification, Reminder, ReminderPreference

logger = logging.getLogger(__name__)

BATCH_SIZE = 2000


class BrokerUnavailable(DomainError):
    """The reminders are recorded but their e-mails could not be queued: Redis is down."""


@dataclass
class RunResult:
    """What one run of the job did, for the command's output and the task's log.

    The counts are table growth during the run: with runs overlapping, each may count rows the
    other inserted (the rows themselves are still recorded once).
    """

    day: date
    recorded: int = 0
    notified: int = 0
    digests_queued: int = 0
    digests_failed: int = 0
    per_topic: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        return (
            f"Напоминания на {self.day:%d.%m.%Y}: новых записано {self.recorded}, "
            f"уведомлений на портале {self.notified}, писем со сводкой поставлено в отправку {self.digests_queued}"
            + (f", не удалось отправить {self.digests_failed}" if self.digests_failed else "")
            + "."
        )


# --- the job -----------------------------------------------------------------------------------


def reminders_run(*, day: date) -> RunResult:
    """Record what is due on ``day``, show it on the portal and queue the e-mail digests.

    Raises ``BrokerUnavailable`` (after steps 1 and 2 are saved) when the digests cannot be
    queued; the next run queues them.
    """
    result = reminders_collect(day=day)
    result.notified = notifications_deliver()
    _queue_digests(result)
    return result


def reminders_collect(*, day: date) -> RunResult:
    """Ask every source what is due on ``day`` and record it once (see the module docstring)."""
    result = RunResult(day=day)
    users = dict(get_user_model().objects.filter(is_active=True).values_list("pk", "email"))
    preferences = {p.user_id: p for p in ReminderPreference.objects.all()}
    rows: list[Reminder] = []
    for topic in registry.topics():
        found = 0
        for due in topic.source(day):
            if due.recipient_id not in users:
                continue
            preference = preferences.get(due.recipient_id)
            if preference is not None and topic.key in preference.disabled_topics:
                continue
            wants_portal = preference is None or preference.portal
            wants_email = bool(users[due.recipient_id]) and (preference is None or preference.email_digest)
            rows.append(
                Reminder(
                    recipient_id=due.recipient_id,
                    topic=topic.key,
                    kind=due.kind,
                    subject_key=due.subject_key,
                    due_date=due.due_date,
                    title=due.title[:500],
                    text=due.text,
                    url=due.url[:500],
                    portal=wants_portal,
                    email_state=EmailState.PENDING if wants_email else EmailState.SKIPPED,
                )
            )
            found += 1
        result.per_topic[topic.key] = found
    # Every 15-minute run finds the day's reminders again: skip those already recorded (one
    # query) rather than send them all to the database to be refused by the constraint.
    recorded = set(
        Reminder.objects.filter(due_date__in={row.due_date for row in rows}).values_list(
            "recipient_id", "kind", "subject_key", "due_date"
        )
    )
    new = [row for row in rows if (row.recipient_id, row.kind, row.subject_key, row.due_date) not in recorded]
    before = Reminder.objects.count()
    Reminder.objects.bulk_create(new, batch_size=BATCH_SIZE, ignore_conflicts=True)
    result.recorded = Reminder.objects.count() - before
    return result


def notifications_deliver() -> int:
    """Show on the portal every recent reminder not shown yet; the number of notifications added.

    One ``INSERT … SELECT … ON CONFLICT DO NOTHING`` (PostgreSQL and SQLite alike): the rows
    never travel through Python, nothing is updated afterwards, and ``Notification.reminder``
    being unique makes a concurrent run add nothing twice. Reminders older than
    ``REMINDER_PORTAL_LOOKBACK_DAYS`` are not looked at again (the job runs every 15 minutes).
    """
    notification, reminder = Notification._meta.db_table, Reminder._meta.db_table
    since = timezone.now() - timedelta(days=settings.REMINDER_PORTAL_LOOKBACK_DAYS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {notification} (user_id, reminder_id, title, text, url, created_at, read_at) "  # noqa: S608 - table names from _meta
            f"SELECT r.recipient_id, r.id, r.title, r.text, r.url, %s, NULL FROM {reminder} r "
            f"WHERE r.portal = %s AND r.created_at >= %s "
            f"AND NOT EXISTS (SELECT 1 FROM {notification} n WHERE n.reminder_id = r.id) "
            "ON CONFLICT (reminder_id) DO NOTHING",
            [timezone.now(), True, since],
        )
        return max(cursor.rowcount, 0)


def digest_recipients() -> list[int]:
    """The users with e-mail waiting: pending, not claimed by a live worker, attempts left."""
    return list(
        _claimable(Reminder.objects.all()).order_by("recipient_id").values_list("recipient_id", flat=True).distinct()
    )


def _claimable(reminders: Any) -> Any:
    stale = timezone.now() - timedelta(seconds=settings.REMINDER_CLAIM_TIMEOUT)
    return reminders.filter(
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale),
        email_state=EmailState.PENDING,
        attempts__lt=settings.REMINDER_MAX_ATTEMPTS,
    )


def _queue_digests(result: RunResult) -> None:
    from . import tasks  # the tasks call these services: imported late, not at module level

    eager = tasks.app.conf.task_always_eager
    recipients = digest_recipients()
    if not recipients:
        return
    with tasks.app.producer_or_acquire() as producer:  # one broker connection for the whole run
        for user_id in recipients:
            try:
                tasks.digest_send.apply_async((user_id,), producer=producer)
            except Exception as exc:
                if not eager:
                    # Publishing failed: the broker is the only thing a non-eager publish talks to.
                    raise BrokerUnavailable(
                        f"Не удалось поставить письма в очередь: брокер Redis недоступен ({exc}). "
                        f"Напоминания записаны ({result.recorded}), уведомления на портале созданы "
                        f"({result.notified}); письма будут отправлены при следующем запуске."
                    ) from exc
                # Eager (no Redis): the send itself failed; the rows keep the attempt and the error,
                # and the next run tries again.
                logger.warning("Digest for user %s failed: %s", user_id, exc)
                result.digests_failed += 1
            else:
                result.digests_queued += 1


# --- the digest ---------------------------------------------------------------------------------


def digest_send(*, user_id: int) -> int:
    """Send ``user_id`` one letter with every reminder waiting for them; the number of reminders in it.

    Exactly once: the rows are claimed with one compare-and-swap ``UPDATE … WHERE claimed_at IS
    NULL`` (or a claim older than ``REMINDER_CLAIM_TIMEOUT``, left by a killed worker); only the
    worker whose update took a row sends it. A failed send releases the claim, counts the
    attempt, keeps the error for the administrators and re-raises so the task retries.
    """
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return 0
    if not user.email:
        Reminder.objects.filter(recipient_id=user_id, email_state=EmailState.PENDING).update(
            email_state=EmailState.SKIPPED
        )
        return 0
    token = uuid.uuid4().hex
    claimed = _claimable(Reminder.objects.filter(recipient_id=user_id)).update(
        claimed_at=timezone.now(), claim_token=token
    )
    if not claimed:
        return 0
    reminders = list(Reminder.objects.filter(claim_token=token).order_by("topic", "due_date", "kind", "title", "pk"))
    message = _digest_message(user, reminders)
    try:
        message.send()
    except Exception as exc:
        Reminder.objects.filter(claim_token=token).update(
            claimed_at=None,
            claim_token="",
            attempts=F("attempts") + 1,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
            email_state=Case(
                When(attempts__gte=settings.REMINDER_MAX_ATTEMPTS - 1, then=Value(EmailState.FAILED)),
                default=Value(EmailState.PENDING),
            ),
        )
        raise
    Reminder.objects.filter(claim_token=token).update(
        email_state=EmailState.SENT, sent_at=timezone.now(), attempts=F("attempts") + 1, last_error=""
    )
    return len(reminders)


def _digest_message(user: Any, reminders: list[Reminder]) -> EmailMessage:
    titles = dict(registry.topic_choices())
    groups: dict[str, list[Reminder]] = defaultdict(list)
    for reminder in reminders:
        groups[titles.get(reminder.topic, reminder.topic)].append(reminder)
    site = settings.SITE_URL.rstrip("/")
    body = render_to_string(
        "notifications/email/digest.txt",
        {
            "user": user,
            "groups": [
                (label, [(r, f"{site}{r.url}" if r.url.startswith("/") else r.url) for r in items])
                for label, items in groups.items()
            ],
            "count": len(reminders),
            "list_url": f"{site}/notifications/",
            "preferences_url": f"{site}/notifications/preferences/",
        },
    )
    subject = f"{settings.EMAIL_SUBJECT_PREFIX}Напоминания: {len(reminders)} {_plural_items(len(reminders))}"
    return EmailMessage(subject=subject, body=body, to=[user.email])


def _plural_items(n: int) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return "пункт"
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return "пункта"
    return "пунктов"


# --- the user's own notifications and choices ----------------------------------------------------


def notification_create(*, user: Any, title: str, text: str = "", url: str = "") -> Notification:
    """A line in the user's portal list sent by another app at once (e.g. «Документ готов»), not a reminder."""
    return Notification.objects.create(user=user, title=title[:500], text=text, url=url[:500])


def notification_mark_read(*, actor: Any, notification_id: int) -> Notification:
    """Mark one of the actor's own notifications read (another user's is not found)."""
    notification = Notification.objects.restrict(actor, "change").filter(pk=notification_id).first()
    if notification is None:
        raise DomainError("Уведомление не найдено.")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, actor: Any) -> int:
    """Mark every unread notification of the actor read; the number marked."""
    return Notification.objects.restrict(actor, "change").filter(read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def preference_update(
    *, actor: Any, disabled_topics: Iterable[str], email_digest: bool, portal: bool
) -> ReminderPreference:
    """Save which topics the actor gets and how."""
    known = {t.key for t in registry.topics()}
    unknown = sorted(set(disabled_topics) - known)
    if unknown:
        raise DomainError(f"Неизвестные темы напоминаний: {', '.join(unknown)}.")
    preference, _ = ReminderPreference.objects.select_for_update().get_or_create(user_id=actor.pk)
    preference.disabled_topics = sorted(set(disabled_topics))
    preference.email_digest = email_digest
    preference.portal = portal
    preference.full_clean()
    preference.save()
    return preference
