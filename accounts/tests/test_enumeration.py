"""No user enumeration: the log-in and the password reset answer alike for a known and an unknown account."""

from __future__ import annotations

import re
import statistics
import time

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password
from django.core import mail
from django.test import Client
from django.urls import reverse

from mentorship.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

WRONG = "не-тот-пароль"


class MeasurablePBKDF2Hasher(PBKDF2PasswordHasher):
    """A real PBKDF2, slow enough to be seen next to a request (the suite's MD5 is not)."""

    iterations = 200_000


def page_text(response, typed: str) -> str:
    """The page with what differs by nature taken out: the CSRF token and the username typed back."""
    text = response.content.decode()
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', 'name="csrfmiddlewaretoken" value=""', text)
    return text.replace(typed, "<typed>")


def log_in(username: str, password: str, address: str = "192.0.2.10"):
    return Client(REMOTE_ADDR=address).post(reverse("login"), {"username": username, "password": password})


def test_a_wrong_password_and_an_unknown_username_get_the_same_page():
    UserFactory(username="rostovskaya")

    known = log_in("rostovskaya", WRONG)
    unknown = log_in("ivanovskaya", WRONG)

    assert known.status_code == unknown.status_code == 200
    assert page_text(known, "rostovskaya") == page_text(unknown, "ivanovskaya")


def test_a_deactivated_account_with_its_right_password_gets_the_same_page_as_an_unknown_one():
    UserFactory(username="rostovskaya", is_active=False)

    inactive = log_in("rostovskaya", PASSWORD)
    unknown = log_in("ivanovskaya", PASSWORD)

    assert inactive.status_code == unknown.status_code == 200
    assert page_text(inactive, "rostovskaya") == page_text(unknown, "ivanovskaya")


def test_a_locked_known_account_and_a_locked_unknown_username_get_the_same_refusal():
    UserFactory(username="rostovskaya")
    for _ in range(5):
        log_in("rostovskaya", WRONG, address="192.0.2.10")
        log_in("ivanovskaya", WRONG, address="198.51.100.20")

    known = log_in("rostovskaya", PASSWORD, address="192.0.2.10")
    unknown = log_in("ivanovskaya", PASSWORD, address="198.51.100.20")

    assert known.status_code == unknown.status_code == 429
    assert "Слишком много неудачных попыток входа" in known.content.decode()
    # Nothing typed is echoed on the refusal, so the pages are identical but for the CSRF token.
    assert page_text(known, "\0") == page_text(unknown, "\0")


def test_a_wrong_password_takes_as_long_for_an_unknown_username_as_for_a_known_one(settings):
    """Django's ModelBackend hashes the password for an unknown username too; axes, first, must not skip it."""
    settings.PASSWORD_HASHERS = [f"{__name__}.MeasurablePBKDF2Hasher"]
    user = UserFactory(username="rostovskaya")
    user.set_password(PASSWORD)
    user.save()

    started = time.perf_counter()
    make_password("один-хеш")
    one_hash = time.perf_counter() - started

    log_in("warm-up", WRONG)  # the first request of a process loads templates and URLs
    durations: dict[str, list[float]] = {"rostovskaya": [], "ivanovskaya": []}
    for _ in range(4):  # below the account's limit of 5
        for username, samples in durations.items():
            started = time.perf_counter()
            assert log_in(username, WRONG).status_code == 200
            samples.append(time.perf_counter() - started)

    known, unknown = (statistics.mean(samples) for samples in durations.values())
    assert unknown > 0.5 * one_hash, "the unknown username's password was not hashed"
    assert abs(known - unknown) < 0.5 * max(known, unknown), (known, unknown)


def test_the_password_reset_answers_alike_for_a_known_and_an_unknown_address_and_writes_only_to_the_known(
    django_capture_on_commit_callbacks,
):
    UserFactory(username="rostovskaya", email="rostovskaya@school.example.ru")

    with django_capture_on_commit_callbacks(execute=True) as queued:
        known = Client().post(reverse("password_reset"), {"email": "rostovskaya@school.example.ru"}, follow=True)
        unknown = Client().post(reverse("password_reset"), {"email": "nobody@school.example.ru"}, follow=True)
        # Nothing is sent while the visitor waits: the letter is queued for after the commit.
        assert mail.outbox == []
    assert len(queued) == 1

    assert known.redirect_chain == unknown.redirect_chain == [(reverse("password_reset_done"), 302)]
    assert page_text(known, "\0") == page_text(unknown, "\0")
    assert "Если такой адрес зарегистрирован на портале" in known.content.decode()
    assert [message.to for message in mail.outbox] == [["rostovskaya@school.example.ru"]]


def test_the_queued_letter_holds_a_link_that_sets_a_new_password(django_capture_on_commit_callbacks):
    user = UserFactory(username="rostovskaya", email="rostovskaya@school.example.ru")
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(reverse("password_reset"), {"email": "rostovskaya@school.example.ru"})
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    client = Client()
    form = client.get(link, follow=True)
    assert form.status_code == 200
    new = "Новый-пароль-2026"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)


def test_the_password_reset_writes_to_no_deactivated_account(django_capture_on_commit_callbacks):
    UserFactory(username="rostovskaya", email="rostovskaya@school.example.ru", is_active=False)

    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(reverse("password_reset"), {"email": "rostovskaya@school.example.ru"})

    assert response.status_code == 302
    assert mail.outbox == []
