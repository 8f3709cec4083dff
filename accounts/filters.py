"""The filters of «Пользователи»: role, municipality and school (where the viewer reaches more than one), active."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet

from mentorship import access
from mentorship.choices import Role
from mentorship.filters import ScopedFilterSet
from mentorship.models import Municipality, Organisation, RoleAssignment, User
from mentorship.selectors import place_label

#: the permission whose places bound the filters' choices: where the viewer sees who holds roles
VIEW_ROLES = "mentorship.view_roleassignment"


class UserFilter(ScopedFilterSet):
    """Role, municipality and school narrow one assignment together: «curators of Гимназия № 3»."""

    role = django_filters.ChoiceFilter(choices=Role.choices, label="Роль", empty_label="Все роли", method="by_role")
    municipality = django_filters.ModelChoiceFilter(
        queryset=Municipality.objects.all(), label="Муниципалитет", empty_label="Все муниципалитеты", method="by_role"
    )
    organisation = django_filters.ModelChoiceFilter(
        queryset=Organisation.objects.all(), label="Организация", empty_label="Все организации", method="by_role"
    )
    is_active = django_filters.BooleanFilter(
        label="Учётная запись",
        widget=forms.Select(choices=[("", "Все"), ("true", "Действует"), ("false", "Отключена")]),
    )

    class Meta:
        model = User
        fields = ["role", "municipality", "organisation", "is_active"]

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        user = request.user
        municipalities = access.municipalities_where(user, VIEW_ROLES).order_by("name", "pk")
        schools = (
            access.organisations_where(user, VIEW_ROLES)
            .select_related("municipality")
            .order_by("municipality__name", "short_name", "pk")
        )
        fields = self.form.fields
        fields["municipality"].queryset = municipalities
        fields["organisation"].queryset = schools
        fields["organisation"].label_from_instance = place_label
        # A filter with a single choice narrows nothing: a director's list has no school to pick.
        reach = access.holdings(user, VIEW_ROLES)
        if not (reach.everywhere or reach.regions):
            del fields["municipality"]
            if not reach.municipalities:
                del fields["organisation"]

    def by_role(self, queryset: QuerySet[User], name: str, value: Any) -> QuerySet[User]:
        # Applied once for all three in ``filter_queryset``.
        return queryset

    def filter_queryset(self, queryset: QuerySet[User]) -> QuerySet[User]:
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        narrowing = Q()
        if data.get("role"):
            narrowing &= Q(role=data["role"])
        if data.get("municipality"):
            municipality = data["municipality"]
            narrowing &= Q(municipality=municipality) | Q(organisation__municipality=municipality)
        if data.get("organisation"):
            narrowing &= Q(organisation=data["organisation"])
        if not narrowing:
            return queryset
        assignments = RoleAssignment.objects.restrict(self.request.user, "view").filter(narrowing)
        return queryset.filter(pk__in=assignments.values("user_id"))
