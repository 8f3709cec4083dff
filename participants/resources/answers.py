"""The import of questionnaire answers collected elsewhere: exports of Яндекс Формы and Google Формы.

Such a file has the form's own columns: Яндекс Формы puts «ID» and «Время создания» first, Google
Формы «Отметка времени» (and «Адрес электронной почты» when the form collects it), then one
column per question, titled with the question's text. So this kind maps the file's columns
(``ImportKind.maps_columns``): at upload the user chooses the questionnaire and the school; the
preview maps each column to a question, to a field naming the person (ФИО, or Фамилия / Имя /
Отчество, Класс, Внешний идентификатор), to the time of filling in, or to «не загружать»,
defaulting to the best match by text; changing the mapping checks the file again.

People are matched in the chosen school only: by external id where the row gives one, else by
ФИО (case, «ё»/«е» and extra spaces do not matter; «Фамилия Имя» is enough when unambiguous),
narrowed by the class where a class column is mapped. A person not found, or found twice, is a
row error, and with any error nothing is written.

The form's timestamp («Время создания», «Отметка времени») becomes the response's date; without a
column mapped to it, the date is today's. Scales take numbers and «7 из 10»; a choice (such as «Да»
/ «Нет») takes its option in any case; the rest is text as it is. Every answer is then checked by
``response_validate`` (the checks of ``response_submit``) and written by ``response_submit``.

A person who already has a response to the questionnaire keeps it: the row is «без изменений»,
whatever the file says (the answer given in the portal, or imported before, is not overwritten,
and importing the same export twice writes nothing the second time).
"""

from __future__ import annotations

import difflib
import re
from datetime import date, datetime
from typing import Any

from django import forms
from django.utils import timezone
from import_export import resources

from mentorship.access import organisations_where
from mentorship.imports.engine import CREATED, UNCHANGED, Context, ImportKind, Plan, Report, RowInvalid
from mentorship.imports.reading import FileRefused
from mentorship.imports.registry import register
from mentorship.imports.widgets import TextWidget, as_text, column

from ..choices import QuestionKind
from ..models import Person, Question, Questionnaire, Response
from ..services.questionnaires import response_validate, responses_import

PERMISSION = "participants.add_response"

#: the targets that are not questions: (target, label in the mapping form, titles that map to it)
PERSON_TARGETS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("fio", "ФИО участника", ("ФИО", "Фамилия, имя, отчество", "Фамилия имя отчество", "Ваше ФИО", "ФИО участника")),
    ("surname", "Фамилия", ("Фамилия", "Ваша фамилия")),
    ("name", "Имя", ("Имя", "Ваше имя")),
    ("patronymic", "Отчество", ("Отчество", "Ваше отчество")),
    ("class_name", "Класс (группа)", ("Класс", "Класс (группа)", "Ваш класс", "Группа")),
    ("external_id", "Внешний идентификатор участника", ("Внешний идентификатор", "Код участника", "ID участника")),
    ("filled_at", "Дата и время заполнения", ("Время создания", "Отметка времени", "Дата заполнения", "Timestamp")),
)
NAME_PARTS = ("surname", "name", "patronymic")
#: how alike a title and a question's text must be for the default mapping, when not equal
LIKENESS = 0.85

_NUMBERING = re.compile(r"^\s*(?:вопрос\s*)?(?:№\s*)?\d+(?:\.\d+)*\s*[.):-]?\s+", re.IGNORECASE)
_PUNCTUATION = re.compile(r"[^\w\s]+")
_SCALE = re.compile(r"^\s*(\d+)(?:[.,]0+)?\s*(?:(?:из|/)\s*10)?\s*(?:балл\w*)?\s*$", re.IGNORECASE)
_TIMESTAMPS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M")
_DATES = ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y")


def normalise_text(value: Any) -> str:
    """«2. Насколько Вы удовлетворены встречами?» → «насколько вы удовлетворены встречами»."""
    text = "" if value is None else str(value)
    text = text.replace("ё", "е").replace("Ё", "Е").replace("\u00a0", " ")
    text = _NUMBERING.sub("", text.strip())
    text = _PUNCTUATION.sub(" ", text.replace("_", " "))
    return re.sub(r"\s+", " ", text).strip().lower()


def compact(value: Any) -> str:
    """A class as people write it: «8 А», «8-а», «8а» are one class."""
    return re.sub(r"[\W_]+", "", as_text(value).replace("ё", "е").replace("Ё", "Е")).lower()


def question_target(question: Question) -> str:
    return f"question-{question.pk}"


class AnswerResource(resources.ModelResource):
    """Ответы на анкету: the template's columns naming the person; the questions follow, one column each."""

    fio = column("fio", "ФИО", TextWidget())
    class_name = column("class_name", "Класс", TextWidget())
    external_id = column("external_id", "Внешний идентификатор", TextWidget())
    filled_at = column("filled_at", "Отметка времени", TextWidget())

    class Meta:
        model = Response
        fields = ("fio", "class_name", "external_id", "filled_at")
        import_order = fields
        export_order = fields


class Setting:
    """The questionnaire and the school an upload names, looked up within the user's scope."""

    def __init__(self, context: Context) -> None:
        options = context.options
        self.questionnaire = (
            Questionnaire.objects.restrict(context.user, "view").filter(pk=options.get("questionnaire")).first()
        )
        if self.questionnaire is None:
            raise FileRefused("Анкета, выбранная при загрузке, не найдена или вам недоступна.")
        self.organisation = organisations_where(context.user, PERMISSION).filter(pk=options.get("organisation")).first()
        if self.organisation is None:
            raise FileRefused("Организация, выбранная при загрузке, не найдена или вам недоступна.")
        self.questions = list(self.questionnaire.questions.order_by("position"))


class AnswerPlan(Plan):
    """A form's export: each row a person of the school and their answers, checked as ``response_submit`` does."""

    kind: AnswersImport

    def __init__(self, kind: ImportKind, context: Context) -> None:
        super().__init__(kind, context)
        setting = self.kind.setting(context)
        self.questionnaire, self.organisation, self.questions = (
            setting.questionnaire,
            setting.organisation,
            setting.questions,
        )
        self.people: dict[int, Person] = {}
        self.by_name: dict[str, list[int]] = {}
        self.by_short_name: dict[str, list[int]] = {}
        self.by_external: dict[str, int] = {}
        for person in Person.objects.filter(organisation=self.organisation).only(
            "pk", "organisation_id", "surname", "name", "patronymic", "class_name", "external_id", "anonymised_at"
        ):
            self.people[person.pk] = person
            self.by_name.setdefault(normalise_text(person.full_name), []).append(person.pk)
            self.by_short_name.setdefault(normalise_text(f"{person.surname} {person.name}"), []).append(person.pk)
            if person.external_id:
                self.by_external[person.external_id.strip().lower()] = person.pk
        self.answered = set(
            Response.objects.filter(questionnaire=self.questionnaire, person__organisation=self.organisation)
            .values_list("person_id", flat=True)
            .distinct()
        )
        self.seen: dict[int, int] = {}
        self.rows: list[tuple[int, date, dict[int, Any]]] = []

    # -- who the row is

    def person(self, values: dict[str, Any]) -> Person:
        school = f"«{self.organisation.short_name or self.organisation}»"
        external_id = as_text(values.get("external_id")).strip()
        if external_id:
            pk = self.by_external.get(external_id.lower())
            if pk is None:
                raise RowInvalid.one(
                    "external_id", f"участник с внешним идентификатором «{external_id}» не найден в {school}."
                )
            return self.people[pk]
        full_name = as_text(values.get("fio")).strip() or " ".join(
            as_text(values.get(part)).strip() for part in NAME_PARTS if as_text(values.get(part)).strip()
        )
        where = "fio" if "fio" in values else "surname"
        if not full_name:
            raise RowInvalid.one(where, "не указаны ФИО участника.")
        key = normalise_text(full_name)
        candidates = self.by_name.get(key) or self.by_short_name.get(key, [])
        class_name = compact(values.get("class_name"))
        if class_name and len(candidates) > 1:
            candidates = [pk for pk in candidates if compact(self.people[pk].class_name) == class_name]
        if not candidates:
            raise RowInvalid.one(where, f"участник «{full_name}» не найден в {school}.")
        if len(candidates) > 1:
            raise RowInvalid.one(
                where,
                f"в {school} несколько участников «{full_name}»: добавьте в файл столбец с классом "
                "или внешним идентификатором участника.",
            )
        return self.people[candidates[0]]

    # -- the values

    def filled_on(self, value: Any) -> date:
        if value is None or (isinstance(value, str) and not value.strip()):
            return timezone.localdate()
        if isinstance(value, datetime):
            return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
        if isinstance(value, date):
            return value
        text = str(value).strip()
        for pattern in (*_TIMESTAMPS, *_DATES):
            try:
                return datetime.strptime(text, pattern).date()  # the form's local time
            except ValueError:
                continue
        raise RowInvalid.one("filled_at", f"«{text}» — не дата; нужна дата вида ДД.ММ.ГГГГ или ГГГГ-ММ-ДД ЧЧ:ММ:СС.")

    @staticmethod
    def answer_value(question: Question, value: Any) -> Any:
        """A cell as ``response_submit`` takes the answer: «7 из 10» → 7, «да» → «Да» of the options."""
        if value is None:
            return None
        if question.kind == QuestionKind.SCALE:
            if isinstance(value, float) and value.is_integer():
                return int(value)
            if isinstance(value, str) and (match := _SCALE.match(value)):
                return int(match.group(1))
            return value if isinstance(value, int | float) else str(value).strip()
        text = as_text(value).strip()
        if question.kind == QuestionKind.TEXT:
            return text
        options = {normalise_text(option): option for option in question.option_list}
        if question.kind == QuestionKind.CHOICE:
            return options.get(normalise_text(text), text)
        # Several choices: one per line, or separated by «;» or «, » as the forms export them.
        if normalise_text(text) in options:
            return [options[normalise_text(text)]]
        parts = [part for part in re.split(r"\n|;|,\s", text) if part.strip()]
        return [options.get(normalise_text(part), part.strip()) for part in parts]

    def add(self, number: int, values: dict[str, Any]) -> tuple[str, str]:
        person = self.person(values)
        if person.pk in self.seen:
            raise RowInvalid.one(None, f"участник {person.full_name} уже есть в файле в строке {self.seen[person.pk]}.")
        self.seen[person.pk] = number
        filled_on = self.filled_on(values.get("filled_at"))
        answers = {q.pk: self.answer_value(q, values.get(question_target(q))) for q in self.questions}
        if person.pk in self.answered:
            return UNCHANGED, f"{person.full_name}: анкета уже заполнена в портале, оставлена как есть"
        given = response_validate(
            questionnaire=self.questionnaire,
            questions=self.questions,
            person=person,
            filled_on=filled_on,
            answers=answers,
        )
        self.rows.append((person.pk, filled_on, answers))
        return CREATED, f"{person.full_name}: ответов — {len(given)}, заполнена {filled_on:%d.%m.%Y}"

    def write(self) -> None:
        people = Person.objects.in_bulk([pk for pk, _, _ in self.rows])
        responses_import(
            actor=self.context.user,
            questionnaire=self.questionnaire,
            rows=[(people[pk], filled_on, answers) for pk, filled_on, answers in self.rows],
        )


@register
class AnswersImport(ImportKind):
    key = "answers"
    title = "Ответы на анкету (Яндекс Формы, Google Формы)"
    resource_class = AnswerResource
    plan_class = AnswerPlan
    permission = PERMISSION
    maps_columns = True
    upload_help = (
        "Ответы, скачанные из Яндекс Форм («Ответы» → «Скачать», формат .xlsx) или из таблицы ответов Google Форм "
        "(«Файл» → «Скачать» → «Microsoft Excel»). Столбцы сопоставляются с вопросами после загрузки."
    )
    example = {"fio": "Иванова Анна Петровна", "class_name": "7Б", "filled_at": "20.11.2026 14:03:11"}

    def __init__(self) -> None:
        super().__init__()
        self._settings: dict[int, Setting] = {}

    def setting(self, context: Context) -> Setting:
        if id(context) not in self._settings:
            self._settings[id(context)] = Setting(context)
        return self._settings[id(context)]

    # -- the upload

    def upload_fields(self, user: Any) -> dict[str, Any]:
        organisations = organisations_where(user, PERMISSION).order_by("short_name")
        return {
            "questionnaire": forms.ModelChoiceField(
                queryset=Questionnaire.objects.restrict(user, "view").filter(is_active=True),
                label="Анкета, на которую отвечали",
                help_text="Столбцы файла будут сопоставлены с вопросами этой анкеты.",
            ),
            "school": forms.ModelChoiceField(
                queryset=organisations,
                label="Организация, чьи участники отвечали",
                initial=organisations.first() if organisations.count() == 1 else None,
                help_text="Участники ищутся по ФИО или внешнему идентификатору среди участников этой организации.",
            ),
        }

    def upload_options(self, user: Any, cleaned: dict[str, Any]) -> dict[str, Any]:
        questionnaire, school = cleaned["questionnaire"], cleaned["school"]
        if questionnaire.organisation_id not in (None, school.pk):
            raise forms.ValidationError(f"Анкета «{questionnaire}» принадлежит другой организации.")
        return {"questionnaire": questionnaire.pk, "organisation": school.pk}

    # -- the columns

    def column_targets(self, context: Context) -> list[tuple[str, str]]:
        setting = self.setting(context)
        questions = [(question_target(q), f"Вопрос {q.position}. {q.text}") for q in setting.questions]
        return [*questions, *((target, label) for target, label, _ in PERSON_TARGETS)]

    def default_target(self, context: Context, title: str, taken: set[str]) -> str:
        text = normalise_text(title)
        for target, _, titles in PERSON_TARGETS:
            if target not in taken and text in {normalise_text(t) for t in titles}:
                return target
        free = [q for q in self.setting(context).questions if question_target(q) not in taken]
        for question in free:
            if normalise_text(question.text) == text:
                return question_target(question)
        likeness = {
            question_target(q): difflib.SequenceMatcher(None, normalise_text(q.text), text).ratio() for q in free
        }
        best = max(likeness, key=likeness.get, default="")
        return best if best and likeness[best] >= LIKENESS else ""

    def check_mapping(self, context: Context, targets: dict[str, str]) -> list[str]:
        problems = []
        if not ({"fio", "surname", "external_id"} & set(targets)):
            problems.append(
                "Сопоставьте столбец с ФИО (или с фамилией) участника либо с его внешним идентификатором: "
                "без него не найти, чьи это ответы."
            )
        if not any(target.startswith("question-") for target in targets):
            problems.append("Ни один столбец не сопоставлен с вопросом анкеты.")
        return problems

    def map_columns(self, context: Context, header: list[Any], report: Report) -> dict[int, str]:
        self.setting(context)
        return super().map_columns(context, header, report)


__all__ = ["AnswerPlan", "AnswerResource", "AnswersImport", "normalise_text"]
