"""Questionnaires and the responses to them."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from mentorship.errors import DomainError
from mentorship.services import object_create
from participants.choices import QuestionKind
from participants.models import Answer, Pair, Person, Question, Questionnaire, Response

from .common import _check_fields, _ensure_not_anonymised, _ensure_not_future, _ensure_visible, _lock

QUESTIONNAIRE_FIELDS = frozenset({"organisation", "title", "audience", "moment", "form", "is_active"})


QUESTION_FIELDS = frozenset({"position", "text", "kind", "options", "feature", "is_required"})


@transaction.atomic
def questionnaire_create(*, actor: Any, data: dict[str, Any], questions: list[dict[str, Any]]) -> Questionnaire:
    """An organisation's questionnaire with its questions, numbered in the given order unless numbered."""
    _check_fields(data, QUESTIONNAIRE_FIELDS)
    if not questions:
        raise DomainError("Добавьте в анкету хотя бы один вопрос.")
    questionnaire = object_create(actor=actor, model=Questionnaire, data=data)
    for number, question_data in enumerate(questions, start=1):
        _check_fields(question_data, QUESTION_FIELDS)
        question = Question(questionnaire=questionnaire, **{"position": number, **question_data})
        if question.kind in (QuestionKind.CHOICE, QuestionKind.MULTIPLE) and len(question.option_list) < 2:
            raise DomainError(f"Вопрос «{question.text}»: укажите хотя бы два варианта ответа, по одному в строке.")
        question.full_clean()
        question.save()
    return questionnaire


def _answer_for(question: Question, value: Any) -> Answer | None:
    """Check one answer against its question's kind; ``None`` when left empty."""
    if value is None or (isinstance(value, str | list | tuple) and not value):
        return None
    if question.kind == QuestionKind.SCALE:
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = None
        if number is None or isinstance(value, float) or not 1 <= number <= 10:
            raise DomainError(f"Вопрос «{question.text}»: оценка — целое число от 1 до 10.")
        return Answer(question=question, number=number)
    options = question.option_list
    if question.kind == QuestionKind.CHOICE:
        if str(value).strip() not in options:
            raise DomainError(f"Вопрос «{question.text}»: выберите один из предложенных вариантов.")
        return Answer(question=question, text=str(value).strip())
    if question.kind == QuestionKind.MULTIPLE:
        chosen = [str(item).strip() for item in (value.splitlines() if isinstance(value, str) else value)]
        chosen = [item for item in chosen if item]
        if not chosen:
            return None
        if any(item not in options for item in chosen):
            raise DomainError(f"Вопрос «{question.text}»: выберите варианты из предложенных.")
        return Answer(question=question, text="\n".join(dict.fromkeys(chosen)))
    text = str(value).strip()
    return Answer(question=question, text=text) if text else None


@transaction.atomic
def response_submit(
    *,
    actor: Any,
    questionnaire: Questionnaire,
    person: Person,
    pair: Pair | None = None,
    filled_on: date,
    answers: dict[int, str | int],
) -> Response:
    """Store a person's answers to a questionnaire (about a pair, where given), checked against the questions."""
    _ensure_visible(actor, questionnaire, "Выберите анкету из списка.")
    _ensure_visible(actor, person, "Выберите участника из списка своей организации.")
    person = _lock(Person, person)
    _ensure_not_anonymised(person)
    if not questionnaire.is_active:
        raise DomainError(f"Анкета «{questionnaire}» больше не используется.")
    if questionnaire.organisation_id not in (None, person.organisation_id):
        raise DomainError(f"Анкета «{questionnaire}» принадлежит другой организации.")
    if pair is not None:
        _ensure_visible(actor, pair, "Выберите пару (группу) из списка.")
        if not pair.members.filter(person=person).exists():
            raise DomainError(f"{person.full_name} не состоит в паре (группе) «{pair}».")
    _ensure_not_future(filled_on, "Дата заполнения анкеты", "filled_on")
    questions = {question.pk: question for question in questionnaire.questions.all()}
    if unknown := set(map(int, answers)) - set(questions):
        raise DomainError(f"В анкете «{questionnaire}» нет вопросов № {', '.join(map(str, sorted(unknown)))}.")
    given = {int(key): value for key, value in answers.items()}
    rows = []
    for question in questions.values():
        answer = _answer_for(question, given.get(question.pk))
        if answer is None:
            if question.is_required:
                raise DomainError(f"Ответьте на вопрос «{question.text}».")
            continue
        rows.append(answer)
    response = object_create(
        actor=actor,
        model=Response,
        data={
            "organisation": person.organisation,
            "questionnaire": questionnaire,
            "person": person,
            "pair": pair,
            "filled_on": filled_on,
        },
    )
    for answer in rows:
        answer.response = response
    Answer.objects.bulk_create(rows)
    return response


# --- answers collected elsewhere (the import of Яндекс Формы / Google Формы exports) -----------------


def response_validate(
    *, questionnaire: Questionnaire, questions: list[Question], person: Person, filled_on: date, answers: dict[int, Any]
) -> list[Answer]:
    """The checks of ``response_submit`` that need no database, for an import's dry run row by row.

    A problem with one answer names the question as ``field="question-<pk>"``, so the import can
    point at its column. The write itself goes through ``response_submit`` (``responses_import``),
    which checks everything again.
    """
    _ensure_not_anonymised(person)
    if not questionnaire.is_active:
        raise DomainError(f"Анкета «{questionnaire}» больше не используется.")
    if questionnaire.organisation_id not in (None, person.organisation_id):
        raise DomainError(f"Анкета «{questionnaire}» принадлежит другой организации.")
    _ensure_not_future(filled_on, "Дата заполнения анкеты", "filled_on")
    rows = []
    for question in questions:
        try:
            answer = _answer_for(question, answers.get(question.pk))
        except DomainError as exc:
            raise DomainError(exc.message, field=f"question-{question.pk}") from exc
        if answer is None:
            if question.is_required:
                raise DomainError(f"Ответьте на вопрос «{question.text}».", field=f"question-{question.pk}")
            continue
        rows.append(answer)
    return rows


@transaction.atomic
def responses_import(
    *, actor: Any, questionnaire: Questionnaire, rows: list[tuple[Person, date, dict[int, Any]]]
) -> list[Response]:
    """Many people's answers to one questionnaire at once, all or nothing, each through ``response_submit``."""
    return [
        response_submit(actor=actor, questionnaire=questionnaire, person=person, filled_on=filled_on, answers=answers)
        for person, filled_on, answers in rows
    ]
