"""Questionnaires and the responses to them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from mentorship import access
from mentorship.errors import DomainError
from mentorship.models import Organisation, Region
from mentorship.services import object_create
from participants.choices import QuestionKind, QuestionnaireAudience
from participants.models import Answer, Pair, Person, Programme, Question, Questionnaire, Response

from .common import _check_fields, _ensure_not_anonymised, _ensure_not_future, _ensure_visible, _lock

#: Called inside the transaction with ``(organisation pk, day)`` whenever people of an organisation are
#: asked (``questionnaire_send`` creates links) or a response is stored (``response_store``). An app keeping
#: figures derived from the answers (monitoring) appends its hook in ``AppConfig.ready``: participants may
#: not import it, and a service calling a list is plainer than a signal.
QUESTIONNAIRE_HOOKS: list[Callable[[int, date], None]] = []

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
    if pair is not None:
        _ensure_visible(actor, pair, "Выберите пару (группу) из списка.")
    response = response_store(
        questionnaire=questionnaire, person=person, pair=pair, filled_on=filled_on, answers=answers
    )
    access.ensure_can(actor, response, "add")
    return response


def response_store(
    *,
    questionnaire: Questionnaire,
    person: Person,
    pair: Pair | None,
    filled_on: date,
    answers: dict[int, str | int],
    sent_before: bool = False,
) -> Response:
    """The rules of a response and its rows, whoever stands for it: a user in scope, or a personal link.

    Called inside a transaction: by ``response_submit`` (which checks the actor's scope) and by
    ``questionnaire_answer`` (where the link's token is the authority). ``sent_before``: the
    questionnaire was sent before it was replaced by a new version, so its links are still answered.
    """
    person = _lock(Person, person)
    if pair is not None and not pair.members.filter(person=person).exists():
        raise DomainError(f"{person.full_name} не состоит в паре (группе) «{pair}».")
    rows = response_validate(
        questionnaire=questionnaire,
        questions=list(questionnaire.questions.all()),
        person=person,
        filled_on=filled_on,
        answers=answers,
        sent_before=sent_before,
    )
    response = Response(
        organisation=person.organisation, questionnaire=questionnaire, person=person, pair=pair, filled_on=filled_on
    )
    response.full_clean()
    response.save()
    for answer in rows:
        answer.response = response
    Answer.objects.bulk_create(rows)
    for hook in QUESTIONNAIRE_HOOKS:
        hook(response.organisation_id, filled_on)
    return response


# --- the curator's questionnaire, filled in by the school's staff themselves ------------------------


def curator_response_of(*, questionnaire: Questionnaire, respondent: Any, programme: Programme) -> Response | None:
    """The response a staff member has already given to a curator's questionnaire about a programme."""
    return Response.objects.filter(questionnaire=questionnaire, respondent=respondent, programme=programme).first()


@transaction.atomic
def curator_response_submit(
    *, actor: Any, questionnaire: Questionnaire, programme: Programme, answers: dict[int, Any]
) -> Response:
    """«Заполнить анкету куратора»: the actor's own answers to a curator's questionnaire about a programme.

    The actor keeps the programme (the school's curator, coordinator or director) and may add
    responses there; only questionnaires addressed to curators; one response per person, questionnaire
    and programme — a second one is refused (the first one stays as it was).
    """
    _ensure_visible(actor, questionnaire, "Выберите анкету из списка.")
    if questionnaire.audience != QuestionnaireAudience.CURATOR:
        raise DomainError(
            f"Анкета «{questionnaire}» адресована участникам программы: её заполняют по личной ссылке, а не куратор."
        )
    if not access.can(actor, programme, "change"):
        raise DomainError("Выберите программу своей организации.")
    programme = _lock(Programme, programme)
    if curator_response_of(questionnaire=questionnaire, respondent=actor, programme=programme) is not None:
        raise DomainError(f"Вы уже заполнили эту анкету по программе «{programme}».")
    filled_on = timezone.localdate()
    rows = response_validate(
        questionnaire=questionnaire,
        questions=list(questionnaire.questions.all()),
        person=None,
        organisation=programme.organisation,
        filled_on=filled_on,
        answers=answers,
    )
    response = Response(
        organisation=programme.organisation,
        questionnaire=questionnaire,
        respondent=actor,
        programme=programme,
        filled_on=filled_on,
    )
    response.full_clean()
    response.save()
    access.ensure_can(actor, response, "add")
    for answer in rows:
        answer.response = response
    Answer.objects.bulk_create(rows)
    return response


# --- templates, copies and versions ---------------------------------------------------------------


@transaction.atomic
def questionnaire_templates_load() -> int:
    """Create the shipped templates (``questionnaire_templates.py``) that are missing; how many were created.

    Idempotent: a template is found by its key and left as it is (answers may refer to it). A data
    migration loads them on a fresh install (with its own models); ``load_demo`` calls this.
    """
    from participants import questionnaire_templates

    return questionnaire_templates.load(Questionnaire, Question)


def _question_rows(questionnaire: Questionnaire, questions: list[dict[str, Any]]) -> list[Question]:
    rows = []
    for number, question_data in enumerate(questions, start=1):
        _check_fields(question_data, QUESTION_FIELDS)
        question = Question(questionnaire=questionnaire, **{**question_data, "position": number})
        if question.kind in (QuestionKind.CHOICE, QuestionKind.MULTIPLE) and len(question.option_list) < 2:
            raise DomainError(f"Вопрос «{question.text}»: укажите хотя бы два варианта ответа, по одному в строке.")
        question.full_clean(exclude=["questionnaire"])
        rows.append(question)
    return rows


def _copy_of(
    questionnaire: Questionnaire, *, organisation: Organisation | None, region: Region | None, version: int
) -> Questionnaire:
    return Questionnaire(
        organisation=organisation,
        region=region,
        title=questionnaire.title,
        audience=questionnaire.audience,
        moment=questionnaire.moment,
        form=questionnaire.form,
        version=version,
        source=questionnaire,
    )


def _questions_copied(source: Questionnaire, target: Questionnaire) -> None:
    Question.objects.bulk_create(
        Question(
            questionnaire=target,
            position=q.position,
            text=q.text,
            kind=q.kind,
            options=q.options,
            feature=q.feature,
            is_required=q.is_required,
        )
        for q in source.questions.all()
    )


@transaction.atomic
def questionnaire_copy(
    *, actor: Any, questionnaire: Questionnaire, organisation: Organisation | None = None, region: Region | None = None
) -> Questionnaire:
    """Copy a template (or any questionnaire the actor sees) into the actor's school or region, to adapt it."""
    _ensure_visible(actor, questionnaire, "Выберите анкету из списка.")
    if (organisation is None) == (region is None):
        raise DomainError("Выберите, куда скопировать анкету: в организацию или в регион.")
    copy = _copy_of(questionnaire, organisation=organisation, region=region, version=1)
    copy.full_clean()
    copy.save()
    access.ensure_can(actor, copy, "add")
    _questions_copied(questionnaire, copy)
    return copy


def _ensure_editable(questionnaire: Questionnaire) -> None:
    if questionnaire.responses.exists():
        raise DomainError(
            "На эту анкету уже есть ответы, её нельзя изменить: создайте новую версию — "
            "прежняя останется для полученных ответов."
        )


@transaction.atomic
def questionnaire_update(
    *, actor: Any, questionnaire: Questionnaire, data: dict[str, Any], questions: list[dict[str, Any]]
) -> Questionnaire:
    """Change a questionnaire's texts and questions (the questions are replaced in the given order).

    Refused once someone has answered it: the answers must keep meaning what was asked.
    """
    _check_fields(data, QUESTIONNAIRE_FIELDS - {"organisation"})
    questionnaire = _lock(Questionnaire, questionnaire)
    access.ensure_can(actor, questionnaire, "change")
    _ensure_editable(questionnaire)
    if not questions:
        raise DomainError("Добавьте в анкету хотя бы один вопрос.")
    for name, value in data.items():
        setattr(questionnaire, name, value)
    questionnaire.full_clean()
    rows = _question_rows(questionnaire, questions)
    questionnaire.save()
    questionnaire.questions.all().delete()
    Question.objects.bulk_create(rows)
    return questionnaire


@transaction.atomic
def questionnaire_new_version(*, actor: Any, questionnaire: Questionnaire) -> Questionnaire:
    """«Создать новую версию»: a copy with the version number raised, kept where the original is.

    The old version stays (for its answers) and is taken out of use, so new links go to the new one.
    """
    questionnaire = _lock(Questionnaire, questionnaire)
    access.ensure_can(actor, questionnaire, "change")
    latest = (
        Questionnaire.objects.filter(
            organisation=questionnaire.organisation_id, region=questionnaire.region_id, title=questionnaire.title
        )
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )
    copy = _copy_of(
        questionnaire,
        organisation=questionnaire.organisation,
        region=questionnaire.region,
        version=max(latest or 1, questionnaire.version) + 1,
    )
    copy.full_clean()
    copy.save()
    access.ensure_can(actor, copy, "add")
    _questions_copied(questionnaire, copy)
    questionnaire.is_active = False
    questionnaire.save(update_fields=["is_active", "updated_at"])
    return copy


# --- answers collected elsewhere (the import of Яндекс Формы / Google Формы exports) -----------------


def response_validate(
    *,
    questionnaire: Questionnaire,
    questions: list[Question],
    person: Person | None,
    filled_on: date,
    answers: dict[int, Any],
    sent_before: bool = False,
    organisation: Organisation | None = None,
) -> list[Answer]:
    """The rules of one response that need no write; its answer rows, not saved.

    ``response_store`` applies them before it writes, and the import of answers collected elsewhere
    runs them row by row in its dry run. A problem with one answer names the question as
    ``field="question-<pk>"``, so the import can point at its column. ``sent_before``: the
    questionnaire was sent before it was replaced by a new version, so its links are still answered.
    ``organisation``: whose response it is when no person stands for it (a curator's questionnaire).
    """
    if person is not None:
        _ensure_not_anonymised(person)
    elif organisation is None:
        raise DomainError("Укажите, чья это анкета.")
    organisation_id = person.organisation_id if person is not None else organisation.pk
    if not questionnaire.is_active and not sent_before:
        raise DomainError(f"Анкета «{questionnaire}» больше не используется.")
    if questionnaire.organisation_id not in (None, organisation_id):
        raise DomainError(f"Анкета «{questionnaire}» принадлежит другой организации.")
    if questionnaire.region_id is not None and questionnaire.region_id != (
        (person.organisation if person is not None else organisation).municipality.region_id
    ):
        raise DomainError(f"Анкета «{questionnaire}» принадлежит другому региону.")
    _ensure_not_future(filled_on, "Дата заполнения анкеты", "filled_on")
    given = {int(key): value for key, value in answers.items()}
    if unknown := set(given) - {question.pk for question in questions}:
        raise DomainError(f"В анкете «{questionnaire}» нет вопросов № {', '.join(map(str, sorted(unknown)))}.")
    rows = []
    for question in questions:
        try:
            answer = _answer_for(question, given.get(question.pk))
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
