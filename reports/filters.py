"""Filters of the order register (``?year=``, ``?status=``)."""

from __future__ import annotations

import django_filters
from django import forms

from mentorship.filters import ScopedFilterSet

from .choices import OrderStatus
from .models import Order


class YearFilter(django_filters.NumberFilter):
    """A whole year (django-filter's number filter takes decimals)."""

    field_class = forms.IntegerField


class OrderFilter(ScopedFilterSet):
    year = YearFilter(label="Год", min_value=2000, max_value=2100)
    status = django_filters.ChoiceFilter(choices=OrderStatus.choices, label="Статус", empty_label="Все")

    class Meta:
        model = Order
        fields = ["year", "status"]
