"""factory_boy factories for roadmaps, and the personas' world with a roadmap at every level."""

from __future__ import annotations

from datetime import date

import factory
from factory.django import DjangoModelFactory

from mentorship.tests.factories import OrganisationFactory, World, build_world
from roadmaps import services
from roadmaps.choices import ItemKind, ItemStatus, ResponsibleKind, RoadmapStatus
from roadmaps.models import ResponsibleParty, Roadmap, RoadmapItem

PERIOD = {"period_start": date(2024, 1, 1), "period_end": date(2025, 12, 31)}


class RoadmapFactory(DjangoModelFactory):
    """A school's draft roadmap for 2024–2025 by default; pass ``municipality=`` or ``region=`` instead."""

    class Meta:
        model = Roadmap

    organisation = factory.LazyAttribute(
        lambda o: OrganisationFactory() if o.municipality is None and o.region is None else None
    )
    municipality = None
    region = None
    title = factory.Sequence(lambda n: f"Дорожная карта внедрения целевой модели наставничества № {n}")
    period_start = PERIOD["period_start"]
    period_end = PERIOD["period_end"]
    status = RoadmapStatus.DRAFT


class RoadmapItemFactory(DjangoModelFactory):
    """An activity with no deadline; set ``deadline_due`` for a dated one (or create it through the service)."""

    class Meta:
        model = RoadmapItem

    roadmap = factory.SubFactory(RoadmapFactory)
    kind = ItemKind.ACTIVITY
    number = factory.Sequence(lambda n: f"{n + 1}.")
    title = factory.Sequence(lambda n: f"Мероприятие № {n}")
    status = ItemStatus.NOT_STARTED


class ResponsiblePartyFactory(DjangoModelFactory):
    class Meta:
        model = ResponsibleParty

    item = factory.SubFactory(RoadmapItemFactory)
    kind = ResponsibleKind.ROLE
    name = "Руководители ОО"
    role = ""


def add_item(actor, roadmap, number: str, deadline: str = "", responsible: str = "", **data) -> RoadmapItem:
    """An activity «Мероприятие <number>» added through the item form's service (deadline parsed, parties named)."""
    return services.roadmap_item_create(
        actor=actor,
        roadmap=roadmap,
        data={
            "number": number,
            "title": f"Мероприятие {number}",
            "deadline_text": deadline,
            "responsible_text": responsible,
            **data,
        },
    )


def build_roadmap_world() -> World:
    """The mentorship world (``build_world``) plus a draft roadmap at every place that matters:
    schools A1, A2, B1, C1; municipalities A and B; region R. Each school's has a section «1.» and
    an activity «1.1»."""
    world = build_world()
    o = world.objects
    for key, place in (
        ("roadmap_a1", {"organisation": o["organisation_a1"]}),
        ("roadmap_a2", {"organisation": o["organisation_a2"]}),
        ("roadmap_b1", {"organisation": o["organisation_b1"]}),
        ("roadmap_c1", {"organisation": o["organisation_c1"]}),
        ("roadmap_a", {"municipality": o["municipality_a"]}),
        ("roadmap_b", {"municipality": o["municipality_b"]}),
        ("roadmap_r", {"region": o["region_r"]}),
    ):
        o[key] = RoadmapFactory(title=f"Дорожная карта ({key})", **place)
    for key in ("roadmap_a1", "roadmap_a2", "roadmap_b1", "roadmap_c1"):
        section = RoadmapItemFactory(roadmap=o[key], kind=ItemKind.SECTION, number="1.", title="Нормативная база")
        o[f"{key}_item"] = RoadmapItemFactory(
            roadmap=o[key], parent=section, number="1.1", title="Положение о наставничестве"
        )
    return world
