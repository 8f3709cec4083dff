"""Children in the base views: a child found through its restricted parent (``get_child_object``),
and the children a detail page lists, restricted to the reader (``RestrictedPrefetch``).

The expected answers are written out by hand for the participants' world.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse
from django.views import View
from guardian.shortcuts import assign_perm

from mentorship.views.generic import RestrictedPrefetch, ScopedMixin
from participants.choices import BaseRole
from participants.models import Consent, PairMember, Person

from .factories import ConsentFactory, PairFactory, enrolled


class ChildView(ScopedMixin, View):
    pass


def child(user: Any, pk: int, queryset: Any = None, action: str = "view") -> PairMember:
    view = ChildView()
    view.request = RequestFactory().get("/")
    view.request.user = user
    view.kwargs = {"pk": pk}
    return view.get_child_object(
        queryset if queryset is not None else PairMember.objects.all(), via="pair", action=action
    )


@pytest.fixture
def pairs(world):
    o = world.objects
    first = PairFactory(programme=o["programme_a1"], mentors=[o["mentor_a1_person"]], mentees=[o["mentee_a1_person"]])
    second = PairFactory(programme=o["programme_a1"], mentees=[o["mentee_a1_second"]])
    return first, second


def test_a_child_is_found_through_its_visible_parent_and_changed_where_the_parent_may_be(world, pairs):
    member = pairs[0].members.get(role=BaseRole.MENTEE)
    assert child(world.curator_a1, member.pk, action="change") == member
    assert child(world.observer_a, member.pk) == member


def test_a_child_of_a_parent_out_of_sight_is_not_found(world, pairs):
    member = pairs[0].members.get(role=BaseRole.MENTEE)
    for user in (world.curator_b1, world.officer_b, world.outsider):
        with pytest.raises(Http404):
            child(user, member.pk)


def test_changing_a_child_of_a_parent_one_may_only_see_is_refused(world, pairs):
    member = pairs[0].members.get(role=BaseRole.MENTEE)
    for user in (world.observer_a, world.officer_a, world.regional_observer):
        with pytest.raises(PermissionDenied):
            child(user, member.pk, action="change")


def test_a_child_of_another_parent_is_not_found_under_this_one_even_with_a_right_pk(world, pairs):
    first, second = pairs
    member_of_first = first.members.get(role=BaseRole.MENTEE)
    with pytest.raises(Http404):
        child(world.curator_a1, member_of_first.pk, queryset=PairMember.objects.filter(pair=second))
    assert (
        child(world.curator_a1, member_of_first.pk, queryset=PairMember.objects.filter(pair=first)) == member_of_first
    )


def test_parent_visible_means_child_visible_for_a_pair_granted_one_by_one(world, pairs):
    # The mentor's role grants nothing scope-wide: they see their pair through guardian only, and its
    # members through the pair (the members' own restriction would hide them).
    first = pairs[0]
    assign_perm("participants.view_pair", world.mentor_a1, first)
    member = first.members.get(role=BaseRole.MENTEE)
    assert not PairMember.objects.restrict(world.mentor_a1, "view").filter(pk=member.pk).exists()
    assert child(world.mentor_a1, member.pk) == member
    with pytest.raises(PermissionDenied):
        child(world.mentor_a1, member.pk, action="change")


def test_a_restricted_prefetch_keeps_only_the_children_the_reader_may_see(world):
    person = enrolled(organisation=world.organisation_a1, surname="Переведённый", name="Пётр")
    # Kept by the school the person came from: B1's consent stays B1's.
    ConsentFactory(person=person, organisation=world.organisation_b1)

    def consents(user: Any) -> set[str]:
        people = Person.objects.filter(pk=person.pk).prefetch_related(
            RestrictedPrefetch("consents", user=user, queryset=Consent.objects.all())
        )
        return {consent.organisation.code for consent in people[0].consents.all()}

    assert consents(world.curator_a1) == {"A1"}
    assert consents(world.curator_b1) == {"B1"}
    assert consents(world.regional_coordinator) == {"A1", "B1"}
    assert consents(world.outsider) == set()
    # A plain Prefetch would have listed B1's consent to A1's curator.
    plain = Person.objects.filter(pk=person.pk).prefetch_related(Prefetch("consents"))
    assert {c.organisation.code for c in plain[0].consents.all()} == {"A1", "B1"}


def test_a_persons_page_lists_only_the_records_its_reader_may_see(world, client):
    person = enrolled(organisation=world.organisation_a1, surname="Переведённый", name="Пётр")
    ConsentFactory(person=person, organisation=world.organisation_b1, signer_name="Бывшая Школа Оксана")
    client.force_login(world.curator_a1)
    page = client.get(reverse("participants:person", args=[person.pk]))
    assert page.status_code == 200
    assert [c.organisation_id for c in page.context["consents"]] == [world.organisation_a1.pk]
    assert "Бывшая Школа Оксана" not in page.content.decode()
    client.force_login(world.regional_coordinator)
    page = client.get(reverse("participants:person", args=[person.pk]))
    assert {c.organisation_id for c in page.context["consents"]} == {world.organisation_a1.pk, world.organisation_b1.pk}


def test_a_persons_page_costs_a_fixed_number_of_queries(world, client, django_assert_num_queries):
    person = world.objects["mentee_a1_person"]
    PairFactory(programme=world.objects["programme_a1"], mentees=[person])
    client.force_login(world.curator_a1)
    client.get(reverse("participants:person", args=[person.pk]))  # warm the session and the menu's caches
    with django_assert_num_queries(PERSON_PAGE_QUERIES):
        assert client.get(reverse("participants:person", args=[person.pk])).status_code == 200


#: session, user, the person, its four restricted lists (entries, consents, agreements, memberships),
#: the two permitted actions (change, delete), the menu's role assignments, the unread notifications:
#: the same 11 as before the lists were prefetched through RestrictedPrefetch; then, for those who may
#: change the person, «Доступ к порталу»: the signers of the consents in force and the linked parents
PERSON_PAGE_QUERIES = 13
