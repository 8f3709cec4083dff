"""The pairs and groups a person leads as a mentor, on their card in «Пользователи», to put another
mentor in before they leave."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mentorship.tests.pins import assert_queries_do_not_grow
from participants.choices import BaseRole, PairStatus

from .factories import PairFactory, PairMemberFactory, PersonFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


def card(user) -> str:
    return reverse("accounts:user", args=[user.pk])


def pair_rows(response):
    found = [group for group in response.context["duties"] if group.duty.key == "mentor-pairs"]
    return found[0].rows if found else []


@pytest.fixture
def mentor(world):
    """The teacher mentor of school A1 with the mentor persona's account."""
    person = world.mentor_a1_person
    person.user = world.mentor_a1
    person.save()
    return person


def pair_led_by(world, person, **fields):
    """A pair of a programme of its own (a person is in one open pair per programme), with a new mentee."""
    programme = ProgrammeFactory(organisation=world.organisation_a1)
    mentee = PersonFactory(organisation=world.organisation_a1)
    return PairFactory(programme=programme, mentors=[person], mentees=[mentee], **fields)


def test_the_card_lists_the_open_pairs_the_person_leads_with_a_link_to_each(world, client_as, mentor):
    led = pair_led_by(world, mentor)
    pair_led_by(world, mentor, status=PairStatus.COMPLETED)
    # A pair where the person is a mentee is no duty of theirs.
    as_mentee = PairFactory(programme=world.programme_a1_peer)
    PairMemberFactory(pair=as_mentee, person=mentor, role=BaseRole.MENTEE)
    response = client_as(world.director_a1).get(card(world.mentor_a1))
    rows = pair_rows(response)
    assert [row.pk for row in rows] == [led.pk]
    assert rows[0].url == led.get_absolute_url()
    assert rows[0].place == "МОБУ СОШ с. Булгаково (Уфимский район)"
    assert led.get_absolute_url() in response.content.decode()


def test_a_pair_the_mentor_has_left_is_not_listed(world, client_as, mentor):
    pair = pair_led_by(world, mentor)
    pair.members.filter(person=mentor).update(left_on=pair.started_on)
    assert pair_rows(client_as(world.director_a1).get(card(world.mentor_a1))) == []


def test_the_card_costs_the_same_queries_for_few_and_many_pairs(world, client_as, mentor, django_assert_num_queries):
    pair_led_by(world, mentor)

    def more_pairs() -> None:
        for n in range(8):
            pair_led_by(world, mentor, title=f"Группа {n}")

    response = assert_queries_do_not_grow(
        client_as(world.director_a1), card(world.mentor_a1), more_pairs, django_assert_num_queries
    )
    assert len(pair_rows(response)) == 9
