"""The core's ``status_transition``, tested on roadmaps: the core has no concrete event model of its own."""

from __future__ import annotations

import pytest
from django.db import transaction

from mentorship.errors import DomainError
from mentorship.workflow import status_transition
from roadmaps.choices import RoadmapEventKind, RoadmapStatus
from roadmaps.models import Roadmap, RoadmapEvent

pytestmark = pytest.mark.django_db


def approve(roadmap: Roadmap, actor, seen: list) -> Roadmap:
    def refused(current: str | None) -> str:
        seen.append(current)
        return "Дорожная карта сейчас в другом статусе."

    with transaction.atomic():
        return status_transition(
            roadmap,
            allowed=(RoadmapStatus.SUBMITTED,),
            new=RoadmapStatus.APPROVED,
            event_model=RoadmapEvent,
            kind=RoadmapEventKind.APPROVED,
            actor=actor,
            refused=refused,
            comment="Согласовано",
        )


def test_a_stale_status_is_refused_with_the_callers_message_and_writes_no_event(world):
    roadmap = world.roadmap_a1
    roadmap.status = RoadmapStatus.SUBMITTED  # what a stale page still shows; the row is a draft
    seen: list = []
    with pytest.raises(DomainError) as refusal:
        approve(roadmap, world.officer_a, seen)
    assert refusal.value.message == "Дорожная карта сейчас в другом статусе."
    assert seen == [RoadmapStatus.DRAFT]
    assert Roadmap.objects.get(pk=roadmap.pk).status == RoadmapStatus.DRAFT
    assert not RoadmapEvent.objects.filter(roadmap=roadmap).exists()
    assert roadmap.status == RoadmapStatus.DRAFT  # re-read, so a page shown again tells the truth


def test_a_refusal_caught_by_the_caller_leaves_its_transaction_usable(world):
    with transaction.atomic():
        with pytest.raises(DomainError):
            status_transition(
                world.roadmap_a1,
                allowed=(RoadmapStatus.SUBMITTED,),
                new=RoadmapStatus.APPROVED,
                event_model=RoadmapEvent,
                kind=RoadmapEventKind.APPROVED,
                actor=world.officer_a,
                refused=lambda current: "Нельзя.",
            )
        assert Roadmap.objects.filter(pk=world.roadmap_a1.pk).exists()


def test_a_roadmap_gone_meanwhile_is_refused_as_missing(world):
    roadmap = world.roadmap_a1
    Roadmap.objects.filter(pk=roadmap.pk).delete()
    seen: list = []
    with pytest.raises(DomainError):
        approve(roadmap, world.officer_a, seen)
    assert seen == [None]


def test_a_transition_moves_the_status_writes_one_event_and_its_history_and_returns_the_fresh_object(world):
    roadmap = world.roadmap_a1
    Roadmap.objects.filter(pk=roadmap.pk).update(status=RoadmapStatus.SUBMITTED)
    before = Roadmap.objects.get(pk=roadmap.pk)
    seen: list = []
    returned = approve(roadmap, world.officer_a, seen)
    assert seen == []
    assert returned is roadmap
    assert roadmap.status == RoadmapStatus.APPROVED
    assert roadmap.updated_at > before.updated_at
    event = RoadmapEvent.objects.get(roadmap=roadmap)
    assert (event.kind, event.actor, event.comment) == (RoadmapEventKind.APPROVED, world.officer_a, "Согласовано")
    assert roadmap.history.first().status == RoadmapStatus.APPROVED
