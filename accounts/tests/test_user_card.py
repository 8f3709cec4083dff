"""A user's card: what it shows, «Назначить роль» and «Снять роль» through the pages for allowed and
refused cases, a foreign user's id, forged posts, and a form posted twice."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from mentorship.choices import Role, SecurityEventKind
from mentorship.models import RoleAssignment, SecurityEvent
from mentorship.tests.factories import UserFactory, assign_role
from mentorship.tests.pins import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db


def card(user) -> str:
    return reverse("accounts:user", args=[user.pk])


def grant_url(user, role: str = "") -> str:
    url = reverse("accounts:user_grant", args=[user.pk])
    return f"{url}?role={role}" if role else url


def token() -> str:
    return str(uuid.uuid4())


def roles_of(user) -> set[tuple[str, int]]:
    return {(a.role, a.place.pk) for a in RoleAssignment.objects.filter(user=user)}


# --- what the card shows ------------------------------------------------------------------------


def test_the_card_shows_the_person_their_roles_with_places_and_never_logged_in(world, client_as):
    person = world.curator_a1
    person.position = "заместитель директора по УВР"
    person.phone = "+7 (347) 201-02-03"
    person.save()
    response = client_as(world.officer_a).get(card(person))
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "Ростовская",
        "Викторовна",
        "curator_a1@example.ru",
        "заместитель директора по УВР",
        "+7 (347) 201-02-03",
        "ещё не входил",
        "Куратор внедрения ЦМН",
        "МОБУ СОШ с. Булгаково (Уфимский район)",
        # The card shows the local (Moscow) date: after 21:00 UTC it is already the next day.
        timezone.localtime(person.date_joined).strftime("%d.%m.%Y"),
    ):
        assert text in html, text


@pytest.mark.parametrize(
    ("viewer", "person"),
    [
        ("officer_a", "curator_b1"),  # another municipality
        ("officer_b", "curator_a1"),
        ("director_a1", "officer_a"),  # a place above
        ("curator_a1", "curator_b1"),
        ("regional_coordinator", "outsider"),  # holds no role at all
    ],
)
def test_a_user_holding_no_role_the_viewer_sees_answers_404(world, client_as, viewer, person):
    client = client_as(world.persona(viewer))
    target = world.persona(person)
    assert client.get(card(target)).status_code == 404
    assert client.get(grant_url(target, Role.MENTOR)).status_code == 404
    assert client.post(grant_url(target), {"role": Role.MENTOR, "_submission": token()}).status_code == 404


def test_an_id_that_is_no_user_answers_404(world, client_as):
    assert client_as(world.officer_a).get(reverse("accounts:user", args=[999999])).status_code == 404


@pytest.mark.parametrize("viewer", ["regional_observer", "observer_a", "coordinator_a1", "mentor_a1", "outsider"])
def test_those_who_may_grant_nothing_are_refused_the_cards(world, client_as, viewer):
    assert client_as(world.persona(viewer)).get(card(world.director_a1)).status_code == 403


def revoke_links(response) -> set[int]:
    return {a.pk for a in response.context["roles"] if a.revocable}


def test_revoke_buttons_are_on_exactly_the_assignments_the_viewer_may_revoke(world, client_as):
    mentor = world.mentor_a1
    as_mentor = RoleAssignment.objects.get(user=mentor)
    as_coordinator = assign_role(mentor, Role.COORDINATOR, world.organisation_a1)
    # A curator takes mentors only; a director takes both; an officer takes the coordinator, not the mentor.
    assert revoke_links(client_as(world.curator_a1).get(card(mentor))) == {as_mentor.pk}
    assert revoke_links(client_as(world.director_a1).get(card(mentor))) == {as_mentor.pk, as_coordinator.pk}
    response = client_as(world.officer_a).get(card(mentor))
    assert revoke_links(response) == {as_coordinator.pk}
    assert reverse("accounts:role_revoke", args=[as_coordinator.pk]) in response.content.decode()
    assert reverse("accounts:role_revoke", args=[as_mentor.pk]) not in response.content.decode()


def test_nobody_is_offered_to_revoke_their_own_role(world, client_as):
    officer = world.officer_a
    assert revoke_links(client_as(officer).get(card(officer))) == set()


# The roles each persona's form offers, by hand (issue 15's grant table).
OFFERED = {
    "regional_coordinator": [
        Role.REGIONAL_COORDINATOR,
        Role.REGIONAL_OBSERVER,
        Role.SECURITY_OFFICER,
        Role.MUNICIPAL_OFFICER,
        Role.MUNICIPAL_OBSERVER,
    ],
    "officer_a": [Role.MUNICIPAL_OFFICER, Role.MUNICIPAL_OBSERVER, Role.DIRECTOR, Role.CURATOR, Role.COORDINATOR],
    "director_a1": [Role.CURATOR, Role.COORDINATOR, Role.MENTOR],
    "curator_a1": [Role.MENTOR],
    "superuser": list(Role),
}


@pytest.mark.parametrize("viewer", sorted(OFFERED))
def test_the_grant_form_offers_exactly_the_roles_the_viewer_may_grant(world, client_as, viewer):
    response = client_as(world.persona(viewer)).get(card(world.mentor_a1))
    offered = [value for value, _label in response.context["role_form"].fields["role"].choices]
    assert offered == [role.value for role in OFFERED[viewer]]


def test_the_second_step_offers_the_schools_of_the_municipality_named_with_it(world, client_as):
    response = client_as(world.officer_a).get(grant_url(world.curator_a1, Role.COORDINATOR))
    assert response.status_code == 200
    places = [(str(value), label) for value, label in response.context["form"].fields["place"].choices if value]
    assert places == [
        (str(world.organisation_a2.pk), "МОБУ СОШ д. Дмитриевка (Уфимский район)"),
        (str(world.organisation_a1.pk), "МОБУ СОШ с. Булгаково (Уфимский район)"),
    ]


def test_a_role_in_the_address_the_viewer_may_not_grant_offers_no_place(world, client_as):
    response = client_as(world.curator_a1).get(grant_url(world.mentor_a1, Role.DIRECTOR))
    assert response.status_code == 200
    assert "Эту роль вы назначать не можете." in response.content.decode()
    assert list(response.context["form"].fields["place"].queryset) == []


# --- granting -----------------------------------------------------------------------------------


def test_an_officer_grants_a_coordinator_at_a_school_and_it_is_recorded(world, client_as):
    person, officer = world.curator_a1, world.officer_a
    client = client_as(officer)
    response = client.post(
        grant_url(person, Role.COORDINATOR),
        {"role": Role.COORDINATOR, "place": world.organisation_a2.pk, "_submission": token()},
    )
    assert response.status_code == 302
    assert response["Location"] == card(person)
    assert (Role.COORDINATOR, world.organisation_a2.pk) in roles_of(person)
    event = SecurityEvent.objects.get(kind=SecurityEventKind.ROLE_GRANTED, subject=person)
    assert event.actor == officer
    history = client.get(card(person)).context["history"]
    assert history[0]["what"] == "Назначена роль «Координатор ЦМН»: МОБУ СОШ д. Дмитриевка (Уфимский район)"
    assert history[0]["actor"] == officer


@pytest.mark.parametrize(
    ("viewer", "role", "place", "error"),
    [
        # a role outside the viewer's grant table
        ("officer_a", Role.REGIONAL_COORDINATOR, "region_r", "Эту роль вы назначать не можете."),
        ("curator_a1", Role.CURATOR, "organisation_a1", "Эту роль вы назначать не можете."),
        # a place outside the viewer's scope
        ("officer_a", Role.COORDINATOR, "organisation_b1", "Здесь вы не можете назначить эту роль"),
        ("officer_a", Role.COORDINATOR, "organisation_c1", "Здесь вы не можете назначить эту роль"),
        ("director_a1", Role.MENTOR, "organisation_a2", "Здесь вы не можете назначить эту роль"),
        ("officer_a", Role.MUNICIPAL_OFFICER, "municipality_b", "Здесь вы не можете назначить эту роль"),
        ("regional_coordinator", Role.MUNICIPAL_OFFICER, "municipality_c", "Здесь вы не можете назначить эту роль"),
    ],
)
def test_a_forged_post_outside_the_grant_table_is_a_russian_error_and_changes_nothing(
    world, client_as, viewer, role, place, error
):
    person = world.mentor_a1
    before = roles_of(person)
    response = client_as(world.persona(viewer)).post(
        grant_url(person, role), {"role": role, "place": getattr(world, place).pk, "_submission": token()}
    )
    assert response.status_code == 200
    assert error in response.content.decode()
    assert roles_of(person) == before
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.ROLE_GRANTED).exists()


def test_a_role_posted_other_than_the_one_the_places_were_offered_for_is_refused(world, client_as):
    person = world.mentor_a1
    response = client_as(world.officer_a).post(
        grant_url(person, Role.COORDINATOR),
        {"role": Role.MUNICIPAL_OFFICER, "place": world.organisation_a1.pk, "_submission": token()},
    )
    assert response.status_code == 200
    assert "Эту роль вы назначать не можете." in response.content.decode()
    assert roles_of(person) == {(Role.MENTOR, world.organisation_a1.pk)}


def test_a_role_the_user_already_holds_there_is_a_russian_error(world, client_as):
    person = world.mentor_a1
    response = client_as(world.director_a1).post(
        grant_url(person, Role.MENTOR), {"role": Role.MENTOR, "place": world.organisation_a1.pk, "_submission": token()}
    )
    assert response.status_code == 200
    assert "Эта роль у пользователя здесь уже есть." in response.content.decode()
    assert RoleAssignment.objects.filter(user=person).count() == 1


def test_posting_the_same_grant_form_twice_grants_once(world, client_as):
    person = world.mentor_a1
    client = client_as(world.director_a1)
    data = {"role": Role.COORDINATOR, "place": world.organisation_a1.pk, "_submission": token()}
    first = client.post(grant_url(person, Role.COORDINATOR), data)
    second = client.post(grant_url(person, Role.COORDINATOR), data, follow=True)
    assert first.status_code == 302
    assert "Эта форма уже была отправлена" in second.content.decode()
    assert RoleAssignment.objects.filter(user=person, role=Role.COORDINATOR).count() == 1
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.ROLE_GRANTED).count() == 1


# --- revoking -----------------------------------------------------------------------------------


def revoke_url(assignment) -> str:
    return reverse("accounts:role_revoke", args=[assignment.pk])


def test_revoking_asks_for_confirmation_then_takes_the_role_and_records_it(world, client_as):
    person, director = world.mentor_a1, world.director_a1
    extra = assign_role(person, Role.COORDINATOR, world.organisation_a1)
    client = client_as(director)
    confirmation = client.get(revoke_url(extra))
    assert confirmation.status_code == 200
    html = confirmation.content.decode()
    assert "Снять роль" in html
    assert "Координатор ЦМН" in html
    assert RoleAssignment.objects.filter(pk=extra.pk).exists()
    response = client.post(revoke_url(extra), {"_submission": token()})
    assert response.status_code == 302
    assert response["Location"] == card(person)
    assert not RoleAssignment.objects.filter(pk=extra.pk).exists()
    assert SecurityEvent.objects.get(kind=SecurityEventKind.ROLE_REVOKED, subject=person).actor == director
    history = client.get(card(person)).context["history"]
    assert history[0]["what"] == "Снята роль «Координатор ЦМН»: МОБУ СОШ с. Булгаково (Уфимский район)"
    assert history[0]["actor"] == director


def test_revoking_the_last_role_the_viewer_sees_leads_back_to_the_list(world, client_as):
    assignment = RoleAssignment.objects.get(user=world.mentor_a1)
    response = client_as(world.curator_a1).post(revoke_url(assignment), {"_submission": token()})
    assert response["Location"] == reverse("accounts:users")
    assert client_as(world.curator_a1).get(card(world.mentor_a1)).status_code == 404


def test_a_role_seen_but_not_revocable_answers_403_and_stays(world, client_as):
    assignment = RoleAssignment.objects.get(user=world.director_a1)
    client = client_as(world.curator_a1)
    assert client.get(revoke_url(assignment)).status_code == 403
    assert client.post(revoke_url(assignment), {"_submission": token()}).status_code == 403
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_a_role_outside_the_viewers_places_answers_404(world, client_as):
    assignment = RoleAssignment.objects.get(user=world.curator_a1)
    assert client_as(world.officer_b).post(revoke_url(assignment), {"_submission": token()}).status_code == 404
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_ones_own_role_cannot_be_revoked_even_by_a_forged_post(world, client_as):
    assignment = RoleAssignment.objects.get(user=world.officer_a)
    response = client_as(world.officer_a).post(revoke_url(assignment), {"_submission": token()})
    assert response.status_code == 200
    assert "Свою роль снять нельзя" in response.content.decode()
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_posting_the_same_revocation_twice_revokes_once(world, client_as):
    extra = assign_role(world.mentor_a1, Role.COORDINATOR, world.organisation_a1)
    client = client_as(world.director_a1)
    data = {"_submission": token()}
    assert client.post(revoke_url(extra), data).status_code == 302
    second = client.post(revoke_url(extra), data)
    # The assignment is gone: the page answers 404 before the form is even read.
    assert second.status_code == 404
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.ROLE_REVOKED).count() == 1


# --- the page's cost ------------------------------------------------------------------------------


def test_the_card_costs_the_same_queries_for_few_and_many_roles_and_grants(world, client_as, django_assert_num_queries):
    person = UserFactory(username="many_roles")
    assign_role(person, Role.CURATOR, world.organisation_a1)
    client = client_as(world.officer_a)

    def more() -> None:
        from mentorship import services

        for role in (Role.COORDINATOR, Role.DIRECTOR):
            for place in (world.organisation_a1, world.organisation_a2):
                services.role_assign(actor=world.officer_a, user=person, role=role, place=place)
        services.role_assign(actor=world.officer_a, user=person, role=Role.CURATOR, place=world.organisation_a2)

    response = assert_queries_do_not_grow(client, card(person), more, django_assert_num_queries)
    assert len(response.context["roles"]) == 6


def test_the_history_lists_only_the_grants_at_the_viewers_places(world, client_as):
    from mentorship import services

    person = world.curator_a1
    services.role_assign(actor=world.officer_b, user=person, role=Role.COORDINATOR, place=world.organisation_b1)
    services.role_assign(actor=world.officer_a, user=person, role=Role.COORDINATOR, place=world.organisation_a2)
    seen_by_a = [event["what"] for event in client_as(world.officer_a).get(card(person)).context["history"]]
    assert any("Дмитриевка" in what for what in seen_by_a)
    assert not any("Белорецк" in what for what in seen_by_a)
    seen_by_region = [
        event["what"] for event in client_as(world.regional_coordinator).get(card(person)).context["history"]
    ]
    assert any("Белорецк" in what for what in seen_by_region)
