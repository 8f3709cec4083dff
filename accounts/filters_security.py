"""The filters of «Журнал безопасности»: what happened, when, to whom, from which address.

A value the filter cannot take (a date that is no date, an address with letters a network address
has not) is a Russian error beside its field and filters nothing.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.db.models import QuerySet

from mentorship.choices import SecurityEventKind
from mentorship.filters import ScopedFilterSet
from mentorship.models import SecurityEvent
from mentorship.search import search_q

#: the names a person is found by: who acted, whose account it was, what was typed in the log-in form
PERSON_FIELDS = ("actor_name", "subject_name", "username")

_ip_characters = RegexValidator(
    r"^[0-9A-Fa-f.:]+$", "IP-адрес состоит из цифр, точек (IPv4) или шестнадцатеричных цифр и двоеточий (IPv6)."
)


class DayFilter(django_filters.DateFilter):
    """A bound of the event's day (local time), picked in the browser's date field."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("field_name", "at")
        kwargs.setdefault("widget", forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
        super().__init__(*args, **kwargs)


class SecurityEventFilter(ScopedFilterSet):
    kind = django_filters.ChoiceFilter(choices=SecurityEventKind.choices, label="Событие", empty_label="Все события")
    since = DayFilter(lookup_expr="date__gte", label="С даты")
    until = DayFilter(lookup_expr="date__lte", label="По дату")
    person = django_filters.CharFilter(
        label="Пользователь", method="filter_person", max_length=150, help_text="Фамилия, имя или имя пользователя"
    )
    ip = django_filters.CharFilter(
        field_name="ip", lookup_expr="startswith", label="IP-адрес", max_length=45, validators=[_ip_characters]
    )

    class Meta:
        model = SecurityEvent
        fields = ["kind", "since", "until", "person", "ip"]

    def filter_person(self, queryset: QuerySet[SecurityEvent], name: str, value: str) -> QuerySet[SecurityEvent]:
        return queryset.filter(search_q(PERSON_FIELDS, value))
