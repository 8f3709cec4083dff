"""The forms of the users' pages: a role granted at a place, a duty handed over."""

from __future__ import annotations

from typing import Any

from django import forms

from mentorship import access
from mentorship.choices import Role
from mentorship.models import Region
from mentorship.selectors import place_label


class RoleChoiceForm(forms.Form):
    """The first step of «Назначить роль»: which role (only those the viewer may grant somewhere)."""

    role = forms.ChoiceField(
        label="Роль",
        error_messages={"invalid_choice": "Эту роль вы назначать не можете.", "required": "Выберите роль."},
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(Role.choices)
        self.fields["role"].choices = [(role, labels[role]) for role in access.roles_grantable(user)]
        self.fields["role"].widget.attrs["class"] = "form-select"


class PlaceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return place_label(obj)


class RoleGrantForm(forms.Form):
    """«Назначить роль»: the role (fixed by the first step, checked again) and one of the places it may go to."""

    role = forms.ChoiceField(
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "Эту роль вы назначать не можете.", "required": "Выберите роль."},
    )
    place = PlaceChoiceField(
        queryset=None,
        label="Где",
        empty_label="— выберите —",
        error_messages={
            "invalid_choice": "Здесь вы не можете назначить эту роль: выберите место из списка.",
            "required": "Выберите, где назначить роль.",
        },
    )

    def __init__(self, *args: Any, user: Any, role: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        grantable = access.roles_grantable(user)
        labels = dict(Role.choices)
        self.fields["role"].choices = [(r, labels[r]) for r in grantable]
        self.chosen_role = role if role in grantable else None
        self.chosen_role_label = labels.get(self.chosen_role, "")
        places = access.places_for_role(user, self.chosen_role) if self.chosen_role else None
        if places is not None and places.model._meta.model_name == "organisation":
            places = places.select_related("municipality").order_by("municipality__name", "short_name", "pk")
        elif places is not None:
            places = places.order_by("name", "pk")
        field = self.fields["place"]
        field.queryset = places if places is not None else Region.objects.none()
        field.widget.attrs["class"] = "form-select"
        if self.chosen_role:
            self.initial.setdefault("role", self.chosen_role)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        # The places offered were those of the role in the address; a role posted otherwise is refused.
        # The role is a hidden field: its error is the form's own, shown above it.
        role_errors = self.errors.pop("role", None)
        if role_errors or cleaned.get("role") != self.chosen_role:
            cleaned.pop("role", None)
            self.add_error(None, "Эту роль вы назначать не можете.")
        return cleaned


class HandoverForm(forms.Form):
    """«Передать другому»: the chosen rows of one duty go to another active user of the same place."""

    rows = forms.MultipleChoiceField(
        label="Что передать",
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages={
            "required": "Отметьте, что передать.",
            "invalid_choice": "Этот пункт передать нельзя: выберите из списка.",
        },
    )
    to_user = forms.ModelChoiceField(
        queryset=None,
        label="Кому",
        empty_label="— выберите —",
        error_messages={
            "required": "Выберите, кому передать.",
            "invalid_choice": "Передать можно только активному пользователю того же места: выберите из списка.",
        },
    )

    def __init__(self, *args: Any, rows: list[Any], candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rows"].choices = [
            (str(row.pk), f"{row.label} — {row.place}" if row.place else row.label) for row in rows
        ]
        self.fields["to_user"].queryset = candidates
        self.fields["to_user"].label_from_instance = lambda u: f"{u.get_full_name()} ({u.email or u.username})"
        self.fields["to_user"].widget.attrs["class"] = "form-select"

    @property
    def pks(self) -> list[int]:
        return [int(pk) for pk in self.cleaned_data["rows"]]
