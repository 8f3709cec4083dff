"""The roadmap items a person answers for, on their card in «Пользователи», and «Передать другому»:
handed over in bulk to another active user of the same place, by whoever keeps the roadmap."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from mentorship.choices import Role
from mentorship.tests.factories import UserFactory, assign_role
from mentorship.tests.pins import assert_queries_do_not_grow
from roadmaps.choices import ItemStatus, ResponsibleKind
from roadmaps.models import ResponsibleParty

from .factories import ResponsiblePartyFactory, RoadmapItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_user(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


def answers(item, user) -> ResponsibleParty:
    return ResponsiblePartyFactory(item=item, kind=ResponsibleKind.USER, name=user.get_short_name(), user=user)


def card(user) -> str:
    return reverse("accounts:user", args=[user.pk])


def handover_url(user) -> str:
    return reverse("accounts:user_handover", args=[user.pk, "roadmap-items"])


def duty_rows(response, key="roadmap-items"):
    found = [group for group in response.context["duties"] if group.duty.key == key]
    return found[0].rows if found else []


@pytest.fixture
def items(world):
    """Three open items of school A1's roadmap the curator answers for, a done one, and one at school C1."""
    curator = world.curator_a1
    open_items = [RoadmapItemFactory(roadmap=world.roadmap_a1, number=f"2.{n}") for n in (1, 2, 3)]
    for item in open_items:
        answers(item, curator)
    done = RoadmapItemFactory(roadmap=world.roadmap_a1, number="2.9", status=ItemStatus.DONE)
    answers(done, curator)
    answers(RoadmapItemFactory(roadmap=world.roadmap_c1, number="2.1"), curator)
    return open_items


def test_the_card_lists_the_unfinished_items_the_person_answers_for_that_the_viewer_sees(world, as_user, items):
    rows = duty_rows(as_user(world.officer_a).get(card(world.curator_a1)))
    assert [row.pk for row in rows] == [item.pk for item in items]
    assert rows[0].place == "МОБУ СОШ с. Булгаково (Уфимский район)"


def test_the_keeper_of_the_roadmap_may_hand_items_over_the_level_above_only_follows_the_link(world, as_user, items):
    director = as_user(world.director_a1).get(card(world.curator_a1))
    assert all(row.transferable for row in duty_rows(director))
    assert handover_url(world.curator_a1) in director.content.decode()
    assert duty_rows(director)[0].url == reverse("roadmaps:item_edit", args=[items[0].pk])

    officer = as_user(world.officer_a).get(card(world.curator_a1))
    assert not any(row.transferable for row in duty_rows(officer))
    assert handover_url(world.curator_a1) not in officer.content.decode()
    assert duty_rows(officer)[0].url == reverse("roadmaps:detail", args=[world.roadmap_a1.pk])


def test_items_are_handed_over_in_bulk_to_another_user_of_the_school(world, as_user, items):
    curator, coordinator, director = world.curator_a1, world.coordinator_a1, world.director_a1
    client = as_user(director)
    form = client.get(handover_url(curator)).context["form"]
    assert {u.username for u in form.fields["to_user"].queryset} == {"director_a1", "coordinator_a1", "mentor_a1"}
    response = client.post(
        handover_url(curator),
        {"rows": [items[0].pk, items[1].pk], "to_user": coordinator.pk, "_submission": str(uuid.uuid4())},
    )
    assert response.status_code == 302
    assert set(ResponsibleParty.objects.filter(user=coordinator).values_list("item_id", flat=True)) == {
        items[0].pk,
        items[1].pk,
    }
    assert ResponsibleParty.objects.filter(user=curator, item=items[2]).exists()
    moved = ResponsibleParty.objects.get(item=items[0])
    assert moved.name == coordinator.get_short_name()
    assert moved.history.first().history_user == director


def test_an_item_the_new_person_already_answers_for_keeps_one_party(world, as_user, items):
    answers(items[0], world.coordinator_a1)
    as_user(world.director_a1).post(
        handover_url(world.curator_a1),
        {"rows": [items[0].pk], "to_user": world.coordinator_a1.pk, "_submission": str(uuid.uuid4())},
    )
    assert list(ResponsibleParty.objects.filter(item=items[0]).values_list("user__username", flat=True)) == [
        "coordinator_a1"
    ]


@pytest.mark.parametrize("whom", ["curator_b1", "outsider", "inactive", "curator_a1"])
def test_handing_over_to_someone_outside_the_school_or_inactive_is_a_russian_error(world, as_user, items, whom):
    if whom == "inactive":
        target = UserFactory(username="left", is_active=False)
        assign_role(target, Role.COORDINATOR, world.organisation_a1)
    else:
        target = world.persona(whom)
    response = as_user(world.director_a1).post(
        handover_url(world.curator_a1),
        {"rows": [items[0].pk], "to_user": target.pk, "_submission": str(uuid.uuid4())},
    )
    assert response.status_code == 200
    assert "Передать можно только активному пользователю того же места" in response.content.decode()
    assert ResponsibleParty.objects.filter(user=world.curator_a1).count() == 5


def test_a_forged_item_outside_the_list_is_a_russian_error_and_nothing_moves(world, as_user, items):
    foreign = RoadmapItemFactory(roadmap=world.roadmap_b1, number="5.1")
    answers(foreign, world.curator_a1)
    response = as_user(world.director_a1).post(
        handover_url(world.curator_a1),
        {"rows": [items[0].pk, foreign.pk], "to_user": world.coordinator_a1.pk, "_submission": str(uuid.uuid4())},
    )
    assert response.status_code == 200
    assert "Этот пункт передать нельзя" in response.content.decode()
    assert not ResponsibleParty.objects.filter(user=world.coordinator_a1).exists()


def test_the_service_refuses_items_of_a_roadmap_the_actor_does_not_keep(world, items):
    from django.core.exceptions import PermissionDenied

    from roadmaps.services import responsible_transfer

    with pytest.raises(PermissionDenied):
        responsible_transfer(
            actor=world.officer_a, user=world.curator_a1, to_user=world.coordinator_a1, pks=[items[0].pk]
        )
    assert ResponsibleParty.objects.get(item=items[0]).user == world.curator_a1


def test_the_pairs_duty_has_no_bulk_page_and_an_unknown_duty_answers_404(world, as_user):
    client = as_user(world.director_a1)
    assert client.get(reverse("accounts:user_handover", args=[world.curator_a1.pk, "mentor-pairs"])).status_code == 404
    assert client.get(reverse("accounts:user_handover", args=[world.curator_a1.pk, "nothing"])).status_code == 404


def test_the_card_costs_the_same_queries_for_few_and_many_items(world, as_user, items, django_assert_num_queries):
    def more() -> None:
        for n in range(12):
            answers(RoadmapItemFactory(roadmap=world.roadmap_a1, number=f"3.{n}"), world.curator_a1)
            answers(RoadmapItemFactory(roadmap=world.roadmap_a2, number=f"3.{n}"), world.curator_a1)

    response = assert_queries_do_not_grow(
        as_user(world.director_a1), card(world.curator_a1), more, django_assert_num_queries
    )
    assert len(duty_rows(response)) == 3 + 12
