import django_filters
from django import forms

from .choices import BodyKind, OrganisationKind, PartnerKind
from .models import Body, Municipality, Organisation, Partner, Region


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
