"""Switching an account off and on: who may (``access.may_deactivate``, by a hand-written table), the
service's trail, the pages, log-in and open sessions refused at once, and nothing of the person deleted."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from accounts.services.users import user_activate, user_deactivate
from mentorship import access
from mentorship.choices import Role, SecurityEventKind
from mentorship.errors import DomainError
from mentorship.models import RoleAssignment, SecurityEvent, User
from mentorship.tests.factories import PASSWORD, UserFactory, assign_role, user_with_role
from mentorship.tests.factories import PERSONAS as ALL_PERSONAS

pytestmark = pytest.mark.django_db

PERSONAS = [persona for persona in ALL_PERSONAS if persona != "anonymous"]

# Whom each persona may switch off, by hand: those all of whose roles they may revoke (issue 15's
# grant table), never themselves. «two_schools» is a curator in A1 and in B1; «admin_a1» an
# administrator who is also a curator in A1.
MAY: dict[str, set[str]] = {
    "regional_coordinator": {"regional_observer", "officer_a", "officer_b", "observer_a"},
    "regional_observer": set(),
    "officer_a": {"observer_a", "director_a1", "curator_a1", "coordinator_a1"},
    "officer_b": {"curator_b1"},
    "observer_a": set(),
    "director_a1": {"curator_a1", "coordinator_a1", "mentor_a1"},
    "curator_a1": {"mentor_a1"},
    "curator_b1": set(),
    "coordinator_a1": set(),
    "mentor_a1": set(),
    "outsider": set(),
    "superuser": {p for p in PERSONAS if p not in ("outsider", "superuser")} | {"two_schools", "admin_a1"},
}


@pytest.fixture
def targets(world):
    two = user_with_role("two_schools", Role.CURATOR, world.organisation_a1)
    assign_role(two, Role.CURATOR, world.organisation_b1)
    admin = UserFactory(username="admin_a1", is_superuser=True, is_staff=True)
    assign_role(admin, Role.CURATOR, world.organisation_a1)
    return {**{p: world.persona(p) for p in PERSONAS}, "two_schools": two, "admin_a1": admin}


@pytest.mark.parametrize("actor", PERSONAS)
def test_who_may_switch_whom_off_follows_the_hand_written_table(world, targets, actor):
    allowed = {name for name, user in targets.items() if access.may_deactivate(world.persona(actor), user)}
    assert allowed == MAY[actor]


def test_nobody_switches_themselves_off_not_even_an_administrator(world):
    for name in PERSONAS:
        assert not access.may_deactivate(world.persona(name), world.persona(name))


def test_an_inactive_actor_may_switch_nobody_off(world):
    officer = world.officer_a
    officer.is_active = False
    assert not access.may_deactivate(officer, world.curator_a1)


# --- the service ---------------------------------------------------------------------------------


def test_deactivating_keeps_the_account_records_who_did_it_and_activating_undoes_it(world):
    person, officer = world.curator_a1, world.officer_a
    user_deactivate(actor=officer, user=person)
    person.refresh_from_db()
    assert person.is_active is False
    assert User.objects.filter(pk=person.pk).exists()
    event = SecurityEvent.objects.get(kind=SecurityEventKind.USER_DEACTIVATED)
    assert (event.actor, event.subject, event.region) == (officer, person, world.region_r)
    last = person.history.order_by("-history_date", "-history_id").first()
    assert (last.is_active, last.history_user) == (False, officer)

    user_activate(actor=officer, user=person)
    person.refresh_from_db()
    assert person.is_active is True
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.USER_ACTIVATED, subject=person, actor=officer).exists()
    assert person.history.order_by("-history_date", "-history_id").first().is_active is True


def test_the_service_refuses_whom_the_table_refuses_and_changes_nothing(world):
    with pytest.raises(PermissionDenied):
        user_deactivate(actor=world.officer_a, user=world.mentor_a1)
    with pytest.raises(PermissionDenied, match="Свою учётную запись"):
        user_deactivate(actor=world.officer_a, user=world.officer_a)
    assert User.objects.get(pk=world.mentor_a1.pk).is_active
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.USER_DEACTIVATED).exists()


def test_switching_off_twice_is_a_russian_error(world):
    user_deactivate(actor=world.director_a1, user=world.mentor_a1)
    with pytest.raises(DomainError, match="уже отключена"):
        user_deactivate(actor=world.director_a1, user=world.mentor_a1)
    with pytest.raises(DomainError, match="уже включена"):
        user_activate(actor=world.director_a1, user=world.curator_a1)


def test_nothing_of_the_person_is_deleted_their_roles_history_and_duties_stay_theirs(world):
    person = world.curator_a1
    roadmap = apps.get_model("roadmaps", "Roadmap").objects.create(
        organisation=world.organisation_a1,
        title="Дорожная карта",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )
    item = apps.get_model("roadmaps", "RoadmapItem").objects.create(roadmap=roadmap, number="1.", title="Мероприятие")
    party = apps.get_model("roadmaps", "ResponsibleParty").objects.create(
        item=item, kind="user", name="Ростовская Е.В.", user=person
    )
    roadmap.created_by = person
    roadmap.save()

    def pointing_at_person() -> dict[str, int]:
        # Every row of every model that names the person through a foreign key.
        counts = {}
        for relation in User._meta.related_objects:
            model = relation.related_model
            counts[f"{model._meta.label}.{relation.field.name}"] = model._base_manager.filter(
                **{relation.field.name: person.pk}
            ).count()
        return counts

    before = pointing_at_person()
    history_before = person.history.count()
    user_deactivate(actor=world.officer_a, user=person)
    after = pointing_at_person()
    assert after == before
    assert before["roadmaps.ResponsibleParty.user"] == 1
    assert before["mentorship.RoleAssignment.user"] == 1
    assert apps.get_model("roadmaps", "ResponsibleParty").objects.get(pk=party.pk).user_id == person.pk
    assert RoleAssignment.objects.filter(user=person).exists()
    assert person.history.count() == history_before + 1


# --- log-in and sessions ------------------------------------------------------------------------


def test_a_switched_off_user_cannot_log_in_and_their_open_session_stops_at_once(
    world, client_as, django_capture_on_commit_callbacks
):
    from accounts.models import UserSession

    person = world.mentor_a1
    theirs = Client()
    theirs.post(reverse("login"), {"username": person.username, "password": PASSWORD})
    assert theirs.get(reverse("home")).wsgi_request.user == person
    assert UserSession.objects.filter(user=person).count() == 1

    director = client_as(world.director_a1)
    with django_capture_on_commit_callbacks(execute=True):
        response = director.post(
            reverse("accounts:user_deactivate", args=[person.pk]), {"_submission": str(uuid.uuid4())}
        )
    assert response.status_code == 302
    # Their session is gone from the store, not only refused.
    assert not UserSession.objects.filter(user=person).exists()

    # The open session: the next request is anonymous and sent to log in.
    response = theirs.get(reverse("home"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
    # And a new log-in is refused.
    refused = Client().post(reverse("login"), {"username": person.username, "password": PASSWORD})
    assert refused.status_code == 200
    assert not refused.wsgi_request.user.is_authenticated


def test_switched_on_again_the_user_logs_in_with_the_roles_they_kept(world):
    person = world.mentor_a1
    user_deactivate(actor=world.director_a1, user=person)
    user_activate(actor=world.curator_a1, user=person)
    client = Client()
    client.post(reverse("login"), {"username": person.username, "password": PASSWORD})
    assert client.get(reverse("home")).wsgi_request.user == person
    assert RoleAssignment.objects.filter(user=person, role=Role.MENTOR).exists()


# --- the pages ---------------------------------------------------------------------------------


def card(user) -> str:
    return reverse("accounts:user", args=[user.pk])


def test_the_card_offers_switching_off_exactly_to_those_who_may(world, client_as):
    url = reverse("accounts:user_deactivate", args=[world.mentor_a1.pk])
    assert url in client_as(world.director_a1).get(card(world.mentor_a1)).content.decode()
    assert url in client_as(world.curator_a1).get(card(world.mentor_a1)).content.decode()
    # An officer sees the mentor but may not take the mentor's role: no button.
    assert url not in client_as(world.officer_a).get(card(world.mentor_a1)).content.decode()
    own = reverse("accounts:user_deactivate", args=[world.officer_a.pk])
    assert own not in client_as(world.officer_a).get(card(world.officer_a)).content.decode()


def test_switching_off_asks_for_confirmation_then_the_card_offers_switching_on(world, client_as):
    person = world.coordinator_a1
    client = client_as(world.director_a1)
    url = reverse("accounts:user_deactivate", args=[person.pk])
    confirmation = client.get(url)
    assert confirmation.status_code == 200
    assert "Пользователь больше не сможет войти" in confirmation.content.decode()
    assert User.objects.get(pk=person.pk).is_active
    response = client.post(url, {"_submission": str(uuid.uuid4())}, follow=True)
    assert "Учётная запись отключена." in response.content.decode()
    assert not User.objects.get(pk=person.pk).is_active
    assert reverse("accounts:user_activate", args=[person.pk]) in response.content.decode()
    history = response.context["history"]
    assert history[0]["what"] == "Учётная запись отключена"
    assert history[0]["actor"] == world.director_a1


def test_a_refused_switch_answers_403_and_a_foreign_user_404(world, client_as):
    token = {"_submission": str(uuid.uuid4())}
    officer = client_as(world.officer_a)
    assert officer.post(reverse("accounts:user_deactivate", args=[world.mentor_a1.pk]), token).status_code == 403
    assert officer.post(reverse("accounts:user_deactivate", args=[world.officer_a.pk]), token).status_code == 403
    assert officer.post(reverse("accounts:user_deactivate", args=[world.curator_b1.pk]), token).status_code == 404
    assert User.objects.filter(is_active=False).count() == 0


def test_posting_the_switch_off_twice_writes_once(world, client_as):
    client = client_as(world.director_a1)
    url = reverse("accounts:user_deactivate", args=[world.mentor_a1.pk])
    data = {"_submission": str(uuid.uuid4())}
    client.post(url, data)
    second = client.post(url, data, follow=True)
    assert "Эта форма уже была отправлена" in second.content.decode()
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.USER_DEACTIVATED).count() == 1
