"""Log-in throttling (django-axes with the portal's handler): 5 failures per account, 20 per address, 15 minutes."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.throttling import minutes_phrase
from mentorship.security import client_ip
from mentorship.tests.clock import TEST_NOW
from mentorship.tests.factories import PASSWORD, UserFactory
from mentorship.tests.test_settings import production_env, run

pytestmark = pytest.mark.django_db

WRONG = "не-тот-пароль"
REFUSAL = "Слишком много неудачных попыток входа. Попробуйте снова через 15 минут."
WRONG_PASSWORD = "Пожалуйста, введите правильные имя пользователя и пароль."


@pytest.fixture
def clock():
    """A stopped clock, moved on by hand: ``clock.shift(timedelta(...))``."""
    with time_machine.travel(TEST_NOW, tick=False) as traveller:
        yield traveller


def log_in(client, username: str, password: str, address: str = "192.0.2.10", **headers):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address, **headers)


def is_logged_in(response) -> bool:
    return response.status_code == 302 and response.url == reverse("home")


def test_the_fifth_wrong_password_locks_the_account_and_every_later_try_is_refused(client, clock):
    UserFactory(username="rostovskaya")

    answers = [log_in(client, "rostovskaya", WRONG) for _ in range(50)]

    for answer in answers[:4]:
        assert answer.status_code == 200
        assert WRONG_PASSWORD in answer.content.decode()
    # The fifth is still checked (and wrong); it already answers with the refusal.
    for answer in answers[4:]:
        assert answer.status_code == 429
        assert REFUSAL in answer.content.decode()
        assert WRONG_PASSWORD not in answer.content.decode()


def test_the_right_password_is_refused_while_the_account_is_locked_and_accepted_after_15_minutes(client, clock):
    UserFactory(username="rostovskaya")
    for _ in range(5):
        log_in(client, "rostovskaya", WRONG)

    refused = log_in(client, "rostovskaya", PASSWORD)
    assert refused.status_code == 429
    assert REFUSAL in refused.content.decode()
    assert "_auth_user_id" not in client.session

    clock.shift(timedelta(minutes=14, seconds=59))
    assert log_in(client, "rostovskaya", PASSWORD).status_code == 429

    clock.shift(timedelta(seconds=2))
    assert is_logged_in(log_in(client, "rostovskaya", PASSWORD))


def test_the_account_lock_holds_from_every_address(client, clock):
    UserFactory(username="rostovskaya")
    for _ in range(5):
        log_in(client, "rostovskaya", WRONG, address="192.0.2.10")

    assert log_in(client, "rostovskaya", PASSWORD, address="198.51.100.20").status_code == 429


def test_four_failures_and_the_right_password_log_in(client, clock):
    UserFactory(username="rostovskaya")
    for _ in range(4):
        log_in(client, "rostovskaya", WRONG)

    assert is_logged_in(log_in(client, "rostovskaya", PASSWORD))


def test_twenty_failures_from_one_address_over_different_usernames_lock_that_address(clock):
    UserFactory(username="curator")
    for number in range(19):
        assert log_in(Client(), f"guess{number}", WRONG).status_code == 200
    assert is_logged_in(log_in(Client(), "curator", PASSWORD)), "19 failures stay below the address's limit"

    assert log_in(Client(), "guess19", WRONG).status_code == 429

    refused = log_in(Client(), "curator", PASSWORD)
    assert refused.status_code == 429
    assert REFUSAL in refused.content.decode()
    assert is_logged_in(log_in(Client(), "curator", PASSWORD, address="198.51.100.20"))

    clock.shift(timedelta(minutes=15, seconds=1))
    assert is_logged_in(log_in(Client(), "curator", PASSWORD))


def test_the_forwarded_for_header_is_ignored_unless_a_proxy_is_trusted(client, clock):
    UserFactory(username="curator")
    for number in range(20):
        log_in(client, f"guess{number}", WRONG, address="192.0.2.10", HTTP_X_FORWARDED_FOR=f"203.0.113.{number}")

    # A new forged header does not make a new client: REMOTE_ADDR is locked.
    assert log_in(client, "curator", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.99").status_code == 429


def test_behind_a_trusted_proxy_the_client_address_comes_from_the_forwarded_for_header(client, clock, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(username="curator")
    proxy = "10.0.0.1"
    for number in range(20):
        log_in(client, f"guess{number}", WRONG, address=proxy, HTTP_X_FORWARDED_FOR="203.0.113.5")

    # Another client behind the same proxy is not locked with the first one …
    assert is_logged_in(log_in(client, "curator", PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR="203.0.113.6"))
    client.logout()
    # … and the first cannot get out by sending a header of its own (the proxy appends the real address).
    forged = log_in(client, "curator", PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.5")
    assert forged.status_code == 429


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.5", "192.0.2.10"),
        (1, "", "192.0.2.10"),
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "198.51.100.1, 203.0.113.5", "203.0.113.5"),
        (2, "198.51.100.1, 203.0.113.5, 10.0.0.2", "203.0.113.5"),
        (2, "203.0.113.5", "203.0.113.5"),
        (1, "not-an-address", "192.0.2.10"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_address_is_read_from_as_many_proxies_as_are_trusted(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


@pytest.mark.parametrize(("minutes", "phrase"), [(1, "1 минуту"), (3, "3 минуты"), (11, "11 минут"), (15, "15 минут")])
def test_the_refusal_says_the_minutes_in_russian(minutes, phrase):
    assert minutes_phrase(minutes) == phrase


def test_production_turns_the_throttle_on_and_its_deploy_check_stays_clean():
    result = run(
        [
            "-c",
            "import django; django.setup(); from django.conf import settings as s; "
            "print('axes' in s.INSTALLED_APPS, s.AUTHENTICATION_BACKENDS[0], s.MIDDLEWARE[-1], s.TRUSTED_PROXY_COUNT)",
        ],
        **production_env(),
    )
    installed, first_backend, last_middleware, proxies = result.stdout.split()
    assert (installed, first_backend, proxies) == ("True", "axes.backends.AxesStandaloneBackend", "0")
    assert last_middleware == "axes.middleware.AxesMiddleware"
    check = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **production_env())
    assert check.returncode == 0, check.stdout + check.stderr


def test_the_refusal_keeps_where_the_user_was_going_but_not_a_foreign_address(client, clock):
    UserFactory(username="curator")
    for _ in range(5):
        log_in(client, "curator", WRONG)

    def refusal(next_url: str) -> str:
        response = client.post(
            reverse("login"), {"username": "curator", "password": PASSWORD, "next": next_url}, REMOTE_ADDR="192.0.2.10"
        )
        assert response.status_code == 429
        return response.content.decode()

    assert 'name="next" value="/participants/"' in refusal("/participants/")
    assert "evil.example" not in refusal("https://evil.example/")


def test_a_lock_out_is_written_to_the_security_log_once(client, clock):
    from mentorship.choices import SecurityEventKind
    from mentorship.models import SecurityEvent

    user = UserFactory(username="rostovskaya")
    for _ in range(8):
        log_in(client, "rostovskaya", WRONG)
    event = SecurityEvent.objects.get(kind=SecurityEventKind.LOCKED_OUT)
    assert (event.subject, event.username, event.ip) == (user, "rostovskaya", "192.0.2.10")


def test_the_daily_prune_drops_attempts_past_the_cool_off_and_logs_past_their_days(client, clock, settings):
    from axes.models import AccessAttempt, AccessLog

    from accounts.tasks import login_records_prune_task

    UserFactory(username="rostovskaya")
    log_in(client, "rostovskaya", WRONG)
    log_in(client, "rostovskaya", PASSWORD)
    assert AccessLog.objects.count() == 1
    clock.shift(timedelta(minutes=14))
    login_records_prune_task.delay()
    assert AccessAttempt.objects.count() == 1  # still within the cool-off: it counts
    clock.shift(timedelta(minutes=2))
    login_records_prune_task.delay()
    assert not AccessAttempt.objects.exists()
    assert AccessLog.objects.count() == 1
    clock.shift(timedelta(days=settings.LOGIN_RECORDS_DAYS))
    login_records_prune_task.delay()
    assert not AccessLog.objects.exists()
