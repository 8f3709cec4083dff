from typing import Any

import django_filters
from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from .choices import BodyKind, OrganisationKind, PartnerKind
from .models import Body, Municipality, Organisation, Partner, Region


class PlainSelect(forms.Select):
    """A ``<select>`` whose options are joined in Python instead of one template include each.

    Django renders every ``<option>`` through ``select_option.html``; a municipal officer's
    filter of 150 organisations, or a region's of 1 500, then costs a large part of the page's
    time. The markup is the same as Django's.
    """

    def render(self, name: str, value: Any, attrs: dict | None = None, renderer: Any = None) -> str:
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option["value"], mark_safe(" selected") if option["selected"] else "", option["label"])
                for _, group, _ in widget["optgroups"]
                for option in group
            ),
        )
        return format_html('<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]), options)


class ScopedFilterSet(django_filters.FilterSet):
    """Choices of related objects come from the user's scope only."""

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        for f in self.filters.values():
            # ModelChoiceFilter keeps its queryset as an attribute, not in ``extra``.
            queryset = getattr(f, "queryset", None)
            if queryset is not None and hasattr(queryset, "restrict"):
                f.queryset = queryset.restrict(request.user, "view")
        for field in self.form.fields.values():
            if type(field.widget) is forms.Select:
                plain = PlainSelect(attrs=field.widget.attrs)
                plain.choices = field.widget.choices
                field.widget = plain
            field.widget.attrs.setdefault("class", "form-select form-select-sm")


class OrganisationFilter(ScopedFilterSet):
    municipality = django_filters.ModelChoiceFilter(
        queryset=Municipality.objects.all(), label="Муниципалитет", empty_label="Все муниципалитеты"
    )
    kind = django_filters.ChoiceFilter(choices=OrganisationKind.choices, label="Тип", empty_label="Все типы")
    is_active = django_filters.BooleanFilter(
        label="Статус",
        widget=forms.Select(choices=[("", "Все"), ("true", "Действующие"), ("false", "Не действующие")]),
    )

    class Meta:
        model = Organisation
        fields = ["municipality", "kind", "is_active"]


class BodyFilter(ScopedFilterSet):
    region = django_filters.ModelChoiceFilter(queryset=Region.objects.all(), label="Регион", empty_label="Все регионы")
    kind = django_filters.ChoiceFilter(choices=BodyKind.choices, label="Вид", empty_label="Все виды")

    class Meta:
        model = Body
        fields = ["region", "kind"]


class PartnerFilter(ScopedFilterSet):
    region = django_filters.ModelChoiceFilter(queryset=Region.objects.all(), label="Регион", empty_label="Все регионы")
    kind = django_filters.ChoiceFilter(choices=PartnerKind.choices, label="Вид", empty_label="Все виды")

    class Meta:
        model = Partner
        fields = ["region", "kind"]
