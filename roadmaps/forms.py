"""Forms of the roadmap pages: they bind and check input; every write goes through ``services``."""

from __future__ import annotations

from typing import Any

from django import forms

from mentorship import access
from mentorship.choices import Level
from mentorship.models import Municipality, Organisation, Region

from .choices import IndicatorUnit, ItemStatus
from .models import Roadmap, RoadmapItem
from .services import ITEM_CONTENT_FIELDS

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RoadmapForm(forms.ModelForm):
    """A roadmap's title, period, goal and tasks; a new one also names its place among the user's own."""

    place = forms.ChoiceField(label="Чья дорожная карта", help_text="Одно из мест, где у вас есть роль.")

    class Meta:
        model = Roadmap
        fields = ["title", "period_start", "period_end", "goal", "tasks"]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "period_start": DATE_WIDGET,
            "period_end": DATE_WIDGET,
            "goal": forms.Textarea(attrs={"rows": 3}),
            "tasks": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance.pk:
            del self.fields["place"]
            return
        self._places = own_places(user)
        self.fields["place"].choices = [
            ("", "— выберите —"),
            *((key, label) for key, (label, _) in self._places.items()),
        ]
        self.order_fields(["place"])

    def clean_place(self) -> Any:
        return self._places[self.cleaned_data["place"]][1]


def own_places(user: Any) -> dict[str, tuple[str, Any]]:
    """«organisation:5» → (label, place) for each place where the user holds a role that may add a roadmap."""
    places: dict[str, tuple[str, Any]] = {}
    for assignment in access.assignments_of(user, access.permission_name(Roadmap, "add")):
        places[place_key(assignment.place)] = (
            f"{assignment.place} ({assignment.level.label.lower()})",
            assignment.place,
        )
    return places


PLACE_MODELS: dict[str, type[Region | Municipality | Organisation]] = {
    Level.REGION.value: Region,
    Level.MUNICIPALITY.value: Municipality,
    Level.ORGANISATION.value: Organisation,
}


def place_key(place: Region | Municipality | Organisation) -> str:
    """«organisation:5»: how a form names a place."""
    return f"{access.level_of_place(place).value}:{place.pk}"


def place_of(key: str) -> Region | Municipality | Organisation | None:
    """The place an «organisation:5» key names, or ``None``."""
    level, _, pk = key.partition(":")
    model = PLACE_MODELS.get(level)
    return model.objects.filter(pk=pk).first() if model is not None and pk.isdigit() else None


class RoadmapItemForm(forms.ModelForm):
    """One item of the table: what the seeds' columns hold, and the plan dates."""

    class Meta:
        model = RoadmapItem
        fields = ["number", "kind", *ITEM_CONTENT_FIELDS]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "content": forms.Textarea(attrs={"rows": 4}),
            "responsible_text": forms.Textarea(attrs={"rows": 2}),
            "expected_result": forms.Textarea(attrs={"rows": 2}),
            "plan_start": DATE_WIDGET,
            "plan_end": DATE_WIDGET,
        }
        help_texts = {
            "deadline_text": "Как в документе: «до 1 сентября 2024 г.», «март-апрель», «ежеквартально», «постоянно».",
            "responsible_text": "Каждый исполнитель с новой строки или через запятую.",
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def _post_clean(self) -> None:
        # The model's own checks (unique number, parent) run in the service with the roadmap set.
        pass


class ItemProgressForm(forms.Form):
    """Progress short of «выполнено»: done needs evidence and has its own form."""

    status = forms.ChoiceField(
        label="Статус",
        choices=[
            (ItemStatus.NOT_STARTED.value, ItemStatus.NOT_STARTED.label),
            (ItemStatus.IN_PROGRESS.value, ItemStatus.IN_PROGRESS.label),
        ],
    )
    fact_start = forms.DateField(label="Начато (факт)", required=False, widget=DATE_WIDGET)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (the pattern of Django's file-upload documentation)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(part, initial) for part in data if part]
        return [single(data, initial)] if data else []


class ItemCompleteForm(forms.Form):
    """Mark an item done: the date and at least one piece of evidence (files and/or links)."""

    fact_end = forms.DateField(label="Выполнено (дата)", widget=DATE_WIDGET)
    fact_start = forms.DateField(label="Начато (факт)", required=False, widget=DATE_WIDGET)
    files = MultipleFileField(
        label="Файлы",
        required=False,
        help_text="Приказ, справка, протокол, фото: pdf, doc(x), xls(x), jpg, png и др., до 20 МБ каждый.",
    )
    links = forms.CharField(
        label="Ссылки",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Каждая ссылка с новой строки, полностью, с https://.",
    )
    description = forms.CharField(label="Что подтверждает", required=False, max_length=500)

    def clean_links(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["links"].splitlines() if line.strip()]

    def evidence(self) -> list[tuple[Any, str]]:
        description = self.cleaned_data["description"]
        return [(source, description) for source in (*self.cleaned_data["files"], *self.cleaned_data["links"])]


RETURN_NEEDS_COMMENT = "Напишите, что нужно доработать: без комментария вернуть дорожную карту нельзя."


class TransitionForm(forms.Form):
    """A step of the approval; returning needs a comment saying what to fix."""

    comment = forms.CharField(label="Комментарий", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, comment_required: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.comment_required = comment_required
        if comment_required:
            field = self.fields["comment"]
            field.required = True
            field.label = "Что нужно доработать"
            field.error_messages["required"] = RETURN_NEEDS_COMMENT


class ItemCascadeForm(forms.Form):
    """Pass an activity down: to every organisation below the roadmap's place, or to those ticked."""

    everyone = forms.BooleanField(label="Всем организациям", required=False)
    organisations = forms.ModelMultipleChoiceField(
        label="Или выбранным организациям",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = organisations

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("everyone") and not data.get("organisations"):
            raise forms.ValidationError("Отметьте «Всем организациям» или выберите хотя бы одну организацию.")
        return data


class TargetIndicatorForm(forms.Form):
    """A target indicator and its value for each year of the roadmap's period (empty: no target that year)."""

    code = forms.SlugField(
        label="Код показателя",
        max_length=64,
        help_text="Латиницей, например students_coverage: по нему мониторинг сравнит цель с фактом.",
    )
    name = forms.CharField(label="Наименование", max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    unit = forms.ChoiceField(label="Единица", choices=IndicatorUnit.choices)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.years = years
        for year in years:
            self.fields[f"year_{year}"] = forms.DecimalField(
                label=f"Не менее, {year} год", required=False, min_value=0, max_digits=12, decimal_places=2
            )

    def values(self) -> dict[int, Any]:
        return {
            year: self.cleaned_data[f"year_{year}"]
            for year in self.years
            if self.cleaned_data.get(f"year_{year}") is not None
        }
