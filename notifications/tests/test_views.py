"""The notification list, marking read, the preferences page, the header badge and the admin log."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from notifications import services
from notifications.models import Notification, Reminder, ReminderPreference

from .helpers import dated_item

DAY = date(2025, 3, 15)


def _notify(user, n=1, **fields):
    return [
        Notification.objects.create(user=user, title=f"Срок сегодня: пункт {i}", url="/roadmaps/", **fields)
        for i in range(n)
    ]


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_the_list_shows_only_the_users_own_notifications(world, client_as):
    _notify(world.curator_a1, 2)
    Notification.objects.create(user=world.curator_b1, title="Чужое уведомление")
    response = client_as(world.curator_a1).get(reverse("notifications:list"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Срок сегодня: пункт 0" in body
    assert "Срок сегодня: пункт 1" in body
    assert "Чужое уведомление" not in body


def test_the_header_shows_the_unread_count(world, client_as):
    _notify(world.curator_a1, 3)
    body = client_as(world.curator_a1).get(reverse("home")).content.decode()
    assert '3<span class="visually-hidden"> непрочитанных</span>' in body


def test_no_badge_without_unread_notifications(world, client_as):
    body = client_as(world.curator_a1).get(reverse("home")).content.decode()
    assert "непрочитанных" not in body
    assert reverse("notifications:preferences") in body


def test_the_list_runs_the_same_queries_for_more_notifications(world, client_as, django_assert_max_num_queries):
    client = client_as(world.curator_a1)
    _notify(world.curator_a1, 2)
    client.get(reverse("notifications:list"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(reverse("notifications:list"))
    _notify(world.curator_a1, 30)
    with django_assert_max_num_queries(len(small)):
        assert client.get(reverse("notifications:list")).status_code == 200


def test_marking_one_read_and_following_its_link(world, client_as):
    [notification] = _notify(world.curator_a1)
    client = client_as(world.curator_a1)
    response = client.post(reverse("notifications:read", args=[notification.pk]), {"follow": "1"})
    assert response.status_code == 302
    assert response["Location"] == "/roadmaps/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_another_users_notification_is_not_found(world, client_as):
    [notification] = _notify(world.curator_b1)
    response = client_as(world.curator_a1).post(reverse("notifications:read", args=[notification.pk]))
    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_an_external_link_is_not_followed(world, client_as):
    [notification] = _notify(world.curator_a1)
    Notification.objects.filter(pk=notification.pk).update(url="https://evil.example/")
    response = client_as(world.curator_a1).post(reverse("notifications:read", args=[notification.pk]), {"follow": "1"})
    assert response["Location"] == reverse("notifications:list")


def test_mark_all_read_touches_only_the_users_own(world, client_as):
    _notify(world.curator_a1, 3)
    [foreign] = _notify(world.curator_b1)
    response = client_as(world.curator_a1).post(reverse("notifications:read_all"), follow=True)
    assert "Отмечено прочитанными: 3." in response.content.decode()
    assert not Notification.objects.filter(user=world.curator_a1, read_at__isnull=True).exists()
    foreign.refresh_from_db()
    assert foreign.read_at is None


def test_reading_is_a_post_only(world, client_as):
    [notification] = _notify(world.curator_a1)
    assert client_as(world.curator_a1).get(reverse("notifications:read", args=[notification.pk])).status_code == 405


def test_preferences_default_to_everything_on(world, client_as):
    response = client_as(world.curator_a1).get(reverse("notifications:preferences"))
    form = response.context["form"]
    assert set(form.initial["topics"]) >= {"roadmap_deadlines", "roadmap_deadline_unclear", "roadmap_approval"}
    assert form.initial["email_digest"]
    assert form.initial["portal"]


def test_saving_preferences_switches_a_topic_and_the_digest_off(world, client_as):
    response = client_as(world.curator_a1).post(
        reverse("notifications:preferences"),
        {"topics": ["roadmap_deadlines", "roadmap_approval"], "portal": "on"},
        follow=True,
    )
    assert "Настройки напоминаний сохранены." in response.content.decode()
    preference = ReminderPreference.objects.get(user=world.curator_a1)
    assert "roadmap_deadline_unclear" in preference.disabled_topics
    assert "roadmap_deadlines" not in preference.disabled_topics
    assert (preference.email_digest, preference.portal) == (False, True)


def test_an_unknown_topic_posted_is_refused_and_nothing_saved(world, client_as):
    response = client_as(world.curator_a1).post(reverse("notifications:preferences"), {"topics": ["nonsense"]})
    assert response.status_code == 200
    assert "nonsense" in response.content.decode()
    assert "допустимых" in response.content.decode()
    assert not ReminderPreference.objects.exists()


def test_without_email_the_preferences_say_so(world, client_as):
    world.curator_a1.email = ""
    world.curator_a1.save()
    body = client_as(world.curator_a1).get(reverse("notifications:preferences")).content.decode()
    assert "не указан адрес электронной почты" in body


@pytest.mark.parametrize(("persona", "status"), [("superuser", 200), ("regional_coordinator", 302)])
def test_only_administrators_see_the_reminder_log(world, client_as, persona, status):
    dated_item(world.roadmap_a1, "до 15.03.2025", responsible=world.mentor_a1)
    services.reminders_run(day=DAY)
    user = world.persona(persona)
    user.is_staff = True
    user.save()
    client = client_as(user)
    response = client.get(reverse("admin:notifications_reminder_changelist") + "?email_state__exact=sent")
    assert response.status_code in (status, 403)
    if status == 200:
        body = response.content.decode()
        assert "Срок сегодня" in body
        assert "Отправлено" in body
        reminder = Reminder.objects.get()
        detail = client.get(reverse("admin:notifications_reminder_change", args=[reminder.pk]))
        assert detail.status_code == 200
        assert "last_error" in detail.content.decode()


def test_an_administrator_sees_and_marks_only_their_own_notifications_too(world, client_as):
    [own] = _notify(world.superuser)
    [foreign] = _notify(world.curator_b1)
    client = client_as(world.superuser)
    assert list(client.get(reverse("notifications:list")).context["object_list"]) == [own]
    assert client.post(reverse("notifications:read", args=[foreign.pk])).status_code == 404
    client.post(reverse("notifications:read_all"))
    foreign.refresh_from_db()
    assert foreign.read_at is None


def test_notifications_are_restricted_to_their_user_for_every_action(world):
    [own] = _notify(world.curator_a1)
    _notify(world.curator_b1)
    for action in ("view", "change", "delete"):
        assert list(Notification.objects.restrict(world.curator_a1, action)) == [own]
    assert not Notification.objects.restrict(world.outsider, "view").exists()
