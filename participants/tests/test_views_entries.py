"""A record in a base, from the person's page: changed or taken out through its services, in the user's scope."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.urls import reverse

from participants.choices import MenteeCategory, MentorKind
from participants.models import BaseEntry

from .factories import PairFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_as(client: Any) -> Any:
    def sign_in(user: Any) -> Any:
        client.force_login(user)
        return client

    return sign_in


def url(name: str, *args: Any) -> str:
    return reverse(f"participants:{name}", args=args)


def mentee_data(**changes: Any) -> dict[str, Any]:
    data = {
        "mentee_category": MenteeCategory.GIFTED,
        "form": "",
        "request": "Олимпиада по физике",
        "availability": "по средам",
        "is_active": "on",
        "_submission": str(uuid.uuid4()),
    }
    return data | changes


def test_the_persons_page_leads_to_changing_and_removing_their_base_records(world, client_as):
    entry = world.mentee_a1_person.base_entries.get()
    body = client_as(world.curator_a1).get(url("person", world.mentee_a1_person.pk)).content.decode()
    assert url("entry_edit", entry.pk) in body
    assert url("entry_remove", entry.pk) in body


def test_a_curator_changes_a_mentees_category_and_request(world, client_as):
    entry = world.mentee_a1_person.base_entries.get()
    client = client_as(world.curator_a1)
    page = client.get(url("entry_edit", entry.pk))
    assert page.status_code == 200
    assert "capacity" not in page.context["form"].fields  # a mentee leads nobody
    response = client.post(url("entry_edit", entry.pk), mentee_data())
    assert response.status_code == 302
    assert response.url == url("person", world.mentee_a1_person.pk)
    entry.refresh_from_db()
    assert (entry.mentee_category, entry.request, entry.is_active) == (
        MenteeCategory.GIFTED,
        "Олимпиада по физике",
        True,
    )
    assert entry.history.count() == 2


def test_a_mentee_who_left_stays_in_the_base_as_left(world, client_as):
    entry = world.mentee_a1_person.base_entries.get()
    client = client_as(world.curator_a1)
    data = mentee_data()
    del data["is_active"]
    assert client.post(url("entry_edit", entry.pk), data).status_code == 302
    entry.refresh_from_db()
    assert not entry.is_active
    assert "(выбыл)" in client.get(url("person", world.mentee_a1_person.pk)).content.decode()


def test_a_curator_changes_a_mentors_capacity(world, client_as):
    entry = world.mentor_a1_person.base_entries.get()
    data = {"mentor_kind": MentorKind.TEACHER, "capacity": "4", "request": "Физика", "is_active": "on"}
    response = client_as(world.curator_a1).post(url("entry_edit", entry.pk), data | {"_submission": str(uuid.uuid4())})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.capacity == 4


def test_the_services_refusal_is_shown_on_the_field(world, client_as):
    entry = world.mentee_a1_person.base_entries.get()
    response = client_as(world.curator_a1).post(
        url("entry_edit", entry.pk), mentee_data(mentee_category=MenteeCategory.BURNOUT)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["mentee_category"] == [
        "Категория «Педагог в состоянии эмоционального выгорания» не подходит: Сидоров Илья Сергеевич — обучающийся."
    ]
    entry.refresh_from_db()
    assert entry.mentee_category == MenteeCategory.LOW_RESULTS


def test_a_record_entered_by_mistake_is_removed(world, client_as):
    entry = world.mentee_a1_person.base_entries.get()
    client = client_as(world.curator_a1)
    assert "Исключить из базы" in client.get(url("entry_remove", entry.pk)).content.decode()
    response = client.post(url("entry_remove", entry.pk), {"_submission": str(uuid.uuid4())})
    assert response.status_code == 302
    assert not BaseEntry.objects.filter(pk=entry.pk).exists()


def test_a_member_of_an_open_pair_is_not_removed_from_the_base(world, client_as):
    PairFactory(programme=world.programme_a1, mentors=[world.mentor_a1_person], mentees=[world.mentee_a1_person])
    entry = world.mentee_a1_person.base_entries.get()
    response = client_as(world.curator_a1).post(url("entry_remove", entry.pk), {"_submission": str(uuid.uuid4())})
    assert response.status_code == 200
    assert "состоит в действующей паре" in response.content.decode()
    assert BaseEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize("name", ["entry_edit", "entry_remove"])
def test_another_schools_curator_does_not_find_the_record(world, client_as, name):
    entry = world.mentee_a1_person.base_entries.get()
    assert client_as(world.curator_b1).get(url(name, entry.pk)).status_code == 404


@pytest.mark.parametrize("name", ["entry_edit", "entry_remove"])
def test_the_municipal_officer_sees_the_record_but_may_not_change_it(world, client_as, name):
    entry = world.mentee_a1_person.base_entries.get()
    client = client_as(world.officer_a)
    assert client.get(url(name, entry.pk)).status_code == 403
    assert client.post(url(name, entry.pk), mentee_data()).status_code == 403
    body = client.get(url("person", world.mentee_a1_person.pk)).content.decode()
    assert url(name, entry.pk) not in body
    assert BaseEntry.objects.get(pk=entry.pk).request == "Подтянуть математику к ОГЭ"


# Who opens a school A1 mentee's record pages, written out by hand: 404 outside the view scope, 403 for those
# who see the record but do not keep it, 200 for the school's staff and the administrator, login for visitors.
# fmt: off
RECORD_PAGES = {
    "regional_coordinator": 403, "regional_observer": 403, "officer_a": 403, "officer_b": 404, "observer_a": 403,
    "director_a1": 200, "curator_a1": 200, "curator_b1": 404, "coordinator_a1": 200, "mentor_a1": 404,
    "outsider": 404, "superuser": 200, "anonymous": "login",
}
# fmt: on


@pytest.mark.parametrize("name", ["entry_edit", "entry_remove"])
@pytest.mark.parametrize("persona", list(RECORD_PAGES))
def test_the_record_pages_answer_each_persona_by_scope(world, client, persona, name):
    entry = world.mentee_a1_person.base_entries.get()
    user = getattr(world, persona)
    if user.is_authenticated:
        client.force_login(user)
    response = client.get(url(name, entry.pk))
    expected = RECORD_PAGES[persona]
    if expected == "login":
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    else:
        assert response.status_code == expected
