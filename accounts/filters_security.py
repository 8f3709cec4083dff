"""The filters of «Журнал безопасности»: what happened, when, to whom, from which address.

A value the filter cannot take (a date that is no date, an address with letters a network address
has not) is a Russian error beside its field and filters nothing.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.db.models import QuerySet
from django.utils import timezone

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
    """A bound of the event's day in local time, picked in the browser's date field.

    Compared as a moment (from the day's local midnight; before the next day's), not as ``at__date``,
    so the database keeps using its index on the time of the event.
    """

    def __init__(self, *args: Any, last: bool = False, **kwargs: Any) -> None:
        self.last = last
        kwargs.setdefault("field_name", "at")
        kwargs.setdefault("widget", forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
        super().__init__(*args, **kwargs)

    def filter(self, qs: QuerySet, value: date | None) -> QuerySet:
        if value is None:
            return qs
        try:
            day = value + timedelta(days=1) if self.last else value
            moment = timezone.make_aware(datetime.combine(day, time.min))
            moment.astimezone(UTC)  # as the database keeps it
        except OverflowError:
            # A day at the calendar's very end (01.01.0001, 31.12.9999) bounds nothing.
            return qs
        return qs.filter(**{f"{self.field_name}__{'lt' if self.last else 'gte'}": moment})


class SecurityEventFilter(ScopedFilterSet):
    kind = django_filters.ChoiceFilter(choices=SecurityEventKind.choices, label="Событие", empty_label="Все события")
    since = DayFilter(label="С даты")
    until = DayFilter(label="По дату", last=True)
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
