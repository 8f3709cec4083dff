"""Forms of «Моя пара»: a mentor logs a meeting on a phone, a mentee rates it; the services decide the rest."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from .choices import MeetingKind
from .models import Meeting

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
RATING_CHOICES = [("", "Без оценки"), *((str(n), str(n)) for n in range(1, 11))]


class RatingField(forms.TypedChoiceField):
    """A 1–10 rating as big radio buttons; empty is no rating."""

    def __init__(self, label: str) -> None:
        super().__init__(
            label=label,
            choices=RATING_CHOICES,
            coerce=int,
            empty_value=None,
            required=False,
            widget=forms.RadioSelect,
        )


class MeetingHeldForm(forms.Form):
    """What the mentor writes about a held meeting: the date, how long, a short note, their rating."""

    held_on = forms.DateField(label="Когда прошла", widget=DATE_WIDGET)
    duration_minutes = forms.IntegerField(
        label="Продолжительность, минут",
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 5, "max": 600, "step": 5}),
    )
    notes = forms.CharField(
        label="Коротко о встрече", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    mentor_rating = RatingField("Ваша оценка встречи (1–10)")

    def __init__(self, *args: Any, meeting: Meeting | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("held_on", timezone.localdate())
        if meeting is not None:
            for name in ("duration_minutes", "notes", "mentor_rating"):
                self.initial.setdefault(name, getattr(meeting, name))
            if meeting.held_on is not None:
                self.initial["held_on"] = meeting.held_on

    def data_for_service(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in type(self).base_fields}


class MeetingLogForm(MeetingHeldForm):
    """A meeting that was held and not planned beforehand: its kind first."""

    kind = forms.ChoiceField(label="Какая встреча", choices=MeetingKind.choices, widget=forms.RadioSelect)
    field_order = ["kind", "held_on", "duration_minutes", "notes", "mentor_rating"]


class MeetingRateForm(forms.Form):
    """The mentee's own rating and comment."""

    mentee_rating = RatingField("Ваша оценка встречи (1–10)")
    mentee_feedback = forms.CharField(
        label="Комментарий", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, meeting: Meeting | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if meeting is not None:
            self.initial.setdefault("mentee_rating", meeting.mentee_rating)
            self.initial.setdefault("mentee_feedback", meeting.mentee_feedback)

    def data_for_service(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in type(self).base_fields}
