"""The notifications' access matrix: every persona, a notification of the A1 curator and one of the B1 curator.

Written out by hand, never computed with the code under test: a notification belongs to its user
alone; anyone else, the administrator included, gets 404 for it and cannot mark it read; a visitor
is sent to log in.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from mentorship.tests.factories import PERSONAS
from mentorship.tests.matrix import DONE, LOGIN, SIGNED_IN, answer, posted, sign_in
from notifications.models import Notification

pytestmark = pytest.mark.django_db

NOTIFICATIONS = ["notice_a1", "notice_b1"]
OWNER = {"notice_a1": "curator_a1", "notice_b1": "curator_b1"}


@pytest.fixture
def notices(world: Any) -> dict[str, Notification]:
    return {
        key: Notification.objects.create(
            user=world.persona(owner), title=f"Срок пункта 1.1 ({key})", url=reverse("roadmaps:list")
        )
        for key, owner in OWNER.items()
    }


# fmt: off
MARKS: dict[str, dict[str, Any]] = {
    persona: {"notice_a1": 404, "notice_b1": 404}
    for persona in PERSONAS if persona not in ("curator_a1", "curator_b1", "anonymous")
} | {
    "curator_a1": {"notice_a1": DONE, "notice_b1": 404},
    "curator_b1": {"notice_a1": 404, "notice_b1": DONE},
    "anonymous": {"notice_a1": LOGIN, "notice_b1": LOGIN},
}
# fmt: on


def is_read(notification: Notification) -> bool:
    return Notification.objects.get(pk=notification.pk).read_at is not None


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_notification_is_marked_read_only_by_its_user(world, client, notices, persona):
    client = sign_in(client, world.persona(persona))
    found = {}
    for key in NOTIFICATIONS:
        response = client.post(reverse("notifications:read", args=[notices[key].pk]))
        found[key] = posted(response, is_read(notices[key]))
    assert found == MARKS[persona]


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_the_list_shows_only_ones_own_notifications(world, client, notices, persona):
    response = sign_in(client, world.persona(persona)).get(reverse("notifications:list"))
    assert response.status_code == 200
    shown = {notification.pk for notification in response.context["object_list"]}
    assert {key for key in NOTIFICATIONS if notices[key].pk in shown} == {
        key for key in NOTIFICATIONS if OWNER[key] == persona
    }


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_marking_all_read_touches_only_ones_own(world, client, notices, persona):
    response = sign_in(client, world.persona(persona)).post(reverse("notifications:read_all"))
    assert answer(response) == 302
    assert {key: is_read(notices[key]) for key in NOTIFICATIONS} == {
        key: OWNER[key] == persona for key in NOTIFICATIONS
    }


def test_a_notification_is_not_marked_read_by_a_get(world, client, notices):
    address = reverse("notifications:read", args=[notices["notice_a1"].pk])
    response = sign_in(client, world.persona("curator_a1")).get(address)
    assert answer(response) == 405
    assert not is_read(notices["notice_a1"])


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", ["list", "preferences"])
def test_own_pages_open_for_everyone_signed_in(world, client, persona, page):
    expected = LOGIN if persona == "anonymous" else 200
    assert answer(sign_in(client, world.persona(persona)).get(reverse(f"notifications:{page}"))) == expected


def test_anonymous_visitor_marks_nothing(world, client, notices):
    assert answer(client.post(reverse("notifications:read_all"))) == LOGIN
    assert not any(is_read(notices[key]) for key in NOTIFICATIONS)
