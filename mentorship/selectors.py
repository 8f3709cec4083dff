"""Reads of the hierarchy, always through the scoping queryset."""

from __future__ import annotations

from typing import Any

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet, Sum

from .models import Body, Municipality, Organisation, Partner, Region, RoleAssignment


def place_label(place: Any) -> str:
    """A place as pages, letters and the log name it: a school with its municipality, so that
    «Гимназия № 3» is unambiguous («МОБУ СОШ с. Булгаково (Уфимский район)»). Select the municipality."""
    if place is None:
        return ""
    if isinstance(place, Organisation):
        return f"{place} ({place.municipality.name})"
    return str(place)


def _figures_shown(model: type[Region] | type[Municipality], user: Any) -> Q:
    """The rows whose figures the reader may see: their own place and below, not the places above.

    A place above the reader is seen by name only (``mentorship/roles.py``): the "history"
    action reaches only downward, so it draws the same line for the counts.
    """
    return Q(pk__in=model.objects.restrict(user, "history").values("pk"))


def region_list(*, user: Any) -> QuerySet[Region]:
    visible_municipalities = Municipality.objects.restrict(user, "view").values("pk")
    visible_organisations = Organisation.objects.restrict(user, "view").values("pk")
    shown = _figures_shown(Region, user)
    return (
        Region.objects.restrict(user, "view")
        .order_by("name")
        .annotate(
            figures_shown=ExpressionWrapper(shown, output_field=BooleanField()),
            municipality_count=Count(
                "municipalities", filter=shown & Q(municipalities__in=visible_municipalities), distinct=True
            ),
            organisation_count=Count(
                "municipalities__organisations",
                filter=shown & Q(municipalities__organisations__in=visible_organisations),
                distinct=True,
            ),
        )
    )


def municipality_list(*, user: Any, region: Region | None = None) -> QuerySet[Municipality]:
    visible_organisations = Organisation.objects.restrict(user, "view").values("pk")
    qs = Municipality.objects.restrict(user, "view").select_related("region")
    if region is not None:
        qs = qs.filter(region=region)
    shown = _figures_shown(Municipality, user)
    return qs.annotate(
        figures_shown=ExpressionWrapper(shown, output_field=BooleanField()),
        organisation_count=Count("organisations", filter=shown & Q(organisations__in=visible_organisations)),
        students_total=Sum("organisations__students_count", filter=shown & Q(organisations__in=visible_organisations)),
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
