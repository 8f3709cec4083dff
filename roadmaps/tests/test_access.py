"""Who sees, keeps and approves which roadmaps: ``restrict`` per persona, and the selectors built on it."""

from __future__ import annotations

import pytest

from mentorship import access
from roadmaps import selectors
from roadmaps.models import Roadmap, RoadmapItem

pytestmark = pytest.mark.django_db

SCHOOLS_OF_R = {"roadmap_a1", "roadmap_a2", "roadmap_b1"}
ALL_OF_R = SCHOOLS_OF_R | {"roadmap_a", "roadmap_b", "roadmap_r"}


def keys(world, queryset) -> set[str]:
    """The world's names of the roadmaps a queryset yields."""
    names = {obj.pk: key for key, obj in world.objects.items() if isinstance(obj, Roadmap)}
    return {names[pk] for pk in queryset.values_list("pk", flat=True)}


def visible(world, persona: str, action: str = "view") -> set[str]:
    return keys(world, Roadmap.objects.restrict(world.persona(persona), action))


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        # A school sees its own roadmap and the ones above it, never a neighbour's.
        ("curator_a1", {"roadmap_a1", "roadmap_a", "roadmap_r"}),
        ("director_a1", {"roadmap_a1", "roadmap_a", "roadmap_r"}),
        ("mentor_a1", {"roadmap_a1", "roadmap_a", "roadmap_r"}),
        ("curator_b1", {"roadmap_b1", "roadmap_b", "roadmap_r"}),
        # A municipality sees its schools', its own and the region's.
        ("officer_a", {"roadmap_a1", "roadmap_a2", "roadmap_a", "roadmap_r"}),
        ("observer_a", {"roadmap_a1", "roadmap_a2", "roadmap_a", "roadmap_r"}),
        ("officer_b", {"roadmap_b1", "roadmap_b", "roadmap_r"}),
        # The region sees everything in it, nothing of another region.
        ("regional_coordinator", ALL_OF_R),
        ("regional_observer", ALL_OF_R),
        ("outsider", set()),
        ("anonymous", set()),
    ],
)
def test_who_sees_which_roadmaps(world, persona, expected):
    assert visible(world, persona) == expected
    assert keys(world, selectors.roadmap_list(user=world.persona(persona))) == expected


def test_the_administrator_sees_every_roadmap(world):
    assert visible(world, "superuser") == ALL_OF_R | {"roadmap_c1"}


def test_curator_cannot_see_another_schools_roadmap_or_its_items(world):
    assert not access.can(world.curator_a1, world.roadmap_b1, "view")
    assert not RoadmapItem.objects.restrict(world.curator_a1, "view").filter(roadmap=world.roadmap_b1).exists()


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("curator_a1", {"roadmap_a1"}),
        ("coordinator_a1", {"roadmap_a1"}),
        ("mentor_a1", set()),
        ("observer_a", set()),
        ("regional_observer", set()),
        ("officer_a", {"roadmap_a1", "roadmap_a2", "roadmap_a"}),
        ("regional_coordinator", ALL_OF_R),
    ],
)
def test_change_scope_reaches_down_but_not_up(world, persona, expected):
    # The services narrow «change» further to the roadmap's own level (see test_services).
    assert visible(world, persona, "change") == expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("curator_a1", set()),
        ("director_a1", set()),
        ("officer_a", {"roadmap_a1", "roadmap_a2", "roadmap_a"}),
        ("officer_b", {"roadmap_b1", "roadmap_b"}),
        ("regional_coordinator", ALL_OF_R),
        ("regional_observer", set()),
    ],
)
def test_approve_scope(world, persona, expected):
    # Own-level roadmaps are in the scope; the services refuse them (nobody approves their own).
    assert visible(world, persona, "approve") == expected


def test_items_are_visible_exactly_where_their_roadmap_is(world):
    for persona in ("curator_a1", "officer_b", "regional_coordinator", "outsider"):
        user = world.persona(persona)
        item_roadmaps = set(RoadmapItem.objects.restrict(user, "view").values_list("roadmap_id", flat=True))
        roadmaps_with_items = set(
            Roadmap.objects.restrict(user, "view").filter(items__isnull=False).values_list("pk", flat=True)
        )
        assert item_roadmaps == roadmaps_with_items, persona
