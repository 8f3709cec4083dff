"""Filters of the curator's lists; organisations and programmes offered come from the user's scope only."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms

from mentorship.filters import ScopedFilterSet
from mentorship.models import Organisation

from . import selectors
from .choices import MenteeCategory, MentorKind, MentorshipForm, PairStatus, PersonKind, Stage
from .forms import school_year_choices
from .models import BaseEntry, Pair, Person, Programme

ACTIVE_CHOICES = [("", "Все"), ("true", "В базе"), ("false", "Выбыли")]


def organisation_filter() -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(
        queryset=Organisation.objects.all(), label="Организация", empty_label="Все организации"
    )


def school_year_filter() -> django_filters.ChoiceFilter:
    return django_filters.ChoiceFilter(choices=school_year_choices, label="Учебный год", empty_label="Все годы")


class PersonFilter(ScopedFilterSet):
    organisation = organisation_filter()
    kind = django_filters.ChoiceFilter(choices=PersonKind.choices, label="Кто", empty_label="Все")

    class Meta:
        model = Person
        fields = ["organisation", "kind"]


class BaseEntryFilter(ScopedFilterSet):
    organisation = organisation_filter()
    form = django_filters.ChoiceFilter(choices=MentorshipForm.choices, label="Форма", empty_label="Все формы")
    is_active = django_filters.BooleanFilter(label="В базе", widget=forms.Select(choices=ACTIVE_CHOICES))

    class Meta:
        model = BaseEntry
        fields = ["organisation", "form", "is_active"]


class MentorEntryFilter(BaseEntryFilter):
    mentor_kind = django_filters.ChoiceFilter(choices=MentorKind.choices, label="Категория", empty_label="Все")

    class Meta(BaseEntryFilter.Meta):
        fields = ["organisation", "mentor_kind", "form", "is_active"]


class MenteeEntryFilter(BaseEntryFilter):
    mentee_category = django_filters.ChoiceFilter(choices=MenteeCategory.choices, label="Категория", empty_label="Все")

    class Meta(BaseEntryFilter.Meta):
        fields = ["organisation", "mentee_category", "form", "is_active"]


def pair_programmes(request: Any) -> Any:
    """The programmes the pair filter offers: those of the organisation chosen beside it (or the user's only one)."""
    chosen = request.GET.get("organisation", "")
    valid = chosen.isascii() and chosen.isdigit() and len(chosen) < 10
    return selectors.programmes_kept(user=request.user, organisation=int(chosen) if valid else None)


class PairFilter(ScopedFilterSet):
    organisation = organisation_filter()
    school_year = school_year_filter()
    # The organisations' own programmes: the bank's published ones of other schools have no pairs here.
    programme = django_filters.ModelChoiceFilter(
        queryset=pair_programmes,
        label="Программа",
        empty_label="Все программы",
    )
    form = django_filters.ChoiceFilter(choices=MentorshipForm.choices, label="Форма", empty_label="Все формы")
    status = django_filters.ChoiceFilter(choices=PairStatus.choices, label="Статус", empty_label="Все статусы")
    stage = django_filters.ChoiceFilter(choices=Stage.choices, label="Этап", empty_label="Все этапы")

    class Meta:
        model = Pair
        fields = ["organisation", "school_year", "programme", "form", "status", "stage"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        programme = self.form.fields["programme"]
        if programme.queryset.query.is_empty():
            programme.empty_label = "Сначала выберите организацию"


class ProgrammeFilter(ScopedFilterSet):
    organisation = organisation_filter()
    school_year = school_year_filter()
    form = django_filters.ChoiceFilter(choices=MentorshipForm.choices, label="Форма", empty_label="Все формы")
    is_published = django_filters.BooleanFilter(
        label="В банке", widget=forms.Select(choices=[("", "Все"), ("true", "Да"), ("false", "Нет")])
    )

    class Meta:
        model = Programme
        fields = ["organisation", "school_year", "form", "is_published"]


class BankFilter(ScopedFilterSet):
    form = django_filters.ChoiceFilter(choices=MentorshipForm.choices, label="Форма", empty_label="Все формы")
    is_good_practice = django_filters.BooleanFilter(
        label="Лучшие практики", widget=forms.Select(choices=[("", "Все"), ("true", "Только лучшие")])
    )

    class Meta:
        model = Programme
        fields = ["form", "is_good_practice"]
