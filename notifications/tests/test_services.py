"""The job: recording once, the portal list, the e-mail digest, opt-out, failures, the command."""

from __future__ import annotations

import smtplib
from datetime import date, timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from notifications import services
from notifications.choices import EmailState
from notifications.models import Notification, Reminder
from roadmaps import reminders

from .helpers import dated_item

DAY = date(2025, 3, 15)


@pytest.fixture
def due_today(world):
    """Two items due on DAY for curator_a1 alone, one for mentor_a1, one later in the week for both."""
    return [
        dated_item(world.roadmap_a1, "до 15.03.2025", number="2.1", responsible=world.curator_a1),
        dated_item(world.roadmap_a1, "15.03.2025", number="2.2", responsible=world.curator_a1),
        dated_item(world.roadmap_a1, "до 15.03.2025", number="2.3", responsible=world.mentor_a1),
        dated_item(world.roadmap_b1, "до 20.03.2025", number="2.4", responsible=world.curator_a1),
    ]


def _mails_to(address):
    return [m for m in mail.outbox if address in m.to]


def test_one_digest_per_user_lists_all_their_items(world, due_today):
    result = services.reminders_run(day=DAY)
    assert result.recorded == 4
    assert result.digests_queued == 2
    assert len(mail.outbox) == 2
    [letter] = _mails_to(world.curator_a1.email)
    assert letter.subject == "[Наставничество] Напоминания: 3 пункта"
    assert "Сроки пунктов дорожных карт" in letter.body
    for item in due_today[:2] + due_today[3:]:
        assert f"http://testserver.example/roadmaps/{item.roadmap_id}/#item-{item.pk}" in letter.body
    assert "Срок сегодня: 2.1" in letter.body
    assert "Срок через 5 дн.: 2.4" in letter.body
    assert due_today[2].title not in letter.body
    assert "http://testserver.example/notifications/preferences/" in letter.body
    sent = Reminder.objects.filter(recipient=world.curator_a1)
    assert {r.email_state for r in sent} == {EmailState.SENT}
    assert all(r.sent_at and r.attempts == 1 for r in sent)


def test_running_twice_records_and_sends_once(world, due_today):
    services.reminders_run(day=DAY)
    again = services.reminders_run(day=DAY)
    assert (again.recorded, again.notified, again.digests_queued) == (0, 0, 0)
    assert len(mail.outbox) == 2
    assert Reminder.objects.count() == 4
    assert Notification.objects.count() == 4


def test_the_next_day_makes_only_the_new_reminders(world, due_today):
    services.reminders_run(day=DAY)
    mail.outbox.clear()
    result = services.reminders_run(day=DAY + timedelta(days=1))
    # The three items due on DAY are now overdue; 2.4 stays «within the week», already told.
    assert result.recorded == 3
    assert {m.to[0] for m in mail.outbox} == {world.curator_a1.email, world.mentor_a1.email}
    assert "Срок прошёл: 2.1" in _mails_to(world.curator_a1.email)[0].body


def test_portal_notifications_mirror_the_reminders(world, due_today):
    services.reminders_run(day=DAY)
    titles = sorted(Notification.objects.filter(user=world.curator_a1).values_list("title", flat=True))
    assert [t.split(" Мероприятие")[0] for t in titles] == [
        "Срок сегодня: 2.1",
        "Срок сегодня: 2.2",
        "Срок через 5 дн.: 2.4",
    ]


def test_a_user_without_email_gets_the_portal_notification_only(world, due_today):
    world.mentor_a1.email = ""
    world.mentor_a1.save()
    services.reminders_run(day=DAY)
    assert _mails_to("mentor_a1@example.ru") == []
    assert Notification.objects.filter(user=world.mentor_a1).count() == 1
    assert Reminder.objects.get(recipient=world.mentor_a1).email_state == EmailState.SKIPPED


def test_a_switched_off_topic_is_not_recorded(world, due_today):
    services.preference_update(
        actor=world.curator_a1, disabled_topics=["roadmap_deadlines"], email_digest=True, portal=True
    )
    services.reminders_run(day=DAY)
    assert not Reminder.objects.filter(recipient=world.curator_a1).exists()
    assert _mails_to(world.curator_a1.email) == []
    assert len(_mails_to(world.mentor_a1.email)) == 1


def test_digest_off_keeps_the_portal_and_portal_off_keeps_the_digest(world, due_today):
    services.preference_update(actor=world.curator_a1, disabled_topics=[], email_digest=False, portal=True)
    services.preference_update(actor=world.mentor_a1, disabled_topics=[], email_digest=True, portal=False)
    services.reminders_run(day=DAY)
    assert _mails_to(world.curator_a1.email) == []
    assert Notification.objects.filter(user=world.curator_a1).count() == 3
    assert len(_mails_to(world.mentor_a1.email)) == 1
    assert not Notification.objects.filter(user=world.mentor_a1).exists()
    assert Reminder.objects.get(recipient=world.mentor_a1).portal is False


def test_an_unknown_topic_in_preferences_is_refused(world):
    with pytest.raises(services.DomainError, match="Неизвестные темы"):
        services.preference_update(actor=world.curator_a1, disabled_topics=["nonsense"], email_digest=True, portal=True)


def test_an_unclear_deadline_notice_reaches_the_author_not_a_dated_reminder(world):
    world.roadmap_a1.created_by = world.curator_a1
    world.roadmap_a1.save()
    dated_item(world.roadmap_a1, "когда-нибудь потом", number="3.1", responsible=world.mentor_a1)
    services.reminders_run(day=DAY)
    assert list(Reminder.objects.values_list("recipient_id", "kind")) == [(world.curator_a1.pk, reminders.KIND_UNCLEAR)]
    assert "Срок не распознан: 3.1" in _mails_to(world.curator_a1.email)[0].body


def test_a_failed_send_is_kept_with_its_error_and_retried_until_the_attempts_run_out(world, due_today, settings):
    down = mock.patch("django.core.mail.EmailMessage.send", side_effect=smtplib.SMTPServerDisconnected("нет связи"))
    with down:
        result = services.reminders_run(day=DAY)
    assert result.digests_failed == 2
    failed = Reminder.objects.get(recipient=world.mentor_a1)
    assert (failed.email_state, failed.attempts, failed.sent_at) == (EmailState.PENDING, 1, None)
    assert "SMTPServerDisconnected: нет связи" in failed.last_error
    assert Notification.objects.filter(user=world.mentor_a1).exists()
    # Without a worker (eager), the retry is the next run of the job; a worker retries with backoff.
    with down:
        for _ in range(settings.REMINDER_MAX_ATTEMPTS - 1):
            services.reminders_run(day=DAY)
    failed.refresh_from_db()
    assert (failed.email_state, failed.attempts) == (EmailState.FAILED, settings.REMINDER_MAX_ATTEMPTS)
    with down:
        assert services.reminders_run(day=DAY).digests_failed == 0  # given up: no more attempts


def test_a_send_that_failed_once_goes_out_on_the_next_run(world, due_today):
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=smtplib.SMTPServerDisconnected("обрыв")):
        services.reminders_run(day=DAY)
    assert mail.outbox == []
    services.reminders_run(day=DAY)
    assert len(mail.outbox) == 2
    retried = Reminder.objects.filter(recipient=world.mentor_a1).get()
    assert (retried.email_state, retried.attempts, retried.last_error) == (EmailState.SENT, 2, "")


def test_the_digest_task_retries_smtp_failures_with_backoff():
    from notifications import tasks

    assert tasks.digest_send.autoretry_for == (smtplib.SMTPException, OSError)
    assert tasks.digest_send.retry_backoff
    assert tasks.digest_send.max_retries == 5


def test_rows_claimed_by_a_killed_worker_are_taken_over_after_the_timeout(world, due_today, settings):
    services.reminders_collect(day=DAY)
    # A worker claimed the mentor's row and died before sending.
    Reminder.objects.filter(recipient=world.mentor_a1).update(claimed_at=timezone.now(), claim_token="dead")
    assert services.digest_send(user_id=world.mentor_a1.pk) == 0
    Reminder.objects.filter(recipient=world.mentor_a1).update(
        claimed_at=timezone.now() - timedelta(seconds=settings.REMINDER_CLAIM_TIMEOUT + 1)
    )
    assert services.digest_send(user_id=world.mentor_a1.pk) == 1
    assert services.digest_send(user_id=world.mentor_a1.pk) == 0
    assert len(_mails_to(world.mentor_a1.email)) == 1


def test_the_command_runs_the_job_for_a_given_day(world, due_today, capsys):
    call_command("send_reminders", "--date", "2025-03-15")
    out = capsys.readouterr().out
    assert "Напоминания на 15.03.2025: новых записано 4" in out
    assert len(mail.outbox) == 2


@pytest.mark.parametrize("value", ["15.03.2025", "2025-02-30", "завтра"])
def test_the_command_refuses_a_wrong_date_in_russian(db, value):
    with pytest.raises(CommandError, match="не распознана: укажите её как ГГГГ-ММ-ДД"):
        call_command("send_reminders", "--date", value)
    assert not Reminder.objects.exists()


@pytest.fixture
def with_a_broker():
    """Celery not eager, as with REDIS_URL set (``app.conf`` cannot be monkeypatched: it is a ChainMap)."""
    from notifications import tasks

    tasks.app.conf.task_always_eager = False
    yield
    tasks.app.conf.task_always_eager = True


def test_broker_down_reports_clearly_and_keeps_what_was_recorded(world, due_today, with_a_broker):
    from kombu.exceptions import OperationalError

    from notifications import tasks

    with (
        mock.patch.object(tasks.digest_send, "apply_async", side_effect=OperationalError("Error 111 connecting")),
        pytest.raises(CommandError, match="брокер Redis недоступен") as raised,
    ):
        call_command("send_reminders", "--date", "2025-03-15")
    assert "письма будут отправлены при следующем запуске" in str(raised.value)
    assert Reminder.objects.count() == 4
    assert Notification.objects.count() == 4
    assert mail.outbox == []
    assert len(services.digest_recipients()) == 2  # still waiting for the next run


def test_the_periodic_task_runs_the_same_job_every_15_minutes(world, due_today, settings):
    from notifications import tasks

    entry = settings.CELERY_BEAT_SCHEDULE["notifications-reminders"]
    assert (entry["task"], entry["schedule"]) == (tasks.reminders_run.name, 900.0)
    with mock.patch("notifications.tasks.timezone.localdate", return_value=DAY):
        summary = tasks.reminders_run.delay().get()
    assert summary.startswith("Напоминания на 15.03.2025: новых записано 4")
    assert len(mail.outbox) == 2


def test_another_app_puts_a_line_in_the_portal_list_at_once(world):
    notice = services.notification_create(
        user=world.curator_a1, title="Документ готов: " + "П" * 600, url="/documents/jobs/7/"
    )
    assert notice.reminder is None
    assert len(notice.title) == 500
    assert list(Notification.objects.filter(user=world.curator_a1, read_at__isnull=True)) == [notice]
    assert not mail.outbox
