"""Reads of the order register: querysets restricted to what the user may see, joins made."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from roadmaps.choices import ItemKind
from roadmaps.models import RoadmapItem

from .models import DocumentJob, Order, OrderEvent


def order_list(*, user: Any) -> QuerySet[Order]:
    """The register as the user sees it: their schools' orders, newest year and number first."""
    return Order.objects.restrict(user, "view").select_related("organisation", "organisation__municipality")


def order_detail(*, user: Any, pk: int) -> Order:
    """One order in the user's scope (404 otherwise) with its linked roadmap items."""
    orders = (
        Order.objects.restrict(user, "view")
        .select_related("organisation", "organisation__municipality__region", "roadmap", "signed_by", "created_by")
        .prefetch_related("roadmap_items__roadmap")
    )
    return get_object_or_404(orders, pk=pk)


def order_events(*, user: Any, order: Order) -> QuerySet[OrderEvent]:
    visible = Order.objects.restrict(user, "view").filter(pk=order.pk).values("pk")
    return OrderEvent.objects.filter(order__in=visible).select_related("actor").order_by("created_at", "pk")


def linkable_items(*, user: Any, order: Order) -> QuerySet[RoadmapItem]:
    """Activities of the roadmaps over the order's organisation (its own, its municipality's, its region's)
    whose result names an order, as far as the user sees them."""
    organisation = order.organisation
    return (
        RoadmapItem.objects.restrict(user, "view")
        .filter(kind=ItemKind.ACTIVITY)
        .filter(
            Q(roadmap__organisation=organisation)
            | Q(roadmap__municipality_id=organisation.municipality_id)
            | Q(roadmap__region_id=organisation.municipality.region_id)
        )
        .filter(_names_an_order())
        .exclude(pk__in=order.roadmap_items.values("pk"))
        .select_related("roadmap")
        .order_by("roadmap__title", "sort_key", "position")
    )


def my_jobs(*, user: Any) -> QuerySet[DocumentJob]:
    """The documents this user asked to be rendered in the background, newest first."""
    return DocumentJob.objects.restrict(user, "view").order_by("-created_at", "-pk")


def _names_an_order() -> Q:
    # SQLite folds case for ASCII only: spell the usual cases of «приказ» out.
    q = Q()
    for field in ("expected_result", "document_type"):
        for word in ("приказ", "Приказ", "ПРИКАЗ"):
            q |= Q(**{f"{field}__contains": word})
    return q
