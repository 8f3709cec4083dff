"""Filters of the roadmap pages: the list, a roadmap's table, «На согласовании» and «Мои задачи».

Each is a django-filter set on ``ScopedFilterSet``: choices of related records come from the
user's scope, and a value that is not one of them (a foreign roadmap's id, a date that is no
date) is a Russian error beside its field and filters nothing, never a 500.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.text import Truncator

from mentorship.choices import Level
from mentorship.filters import ScopedFilterSet
from mentorship.models import Municipality
from mentorship.search import search_q

from .choices import ItemKind, ItemStatus, RoadmapStatus
from .models import Roadmap, RoadmapItem
from .selectors import overdue_q

#: the statuses an open task can have: «Мои задачи» lists no done ones
OPEN_STATUSES = [(value, label) for value, label in ItemStatus.choices if value != ItemStatus.DONE]


class RoadmapFilter(ScopedFilterSet):
    status = django_filters.ChoiceFilter(choices=RoadmapStatus.choices, label="Статус", empty_label="Все статусы")

    class Meta:
        model = Roadmap
        fields = ["status"]


class CheckFilter(django_filters.Filter):
    """A checkbox (``?name=on``): ticked applies ``method``, unticked filters nothing."""

    field_class = forms.BooleanField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.CheckboxInput)
        super().__init__(*args, **kwargs)


class DueDateFilter(django_filters.DateFilter):
    """A bound of the deadline's due date, picked in the browser's date field (ISO in the address)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("field_name", "deadline_due")
        kwargs.setdefault("widget", forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
        super().__init__(*args, **kwargs)


class OverdueMixin:
    """``?overdue=on``: only the activities overdue on the set's ``today``."""

    def __init__(self, *args: Any, today: date | None = None, **kwargs: Any) -> None:
        self.today = today or timezone.localdate()
        super().__init__(*args, **kwargs)

    def filter_overdue(self, queryset: QuerySet[RoadmapItem], name: str, value: bool) -> QuerySet[RoadmapItem]:
        return queryset.filter(overdue_q(self.today)) if value else queryset


class ItemFilter(OverdueMixin, ScopedFilterSet):
    """The table of one roadmap (``?status=``, ``?responsible=``, ``?overdue=on``).

    Once a filter narrows the table, it lists activities only: a section heading with none of its
    activities under it would say nothing.
    """

    status = django_filters.ChoiceFilter(choices=ItemStatus.choices, label="Статус", empty_label="Все")
    responsible = django_filters.CharFilter(
        label="Ответственный",
        method="filter_responsible",
        max_length=200,
        widget=forms.SearchInput(attrs={"placeholder": "ИРО, куратор, Иванова"}),
    )
    overdue = CheckFilter(label="Только просроченные", method="filter_overdue")

    class Meta:
        model = RoadmapItem
        fields = ["status", "responsible", "overdue"]

    def filter_responsible(self, queryset: QuerySet[RoadmapItem], name: str, value: str) -> QuerySet[RoadmapItem]:
        return queryset.filter(search_q(("responsible_text",), value))

    @property
    def narrows(self) -> bool:
        """Some filter holds a valid value: the table then lists the activities that match."""
        if not self.is_bound:
            return False
        self.form.is_valid()  # cleaned_data keeps the valid values only
        return any(self.form.cleaned_data.values())

    def filter_queryset(self, queryset: QuerySet[RoadmapItem]) -> QuerySet[RoadmapItem]:
        queryset = super().filter_queryset(queryset)
        return queryset.filter(kind=ItemKind.ACTIVITY) if self.narrows else queryset


class AwaitingFilter(ScopedFilterSet):
    """«На согласовании»: whose roadmap (a school's or a municipality's) and in which municipality."""

    level = django_filters.ChoiceFilter(
        choices=[(Level.ORGANISATION, "Образовательных организаций"), (Level.MUNICIPALITY, "Муниципалитетов")],
        label="Чьи",
        empty_label="Все",
        method="filter_level",
    )
    municipality = django_filters.ModelChoiceFilter(
        queryset=Municipality.objects.order_by("name"),
        label="Муниципалитет",
        empty_label="Все муниципалитеты",
        method="filter_municipality",
    )

    class Meta:
        model = Roadmap
        fields = ["level", "municipality"]

    def filter_level(self, queryset: QuerySet[Roadmap], name: str, value: str) -> QuerySet[Roadmap]:
        return queryset.filter(**{f"{value}__isnull": False})

    def filter_municipality(self, queryset: QuerySet[Roadmap], name: str, value: Municipality) -> QuerySet[Roadmap]:
        return queryset.filter(Q(municipality=value) | Q(organisation__municipality=value))


class MyTaskFilter(OverdueMixin, ScopedFilterSet):
    """«Мои задачи»: by status, overdue only, the due date's period and the roadmap.

    The roadmaps offered are those the user has open tasks in, read in one query whatever the
    number of tasks.
    """

    status = django_filters.ChoiceFilter(choices=OPEN_STATUSES, label="Статус", empty_label="Все")
    due_from = DueDateFilter(lookup_expr="gte", label="Срок не раньше")
    due_to = DueDateFilter(lookup_expr="lte", label="Срок не позже")
    roadmap = django_filters.ModelChoiceFilter(
        queryset=Roadmap.objects.all(), label="Дорожная карта", empty_label="Все дорожные карты"
    )
    overdue = CheckFilter(label="Только просроченные", method="filter_overdue")

    class Meta:
        model = RoadmapItem
        fields = ["status", "due_from", "due_to", "roadmap", "overdue"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The choices: the roadmaps of the tasks listed, within the scope (restricted above).
        field = self.form.fields["roadmap"]
        field.queryset = (
            field.queryset.filter(pk__in=self.queryset.values("roadmap_id"))
            .select_related("region", "municipality", "organisation")
            .order_by("title", "pk")
        )
        field.label_from_instance = roadmap_label


def roadmap_label(roadmap: Roadmap) -> str:
    """A roadmap in a select: its title, shortened, and whose it is (titles repeat from place to place)."""
    return f"{Truncator(roadmap.title).chars(80)} ({roadmap.place})"
