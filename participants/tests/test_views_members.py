"""«Добавить участника» and «Исключить» on the pair page: groups grow and shrink through the services."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.urls import reverse

from participants.choices import BaseRole, PairStatus
from participants.models import Pair, PairMember

from .factories import PairFactory, enrolled

pytestmark = pytest.mark.django_db

DUPLICATE = "Эта форма уже была отправлена; повторная отправка ничего не изменила."


@pytest.fixture
def client_as(client: Any) -> Any:
    def sign_in(user: Any) -> Any:
        client.force_login(user)
        return client

    return sign_in


def text(response: Any) -> str:
    return response.content.decode()


def url(name: str, *args: Any) -> str:
    return reverse(f"participants:{name}", args=args)


def pair_of(world: Any, **kwargs: Any) -> Pair:
    """Anna (a teacher with two places) and Ilya in «учитель – ученик» at school A1, forming since 1.10.2026."""
    data = {"programme": world.programme_a1, "mentors": [world.mentor_a1_person], "mentees": [world.mentee_a1_person]}
    return PairFactory(**(data | kwargs))


def add_data(person: Any, **changes: Any) -> dict[str, Any]:
    data = {"person": str(person.pk), "role": BaseRole.MENTEE, "joined_on": "2026-11-02"}
    return data | {"_submission": str(uuid.uuid4())} | changes


def remove_data(**changes: Any) -> dict[str, Any]:
    return {"left_on": "2026-11-20", "reason": "", "confirm": "on", "_submission": str(uuid.uuid4())} | changes


def open_members(pair: Pair) -> set[tuple[int, str]]:
    return set(pair.members.filter(left_on__isnull=True).values_list("person_id", "role"))


def member_of(pair: Pair, person: Any) -> PairMember:
    return pair.members.get(person=person)


# --- the buttons on the pair page ------------------------------------------------------------------------------


def test_pair_page_offers_adding_and_removing_to_school_staff(world, client_as):
    pair = pair_of(world)
    body = text(client_as(world.curator_a1).get(url("pair", pair.pk)))
    assert url("member_add", pair.pk) in body
    assert "Добавить участника" in body
    for person in (world.mentor_a1_person, world.mentee_a1_person):
        assert url("member_remove", member_of(pair, person).pk) in body


@pytest.mark.parametrize("persona", ["officer_a", "regional_observer", "observer_a"])
def test_pair_page_is_read_only_for_overseers(world, client_as, persona):
    pair = pair_of(world)
    body = text(client_as(world.persona(persona)).get(url("pair", pair.pk)))
    assert "Сидоров Илья" in body
    assert "Добавить участника" not in body
    assert "Исключить" not in body


def test_a_closed_pair_offers_no_member_changes(world, client_as):
    pair = pair_of(world, status=PairStatus.TERMINATED, ended_on="2026-11-01", termination_reason="Переезд")
    body = text(client_as(world.curator_a1).get(url("pair", pair.pk)))
    assert "Добавить участника" not in body
    assert "Исключить" not in body


# --- «Добавить участника» -------------------------------------------------------------------------------------------


def test_adding_a_mentee_turns_the_pair_into_a_group_showing_both(world, client_as):
    pair = pair_of(world)
    client = client_as(world.curator_a1)
    page = client.get(url("member_add", pair.pk))
    assert page.status_code == 200
    body = text(page)
    assert f'<option value="{world.mentee_a1_second.pk}">' in body
    assert f'<option value="{world.mentee_a1_person.pk}">' not in body  # already in the pair
    assert f'<option value="{world.student_b1_person.pk}">' not in body  # another school
    assert 'list="mentee-options"' in body
    response = client.post(url("member_add", pair.pk), add_data(world.mentee_a1_second))
    assert response.status_code == 302
    assert response["Location"] == f"{url('pair', pair.pk)}#members"
    assert open_members(pair) == {
        (world.mentor_a1_person.pk, BaseRole.MENTOR),
        (world.mentee_a1_person.pk, BaseRole.MENTEE),
        (world.mentee_a1_second.pk, BaseRole.MENTEE),
    }
    assert member_of(pair, world.mentee_a1_second).joined_on.isoformat() == "2026-11-02"
    page = client.get(response["Location"])
    body = text(page)
    assert "В пару (группу) добавлен участник: Кузнецова Мария" in body
    assert [m.person for m in page.context["mentees"]] == [world.mentee_a1_second, world.mentee_a1_person]
    assert "Сидоров Илья" in body
    assert "(с 02.11.2026)" in body


def test_a_co_mentor_joins_the_pair(world, client_as):
    pair = pair_of(world)
    co_mentor = enrolled(BaseRole.MENTOR, organisation=world.organisation_a1, surname="Орлова", name="Вера")
    client = client_as(world.curator_a1)
    page = client.get(url("member_add", pair.pk), {"role": BaseRole.MENTOR})
    assert page.context["form"].initial["role"] == BaseRole.MENTOR
    assert 'list="mentor-options"' in text(page)
    assert f'<option value="{co_mentor.pk}">' in text(page)
    response = client.post(url("member_add", pair.pk), add_data(co_mentor, role=BaseRole.MENTOR), follow=True)
    assert "В пару (группу) добавлен участник: Орлова Вера" in text(response)
    assert (co_mentor.pk, BaseRole.MENTOR) in open_members(pair)


def assert_refused(response: Any, pair: Pair, message: str) -> None:
    assert response.status_code == 200
    assert message in text(response)
    # Every member the factory made joined on the pair's start; nobody else is in the pair.
    assert not pair.members.exclude(joined_on=pair.started_on).exists()


def test_a_foreign_person_id_is_a_form_error(world, client_as):
    pair = pair_of(world)
    response = client_as(world.curator_a1).post(url("member_add", pair.pk), add_data(world.student_b1_person))
    assert_refused(response, pair, f"Участник № {world.student_b1_person.pk} не найден среди участников")


def test_a_person_without_consent_is_not_added(world, client_as):
    pair = pair_of(world)
    person = enrolled(organisation=world.organisation_a1, surname="Безсогласия", consent=False)
    response = client_as(world.curator_a1).post(url("member_add", pair.pk), add_data(person))
    assert_refused(response, pair, "нет действующего согласия на обработку персональных данных")


def test_the_mentors_capacity_is_not_exceeded(world, client_as):
    pair = pair_of(world, mentees=[world.mentee_a1_person, world.mentee_a1_second])
    third = enrolled(organisation=world.organisation_a1, surname="Третьякова")
    response = client_as(world.curator_a1).post(url("member_add", pair.pk), add_data(third))
    assert_refused(response, pair, "уже ведёт наставляемых: 2 из 2")
    assert not PairMember.objects.filter(person=third).exists()


def test_a_join_date_before_the_pair_started_is_a_field_error(world, client_as):
    pair = pair_of(world)
    response = client_as(world.curator_a1).post(
        url("member_add", pair.pk), add_data(world.mentee_a1_second, joined_on="2026-09-15")
    )
    assert_refused(response, pair, "Вступить в пару (группу) можно не раньше начала её работы (01.10.2026).")
    assert response.context["form"].errors["joined_on"]


def test_two_people_in_one_field_are_refused(world, client_as):
    pair = pair_of(world)
    data = add_data(world.mentee_a1_second) | {
        "person": [str(world.mentee_a1_second.pk), str(world.mentor_a1_person.pk)]
    }
    response = client_as(world.curator_a1).post(url("member_add", pair.pk), data)
    assert_refused(response, pair, "Укажите одного участника.")


def test_adding_posted_twice_adds_once(world, client_as):
    pair = pair_of(world)
    client = client_as(world.curator_a1)
    data = add_data(world.mentee_a1_second)
    first = client.post(url("member_add", pair.pk), data)
    second = client.post(url("member_add", pair.pk), data, follow=True)
    assert first.status_code == 302
    assert DUPLICATE in text(second)
    assert second.redirect_chain[0][0] == first["Location"]
    assert pair.members.filter(person=world.mentee_a1_second).count() == 1
    assert pair.members.count() == 3


def test_a_closed_pair_takes_no_new_members(world, client_as):
    pair = pair_of(world, status=PairStatus.TERMINATED, ended_on="2026-11-01", termination_reason="Переезд")
    response = client_as(world.curator_a1).post(url("member_add", pair.pk), add_data(world.mentee_a1_second))
    assert response.status_code == 200
    assert "её работа окончена" in text(response)
    assert not pair.members.filter(person=world.mentee_a1_second).exists()


# --- «Исключить» ----------------------------------------------------------------------------------------------------


def test_a_mentee_leaves_a_group_and_the_pair_goes_on(world, client_as):
    pair = pair_of(world, mentees=[world.mentee_a1_person, world.mentee_a1_second])
    member = member_of(pair, world.mentee_a1_second)
    client = client_as(world.curator_a1)
    page = client.get(url("member_remove", member.pk))
    assert page.status_code == 200
    assert "последний наставник" in text(page)
    assert 'name="confirm"' in text(page)
    response = client.post(url("member_remove", member.pk), remove_data(), follow=True)
    assert response.redirect_chain[0][0] == f"{url('pair', pair.pk)}#members"
    assert "Участник исключён из пары (группы)." in text(response)
    assert "(вышел 20.11.2026)" in text(response)
    assert f'href="{url("member_remove", member.pk)}"' not in text(response)
    member.refresh_from_db()
    pair.refresh_from_db()
    assert member.left_on.isoformat() == "2026-11-20"
    assert pair.status == PairStatus.FORMING


def test_removal_needs_the_confirmation(world, client_as):
    pair = pair_of(world, mentees=[world.mentee_a1_person, world.mentee_a1_second])
    member = member_of(pair, world.mentee_a1_second)
    response = client_as(world.curator_a1).post(url("member_remove", member.pk), remove_data(confirm=""))
    assert response.status_code == 200
    assert response.context["form"].errors["confirm"]
    member.refresh_from_db()
    assert member.left_on is None


def test_the_last_mentee_is_not_removed_without_a_reason(world, client_as):
    pair = pair_of(world)
    member = member_of(pair, world.mentee_a1_person)
    response = client_as(world.curator_a1).post(url("member_remove", member.pk), remove_data())
    assert response.status_code == 200
    assert "последний наставляемый пары (группы): без него она прекращается; укажите причину." in text(response)
    assert response.context["form"].errors["reason"]
    member.refresh_from_db()
    pair.refresh_from_db()
    assert member.left_on is None
    assert pair.status == PairStatus.FORMING


def test_the_last_mentee_removed_with_a_reason_terminates_the_pair(world, client_as):
    pair = pair_of(world)
    member = member_of(pair, world.mentee_a1_person)
    client = client_as(world.curator_a1)
    response = client.post(url("member_remove", member.pk), remove_data(reason="Перевёлся в другую школу"), follow=True)
    assert "её работа прекращена" in text(response)
    pair.refresh_from_db()
    member.refresh_from_db()
    assert (pair.status, pair.ended_on.isoformat()) == (PairStatus.TERMINATED, "2026-11-20")
    assert pair.termination_reason == "Перевёлся в другую школу"
    assert member.left_on.isoformat() == "2026-11-20"
    body = text(response)
    assert "Добавить участника" not in body
    assert "Исключить" not in body


def test_a_future_leaving_date_is_refused(world, client_as):
    pair = pair_of(world, mentees=[world.mentee_a1_person, world.mentee_a1_second])
    member = member_of(pair, world.mentee_a1_second)
    response = client_as(world.curator_a1).post(url("member_remove", member.pk), remove_data(left_on="2026-12-20"))
    assert response.status_code == 200
    assert "ещё не наступила" in text(response)
    member.refresh_from_db()
    assert member.left_on is None


def test_removal_posted_twice_changes_once(world, client_as):
    pair = pair_of(world, mentees=[world.mentee_a1_person, world.mentee_a1_second])
    member = member_of(pair, world.mentee_a1_second)
    client = client_as(world.curator_a1)
    data = remove_data()
    assert client.post(url("member_remove", member.pk), data).status_code == 302
    second = client.post(url("member_remove", member.pk), data | {"left_on": "2026-11-21"}, follow=True)
    assert DUPLICATE in text(second)
    member.refresh_from_db()
    assert member.left_on.isoformat() == "2026-11-20"


# --- who may ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["officer_a", "regional_observer", "observer_a"])
def test_read_only_users_get_403(world, client_as, persona):
    pair = pair_of(world)
    member = member_of(pair, world.mentee_a1_person)
    client = client_as(world.persona(persona))
    assert client.get(url("member_add", pair.pk)).status_code == 403
    assert client.get(url("member_remove", member.pk)).status_code == 403
    assert client.post(url("member_add", pair.pk), add_data(world.mentee_a1_second)).status_code == 403
    assert client.post(url("member_remove", member.pk), remove_data(reason="Переезд")).status_code == 403
    assert pair.members.count() == 2
    assert not pair.members.filter(left_on__isnull=False).exists()


@pytest.mark.parametrize("persona", ["curator_b1", "officer_b", "outsider"])
def test_outsiders_get_404(world, client_as, persona):
    pair = pair_of(world)
    member = member_of(pair, world.mentee_a1_person)
    client = client_as(world.persona(persona))
    assert client.get(url("member_add", pair.pk)).status_code == 404
    assert client.get(url("member_remove", member.pk)).status_code == 404
    assert client.post(url("member_add", pair.pk), add_data(world.mentee_a1_second)).status_code == 404
    assert client.post(url("member_remove", member.pk), remove_data(reason="Переезд")).status_code == 404
    assert pair.members.count() == 2
    assert not pair.members.filter(left_on__isnull=False).exists()


def test_the_anonymous_are_asked_to_sign_in(world, client):
    pair = pair_of(world)
    member = member_of(pair, world.mentee_a1_person)
    for address in (url("member_add", pair.pk), url("member_remove", member.pk)):
        response = client.get(address)
        assert response.status_code == 302
        assert reverse("login") in response["Location"]


@pytest.mark.parametrize("persona", ["curator_a1", "director_a1", "coordinator_a1", "superuser"])
def test_the_forms_render_for_school_staff(world, client_as, persona):
    pair = pair_of(world)
    member = member_of(pair, world.mentee_a1_person)
    client = client_as(world.persona(persona))
    for address in (url("member_add", pair.pk), url("member_remove", member.pk)):
        response = client.get(address)
        assert response.status_code == 200, address
        assert 'name="_submission"' in text(response), address


def test_pair_page_queries_do_not_grow_with_members(world, client_as, django_assert_max_num_queries):
    pair = pair_of(world)
    client = client_as(world.curator_a1)
    client.get(url("pair", pair.pk))
    with django_assert_max_num_queries(100) as few:
        client.get(url("pair", pair.pk))
    for i in range(3):
        mentee = enrolled(organisation=world.organisation_a1, surname=f"Группова{i}")
        PairMember.objects.create(
            pair=pair, person=mentee, programme=pair.programme, role=BaseRole.MENTEE, joined_on=pair.started_on
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "Группова2" in text(client.get(url("pair", pair.pk)))
