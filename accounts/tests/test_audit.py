"""Log-ins, failed log-ins, log-outs, password changes and resets land in the security event log."""

from __future__ import annotations

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from mentorship.choices import SecurityEventKind as Kind
from mentorship.models import SecurityEvent
from mentorship.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

IP = "203.0.113.7"
NEW_PASSWORD = "Новый-пароль-2026"


def only_event() -> SecurityEvent:
    events = list(SecurityEvent.objects.all())
    assert len(events) == 1, events
    return events[0]


def test_a_log_in_is_recorded_with_the_account_its_region_and_address(client, world):
    response = client.post(reverse("login"), {"username": "curator_b1", "password": PASSWORD}, REMOTE_ADDR=IP)
    assert response.status_code == 302
    event = only_event()
    assert event.kind == Kind.LOGIN
    assert (event.actor, event.subject, event.username) == (world.curator_b1, world.curator_b1, "curator_b1")
    assert event.ip == IP
    assert event.region == world.region_r


def test_a_failed_log_in_of_a_known_account_keeps_the_username_typed_and_nothing_of_the_password(client, world):
    response = client.post(reverse("login"), {"username": "officer_a", "password": "не-тот-пароль"}, REMOTE_ADDR=IP)
    assert response.status_code == 200
    event = only_event()
    assert event.kind == Kind.LOGIN_FAILED
    assert (event.actor, event.subject, event.username, event.ip) == (None, world.officer_a, "officer_a", IP)
    assert event.region == world.region_r
    written = " ".join(str(getattr(event, f.attname)) for f in SecurityEvent._meta.concrete_fields)
    assert "не-тот-пароль" not in written
    assert "*****" not in written


def test_a_failed_log_in_of_an_unknown_username_is_kept_with_what_was_typed_and_no_region(client, world):
    client.post(reverse("login"), {"username": "admin' --", "password": "x"}, REMOTE_ADDR=IP)
    event = only_event()
    assert event.kind == Kind.LOGIN_FAILED
    assert (event.subject, event.username, event.region, event.ip) == (None, "admin' --", None, IP)
    assert list(SecurityEvent.objects.restrict(world.superuser)) == [event]
    assert not SecurityEvent.objects.restrict(world.regional_coordinator).exists()


def test_a_log_out_is_recorded_and_a_visitor_s_log_out_is_not(client, world):
    client.post(reverse("logout"))
    assert not SecurityEvent.objects.exists()
    client.force_login(world.director_a1)  # a log-in too, from no address (the test client's bare request)
    client.post(reverse("logout"), REMOTE_ADDR=IP)
    kinds = list(SecurityEvent.objects.order_by("pk").values_list("kind", "subject", "ip"))
    assert kinds == [(Kind.LOGIN, world.director_a1.pk, None), (Kind.LOGOUT, world.director_a1.pk, IP)]


def test_a_password_change_is_recorded_and_a_refused_one_is_not(client, world):
    client.force_login(world.curator_a1)
    before = SecurityEvent.objects.count()
    refused = client.post(
        reverse("password_change"),
        {"old_password": "неверный", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert refused.status_code == 200
    assert SecurityEvent.objects.count() == before
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        REMOTE_ADDR=IP,
    )
    assert response.status_code == 302
    event = SecurityEvent.objects.get(kind=Kind.PASSWORD_CHANGED)
    assert (event.actor, event.subject, event.ip, event.region) == (
        world.curator_a1,
        world.curator_a1,
        IP,
        world.region_r,
    )
    world.curator_a1.refresh_from_db()
    assert world.curator_a1.check_password(NEW_PASSWORD)


def test_a_password_reset_from_the_e_mailed_link_is_recorded(client, world):
    user = world.mentor_a1
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    link = reverse("password_reset_confirm", args=[uid, default_token_generator.make_token(user)])
    form_url = client.get(link)["Location"]
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, REMOTE_ADDR=IP)
    assert response.status_code == 302
    event = only_event()
    assert event.kind == Kind.PASSWORD_RESET
    assert (event.actor, event.subject, event.username, event.ip) == (None, user, "mentor_a1", IP)
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_a_reset_link_that_does_not_validate_records_nothing(client, world):
    uid = urlsafe_base64_encode(force_bytes(world.mentor_a1.pk))
    client.get(reverse("password_reset_confirm", args=[uid, "bad-token"]))
    assert not SecurityEvent.objects.exists()
