"""Sessions: ended for real on request, the others ended by a password change, idle expiry that slides with use."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import UserSession
from accounts.sessions import end_sessions
from mentorship.tests.clock import TEST_NOW
from mentorship.tests.factories import PASSWORD, UserFactory
from mentorship.tests.test_settings import production_env, run

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Другой-пароль-2026"


@pytest.fixture
def curator():
    return UserFactory(username="curator")


def signed_in(username: str, password: str = PASSWORD, address: str = "192.0.2.10") -> Client:
    """A browser that logged in through the log-in form."""
    client = Client(REMOTE_ADDR=address)
    response = client.post(reverse("login"), {"username": username, "password": password})
    assert (response.status_code, response.get("Location")) == (302, reverse("home")), response.content.decode()[:500]
    return client


def is_signed_in(client: Client) -> bool:
    """A page for logged-in users only: the page itself, or the way to the log-in page."""
    response = client.get(reverse("password_change"))
    if response.status_code == 302:
        assert response.url.startswith(reverse("login"))
        return False
    assert response.status_code == 200
    return True


def test_logging_in_records_the_session_with_its_address(curator):
    office = signed_in("curator", address="192.0.2.10")
    signed_in("curator", address="198.51.100.20")

    recorded = {row.session_key: row.ip_address for row in UserSession.objects.filter(user=curator)}
    assert len(recorded) == 2
    assert recorded[office.session.session_key] == "192.0.2.10"
    assert set(recorded.values()) == {"192.0.2.10", "198.51.100.20"}


def test_ending_a_users_sessions_sends_both_browsers_to_the_log_in_page(curator):
    office, home = signed_in("curator"), signed_in("curator")
    other = signed_in(UserFactory(username="director").username)
    assert is_signed_in(office)
    assert is_signed_in(home)

    assert end_sessions(curator) == 2

    assert not is_signed_in(office)
    assert not is_signed_in(home)
    assert is_signed_in(other), "another user's session is left alone"
    assert not Session.objects.filter(session_key__in=[office.cookies["sessionid"].value]).exists()
    assert not UserSession.objects.filter(user=curator).exists()


def test_ending_sessions_can_keep_the_current_one(curator):
    office, home = signed_in("curator"), signed_in("curator")

    assert end_sessions(curator, keep=office.session.session_key) == 1

    assert is_signed_in(office)
    assert not is_signed_in(home)


def test_changing_the_password_ends_the_other_sessions_and_keeps_the_current_one(curator):
    office, home = signed_in("curator"), signed_in("curator")

    response = office.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert (response.status_code, response.get("Location")) == (302, reverse("password_change_done"))

    assert is_signed_in(office)
    assert not is_signed_in(home)


def test_the_session_record_follows_the_key_django_renews_on_a_password_change(curator):
    office = signed_in("curator")
    old_key = office.session.session_key
    office.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    new_key = office.session.session_key
    assert new_key != old_key

    assert list(UserSession.objects.filter(user=curator).values_list("session_key", flat=True)) == [new_key]
    assert end_sessions(curator) == 1
    assert not is_signed_in(office)


def test_logging_out_forgets_the_session(curator):
    office = signed_in("curator")
    office.post(reverse("logout"))
    assert not UserSession.objects.filter(user=curator).exists()


def test_an_unused_session_ends_after_the_idle_timeout(curator, settings):
    settings.SESSION_COOKIE_AGE = 30 * 60
    with time_machine.travel(TEST_NOW, tick=False) as clock:
        office = signed_in("curator")
        clock.shift(timedelta(minutes=29))
        assert is_signed_in(office)
        clock.shift(timedelta(minutes=31))
        assert not is_signed_in(office)


def test_using_the_session_pushes_its_end_further(curator, settings):
    settings.SESSION_COOKIE_AGE = 30 * 60
    with time_machine.travel(TEST_NOW, tick=False) as clock:
        office = signed_in("curator")
        for _ in range(4):  # two hours of work, a page every 25 minutes
            clock.shift(timedelta(minutes=25))
            assert is_signed_in(office)
        clock.shift(timedelta(minutes=30, seconds=1))
        assert not is_signed_in(office)


def test_a_page_within_a_minute_of_the_last_save_does_not_write_the_session(curator):
    with time_machine.travel(TEST_NOW, tick=False) as clock:
        office = signed_in("curator")
        clock.shift(timedelta(seconds=59))
        with CaptureQueriesContext(connection) as quiet:
            assert is_signed_in(office)
        clock.shift(timedelta(seconds=2))
        with CaptureQueriesContext(connection) as refreshed:
            assert is_signed_in(office)

    def session_writes(queries) -> list[str]:
        return [q["sql"] for q in queries if q["sql"].startswith("UPDATE") and "django_session" in q["sql"]]

    assert session_writes(quiet.captured_queries) == []
    assert len(session_writes(refreshed.captured_queries)) == 1


def test_production_ends_idle_sessions_after_30_minutes_unless_configured():
    code = "import django; django.setup(); from django.conf import settings as s; print(s.SESSION_COOKIE_AGE)"
    assert run(["-c", code], **production_env()).stdout.split() == ["1800"]
    assert run(["-c", code], **production_env(SESSION_IDLE_TIMEOUT="15")).stdout.split() == ["900"]


def test_a_session_logged_in_before_the_record_existed_is_adopted_on_its_next_page(curator):
    office = signed_in("curator")
    UserSession.objects.all().delete()
    session = office.session
    del session["_accounts_seen_at"]
    del session["_accounts_recorded_key"]
    session.save()

    assert is_signed_in(office)

    assert list(UserSession.objects.values_list("session_key", flat=True)) == [office.session.session_key]
    assert end_sessions(curator) == 1
    assert not is_signed_in(office)


def test_logging_in_forgets_the_users_sessions_that_expired_unseen(curator, settings):
    settings.SESSION_COOKIE_AGE = 30 * 60
    with time_machine.travel(TEST_NOW, tick=False) as clock:
        forgotten = signed_in("curator")
        clock.shift(timedelta(minutes=20))
        still_open = signed_in("curator")
        clock.shift(timedelta(minutes=15))  # the first is 35 minutes idle, the second 15
        laptop = signed_in("curator")

    recorded = set(UserSession.objects.filter(user=curator).values_list("session_key", flat=True))
    assert recorded == {still_open.session.session_key, laptop.session.session_key}
    assert forgotten.session.session_key not in recorded
