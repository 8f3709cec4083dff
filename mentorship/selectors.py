"""Reads of the hierarchy, always through the scoping queryset."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from .models import Body, Municipality, Organisation, Partner, Region, RoleAssignment


def region_list(*, user: Any) -> QuerySet[Region]:
    visible_municipalities = Municipality.objects.restrict(user, "view").values("pk")
    visible_organisations = Organisation.objects.restrict(user, "view").values("pk")
    return (
        Region.objects.restrict(user, "view")
        .order_by("name")
        .annotate(
            municipality_count=Count(
                "municipalities", filter=Q(municipalities__in=visible_municipalities), distinct=True
            ),
            organisation_count=Count(
                "municipalities__organisations",
                filter=Q(municipalities__organisations__in=visible_organisations),
                distinct=True,
            ),
        )
    )


def municipality_list(*, user: Any, region: Region | None = None) -> QuerySet[Municipality]:
    visible_organisations = Organisation.objects.restrict(user, "view").values("pk")
    qs = Municipality.objects.restrict(user, "view").select_related("region")
    if region is not None:
        qs = qs.filter(region=region)
    return qs.annotate(
        organisation_count=Count("organisations", filter=Q(organisations__in=visible_organisations)),
        students_total=Sum("organisations__students_count", filter=Q(organisations__in=visible_organisations)),
    )


def organisation_list(*, user: Any) -> QuerySet[Organisation]:
    return Organisation.objects.restrict(user, "view").select_related("municipality__region")


def body_list(*, user: Any) -> QuerySet[Body]:
    return Body.objects.restrict(user, "view").select_related("region", "municipality")


def partner_list(*, user: Any) -> QuerySet[Partner]:
    return Partner.objects.restrict(user, "view").select_related("region", "municipality")


def role_assignment_list(*, user: Any) -> QuerySet[RoleAssignment]:
    return RoleAssignment.objects.restrict(user, "view").select_related(
        "user", "region", "municipality__region", "organisation__municipality__region"
    )
