from typing import Any

import django_filters
from django import forms
from django.forms.utils import flatatt

from . import html
from .choices import BodyKind, OrganisationKind, PartnerKind
from .models import Body, Municipality, Organisation, Partner, Region


class PlainSelect(forms.Select):
    """A ``<select>`` whose options are written straight from its choices, with Django's markup.

    Django renders every ``<option>`` through a context dictionary and ``select_option.html``; a
    municipal officer's filters of 150 organisations and 600 programmes, or a region's of 1 500
    organisations, then cost a large part of the page's time. Grouped choices, which no filter
    uses, are left to Django.
    """

    def render(self, name: str, value: Any, attrs: dict | None = None, renderer: Any = None) -> str:
        chosen = set(self.format_value(value))
        options, selected = [], False
        for option_value, label in self.choices:
            if isinstance(label, (list, tuple)):
                return super().render(name, value, attrs, renderer)
            key = "" if option_value is None else str(option_value)
            # Like Django's: only the first option carrying the value is marked.
            mark = not selected and key in chosen
            selected = selected or mark
            options.append(f'<option value="{html.text(key)}"{" selected" if mark else ""}>{html.text(label)}</option>')
        final_attrs = self.build_attrs(self.attrs, attrs)
        return html.fragment('<select name="{}"{}>{}</select>', name, flatatt(final_attrs), html.join(options))


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
            if isinstance(field.widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(field.widget, forms.Select):
                css = "form-select form-select-sm"
            else:
                css = "form-control form-control-sm"
            field.widget.attrs.setdefault("class", css)


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
