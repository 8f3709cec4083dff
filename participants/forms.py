"""Forms of the curator's pages: they bind and convert input; every write goes through ``services``.

The domain's rules (dates not in the future, who signs a consent…) live in the services only:
the view puts a ``DomainError`` on the field it names, so the page shows the service's words,
the same the Excel import shows.

A person, a programme or an organisation named in a form is looked up only among the objects the
user may work with (``restrict``), so a foreign id posted by hand is a form error, never a link to
someone else's record.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from mentorship import access
from mentorship.forms import model_form_data
from mentorship.models import Partner

from .choices import BaseRole, ConsentSigner, MenteeCategory, MentorKind, MentorshipForm, PersonKind, Stage
from .models import (
    BaseEntry,
    Consent,
    CooperationAgreement,
    Meeting,
    Pair,
    Person,
    PlanTask,
    Programme,
    school_year_label,
    school_year_of,
)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PERSON_FIELDS = [
    "surname",
    "name",
    "patronymic",
    "kind",
    "birth_date",
    "email",
    "phone",
    "class_name",
    "position",
    "subject",
    "service_start",
    "is_manager",
    "workplace",
    "interests",
    "competences",
    "achievements",
]
ENTRY_FIELDS = ["form", "request", "capacity", "preferred_age_min", "preferred_age_max", "availability"]
CONSENT_FIELDS = ["signer", "signer_name", "signed_on", "valid_until", "document"]
PROGRAMME_FIELDS = [
    "title",
    "form",
    "school_year",
    "goals",
    "expected_results",
    "duration_months",
    "materials",
    "document",
    "is_published",
    "is_good_practice",
    "is_active",
]


def today() -> date:
    return timezone.localdate()


def school_year_choices(around: int | None = None) -> list[tuple[int, str]]:
    current = around or school_year_of(today())
    return [(year, school_year_label(year)) for year in range(current + 1, current - 4, -1)]


def current_year() -> int:
    return school_year_of(today())


def requested_year(request: Any) -> int:
    """The school year named in ``?year=`` (one of those offered), else the current one."""
    offered = {year for year, _ in school_year_choices()}
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return current_year()
    return year if year in offered else current_year()


class OrganisationChoiceMixin:
    """An ``organisation`` field offering the user's own organisations, preselected when there is one."""

    organisation_model: type = Person

    def setup_organisation(self, user: Any) -> None:
        field = forms.ModelChoiceField(
            queryset=access.own_organisations(user, self.organisation_model).select_related("municipality"),
            label="Образовательная организация",
            empty_label="— выберите —",
        )
        self.fields["organisation"] = field
        choices = list(field.queryset[:2])
        if len(choices) == 1:
            self.initial.setdefault("organisation", choices[0].pk)


# --- people ----------------------------------------------------------------------------------------------


class EnrolForm(OrganisationChoiceMixin, forms.ModelForm):
    """«Добавить наставника» / «Добавить наставляемого»: the person, the base entry and the consent at once."""

    school_year = forms.TypedChoiceField(label="Учебный год", coerce=int)
    category = forms.ChoiceField(label="Категория")
    form = BaseEntry._meta.get_field("form").formfield()
    request = forms.CharField(label="Запрос или предложение", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    capacity = forms.IntegerField(label="Сколько наставляемых может вести", min_value=1, max_value=30, initial=1)
    preferred_age_min = forms.IntegerField(label="Возраст наставляемых от", min_value=0, max_value=99, required=False)
    preferred_age_max = forms.IntegerField(label="Возраст наставляемых до", min_value=0, max_value=99, required=False)
    availability = forms.CharField(label="Удобное время встреч", max_length=255, required=False)
    consent_signer = forms.ChoiceField(
        label="Кто подписал согласие",
        choices=[("", "— согласие ещё не получено —"), *ConsentSigner.choices],
        required=False,
        help_text="За несовершеннолетнего согласие подписывает родитель или законный представитель.",
    )
    consent_signer_name = forms.CharField(
        label="ФИО родителя (законного представителя)", max_length=300, required=False
    )
    consent_signed_on = forms.DateField(label="Дата подписания согласия", required=False, widget=DATE_WIDGET)
    consent_valid_until = forms.DateField(label="Согласие действует до", required=False, widget=DATE_WIDGET)
    consent_document = forms.FileField(label="Скан согласия", required=False)

    class Meta:
        model = Person
        fields = PERSON_FIELDS
        widgets = {
            "birth_date": DATE_WIDGET,
            "service_start": DATE_WIDGET,
            "interests": forms.Textarea(attrs={"rows": 2}),
            "competences": forms.Textarea(attrs={"rows": 2}),
            "achievements": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, user: Any, role: str, existing: Person | None = None, **kwargs: Any) -> None:
        kwargs.pop("instance", None)
        super().__init__(*args, **kwargs)
        self.user = user
        self.role = role
        self.existing = existing
        if existing is None:
            self.setup_organisation(user)
        else:
            # Someone already known (a mentee elsewhere becomes a mentor): only the entry and the consent.
            for name in PERSON_FIELDS:
                del self.fields[name]
        self.fields["school_year"].choices = school_year_choices()
        self.initial.setdefault("school_year", school_year_of(today()))
        if role == BaseRole.MENTOR:
            self.fields["category"].label = "Категория наставника"
            self.fields["category"].choices = [("", "— выберите —"), *MentorKind.choices]
            self.initial.setdefault("kind", PersonKind.TEACHER)
            self.initial.setdefault("consent_signer", ConsentSigner.SELF)
        else:
            self.fields["category"].label = "Категория наставляемого"
            self.fields["category"].choices = [("", "— выберите —"), *MenteeCategory.choices]
            self.initial.setdefault("kind", PersonKind.STUDENT)
            self.initial.setdefault("consent_signer", ConsentSigner.PARENT)
            for name in ("capacity", "preferred_age_min", "preferred_age_max"):
                del self.fields[name]
        if self.initial.get("consent_signer"):
            self.initial.setdefault("consent_signed_on", today())
        self.fields["form"].choices = [("", "— любая —"), *MentorshipForm.choices]
        self.order_fields(["organisation", "school_year", *PERSON_FIELDS, "category", *ENTRY_FIELDS])

    def validate_unique(self) -> None:
        # The person's organisation is chosen in the form; the service checks uniqueness with it.
        return

    def person_data(self) -> dict[str, Any] | None:
        if self.existing is not None:
            return None
        return {name: self.cleaned_data[name] for name in PERSON_FIELDS if name in self.cleaned_data}

    def entry_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in ENTRY_FIELDS if name in self.cleaned_data}
        data["mentor_kind" if self.role == BaseRole.MENTOR else "mentee_category"] = self.cleaned_data["category"]
        return {name: value for name, value in data.items() if value is not None}

    def consent_data(self) -> dict[str, Any] | None:
        if not self.cleaned_data.get("consent_signer") and not self.cleaned_data.get("consent_signed_on"):
            return None
        data = {name: self.cleaned_data.get(f"consent_{name}") for name in CONSENT_FIELDS}
        return {name: value for name, value in data.items() if value not in (None, "")} | {
            "signer": self.cleaned_data.get("consent_signer") or ""
        }


class PersonForm(forms.ModelForm):
    """A person's record changed; the organisation stays."""

    class Meta:
        model = Person
        fields = PERSON_FIELDS
        widgets = EnrolForm.Meta.widgets

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user


class BaseEntryForm(forms.ModelForm):
    """A record in a base changed: the category, the wishes, and whether the person is still in it («в базе»).

    A mentee's record has no capacity or preferred ages; a mentor's has no mentee category.
    """

    class Meta:
        model = BaseEntry
        fields = ["mentor_kind", "mentee_category", *ENTRY_FIELDS, "is_active"]
        widgets = {"request": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.role == BaseRole.MENTOR:
            del self.fields["mentee_category"]
        else:
            for name in ("mentor_kind", "capacity", "preferred_age_min", "preferred_age_max"):
                del self.fields[name]

    def entry_data(self) -> dict[str, Any]:
        """What ``services.base_entry_update`` takes: the fields this record's base has."""
        return {name: self.cleaned_data[name] for name in self._meta.fields if name in self.fields}


class ConsentForm(forms.ModelForm):
    class Meta:
        model = Consent
        fields = ["signer", "signer_name", "signed_on", "scope", "valid_until", "document"]
        widgets = {"signed_on": DATE_WIDGET, "valid_until": DATE_WIDGET, "scope": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("signed_on", today())


class ConsentWithdrawForm(forms.Form):
    on = forms.DateField(label="Дата отзыва согласия", widget=DATE_WIDGET)
    confirm = forms.BooleanField(
        label="Понимаю: участник выйдет из всех действующих пар, его персональные данные будут скрыты.",
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("on", today())


class AgreementForm(forms.ModelForm):
    class Meta:
        model = CooperationAgreement
        fields = ["partner", "number", "signed_on", "valid_until", "document"]
        widgets = {"signed_on": DATE_WIDGET, "valid_until": DATE_WIDGET}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.restrict(user, "view")
        self.fields["partner"].empty_label = "— не выбрана —"


# --- programmes ------------------------------------------------------------------------------------------


class ProgrammeForm(OrganisationChoiceMixin, forms.ModelForm):
    organisation_model = Programme

    class Meta:
        model = Programme
        fields = PROGRAMME_FIELDS
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "goals": forms.Textarea(attrs={"rows": 4}),
            "expected_results": forms.Textarea(attrs={"rows": 3}),
            "materials": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school_year"] = forms.TypedChoiceField(
            label="Учебный год", coerce=int, choices=school_year_choices()
        )
        if self.instance.pk is None:
            self.setup_organisation(user)
            self.initial.setdefault("school_year", school_year_of(today()))
            self.order_fields(["organisation"])

    def data_for_service(self) -> dict[str, Any]:
        names = ["organisation", *PROGRAMME_FIELDS] if self.instance.pk is None else PROGRAMME_FIELDS
        return {name: self.cleaned_data[name] for name in names}


class ProgrammeCopyForm(OrganisationChoiceMixin, forms.Form):
    organisation_model = Programme
    school_year = forms.TypedChoiceField(label="Учебный год", coerce=int)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_organisation(user)
        self.fields["school_year"].choices = school_year_choices()
        self.initial.setdefault("school_year", school_year_of(today()))
        self.order_fields(["organisation", "school_year"])


# --- pairs -------------------------------------------------------------------------------------------------

_LEADING_ID = re.compile(r"^\s*(\d+)")


class PeopleWidget(forms.Widget):
    """Several text inputs of the same name, each tied to a <datalist> of people (id as the value)."""

    template_name = "participants/widgets/people.html"

    def __init__(self, count: int, datalist: str, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.count = count
        self.datalist = datalist

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[str]:
        return [value for value in data.getlist(name) if value.strip()] if hasattr(data, "getlist") else []

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        values = [str(getattr(item, "pk", item)) for item in (value if isinstance(value, list | tuple) else [])]
        values += [""] * (self.count - len(values))
        context["widget"].update(values=values, datalist=self.datalist)
        return context

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> str:
        # The project's templates (not the form renderer's) hold this widget's template.
        return render_to_string(self.template_name, self.get_context(name, value, attrs))  # a SafeString


class PeopleField(forms.Field):
    """People chosen by id (typed or picked from the list), only among ``queryset``."""

    def __init__(self, *, queryset: QuerySet[Person], count: int, datalist: str, **kwargs: Any) -> None:
        self.queryset = queryset
        super().__init__(widget=PeopleWidget(count, datalist), **kwargs)

    def to_python(self, value: Any) -> list[int]:
        ids: list[int] = []
        for raw in value or []:
            match = _LEADING_ID.match(str(raw))
            if match is None:
                raise forms.ValidationError(f"«{raw}»: выберите участника из списка (номер участника).")
            ids.append(int(match.group(1)))
        if len(set(ids)) != len(ids):
            raise forms.ValidationError("Один и тот же участник указан дважды.")
        return ids

    def clean(self, value: Any) -> list[Person]:
        ids = super().clean(value)
        found = {person.pk: person for person in self.queryset.filter(pk__in=ids)}
        missing = [str(pk) for pk in ids if pk not in found]
        if missing:
            raise forms.ValidationError(
                f"Участник № {', '.join(missing)} не найден среди участников, с которыми вы работаете."
            )
        return [found[pk] for pk in ids]


class PairForm(forms.Form):
    """«Создать пару (группу)»: the programme, the mentor(s), the mentee(s) and the start."""

    programme = forms.ModelChoiceField(queryset=Programme.objects.none(), label="Программа", empty_label="— выберите —")
    title = forms.CharField(label="Название группы", max_length=255, required=False, help_text="Для группы.")
    started_on = forms.DateField(label="Начало работы", widget=DATE_WIDGET)
    planned_end = forms.DateField(label="Плановое окончание", widget=DATE_WIDGET, required=False)

    def __init__(self, *args: Any, user: Any, people: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = (
            Programme.objects.restrict(user, "change").filter(is_active=True).select_related("organisation")
        )
        self.fields["mentors"] = PeopleField(
            queryset=people, count=2, datalist="mentor-options", label="Наставник (наставники)"
        )
        self.fields["mentees"] = PeopleField(
            queryset=people, count=5, datalist="mentee-options", label="Наставляемый (наставляемые)"
        )
        self.fields["mentors"].help_text = "Начните вводить фамилию и выберите из списка, или введите номер участника."
        self.initial.setdefault("started_on", today())
        self.order_fields(["programme", "mentors", "mentees", "title", "started_on", "planned_end"])


class PairMemberAddForm(forms.Form):
    """«Добавить участника»: a mentee (the pair becomes a group) or a co-mentor, picked like on «Создать пару»."""

    role = forms.ChoiceField(
        label="Роль в паре (группе)",
        choices=[
            (BaseRole.MENTEE, "Наставляемый (пара станет группой)"),
            (BaseRole.MENTOR, "Наставник (ещё один наставник)"),
        ],
    )
    joined_on = forms.DateField(label="Дата вступления", widget=DATE_WIDGET)

    def __init__(self, *args: Any, user: Any, people: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        role = (self.data.get("role") if self.is_bound else self.initial.get("role")) or BaseRole.MENTEE
        datalist = "mentor-options" if role == BaseRole.MENTOR else "mentee-options"
        self.fields["person"] = PeopleField(queryset=people, count=1, datalist=datalist, label="Участник")
        self.fields["person"].help_text = "Начните вводить фамилию и выберите из списка, или введите номер участника."
        self.initial.setdefault("role", BaseRole.MENTEE)
        self.initial.setdefault("joined_on", today())
        self.order_fields(["person", "role", "joined_on"])

    def clean_person(self) -> Person:
        people = self.cleaned_data["person"]
        if len(people) != 1:
            raise forms.ValidationError("Укажите одного участника.")
        return people[0]


class PairMemberRemoveForm(forms.Form):
    """«Исключить»: the member leaves the pair (group) on ``left_on``, confirmed by a tick."""

    left_on = forms.DateField(label="Дата выхода из пары (группы)", widget=DATE_WIDGET)
    reason = forms.CharField(
        label="Причина",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Обязательна, если уходит последний наставник или последний наставляемый: "
        "тогда работа пары (группы) прекращается.",
    )
    confirm = forms.BooleanField(label="Подтверждаю: участник выйдет из пары (группы) с указанной даты.")

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("left_on", today())


class StageForm(forms.ModelForm):
    class Meta:
        model = Pair
        fields = ["stage"]

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = Stage.choices


class PairCompleteForm(forms.Form):
    ended_on = forms.DateField(label="Дата завершения", widget=DATE_WIDGET)
    results = forms.CharField(label="Результаты", widget=forms.Textarea(attrs={"rows": 4}))
    reflection = forms.CharField(label="Рефлексия", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("ended_on", today())


class PairTerminateForm(forms.Form):
    ended_on = forms.DateField(label="Дата прекращения", widget=DATE_WIDGET)
    reason = forms.CharField(label="Причина прекращения", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("ended_on", today())


class PairsConfirmForm(forms.Form):
    """Bulk: the chosen forming pairs confirmed by the director's order of ``on``."""

    pairs = forms.ModelMultipleChoiceField(
        queryset=Pair.objects.none(),
        label="Пары",
        error_messages={
            "required": "Отметьте пары, которые нужно утвердить.",
            "invalid_choice": "Пара № %(value)s недоступна.",
            "invalid_pk_value": "«%(pk)s» — не номер пары.",
        },
    )
    on = forms.DateField(label="Дата приказа об утверждении", widget=DATE_WIDGET)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pairs"].queryset = Pair.objects.restrict(user, "change")
        self.initial.setdefault("on", today())


class SchoolYearCloseForm(OrganisationChoiceMixin, forms.Form):
    organisation_model = Pair
    school_year = forms.TypedChoiceField(label="Учебный год", coerce=int)
    on = forms.DateField(label="Дата завершения пар", widget=DATE_WIDGET)
    confirm = forms.BooleanField(label="Понимаю: все действующие и формирующиеся пары этого года будут завершены.")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_organisation(user)
        self.fields["school_year"].choices = school_year_choices()
        self.initial.setdefault("school_year", school_year_of(today()))
        self.initial.setdefault("on", today())
        self.order_fields(["organisation", "school_year", "on", "confirm"])


# --- the pair's work -----------------------------------------------------------------------------------------


class MeetingForm(forms.ModelForm):
    """Plan a meeting, or log a held one in the same step (fill «проведена»)."""

    planned_meetings = forms.IntegerField(
        label="Сколько встреч запланировано",
        min_value=1,
        max_value=100,
        required=False,
        help_text="Заполняется на встрече-планировании.",
    )

    class Meta:
        model = Meeting
        fields = [
            "kind",
            "planned_on",
            "held_on",
            "topic",
            "notes",
            "mentor_feedback",
            "mentee_feedback",
            "mentor_rating",
            "mentee_rating",
        ]
        widgets = {
            "planned_on": DATE_WIDGET,
            "held_on": DATE_WIDGET,
            "notes": forms.Textarea(attrs={"rows": 3}),
            "mentor_feedback": forms.Textarea(attrs={"rows": 2}),
            "mentee_feedback": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {"held_on": "Оставьте пустым, если встреча только запланирована."}

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("planned_on", today())

    def data_for_service(self) -> dict[str, Any]:
        data = model_form_data(self)
        if self.cleaned_data.get("planned_meetings"):
            data["planned_meetings"] = self.cleaned_data["planned_meetings"]
        return data


class MeetingRecordForm(MeetingForm):
    """A planned meeting marked as held, with notes and feedback."""

    class Meta(MeetingForm.Meta):
        fields = [
            "held_on",
            "notes",
            "mentor_feedback",
            "mentee_feedback",
            "mentor_rating",
            "mentee_rating",
            "duration_minutes",
        ]
        help_texts: dict[str, str] = {}

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["held_on"].required = True
        self.initial.setdefault("held_on", today())


class PlanForm(forms.Form):
    mentee = forms.ModelChoiceField(queryset=Person.objects.none(), label="Наставляемый", empty_label=None)
    goals = forms.CharField(label="Цели", widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, user: Any = None, mentees: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mentee"].queryset = mentees


class PlanTaskForm(forms.ModelForm):
    class Meta:
        model = PlanTask
        fields = ["title", "deadline", "done_on", "result"]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "deadline": DATE_WIDGET,
            "done_on": DATE_WIDGET,
            "result": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            del self.fields["done_on"]
            del self.fields["result"]

    def data_for_service(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.fields}


class SuggestionDecisionForm(forms.Form):
    started_on = forms.DateField(label="Начало работы пары", widget=DATE_WIDGET, required=False)
