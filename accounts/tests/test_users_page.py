"""«Пользователи»: who sees the page, exactly whose users each persona finds there, search, filters,
the export of exactly the filtered rows, and the page's query count pinned."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from mentorship.choices import Role
from mentorship.tests.factories import UserFactory, assign_role, user_with_role
from mentorship.tests.pins import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db

URL = reverse("accounts:users")

# The users of the world each persona administers, by username, written out by hand: the roles
# held at the persona's places and below. «curator_c1» (added below, in region R2) proves the
# regions apart.
REGION_R = {
    "reg_coordinator",
    "reg_observer",
    "officer_a",
    "officer_b",
    "observer_a",
    "director_a1",
    "curator_a1",
    "curator_b1",
    "coordinator_a1",
    "mentor_a1",
}
SCHOOL_A1 = {"director_a1", "curator_a1", "coordinator_a1", "mentor_a1"}
SEEN: dict[str, set[str]] = {
    "regional_coordinator": REGION_R,
    "officer_a": {"officer_a", "observer_a", *SCHOOL_A1},
    "officer_b": {"officer_b", "curator_b1"},
    "director_a1": SCHOOL_A1,
    "curator_a1": SCHOOL_A1,
    "curator_b1": {"curator_b1"},
    "superuser": REGION_R | {"curator_c1"},
}
# Those who may grant no role at all: no page.
REFUSED = ["regional_observer", "observer_a", "coordinator_a1", "mentor_a1", "outsider"]


@pytest.fixture
def world(world):
    user_with_role("curator_c1", Role.CURATOR, world.organisation_c1)
    return world


def usernames(response) -> set[str]:
    return {person.username for person, _roles in response.context["rows"]}


@pytest.mark.parametrize("persona", sorted(SEEN))
def test_each_persona_who_may_grant_sees_exactly_the_users_of_their_places(world, client_as, persona):
    response = client_as(world.persona(persona)).get(URL)
    assert response.status_code == 200
    assert usernames(response) == SEEN[persona]


@pytest.mark.parametrize("persona", REFUSED)
def test_those_who_may_grant_no_role_are_refused_the_page(world, client_as, persona):
    assert client_as(world.persona(persona)).get(URL).status_code == 403


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.parametrize(("persona", "shown"), [*[(p, True) for p in SEEN], *[(p, False) for p in REFUSED]])
def test_the_main_menu_offers_users_to_exactly_those_who_may_open_it(world, client_as, persona, shown):
    response = client_as(world.persona(persona)).get(reverse("home"))
    assert (f'href="{URL}"' in response.content.decode()) is shown


def test_a_row_shows_the_name_email_roles_with_places_last_log_in_and_state(world, client_as):
    mentor = world.mentor_a1
    assign_role(mentor, Role.COORDINATOR, world.organisation_a2)
    mentor.is_active = False
    mentor.save()
    response = client_as(world.officer_a).get(URL)
    rows = dict(response.context["rows"])
    roles = {(a.role, a.place_label) for a in rows[mentor]}
    assert roles == {
        (Role.MENTOR, "МОБУ СОШ с. Булгаково (Уфимский район)"),
        (Role.COORDINATOR, "МОБУ СОШ д. Дмитриевка (Уфимский район)"),
    }
    html = response.content.decode()
    assert reverse("accounts:user", args=[mentor.pk]) in html
    assert "mentor_a1@example.ru" in html
    assert "ещё не входил" in html
    assert "отключена" in html


def test_a_role_at_a_place_the_viewer_does_not_see_is_not_listed_with_the_user(world, client_as):
    assign_role(world.curator_a1, Role.CURATOR, world.organisation_b1)
    rows = dict(client_as(world.officer_a).get(URL).context["rows"])
    assert [a.place for a in rows[world.curator_a1]] == [world.organisation_a1]


def test_search_finds_by_surname_email_and_username(world, client_as):
    UserFactory(username="kuz", last_name="Кузнецова", email="kuz@school.ru")
    assign_role(UserFactory._meta.model.objects.get(username="kuz"), Role.MENTOR, world.organisation_a1)
    client = client_as(world.director_a1)
    assert usernames(client.get(URL, {"q": "кузнец"})) == {"kuz"}
    assert usernames(client.get(URL, {"q": "KUZ@SCHOOL"})) == {"kuz"}
    assert usernames(client.get(URL, {"q": "coordinator_a"})) == {"coordinator_a1"}
    assert usernames(client.get(URL, {"q": "нет такого"})) == set()


def test_the_role_and_school_filters_narrow_one_assignment_together(world, client_as):
    assign_role(world.mentor_a1, Role.CURATOR, world.organisation_a2)
    client = client_as(world.officer_a)
    assert usernames(client.get(URL, {"role": Role.CURATOR})) == {"curator_a1", "mentor_a1"}
    a2 = world.organisation_a2.pk
    assert usernames(client.get(URL, {"role": Role.CURATOR, "organisation": a2})) == {"mentor_a1"}
    # mentor_a1 is a mentor in A1 and a curator in A2: no mentor in A2.
    assert usernames(client.get(URL, {"role": Role.MENTOR, "organisation": a2})) == set()


def test_the_municipality_filter_is_offered_to_a_region_and_narrows_to_it(world, client_as):
    client = client_as(world.regional_coordinator)
    response = client.get(URL, {"municipality": world.municipality_b.pk})
    assert usernames(response) == {"officer_b", "curator_b1"}
    assert "municipality" in response.context["filterset"].form.fields


def test_a_director_is_offered_no_municipality_or_school_to_filter_by(world, client_as):
    fields = client_as(world.director_a1).get(URL).context["filterset"].form.fields
    assert "municipality" not in fields
    assert "organisation" not in fields
    assert "role" in fields


def test_a_foreign_school_in_the_filter_is_a_russian_error_and_filters_nothing(world, client_as):
    response = client_as(world.officer_a).get(URL, {"organisation": world.organisation_c1.pk})
    assert response.status_code == 200
    assert "Выберите корректный вариант" in response.content.decode()


def test_the_active_filter_lists_the_switched_off_accounts(world, client_as):
    world.mentor_a1.is_active = False
    world.mentor_a1.save()
    client = client_as(world.director_a1)
    assert usernames(client.get(URL, {"is_active": "false"})) == {"mentor_a1"}
    assert usernames(client.get(URL, {"is_active": "true"})) == SCHOOL_A1 - {"mentor_a1"}


def export_rows(client, params) -> list[tuple]:
    response = client.get(reverse("imports:export", args=["users"]), params)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [row for row in sheet.iter_rows(min_row=2, values_only=True) if any(row)]


@pytest.mark.parametrize("params", [{}, {"role": Role.CURATOR}, {"q": "a1"}, {"organisation": "A2"}])
def test_the_export_holds_exactly_the_filtered_rows_of_the_page(world, client_as, params):
    params = dict(params)
    if params.get("organisation") == "A2":
        assign_role(world.mentor_a1, Role.CURATOR, world.organisation_a2)
        params["organisation"] = world.organisation_a2.pk
    client = client_as(world.officer_a)
    page = client.get(URL, params)
    rows = export_rows(client, params)
    assert sorted(row[1] for row in rows) == sorted(usernames(page))
    assert len(rows) == page.context["paginator"].count


def test_the_export_names_each_role_with_its_place_and_says_never_logged_in(world, client_as):
    rows = {row[1]: row for row in export_rows(client_as(world.officer_b), {})}
    assert set(rows) == {"officer_b", "curator_b1"}
    assert rows["curator_b1"][5] == "Куратор внедрения ЦМН — МОБУ СОШ № 1 г. Белорецк (Белорецкий район)"
    assert rows["curator_b1"][6] == "ещё не входил"


def test_the_export_is_refused_to_those_who_may_grant_nothing(world, client_as):
    response = client_as(world.regional_observer).get(reverse("imports:export", args=["users"]))
    assert response.status_code == 403


def test_the_page_costs_the_same_queries_for_few_and_many_users(world, client_as, django_assert_num_queries):
    client = client_as(world.officer_a)

    def more() -> None:
        for n in range(12):
            user = UserFactory(username=f"teacher{n}")
            assign_role(user, Role.MENTOR if n % 2 else Role.COORDINATOR, world.organisation_a2)
            assign_role(user, Role.CURATOR, world.organisation_a1)

    response = assert_queries_do_not_grow(client, URL, more, django_assert_num_queries)
    assert "teacher11" in response.content.decode()
