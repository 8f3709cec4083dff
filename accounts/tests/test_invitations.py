"""Invitations by e-mail: who may invite whom where, the letter, the link, and accepting it."""

from __future__ import annotations

import copy
import hashlib
import re
import socket
import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from celery.exceptions import Retry
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Invitation
from accounts.services import invitations as services
from mentorship.choices import Role, SecurityEventKind
from mentorship.errors import DomainError
from mentorship.models import RoleAssignment, SecurityEvent, User
from mentorship.tests.clock import TEST_NOW, pinned_clock
from mentorship.tests.factories import PASSWORD, UserFactory, World, build_world
from mentorship.tests.worlds import world_for_module

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://[^/\s]+/accounts/invitation/([A-Za-z0-9_-]+)/")
STRONG = "Kl3nov-Rasskaz-2026"
INVALID_TEXT = "Ссылка недействительна или устарела. Попросите прислать новое приглашение."


@pytest.fixture(scope="module", autouse=True)
def _pinned_clock() -> Iterator[None]:
    with pinned_clock():
        yield


@pytest.fixture(scope="module")
def _module_world(_pinned_clock: None, django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    yield from world_for_module(django_db_blocker, build_world)


@pytest.fixture
def world(_module_world: World, db: None) -> World:
    return copy.deepcopy(_module_world)


def invite(django_capture_on_commit_callbacks: Any, actor: User, role: str, place: Any, **extra: Any) -> Invitation:
    fields = {"email": "Novikova.O@School.example", "last_name": "Новикова", "first_name": "Ольга"}
    fields |= {"patronymic": "Сергеевна", "position": "учитель математики"} | extra
    with django_capture_on_commit_callbacks(execute=True):
        return services.invitation_create(actor=actor, role=role, place=place, **fields)


def token_of(message: Any) -> str:
    return LINK.search(message.body).group(1)


# --- who may invite whom where: the grant table --------------------------------------------------

# (persona, role, place, allowed), written out by hand from issue 15's table.
CASES = [
    ("regional_coordinator", Role.REGIONAL_OBSERVER, "region_r", True),
    ("regional_coordinator", Role.MUNICIPAL_OFFICER, "municipality_a", True),
    ("regional_coordinator", Role.MUNICIPAL_OFFICER, "municipality_c", False),
    ("regional_coordinator", Role.CURATOR, "organisation_a1", False),
    ("officer_a", Role.CURATOR, "organisation_a1", True),
    ("officer_a", Role.MUNICIPAL_OBSERVER, "municipality_a", True),
    ("officer_a", Role.CURATOR, "organisation_b1", False),
    ("officer_a", Role.REGIONAL_OBSERVER, "region_r", False),
    ("officer_a", Role.MENTOR, "organisation_a1", False),
    ("director_a1", Role.MENTOR, "organisation_a1", True),
    ("director_a1", Role.DIRECTOR, "organisation_a1", False),
    ("curator_a1", Role.MENTOR, "organisation_a1", True),
    ("curator_a1", Role.COORDINATOR, "organisation_a1", False),
    ("curator_a1", Role.MENTOR, "organisation_a2", False),
    ("mentor_a1", Role.MENTOR, "organisation_a1", False),
    ("outsider", Role.MENTOR, "organisation_a1", False),
]


@pytest.mark.parametrize(("persona", "role", "place", "allowed"), CASES)
def test_an_invitation_is_created_only_within_the_grant_table(
    world: World, django_capture_on_commit_callbacks: Any, persona: str, role: str, place: str, allowed: bool
) -> None:
    actor = world.persona(persona)
    if allowed:
        invitation = invite(django_capture_on_commit_callbacks, actor, role, getattr(world, place))
        assert invitation.invited_by == actor
        assert len(mail.outbox) == 1
        assert SecurityEvent.objects.filter(kind=SecurityEventKind.INVITATION_SENT, actor=actor).count() == 1
        return
    with pytest.raises(PermissionDenied):
        invite(django_capture_on_commit_callbacks, actor, role, getattr(world, place))
    assert not Invitation.objects.exists()
    assert mail.outbox == []
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.INVITATION_SENT).exists()


def test_the_letter_is_in_russian_with_the_link_and_its_expiry(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    invite(django_capture_on_commit_callbacks, world.officer_a, Role.CURATOR, world.organisation_a1)
    [letter] = mail.outbox
    assert letter.to == ["novikova.o@school.example"]
    assert "Приглашение на портал наставничества" in letter.subject
    assert "Здравствуйте, Ольга Сергеевна!" in letter.body
    assert "Роль: Куратор внедрения ЦМН" in letter.body
    assert "МОБУ СОШ с. Булгаково (Уфимский район)" in letter.body
    expires = (TEST_NOW + timedelta(days=7)).strftime("%d.%m.%Y")
    assert f"действует до {expires}" in letter.body
    token = token_of(letter)
    html, mime = letter.alternatives[0]
    assert mime == "text/html"
    assert f"/accounts/invitation/{token}/" in html
    assert "Принять приглашение" in html


def test_the_token_is_kept_only_as_its_hash(world: World, django_capture_on_commit_callbacks: Any) -> None:
    invitation = invite(django_capture_on_commit_callbacks, world.officer_a, Role.CURATOR, world.organisation_a1)
    token = token_of(mail.outbox[0])
    invitation.refresh_from_db()
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    with connection.cursor() as cursor:
        for table in (Invitation._meta.db_table, Invitation.history.model._meta.db_table):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 (the model's own table names)
            assert all(token not in str(value) for row in cursor.fetchall() for value in row)


def test_a_pending_invitation_is_not_made_twice(world: World, django_capture_on_commit_callbacks: Any) -> None:
    invite(django_capture_on_commit_callbacks, world.officer_a, Role.CURATOR, world.organisation_a1)
    with pytest.raises(DomainError, match="уже отправлено"):
        invite(django_capture_on_commit_callbacks, world.officer_a, Role.CURATOR, world.organisation_a1)
    assert Invitation.objects.count() == 1
    assert len(mail.outbox) == 1


# --- accepting --------------------------------------------------------------------------------------


def accept_url(token: str) -> str:
    return reverse("accounts:invitation_accept", args=[token])


def test_accepting_sets_a_password_the_validators_accept_and_lands_home_logged_in(
    world: World, client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    invitation = invite(django_capture_on_commit_callbacks, world.officer_a, Role.CURATOR, world.organisation_a1)
    url = accept_url(token_of(mail.outbox[0]))
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Новикова Ольга Сергеевна" in text
    assert "Куратор внедрения ЦМН" in text
    users = User.objects.count()

    weak = client.post(url, {"new_password1": "12345678", "new_password2": "12345678"})
    assert weak.status_code == 200
    assert "Введённый пароль состоит только из цифр." in weak.content.decode()
    assert User.objects.count() == users

    response = client.post(url, {"new_password1": STRONG, "new_password2": STRONG})
    assert response.status_code == 302
    assert response.url == reverse("home")
    user = User.objects.get(username="novikova.o@school.example")
    assert (user.last_name, user.first_name, user.patronymic) == ("Новикова", "Ольга", "Сергеевна")
    assert user.position == "учитель математики"
    assert user.email == "novikova.o@school.example"
    assert user.check_password(STRONG)
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get(reverse("home")).status_code == 200
    assignment = RoleAssignment.objects.get(user=user)
    assert (assignment.role, assignment.organisation) == (Role.CURATOR, world.organisation_a1)
    invitation.refresh_from_db()
    assert invitation.accepted_user == user
    assert invitation.accepted_at is not None
    kinds = set(SecurityEvent.objects.filter(subject=user).values_list("kind", flat=True))
    assert {SecurityEventKind.INVITATION_ACCEPTED, SecurityEventKind.ROLE_GRANTED} <= kinds
    granted = SecurityEvent.objects.get(subject=user, kind=SecurityEventKind.ROLE_GRANTED)
    assert granted.actor == world.officer_a


def test_an_existing_account_gets_the_role_and_no_second_account(
    world: World, client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    mentor = world.mentor_a1
    invite(
        django_capture_on_commit_callbacks,
        world.director_a1,
        Role.COORDINATOR,
        world.organisation_a1,
        email=mentor.email.upper(),
    )
    url = accept_url(token_of(mail.outbox[0]))
    page = client.get(url).content.decode()
    assert "Пароль вашей учётной записи" in page
    assert "Пароль ещё раз" not in page
    users = User.objects.count()

    wrong = client.post(url, {"password": "не тот пароль"})
    assert wrong.status_code == 200
    assert "Неверный пароль" in wrong.content.decode()
    assert not RoleAssignment.objects.filter(user=mentor, role=Role.COORDINATOR).exists()

    response = client.post(url, {"password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert User.objects.count() == users
    assert RoleAssignment.objects.filter(
        user=mentor, role=Role.COORDINATOR, organisation=world.organisation_a1
    ).exists()
    assert client.session["_auth_user_id"] == str(mentor.pk)


def test_the_page_reads_the_same_whether_or_not_an_account_exists_but_for_the_password_field(
    world: World, client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    invite(django_capture_on_commit_callbacks, world.director_a1, Role.MENTOR, world.organisation_a1, email="a@x.ru")
    UserFactory(username="b_person", email="b@x.ru")
    invite(django_capture_on_commit_callbacks, world.director_a1, Role.MENTOR, world.organisation_a1, email="b@x.ru")
    new, existing = (client.get(accept_url(token_of(letter))).content.decode() for letter in mail.outbox)

    def without_form(page: str) -> str:
        page = re.sub(r"<form.*?</form>", "", page, flags=re.S)
        return page.replace("a@x.ru", "@").replace("b@x.ru", "@")

    assert without_form(new) == without_form(existing)


def expire(token: str) -> None:
    Invitation.objects.filter(token_hash=services.token_hash(token)).update(expires_at=TEST_NOW - timedelta(minutes=1))


def withdraw(token: str, actor: User) -> None:
    services.invitation_withdraw(actor=actor, invitation=Invitation.objects.get(token_hash=services.token_hash(token)))


@pytest.mark.parametrize("case", ["wrong", "used", "withdrawn", "expired", "resent"])
def test_a_dead_link_answers_the_same_page_and_changes_nothing(
    world: World, client: Any, django_capture_on_commit_callbacks: Any, case: str
) -> None:
    invitation = invite(django_capture_on_commit_callbacks, world.officer_a, Role.CURATOR, world.organisation_a1)
    token = token_of(mail.outbox[0])
    if case == "wrong":
        token = token[:-4] + "AAAA"
    elif case == "used":
        client.post(accept_url(token), {"new_password1": STRONG, "new_password2": STRONG})
        client.logout()
    elif case == "withdrawn":
        withdraw(token, world.officer_a)
    elif case == "expired":
        expire(token)
    else:
        with django_capture_on_commit_callbacks(execute=True):
            services.invitation_resend(actor=world.officer_a, invitation=invitation)
        assert token_of(mail.outbox[-1]) != token
    users, assignments = User.objects.count(), RoleAssignment.objects.count()
    state = list(Invitation.objects.values())

    page = client.get(accept_url(token))
    assert page.status_code == 404
    assert INVALID_TEXT in page.content.decode()
    posted = client.post(accept_url(token), {"new_password1": STRONG, "new_password2": STRONG, "password": STRONG})
    assert posted.status_code == 404
    assert posted.content == page.content or INVALID_TEXT in posted.content.decode()
    assert (User.objects.count(), RoleAssignment.objects.count()) == (users, assignments)
    assert list(Invitation.objects.values()) == state
    assert "_auth_user_id" not in client.session


def test_every_dead_link_shows_exactly_the_same_page(
    world: World, client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    pages = {client.get(accept_url("no-such-token")).content}
    for email in ("w@x.ru", "e@x.ru"):
        invite(django_capture_on_commit_callbacks, world.curator_a1, Role.MENTOR, world.organisation_a1, email=email)
    withdrawn, expired = (token_of(letter) for letter in mail.outbox)
    withdraw(withdrawn, world.curator_a1)
    expire(expired)
    pages |= {client.get(accept_url(withdrawn)).content, client.get(accept_url(expired)).content}
    pages = {re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", page) for page in pages}
    assert len(pages) == 1


def test_a_link_expires_after_the_invitation_days(
    world: World, client: Any, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.INVITATION_DAYS = 2
    invite(django_capture_on_commit_callbacks, world.curator_a1, Role.MENTOR, world.organisation_a1)
    url = accept_url(token_of(mail.outbox[0]))
    with time_machine.travel(TEST_NOW + timedelta(days=1, hours=23)):
        assert client.get(url).status_code == 200
    with time_machine.travel(TEST_NOW + timedelta(days=2, minutes=1)):
        assert client.get(url).status_code == 404


def test_posting_the_accept_form_twice_keeps_one_account_and_one_role(
    world: World, client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    invite(django_capture_on_commit_callbacks, world.curator_a1, Role.MENTOR, world.organisation_a1)
    url = accept_url(token_of(mail.outbox[0]))
    data = {"new_password1": STRONG, "new_password2": STRONG}
    first, second = client.post(url, data), client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert second.url == reverse("home")
    user = User.objects.get(username="novikova.o@school.example")
    assert RoleAssignment.objects.filter(user=user).count() == 1
    with pytest.raises(services.InvitationInvalid):
        services.invitation_accept(token=token_of(mail.outbox[0]), password=STRONG)
    assert User.objects.filter(email="novikova.o@school.example").count() == 1


def test_an_inviter_who_lost_the_right_grants_nothing_and_the_invitation_stays(
    world: World, client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    invitation = invite(django_capture_on_commit_callbacks, world.officer_a, Role.CURATOR, world.organisation_a1)
    url = accept_url(token_of(mail.outbox[0]))
    RoleAssignment.objects.filter(user=world.officer_a).delete()
    users = User.objects.count()
    response = client.post(url, {"new_password1": STRONG, "new_password2": STRONG})
    assert response.status_code == 200
    assert "больше не может назначить эту роль" in response.content.decode()
    assert User.objects.count() == users
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    assert invitation.withdrawn_at is None
    assert client.get(url).status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_deactivated_account_cannot_be_invited(world: World, django_capture_on_commit_callbacks: Any) -> None:
    UserFactory(username="gone", email="gone@x.ru", is_active=False)
    with pytest.raises(DomainError, match="отключена"):
        invite(
            django_capture_on_commit_callbacks, world.curator_a1, Role.MENTOR, world.organisation_a1, email="gone@x.ru"
        )
    assert not Invitation.objects.exists()


def test_sending_again_is_harmless_for_a_letter_already_sent(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    invitation = invite(django_capture_on_commit_callbacks, world.curator_a1, Role.MENTOR, world.organisation_a1)
    assert services.invitations_send(invitation_ids=[invitation.pk]) == 0
    assert len(mail.outbox) == 1
    invitation.refresh_from_db()
    assert invitation.sent_count == 1
    assert not invitation.send_pending


# --- the pages -----------------------------------------------------------------------------------------


def test_the_list_shows_the_pending_invitations_of_the_viewers_places_only(
    world: World, client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    invite(django_capture_on_commit_callbacks, world.officer_a, Role.CURATOR, world.organisation_a1, email="a1@x.ru")
    invite(django_capture_on_commit_callbacks, world.officer_b, Role.CURATOR, world.organisation_b1, email="b1@x.ru")
    invite(django_capture_on_commit_callbacks, world.curator_a1, Role.MENTOR, world.organisation_a1, email="m@x.ru")
    seen = {
        persona: client_page(client, world.persona(persona))
        for persona in ("regional_coordinator", "officer_a", "officer_b", "curator_a1", "director_a1")
    }
    assert "a1@x.ru" in seen["officer_a"]
    assert "m@x.ru" not in seen["officer_a"]
    assert "b1@x.ru" not in seen["officer_a"]
    assert "b1@x.ru" in seen["officer_b"]
    assert "a1@x.ru" not in seen["officer_b"]
    assert "m@x.ru" in seen["curator_a1"]
    assert "a1@x.ru" not in seen["curator_a1"]
    assert "m@x.ru" in seen["director_a1"]
    assert "a1@x.ru" in seen["director_a1"]
    # The regional coordinator grants no school roles: the schools' invitations are not theirs.
    assert "a1@x.ru" not in seen["regional_coordinator"]
    client.force_login(world.mentor_a1)
    assert client.get(reverse("accounts:invitation_list")).status_code == 200
    assert client.get(reverse("accounts:invitation_create")).status_code == 403


def client_page(client: Any, user: User) -> str:
    client.force_login(user)
    response = client.get(reverse("accounts:invitation_list"))
    assert response.status_code == 200
    return response.content.decode()


def post_button(client: Any, name: str, invitation: Invitation) -> Any:
    return client.post(reverse(f"accounts:invitation_{name}", args=[invitation.pk]), {"_submission": str(uuid4())})


def uuid4() -> str:
    """A fresh one-time form token (each posted form carries its own)."""
    return str(uuid.uuid4())


def test_sending_again_from_the_list_kills_the_old_link_and_withdrawing_kills_the_new(
    world: World, client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    invitation = invite(django_capture_on_commit_callbacks, world.officer_a, Role.CURATOR, world.organisation_a1)
    old = token_of(mail.outbox[0])
    client.force_login(world.officer_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_button(client, "resend", invitation)
    assert response.status_code == 302
    new = token_of(mail.outbox[1])
    client.logout()
    assert client.get(accept_url(old)).status_code == 404
    assert client.get(accept_url(new)).status_code == 200
    invitation.refresh_from_db()
    assert invitation.sent_count == 2
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.INVITATION_SENT).count() == 2

    client.force_login(world.officer_b)
    assert post_button(client, "withdraw", invitation).status_code == 404
    client.force_login(world.officer_a)
    assert post_button(client, "withdraw", invitation).status_code == 302
    client.logout()
    assert client.get(accept_url(new)).status_code == 404


def test_the_invite_form_offers_the_grantable_roles_and_places_and_sends_the_letter(
    world: World, client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(world.officer_a)
    page = client.get(reverse("accounts:invitation_create")).content.decode()
    assert "Куратор внедрения ЦМН" in page
    assert "Наставник</option>" not in page
    assert "МОБУ СОШ с. Булгаково (Уфимский район)" in page
    assert "МОБУ СОШ № 1 г. Белорецк" not in page
    form = {
        "last_name": "Петров",
        "first_name": "Пётр",
        "email": "petrov@x.ru",
        "role": Role.MUNICIPAL_OBSERVER,
        "place": f"organisation:{world.organisation_a1.pk}",
        "_submission": uuid4(),
    }
    wrong_level = client.post(reverse("accounts:invitation_create"), form)
    assert wrong_level.status_code == 200
    assert "выберите муниципалитет" in wrong_level.content.decode()
    foreign = form | {"role": Role.CURATOR, "place": f"organisation:{world.organisation_b1.pk}", "_submission": uuid4()}
    assert "Выберите корректный вариант" in client.post(reverse("accounts:invitation_create"), foreign).content.decode()
    assert not Invitation.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:invitation_create"), form | {"place": f"municipality:{world.municipality_a.pk}"}
        )
    assert response.status_code == 302
    assert response.url == reverse("accounts:invitation_list")
    assert Invitation.objects.get().municipality == world.municipality_a
    assert mail.outbox[0].to == ["petrov@x.ru"]


def test_a_letter_the_mail_server_refuses_waits_to_be_sent_again(
    world: World, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # A real SMTP client against a loopback port where nothing listens: the connection is refused.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    with pytest.raises(Retry, match="Connection refused"):  # the task retries (autoretry_for, accounts/tasks.py)
        invite(django_capture_on_commit_callbacks, world.curator_a1, Role.MENTOR, world.organisation_a1)
    invitation = Invitation.objects.get()
    assert invitation.send_pending
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.invitations_send(invitation_ids=[invitation.pk]) == 1
    assert services.invitations_send(invitation_ids=[invitation.pk]) == 0
    assert len(mail.outbox) == 1
    invitation.refresh_from_db()
    assert not invitation.send_pending
    assert invitation.sent_count == 2  # the refused attempt counts too


def test_the_list_costs_the_same_queries_for_three_invitations_or_twelve(
    world: World, client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("accounts:invitation_list")).status_code == 200
        return len(captured)

    client.force_login(world.officer_a)
    for n in range(3):
        invite(
            django_capture_on_commit_callbacks, world.officer_a, Role.CURATOR, world.organisation_a1, email=f"{n}@x.ru"
        )
    few = queries()
    for n in range(3, 12):
        school = world.organisation_a1 if n % 2 else world.organisation_a2
        invite(django_capture_on_commit_callbacks, world.officer_a, Role.DIRECTOR, school, email=f"{n}@x.ru")
    assert queries() == few
