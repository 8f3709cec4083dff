from __future__ import annotations

import uuid
from typing import Any

from django import forms

from .models import Body, Municipality, Organisation, Partner, Region

SUBMISSION_FIELD = "_submission"


def attach_submission_token(form: forms.Form) -> None:
    """Add the hidden one-time token; a re-rendered form keeps the token it was posted with."""
    form.fields[SUBMISSION_FIELD] = forms.CharField(widget=forms.HiddenInput, required=False)
    if not form.is_bound:
        form.initial[SUBMISSION_FIELD] = str(uuid.uuid4())


def model_form_data(form: forms.ModelForm) -> dict[str, Any]:
    """The cleaned values of the model form's ``Meta.fields``: what a service's ``data`` takes."""
    return {name: form.cleaned_data[name] for name in form._meta.fields}


class ScopedModelForm(forms.ModelForm):
    """A model form whose related-object choices are limited to what the user may see.

    A foreign object's id posted by hand is then an ordinary «choose a valid
    option» error, never a silent link to someone else's record.
    """

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and hasattr(queryset, "restrict"):
                field.queryset = queryset.restrict(user, "view")


class RegionForm(ScopedModelForm):
    class Meta:
        model = Region
        fields = ["name", "code", "is_active"]


class MunicipalityForm(ScopedModelForm):
    class Meta:
        model = Municipality
        fields = ["region", "name", "kind", "code", "is_active"]


class OrganisationForm(ScopedModelForm):
    class Meta:
        model = Organisation
        fields = [
            "municipality",
            "kind",
            "full_name",
            "short_name",
            "code",
            "inn",
            "ogrn",
            "address",
            "students_count",
            "teachers_count",
            "is_active",
        ]


# Bodies and partners are described alike; partners add a contact.
_ENTITY_FIELDS = ["kind", "region", "municipality", "full_name", "short_name", "code", "inn", "ogrn", "address"]


class BodyForm(ScopedModelForm):
    class Meta:
        model = Body
        fields = [*_ENTITY_FIELDS, "is_active"]


class PartnerForm(ScopedModelForm):
    class Meta:
        model = Partner
        fields = [*_ENTITY_FIELDS, "contact", "is_active"]
