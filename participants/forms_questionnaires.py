"""Forms of the questionnaires: copying, editing with the questions, sending, and the answer form of a link."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone

from mentorship import access
from mentorship.models import Organisation, Region

from .choices import QuestionKind
from .models import Pair, Programme, Question, Questionnaire


class QuestionnaireCopyForm(forms.Form):
    """Where to copy a questionnaire: one of the user's own schools, or their region."""

    target = forms.ChoiceField(label="Куда скопировать")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [
            (f"organisation:{o.pk}", o.short_name or o.full_name) for o in access.own_organisations(user, Questionnaire)
        ]
        choices += [
            (f"region:{r.pk}", f"{r.name} (анкета региона)")
            for r in access.regions_where(user, access.permission_name(Questionnaire, "add"))
        ]
        self.fields["target"].choices = choices
        if len(choices) == 1:
            self.fields["target"].initial = choices[0][0]

    def place(self) -> dict[str, Any]:
        kind, pk = self.cleaned_data["target"].split(":")
        if kind == "region":
            return {"region": Region.objects.get(pk=pk)}
        return {"organisation": Organisation.objects.get(pk=pk)}


class QuestionnaireForm(forms.ModelForm):
    class Meta:
        model = Questionnaire
        fields = ["title", "audience", "moment", "form", "is_active"]

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)


class QuestionForm(forms.Form):
    text = forms.CharField(label="Вопрос", max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    kind = forms.ChoiceField(label="Вид ответа", choices=QuestionKind.choices, initial=QuestionKind.SCALE)
    options = forms.CharField(
        label="Варианты ответа",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Для выбора: по одному варианту в строке.",
    )
    is_required = forms.BooleanField(label="Обязательный", required=False, initial=True)


QuestionFormSet = forms.formset_factory(QuestionForm, extra=2, can_delete=True, can_order=True)


def question_initial(questionnaire: Questionnaire) -> list[dict[str, Any]]:
    return [
        {"text": q.text, "kind": q.kind, "options": q.options, "is_required": q.is_required, "ORDER": q.position}
        for q in questionnaire.questions.all()
    ]


def questions_from(formset: Any) -> list[dict[str, Any]]:
    """The questions kept in the formset, in the order given (blank extra forms skipped)."""
    rows = []
    for form in formset.ordered_forms if formset.can_order else formset.forms:
        data = form.cleaned_data
        if not data or data.get("DELETE") or not data.get("text"):
            continue
        rows.append(
            {
                "text": data["text"],
                "kind": data["kind"],
                "options": data.get("options", ""),
                "is_required": data.get("is_required", False),
            }
        )
    return rows


class QuestionnaireSendForm(forms.Form):
    programme = forms.ModelChoiceField(label="Программа", queryset=Programme.objects.none())
    pair = forms.ModelChoiceField(
        label="Только одной паре (группе)",
        queryset=Pair.objects.none(),
        required=False,
        help_text="Пусто: всем участникам программы.",
    )
    only_unanswered = forms.BooleanField(
        label="Отправить заново всем, кто ещё не ответил",
        required=False,
        help_text="Новая ссылка с новым сроком; прежние ссылки этих участников перестанут действовать.",
    )
    deadline = forms.DateField(label="Заполнить до", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args: Any, user: Any, questionnaire: Questionnaire, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        programmes = Programme.objects.restrict(user, "change").filter(is_active=True).select_related("organisation")
        if questionnaire.form:
            programmes = programmes.filter(form=questionnaire.form)
        if questionnaire.organisation_id:
            programmes = programmes.filter(organisation=questionnaire.organisation_id)
        self.fields["programme"].queryset = programmes.order_by("-school_year", "title")
        self.fields["pair"].queryset = (
            Pair.objects.restrict(user, "change").filter(programme__in=programmes).order_by("programme_id", "pk")
        )
        self.fields["pair"].label_from_instance = lambda pair: f"{pair} — {pair.programme.title}"
        self.fields["pair"].queryset = self.fields["pair"].queryset.select_related("programme")
        self.fields["deadline"].initial = timezone.localdate() + timedelta(days=14)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        pair, programme = data.get("pair"), data.get("programme")
        if pair is not None and programme is not None and pair.programme_id != programme.pk:
            self.add_error("pair", "Эта пара (группа) — из другой программы.")
        return data


def answer_fields(questions: list[Question]) -> dict[str, forms.Field]:
    """The answer form's fields, one per question, named ``q<pk>``."""
    fields: dict[str, forms.Field] = {}
    for question in questions:
        common = {"label": question.text, "required": question.is_required}
        if question.kind == QuestionKind.SCALE:
            field: forms.Field = forms.TypedChoiceField(
                choices=[(n, str(n)) for n in range(1, 11)], coerce=int, widget=forms.RadioSelect, **common
            )
        elif question.kind == QuestionKind.CHOICE:
            field = forms.ChoiceField(
                choices=[(o, o) for o in question.option_list], widget=forms.RadioSelect, **common
            )
        elif question.kind == QuestionKind.MULTIPLE:
            field = forms.MultipleChoiceField(
                choices=[(o, o) for o in question.option_list], widget=forms.CheckboxSelectMultiple, **common
            )
        else:
            field = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, **common)
        field.error_messages["required"] = "Ответьте на этот вопрос."
        field.question = question
        fields[f"q{question.pk}"] = field
    return fields


class AnswerForm(forms.Form):
    """The answers to one questionnaire, as ``response_store`` takes them."""

    def __init__(self, *args: Any, questions: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(answer_fields(questions))

    def answers(self) -> dict[int, Any]:
        return {field.question.pk: self.cleaned_data.get(name) for name, field in self.fields.items()}
