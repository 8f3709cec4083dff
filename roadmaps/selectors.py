"""Reads of roadmaps, always through ``restrict(user, action)``, with their joins made.

«Просрочено» is never stored: an activity is overdue when it is not done, its due date has
passed and its deadline is not waiting for a person to fix it (an unclear deadline has no date
to be late against). ``overdue_q`` says it once for the database, ``item_is_overdue`` for an
item already in memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.urls import reverse
from django.utils import timezone

from accounts.handover import Row
from accounts.selectors import place_label
from mentorship import access
from mentorship.models import Organisation, RoleAssignment

from .choices import ItemKind, ItemStatus, RoadmapEventKind, RoadmapStatus
from .models import ItemEvidence, ResponsibleParty, Roadmap, RoadmapEvent, RoadmapItem


def overdue_q(today: date, prefix: str = "") -> Q:
    """The activities overdue on ``today`` (``prefix`` for a lookup through a relation)."""
    return Q(
        **{
            f"{prefix}kind": ItemKind.ACTIVITY,
            f"{prefix}deadline_due__lt": today,
            f"{prefix}deadline_needs_review": False,
        }
    ) & ~Q(**{f"{prefix}status": ItemStatus.DONE})


def item_is_overdue(item: RoadmapItem, today: date) -> bool:
    """The same rule as ``overdue_q``, for one item in memory."""
    return (
        item.kind == ItemKind.ACTIVITY
        and item.status != ItemStatus.DONE
        and item.deadline_due is not None
        and item.deadline_due < today
        and not item.deadline_needs_review
    )


def with_overdue(items: QuerySet[RoadmapItem], today: date) -> QuerySet[RoadmapItem]:
    """Annotate ``is_overdue`` on each item."""
    return items.annotate(
        is_overdue=Case(When(overdue_q(today), then=Value(True)), default=Value(False), output_field=BooleanField())
    )


def _count(queryset: QuerySet) -> Subquery:
    """A correlated ``COUNT(*)`` of ``queryset``, already filtered on an ``OuterRef``."""
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Subquery(counted, output_field=IntegerField())


# --- roadmaps -----------------------------------------------------------------------------------


def roadmap_list(*, user: Any) -> QuerySet[Roadmap]:
    """The roadmaps the user may see, with their place, item counts and revision number."""
    activities = RoadmapItem.objects.filter(roadmap=OuterRef("pk"), kind=ItemKind.ACTIVITY)
    return (
        Roadmap.objects.restrict(user, "view")
        .select_related("region", "municipality__region", "organisation__municipality__region")
        .annotate(
            activity_count=_count(activities),
            done_count=_count(activities.filter(status=ItemStatus.DONE)),
            revision=_count(RoadmapEvent.objects.filter(roadmap=OuterRef("pk"), kind=RoadmapEventKind.REVISED)) + 1,
        )
    )


def roadmap_events(*, user: Any, roadmap: Roadmap) -> QuerySet[RoadmapEvent]:
    """The approval history of a roadmap the user may see (empty otherwise), oldest first."""
    visible = Roadmap.objects.restrict(user, "view").filter(pk=roadmap.pk).values("pk")
    return RoadmapEvent.objects.filter(roadmap__in=visible).select_related("actor").order_by("created_at", "pk")


def roadmaps_awaiting_approval(*, user: Any) -> QuerySet[Roadmap]:
    """Submitted roadmaps waiting for this user's decision, oldest submission first.

    Only those of the level directly below the user's approving roles: a municipal officer's
    schools, a regional coordinator's municipalities (see ``services.roadmap_ensure_approver``).
    """
    qs = Roadmap.objects.restrict(user, "approve").filter(status=RoadmapStatus.SUBMITTED)
    below = access.directly_below_q(
        user, access.permission_name(Roadmap, "approve"), organisation="organisation", municipality="municipality"
    )
    if below is not None:
        qs = qs.filter(below)
    return qs.select_related("region", "municipality__region", "organisation__municipality").order_by(
        "submitted_at", "pk"
    )


# --- items --------------------------------------------------------------------------------------


def roadmap_items(*, user: Any, roadmap: Roadmap, today: date | None = None) -> QuerySet[RoadmapItem]:
    """A roadmap's items in document order, ready for the table: a fixed number of queries.

    Each item carries its responsible parties (with users and bodies), its evidence, the number
    of its sub-items and of the organisations it was passed down to, and ``is_overdue``.
    """
    today = today or timezone.localdate()
    items = (
        RoadmapItem.objects.restrict(user, "view")
        .filter(roadmap=roadmap)
        .select_related("cascaded_from__roadmap")
        .prefetch_related(
            Prefetch("responsible", queryset=ResponsibleParty.objects.select_related("user", "body")),
            Prefetch("evidence", queryset=ItemEvidence.objects.select_related("added_by")),
        )
        .annotate(
            children_count=_count(RoadmapItem.objects.filter(parent=OuterRef("pk"))),
            cascaded_count=_count(RoadmapItem.objects.filter(cascaded_from=OuterRef("pk"))),
        )
        .order_by("sort_key", "position", "pk")
    )
    return with_overdue(items, today)


def my_tasks(*, user: Any, today: date | None = None) -> QuerySet[RoadmapItem]:
    """«Мои задачи»: open activities the user answers for, soonest deadline first, overdue marked.

    The user answers for an item when they are its responsible user, or when a responsible
    party names a role (or a body acting through a role: «УО» → the municipal officer) that the
    user holds at the roadmap's place or at a place under it: «Руководители ОО» in a school's
    roadmap is its director, in a municipal roadmap every director of the municipality. An item
    passed down to the user's own school shows as the school's linked item, not twice. Items
    without a date come last.
    """
    today = today or timezone.localdate()
    assignments = list(access.assignments_of(user))
    answers = Q(user_id=user.pk) if user.is_authenticated else Q(pk__in=[])
    own_organisations = []
    for assignment in assignments:
        answers |= Q(role=assignment.role) & _roadmap_at_or_above(assignment)
        if assignment.organisation_id:
            own_organisations.append(assignment.organisation_id)
    responsible = ResponsibleParty.objects.filter(answers, item=OuterRef("pk"))
    passed_to_me = RoadmapItem.objects.filter(
        cascaded_from=OuterRef("pk"), roadmap__organisation_id__in=own_organisations
    )
    items = (
        RoadmapItem.objects.restrict(user, "view")
        .filter(Exists(responsible), kind=ItemKind.ACTIVITY)
        .exclude(status=ItemStatus.DONE)
        .exclude(Exists(passed_to_me))
        .select_related("roadmap__region", "roadmap__municipality", "roadmap__organisation")
        .prefetch_related("responsible")
        .order_by(F("deadline_due").asc(nulls_last=True), "roadmap_id", "sort_key", "position")
    )
    return with_overdue(items, today)


def _roadmap_at_or_above(assignment: RoleAssignment) -> Q:
    """Responsible parties (lookups from ResponsibleParty) on roadmaps of the assignment's place or above it."""
    if assignment.organisation_id:
        municipality = assignment.organisation.municipality
        return (
            Q(item__roadmap__organisation_id=assignment.organisation_id)
            | Q(item__roadmap__municipality_id=municipality.pk)
            | Q(item__roadmap__region_id=municipality.region_id)
        )
    if assignment.municipality_id:
        return Q(item__roadmap__municipality_id=assignment.municipality_id) | Q(
            item__roadmap__region_id=assignment.municipality.region_id
        )
    return Q(item__roadmap__region_id=assignment.region_id)


# --- cascade ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CascadeProgress:
    """How an item passed down to organisations is going: done of total, and which are late."""

    done: int
    total: int
    late: list[RoadmapItem]


def cascade_children(*, user: Any, item: RoadmapItem, today: date | None = None) -> QuerySet[RoadmapItem]:
    """The linked items of the organisations ``item`` was passed to, as far as the user may see them."""
    today = today or timezone.localdate()
    children = (
        RoadmapItem.objects.restrict(user, "view")
        .filter(cascaded_from=item)
        .select_related("roadmap__organisation")
        .order_by("roadmap__organisation__short_name", "pk")
    )
    return with_overdue(children, today)


def cascade_progress(*, user: Any, item: RoadmapItem, today: date | None = None) -> CascadeProgress:
    """Live progress of a passed-down item: two queries whatever the number of organisations."""
    today = today or timezone.localdate()
    children = RoadmapItem.objects.restrict(user, "view").filter(cascaded_from=item)
    counts = children.aggregate(total=Count("pk"), done=Count("pk", filter=Q(status=ItemStatus.DONE)))
    late = list(
        children.filter(overdue_q(today))
        .select_related("roadmap__organisation")
        .order_by("deadline_due", "roadmap__organisation__short_name")
    )
    return CascadeProgress(done=counts["done"], total=counts["total"], late=late)


def cascade_targets(*, user: Any, item: RoadmapItem) -> QuerySet[Organisation]:
    """The organisations ``item`` may be passed down to: active, in scope, below its roadmap's place."""
    roadmap = item.roadmap
    below = Organisation.objects.restrict(user, "view").filter(is_active=True).select_related("municipality")
    if roadmap.municipality_id:
        return below.filter(municipality_id=roadmap.municipality_id).order_by("short_name")
    return below.filter(municipality__region_id=roadmap.region_id).order_by("municipality__name", "short_name")


# --- handover (the user's card in accounts) -------------------------------------------------------


def kept_items_q(user: Any) -> Q | None:
    """The items of the roadmaps kept AT the places where ``user`` keeps roadmaps (``None``: everywhere).

    The level above sees and approves a roadmap but does not change it (``services.roadmap_ensure_keeper``).
    """
    places = access.places_where(user, access.permission_name(Roadmap, "change"))
    if places is None:
        return None
    q = Q(pk__in=[])
    for level, subquery in places.items():
        q |= Q(**{f"roadmap__{level.value}__in": subquery})
    return q


def items_answered(user: Any, viewer: Any) -> list[Row]:
    """The unfinished roadmap items ``user`` is the responsible person of, those the viewer sees (two queries).

    Each may be handed over in bulk («Передать другому», ``services.responsible_transfer``) where
    the viewer keeps its roadmap; the link leads to the item's form, or to its roadmap otherwise.
    """
    items = list(
        RoadmapItem.objects.restrict(viewer, "view")
        .filter(pk__in=ResponsibleParty.objects.filter(user_id=user.pk).values("item_id"))
        .exclude(status=ItemStatus.DONE)
        .select_related("roadmap__region", "roadmap__municipality", "roadmap__organisation__municipality")
        .order_by("roadmap__title", "roadmap_id", "sort_key", "position", "pk")
    )
    kept = RoadmapItem.objects.restrict(viewer, "change").filter(pk__in=[item.pk for item in items])
    kept_q = kept_items_q(viewer)
    keepable = set((kept if kept_q is None else kept.filter(kept_q)).values_list("pk", flat=True)) if items else set()
    return [
        Row(
            pk=item.pk,
            label=f"{item} ({item.roadmap.title})",
            url=reverse("roadmaps:item_edit", args=[item.pk])
            if item.pk in keepable
            else reverse("roadmaps:detail", args=[item.roadmap_id]),
            place=place_label(item.roadmap.place),
            note=item.get_status_display(),
            transferable=item.pk in keepable,
        )
        for item in items
    ]
