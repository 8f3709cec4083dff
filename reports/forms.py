"""Forms of the document pages: they bind and check input; every write goes through ``services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q

from mentorship import access
from mentorship.models import Organisation
from participants.choices import BaseRole
from participants.models import Pair, Person
from roadmaps.models import Roadmap, RoadmapItem

from .choices import AwardKind, OrderKind
from .models import Order
from .services import SCAN_MAX_BYTES

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OrderCreateForm(forms.Form):
    """What a new draft needs; its text is then built from the portal's data."""

    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label="Организация")
    kind = forms.ChoiceField(choices=OrderKind.choices, label="Вид приказа")
    date = forms.DateField(label="Дата приказа", widget=DATE_WIDGET)
    place = forms.CharField(
        label="Место издания", max_length=255, required=False, help_text="Населённый пункт: «с. Хосрех»."
    )
    school_year = forms.IntegerField(
        label="Учебный год (год начала)", min_value=2019, max_value=2100, required=False, help_text="Например, 2026."
    )
    roadmap = forms.ModelChoiceField(
        queryset=Roadmap.objects.none(),
        label="Дорожная карта",
        required=False,
        help_text="Только для приказа «Об утверждении дорожной карты».",
    )
    event_date = forms.DateField(
        label="Дата итогового мероприятия",
        required=False,
        widget=DATE_WIDGET,
        help_text="Для приказа о его проведении.",
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = access.own_organisations(user, Order).order_by("short_name")
        self.fields["roadmap"].queryset = Roadmap.objects.restrict(user, "view").filter(
            organisation__in=self.fields["organisation"].queryset
        )


class OrderEditForm(forms.ModelForm):
    """A draft's text; the points one per line."""

    points_text = forms.CharField(
        label="Пункты приказа",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="По одному пункту в строке; пункт «Контроль за исполнением приказа оставляю за собой» "
        "добавляется сам.",
    )

    class Meta:
        model = Order
        fields = [
            "date",
            "place",
            "issuer_name",
            "issuer_genitive",
            "title",
            "basis",
            "signatory_position",
            "signatory_name",
        ]
        widgets = {
            "date": DATE_WIDGET,
            "issuer_name": forms.Textarea(attrs={"rows": 2}),
            "title": forms.Textarea(attrs={"rows": 2}),
            "basis": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["points_text"] = "\n".join(self.instance.points)

    def clean_points_text(self) -> list[str]:
        # The service refuses an order without points; a required, stripped field always has one line.
        return [line.strip() for line in self.cleaned_data["points_text"].splitlines() if line.strip()]

    def service_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["points"] = self.cleaned_data["points_text"]
        return data


class ScanForm(forms.Form):
    scan = forms.FileField(
        label="Скан подписанного приказа",
        help_text=f"PDF, JPEG или PNG, не больше {SCAN_MAX_BYTES // (1024 * 1024)} МБ.",
        error_messages={"required": "Выберите файл скана.", "empty": "Файл пустой."},
    )


class LinkItemForm(forms.Form):
    item = forms.ModelChoiceField(
        queryset=RoadmapItem.objects.none(),
        label="Пункт дорожной карты",
        help_text="Мероприятия, результатом которых назван приказ.",
    )

    def __init__(self, *args: Any, user: Any, order: Order, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from .selectors import linkable_items

        self.fields["item"].queryset = linkable_items(user=user, order=order)


class CertificateForm(forms.Form):
    award = forms.ChoiceField(choices=AwardKind.choices, label="Награда")
    person = forms.ModelChoiceField(queryset=Person.objects.none(), label="Наставник", required=False)
    pair = forms.ModelChoiceField(queryset=Pair.objects.none(), label="Пара (для «Лучшей пары»)", required=False)
    day = forms.DateField(label="Дата", widget=DATE_WIDGET)
    place = forms.CharField(label="Место", max_length=255, required=False)
    reason = forms.CharField(
        label="Формулировка",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="«за …»; пусто — стандартная формулировка.",
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = (
            Person.objects.restrict(user, "view")
            .filter(anonymised_at__isnull=True)
            .filter(Q(memberships__role=BaseRole.MENTOR) | Q(base_entries__role=BaseRole.MENTOR))
            .distinct()
            .order_by("surname", "name")
        )
        self.fields["pair"].queryset = Pair.objects.restrict(user, "view").select_related("programme").order_by("-pk")
