"""Writes to participants: people, bases, consents, questionnaires, programmes, pairs, plans and meetings.

Views, forms, imports, matching and commands all call these. Two kinds of refusal, as in
``roadmaps.services``:

* ``PermissionDenied`` — the actor may not act on this record at all (outside their scope, or a
  read-only role); views answer 403 (or 404 where the record is invisible);
* ``DomainError`` — the actor may act, but a rule of the domain says no (no consent, a minor who
  signed their own consent, a mentor at capacity, a person of another school…); its Russian
  message is shown as is. People chosen in a form but outside the actor's scope are refused with a
  ``DomainError`` too: the form shows the message, nothing is saved, and nothing about the foreign
  person is revealed.

``full_clean()`` errors are let through as ``ValidationError`` so that forms show them by field.
Every service is atomic: a refusal leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from guardian.shortcuts import assign_perm

from mentorship import access
from mentorship.choices import Level, OrganisationKind
from mentorship.errors import DomainError
from mentorship.models import Organisation, Partner, RoleAssignment
from mentorship.services import object_create, object_delete, object_update
from mentorship.workflow import actor_user
from participants.choices import (
    BaseRole,
    ConsentSigner,
    MeetingKind,
    MenteeCategory,
    MentorKind,
    MentorshipForm,
    PairStatus,
    PersonKind,
    QuestionKind,
    Stage,
    SuggestionStatus,
)
from participants.models import (
    Answer,
    BaseEntry,
    Consent,
    CooperationAgreement,
    DevelopmentPlan,
    MatchSuggestion,
    Meeting,
    Pair,
    PairMember,
    Person,
    PlanTask,
    Programme,
    Question,
    Questionnaire,
    Response,
    school_year_label,
    school_year_of,
)
from participants.selectors import mentees_led, open_memberships, valid_consent_q

PERSON_FIELDS = frozenset(
    {
        "kind",
        "surname",
        "name",
        "patronymic",
        "birth_date",
        "email",
        "phone",
        "external_id",
        "class_name",
        "position",
        "subject",
        "service_start",
        "is_manager",
        "workplace",
        "partner",
        "interests",
        "competences",
        "achievements",
    }
)
ENTRY_FIELDS = frozenset(
    {
        "mentee_category",
        "mentor_kind",
        "form",
        "request",
        "capacity",
        "preferred_age_min",
        "preferred_age_max",
        "availability",
        "is_active",
    }
)
CONSENT_FIELDS = frozenset({"signer", "signer_name", "signed_on", "scope", "valid_until", "document"})
AGREEMENT_FIELDS = frozenset({"partner", "number", "signed_on", "valid_until", "document"})
QUESTIONNAIRE_FIELDS = frozenset({"organisation", "title", "audience", "moment", "form", "is_active"})
QUESTION_FIELDS = frozenset({"position", "text", "kind", "options", "feature", "is_required"})
PROGRAMME_FIELDS = frozenset(
    {
        "title",
        "form",
        "goals",
        "expected_results",
        "duration_months",
        "school_year",
        "materials",
        "document",
        "is_published",
        "is_good_practice",
        "is_active",
    }
)
TASK_FIELDS = frozenset({"title", "deadline", "done_on", "result"})
MEETING_PLAN_FIELDS = frozenset({"kind", "planned_on", "topic", "notes", "planned_meetings"})
MEETING_RECORD_FIELDS = frozenset(
    {
        "held_on",
        "topic",
        "notes",
        "mentor_feedback",
        "mentee_feedback",
        "mentor_rating",
        "mentee_rating",
        "planned_meetings",
    }
)

STUDENT_BIRTH_DATE_REQUIRED = "Укажите дату рождения обучающегося: по ней определяется, кто подписывает согласие."
WITHDRAWAL_REASON = "Отзыв согласия на обработку персональных данных"
ANONYMOUS_SURNAME = "Участник"

#: Who may be a mentor in the base, by the kind of person.
MENTOR_KINDS_BY_PERSON = {
    PersonKind.STUDENT: {MentorKind.STUDENT},
    PersonKind.TEACHER: {MentorKind.TEACHER, MentorKind.VETERAN},
    PersonKind.EXTERNAL: {
        MentorKind.STUDENT,
        MentorKind.PARENT,
        MentorKind.GRADUATE,
        MentorKind.EMPLOYEE,
        MentorKind.PUBLIC_FIGURE,
        MentorKind.VETERAN,
    },
}
EMPLOYER_KINDS = {MentorKind.EMPLOYEE, MentorKind.PUBLIC_FIGURE}


# --- helpers ---------------------------------------------------------------------------------------


def _today() -> date:
    return timezone.localdate()


def _check_fields(data: dict[str, Any], allowed: frozenset[str]) -> None:
    if unknown := set(data) - allowed:
        raise ValueError(f"Fields that cannot be set here: {sorted(unknown)}")


def _d(day: date) -> str:
    return f"{day:%d.%m.%Y}"


def _ensure_not_future(day: date | None, what: str, field: str | None = None) -> None:
    if day is not None and day > _today():
        raise DomainError(f"{what} {_d(day)} ещё не наступила.", field=field)


def _ensure_visible(actor: Any, obj: Any, message: str) -> None:
    """A record chosen in a form must be one the actor sees; otherwise the form says so, revealing nothing."""
    if obj is not None and not access.can(actor, obj, "view"):
        raise DomainError(message)


def _ensure_not_anonymised(person: Person) -> None:
    if person.anonymised_at is not None:
        raise DomainError(
            "Участник отозвал согласие на обработку персональных данных: его данные скрыты и больше не изменяются."
        )


def person_validate(person: Person) -> None:
    """The domain's rules on one person's record, without the database: forms and imports share them."""
    _ensure_not_future(person.birth_date, "Дата рождения", "birth_date")
    _ensure_not_future(person.service_start, "Дата начала педагогического стажа", "service_start")
    if person.birth_date and person.service_start and person.service_start <= person.birth_date:
        raise DomainError("Педагогический стаж не может начинаться раньше даты рождения.", field="service_start")
    if person.kind == PersonKind.STUDENT and person.birth_date is None:
        raise DomainError(STUDENT_BIRTH_DATE_REQUIRED, field="birth_date")


def _lock(model: type[Any], obj: Any) -> Any:
    return model.objects.select_for_update().get(pk=obj.pk)


# --- people ----------------------------------------------------------------------------------------


@transaction.atomic
def person_create(*, actor: Any, data: dict[str, Any]) -> Person:
    """Add a person to an organisation (``data["organisation"]``) the actor keeps."""
    _check_fields(data, PERSON_FIELDS | {"organisation"})
    _ensure_visible(actor, data.get("partner"), "Выберите организацию-партнёр из списка.")
    person = Person(**data)
    person_validate(person)
    return object_create(actor=actor, model=Person, data=data)


@transaction.atomic
def person_update(*, actor: Any, person: Person, data: dict[str, Any]) -> Person:
    """Change a person's record; the organisation does not change (a move is a new record at the new school)."""
    _check_fields(data, PERSON_FIELDS)
    access.ensure_can(actor, person, "change")
    person = _lock(Person, person)
    _ensure_not_anonymised(person)
    _ensure_visible(actor, data.get("partner"), "Выберите организацию-партнёр из списка.")
    for field, value in data.items():
        setattr(person, field, value)
    person_validate(person)
    return object_update(actor=actor, obj=person, data={})


# --- bases -----------------------------------------------------------------------------------------


def base_entry_validate(entry: BaseEntry, person: Person) -> None:
    """The rules on a base entry for ``person`` (clears the category of the other base); no database access."""
    if entry.role == BaseRole.MENTEE:
        if person.kind == PersonKind.EXTERNAL:
            raise DomainError(
                "Внешний участник может быть только наставником: в базу наставляемых вносятся обучающиеся и педагоги."
            )
        allowed = MenteeCategory.for_students() if person.kind == PersonKind.STUDENT else MenteeCategory.for_teachers()
        if not entry.mentee_category:
            raise DomainError("Укажите категорию наставляемого.", field="mentee_category")
        if entry.mentee_category not in allowed:
            raise DomainError(
                f"Категория «{entry.get_mentee_category_display()}» не подходит: "
                f"{person.full_name} — {person.get_kind_display().lower()}.",
                field="mentee_category",
            )
        entry.mentor_kind = ""
    else:
        if not entry.mentor_kind:
            raise DomainError("Укажите категорию наставника.", field="mentor_kind")
        if entry.mentor_kind not in MENTOR_KINDS_BY_PERSON[person.kind]:
            raise DomainError(
                f"Категория наставника «{entry.get_mentor_kind_display()}» не подходит: "
                f"{person.full_name} — {person.get_kind_display().lower()}.",
                field="mentor_kind",
            )
        entry.mentee_category = ""
    low, high = entry.preferred_age_min, entry.preferred_age_max
    if low is not None and high is not None and low > high:
        raise DomainError("Возраст наставляемых «от» больше, чем «до».", field="preferred_age_max")


@transaction.atomic
def participant_enrol(
    *,
    actor: Any,
    organisation: Organisation,
    role: BaseRole | str,
    school_year: int,
    person: dict[str, Any] | None = None,
    existing: Person | None = None,
    entry: dict[str, Any],
    consent: dict[str, Any] | None = None,
) -> BaseEntry:
    """Add a mentor or a mentee to the organisation's base of a school year, in one step.

    Creates the person from ``person`` (or takes ``existing``, a person of the same organisation),
    their base entry from ``entry`` and, when given, their consent from ``consent``.
    """
    if (person is None) == (existing is None):
        raise ValueError("Give either the new person's data or an existing person.")
    _check_fields(entry, ENTRY_FIELDS)
    if existing is None:
        someone = person_create(actor=actor, data={**person, "organisation": organisation})
    else:
        _ensure_visible(actor, existing, "Выберите участника из списка своей организации.")
        if existing.organisation_id != organisation.pk:
            raise DomainError(
                f"{existing.full_name} относится к другой организации: выберите участника из «{organisation}»."
            )
        _ensure_not_anonymised(existing)
        someone = existing
    data = {"organisation": organisation, "person": someone, "school_year": school_year, "role": role, **entry}
    draft = BaseEntry(**data)
    base_entry_validate(draft, someone)
    data |= {"mentee_category": draft.mentee_category, "mentor_kind": draft.mentor_kind}
    record = object_create(actor=actor, model=BaseEntry, data=data)
    if consent is not None:
        consent_record(actor=actor, person=someone, data=consent)
    return record


@transaction.atomic
def base_entry_update(*, actor: Any, entry: BaseEntry, data: dict[str, Any]) -> BaseEntry:
    _check_fields(data, ENTRY_FIELDS)
    access.ensure_can(actor, entry, "change")
    entry = BaseEntry.objects.select_for_update().select_related("person").get(pk=entry.pk)
    for field, value in data.items():
        setattr(entry, field, value)
    base_entry_validate(entry, entry.person)
    return object_update(actor=actor, obj=entry, data={})


@transaction.atomic
def base_entry_remove(*, actor: Any, entry: BaseEntry) -> None:
    """Take a person out of a base; refused while they are in an open pair of that year in that role."""
    access.ensure_can(actor, entry, "delete")
    if open_memberships(role=entry.role, school_year=entry.school_year).filter(person_id=entry.person_id).exists():
        raise DomainError(
            f"{entry.person.full_name} состоит в действующей паре (группе) этого учебного года: "
            "сначала завершите или прекратите её."
        )
    object_delete(actor=actor, obj=entry)


# --- consents and agreements ---------------------------------------------------------------------


@transaction.atomic
def consent_record(*, actor: Any, person: Person, data: dict[str, Any]) -> Consent:
    """Record a consent to personal-data processing (152-ФЗ): the person signs it, a parent for a minor."""
    _check_fields(data, CONSENT_FIELDS)
    _ensure_visible(actor, person, "Выберите участника из списка своей организации.")
    person = _lock(Person, person)
    _ensure_not_anonymised(person)
    data = {"organisation": person.organisation, "person": person, **data}
    consent = Consent(**data)
    consent_validate(consent, person)
    return object_create(actor=actor, model=Consent, data=data | {"signer_name": consent.signer_name})


def consent_validate(consent: Consent, person: Person) -> None:
    """The rules on a consent signed by or for ``person`` (normalises ``signer_name``); no database access."""
    if not consent.signer:
        raise DomainError("Укажите, кто подписал согласие.", field="signer")
    if consent.signed_on is None:
        raise DomainError("Укажите дату подписания согласия.", field="signed_on")
    _ensure_not_future(consent.signed_on, "Дата подписания согласия", "signed_on")
    if person.birth_date and consent.signed_on < person.birth_date:
        raise DomainError("Согласие не может быть подписано раньше даты рождения участника.", field="signed_on")
    if consent.valid_until is not None and consent.valid_until < consent.signed_on:
        raise DomainError("Срок действия согласия не может закончиться раньше его подписания.", field="valid_until")
    consent.signer_name = (consent.signer_name or "").strip()
    if consent.signer == ConsentSigner.SELF:
        if person.birth_date is None and person.kind == PersonKind.STUDENT:
            raise DomainError(STUDENT_BIRTH_DATE_REQUIRED, field="birth_date")
        if person.is_minor_on(consent.signed_on):
            raise DomainError(
                "Согласие за несовершеннолетнего подписывает родитель или законный представитель: "
                f"{person.full_name} на {_d(consent.signed_on)} нет 18 лет.",
                field="signer",
            )
        consent.signer_name = ""
    elif not consent.signer_name:
        raise DomainError(
            "Укажите ФИО родителя или законного представителя, подписавшего согласие.", field="signer_name"
        )


def _anonymise(person: Person, now: Any) -> None:
    """Erase what identifies the person, here and in the change log; keep the kind and the birth year."""
    erased = {
        "surname": ANONYMOUS_SURNAME,
        "name": f"№{person.pk}",
        "patronymic": "",
        "email": "",
        "phone": "",
        "external_id": "",
        "workplace": "",
        "interests": "",
        "competences": "",
        "achievements": "",
        "user": None,
        "birth_date": date(person.birth_date.year, 7, 1) if person.birth_date else None,
        "service_start": date(person.service_start.year, 7, 1) if person.service_start else None,
    }
    for field, value in erased.items():
        setattr(person, field, value)
    person.anonymised_at = now
    person._change_reason = WITHDRAWAL_REASON
    person.save()
    # The change log must not keep what the person asked to erase.
    Person.history.filter(id=person.pk).update(**erased)
    Consent.objects.filter(person=person).update(signer_name="")
    Consent.history.filter(person_id=person.pk).update(signer_name="")


@transaction.atomic
def consent_withdraw(*, actor: Any, consent: Consent, on: date) -> None:
    """The person withdraws their consent on ``on``.

    Their open memberships end that day; a pair left without a mentor or without a mentee is
    terminated; their proposed matches are rejected; they leave the bases; then their personal
    data are erased (``anonymised_at``). The records stay, nameless, so counts for monitoring hold.
    """
    access.ensure_can(actor, consent, "change")
    consent = Consent.objects.select_for_update().select_related("person").get(pk=consent.pk)
    if consent.withdrawn_on is not None:
        raise DomainError(f"Согласие уже отозвано {_d(consent.withdrawn_on)}.")
    _ensure_not_future(on, "Дата отзыва согласия", "on")
    if on < consent.signed_on:
        raise DomainError("Согласие не может быть отозвано раньше, чем подписано.", field="on")
    person = _lock(Person, consent.person)
    access.ensure_can(actor, person, "change")
    Consent.objects.filter(person=person, withdrawn_on__isnull=True).update(withdrawn_on=on)

    memberships = open_memberships().filter(person=person)
    pair_ids = list(memberships.values_list("pair_id", flat=True))
    memberships.update(left_on=Greatest("joined_on", Value(on)))
    _terminate_unstaffed(pair_ids, on, WITHDRAWAL_REASON)
    MatchSuggestion.objects.filter(Q(mentor=person) | Q(mentee=person), status=SuggestionStatus.PROPOSED).update(
        status=SuggestionStatus.REJECTED, decided_by=actor_user(actor), decided_at=timezone.now()
    )
    BaseEntry.objects.filter(person=person, is_active=True).update(is_active=False)
    _anonymise(person, timezone.now())


@transaction.atomic
def agreement_record(*, actor: Any, person: Person, data: dict[str, Any]) -> CooperationAgreement:
    """Record the free co-operation agreement an external mentor signs (seed 003, 4.14)."""
    _check_fields(data, AGREEMENT_FIELDS)
    _ensure_visible(actor, person, "Выберите участника из списка своей организации.")
    person = _lock(Person, person)
    _ensure_not_anonymised(person)
    if person.kind != PersonKind.EXTERNAL:
        raise DomainError("Соглашение о сотрудничестве заключается с внешним наставником.")
    partner: Partner | None = data.get("partner")
    _ensure_visible(actor, partner, "Выберите организацию-партнёр из списка.")
    signed_on = data.get("signed_on")
    if signed_on is None:
        raise DomainError("Укажите дату заключения соглашения.", field="signed_on")
    _ensure_not_future(signed_on, "Дата заключения соглашения", "signed_on")
    valid_until = data.get("valid_until")
    if valid_until is not None and valid_until < signed_on:
        raise DomainError("Соглашение не может закончиться раньше, чем заключено.", field="valid_until")
    return object_create(
        actor=actor,
        model=CooperationAgreement,
        data={"organisation": person.organisation, "person": person, **data},
    )


# --- questionnaires -------------------------------------------------------------------------------


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


# --- programmes ----------------------------------------------------------------------------------


@transaction.atomic
def programme_create(*, actor: Any, data: dict[str, Any]) -> Programme:
    """A programme of an organisation (``data["organisation"]``) the actor keeps."""
    _check_fields(data, PROGRAMME_FIELDS | {"organisation"})
    return object_create(actor=actor, model=Programme, data=data)


@transaction.atomic
def programme_update(*, actor: Any, programme: Programme, data: dict[str, Any]) -> Programme:
    """Change a programme; its form and school year are fixed once pairs work in it."""
    _check_fields(data, PROGRAMME_FIELDS)
    access.ensure_can(actor, programme, "change")
    programme = _lock(Programme, programme)
    changes_pairs = any(field in data and data[field] != getattr(programme, field) for field in ("form", "school_year"))
    if changes_pairs and programme.pairs.exists():
        raise DomainError("В программе уже есть пары (группы): её форму и учебный год изменить нельзя.")
    return object_update(actor=actor, obj=programme, data=data)


@transaction.atomic
def programme_copy(*, actor: Any, source: Programme, organisation: Organisation, school_year: int) -> Programme:
    """Copy a programme from the bank (or one's own) into ``organisation`` for ``school_year``."""
    _ensure_visible(actor, source, "Выберите программу из банка программ.")
    if not source.is_published and source.organisation_id != organisation.pk:
        raise DomainError(f"Программа «{source}» не опубликована в банке программ: скопировать её нельзя.")
    return object_create(
        actor=actor,
        model=Programme,
        data={
            "organisation": organisation,
            "title": source.title,
            "form": source.form,
            "goals": source.goals,
            "expected_results": source.expected_results,
            "duration_months": source.duration_months,
            "school_year": school_year,
            "materials": source.materials,
            "document": source.document,
            "source": source,
        },
    )


# --- pairs -----------------------------------------------------------------------------------------


def _form_rule(form: str, mentors: Sequence[Person], mentees: Sequence[Person], entries: dict[int, BaseEntry]) -> None:
    """The domain's rules on who may mentor whom in each form, with the form named in the message."""
    label = f"«{MentorshipForm(form).label}»"
    students = [p for p in (*mentors, *mentees) if p.kind == PersonKind.STUDENT]
    if form == MentorshipForm.STUDENT_STUDENT:
        if any(p.kind != PersonKind.STUDENT for p in (*mentors, *mentees)):
            raise DomainError(f"В форме {label} и наставник, и наставляемый — обучающиеся.")
        if len({p.organisation_id for p in students}) > 1:
            raise DomainError(f"В форме {label} наставник и наставляемый учатся в одной образовательной организации.")
        return
    mentor_ok = {
        MentorshipForm.TEACHER_TEACHER: lambda p: p.kind == PersonKind.TEACHER,
        MentorshipForm.TEACHER_STUDENT: lambda p: p.kind == PersonKind.TEACHER,
        MentorshipForm.MANAGER_YOUNG_MANAGER: lambda p: p.kind == PersonKind.TEACHER and p.is_manager,
        MentorshipForm.COLLEGE_STUDENT_STUDENT: lambda p: (
            (p.kind == PersonKind.STUDENT and p.organisation.kind == OrganisationKind.COLLEGE)
            or (p.kind == PersonKind.EXTERNAL and entries[p.pk].mentor_kind == MentorKind.STUDENT and bool(p.workplace))
        ),
        MentorshipForm.EMPLOYER_STUDENT: lambda p: (
            p.kind == PersonKind.EXTERNAL and entries[p.pk].mentor_kind in EMPLOYER_KINDS
        ),
        MentorshipForm.EMPLOYER_COLLEGE_STUDENT: lambda p: (
            p.kind == PersonKind.EXTERNAL and entries[p.pk].mentor_kind in EMPLOYER_KINDS
        ),
    }[MentorshipForm(form)]
    mentor_text = {
        MentorshipForm.TEACHER_TEACHER: "педагог",
        MentorshipForm.TEACHER_STUDENT: "педагог",
        MentorshipForm.MANAGER_YOUNG_MANAGER: "педагог на руководящей должности",
        MentorshipForm.COLLEGE_STUDENT_STUDENT: "студент колледжа (внешнему наставнику — с указанным местом учёбы)",
        MentorshipForm.EMPLOYER_STUDENT: "сотрудник предприятия, предприниматель или общественный деятель",
        MentorshipForm.EMPLOYER_COLLEGE_STUDENT: "сотрудник предприятия, предприниматель или общественный деятель",
    }[MentorshipForm(form)]
    for mentor in mentors:
        if not mentor_ok(mentor):
            raise DomainError(f"В форме {label} наставник — {mentor_text}; {mentor.full_name} не подходит.")
    mentee_kind = (
        PersonKind.TEACHER
        if form in (MentorshipForm.TEACHER_TEACHER, MentorshipForm.MANAGER_YOUNG_MANAGER)
        else PersonKind.STUDENT
    )
    for mentee in mentees:
        if mentee.kind != mentee_kind:
            whom = "педагог" if mentee_kind == PersonKind.TEACHER else "обучающийся"
            raise DomainError(f"В форме {label} наставляемый — {whom}; {mentee.full_name} не подходит.")
        if form == MentorshipForm.EMPLOYER_COLLEGE_STUDENT and mentee.organisation.kind != OrganisationKind.COLLEGE:
            raise DomainError(f"В форме {label} наставляемый — студент колледжа; {mentee.full_name} не подходит.")


def _ensure_people_visible(actor: Any, ids: Collection[int], message: str) -> None:
    """People chosen in a form must all be ones the actor sees; otherwise the form says so, naming nobody."""
    if set(Person.objects.restrict(actor, "view").filter(pk__in=ids).values_list("pk", flat=True)) != set(ids):
        raise DomainError(message)


def _lock_people(ids: Collection[int], on: date) -> dict[int, Person]:
    """The people, locked in the order of their ids, each with ``consented`` on ``on`` (checked by the database).

    Locking the mentors makes two curators who add mentees to the same mentor at once wait for each
    other, so the capacity counted by the second includes what the first has just added.
    """
    return {
        person.pk: person
        for person in Person.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .filter(pk__in=ids)
        .annotate(consented=valid_consent_q(on))
        .order_by("pk")
    }


def _base_entries(programme: Programme, roles: dict[int, str]) -> dict[int, BaseEntry]:
    """Each person's entry in the base of the programme's organisation and school year, in their role in the pair.

    Inactive entries are included: they still say how many mentees a mentor already in the pair may
    lead; a newcomer needs an active one (``_check_newcomer``).
    """
    return {
        entry.person_id: entry
        for entry in BaseEntry.objects.filter(
            person_id__in=roles, school_year=programme.school_year, organisation=programme.organisation_id
        )
        if entry.role == roles[entry.person_id]
    }


def _entry_of(
    person: Person, role: str, entries: dict[int, BaseEntry], programme: Programme, *, in_use: bool = False
) -> BaseEntry:
    """The person's base entry in ``role``; with ``in_use``, one taken out of use (``is_active``) counts as none."""
    entry = entries.get(person.pk)
    if entry is None or entry.role != role or (in_use and not entry.is_active):
        base = "наставников" if role == BaseRole.MENTOR else "наставляемых"
        raise DomainError(
            f"{person.full_name} нет в базе {base} на {school_year_label(programme.school_year)} учебный год."
        )
    return entry


def _check_newcomer(person: Person, role: str, programme: Programme, entries: dict[int, BaseEntry], on: date) -> None:
    """Whether ``person`` may join a pair (group) of ``programme`` in ``role`` on ``on``, the form's rules aside."""
    if person.organisation_id != programme.organisation_id:
        raise DomainError(
            f"{person.full_name} не относится к «{programme.organisation}»: в пару (группу) включаются участники "
            "базы этой организации (внешние наставники — тоже после внесения в её базу)."
        )
    if person.anonymised_at is not None:
        raise DomainError(f"Участник {person.full_name} отозвал согласие на обработку персональных данных.")
    if not person.consented:
        raise DomainError(
            f"У участника {person.full_name} нет действующего согласия на обработку персональных данных на {_d(on)}."
        )
    _entry_of(person, role, entries, programme, in_use=True)
    if role == BaseRole.MENTOR and person.kind == PersonKind.EXTERNAL:
        agreed = (
            CooperationAgreement.objects.filter(person=person, signed_on__lte=on)
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
            .exists()
        )
        if not agreed:
            raise DomainError(
                f"С внешним наставником {person.full_name} нет действующего соглашения о сотрудничестве на {_d(on)}."
            )


def _check_composition(
    programme: Programme,
    mentors: Sequence[Person],
    mentees: Sequence[Person],
    newcomers: Sequence[Person],
    entries: dict[int, BaseEntry],
    on: date,
) -> None:
    """The rules for ``newcomers`` joining a pair (group) that will be ``mentors`` and ``mentees`` of ``programme``."""
    if programme.form == MentorshipForm.STUDENT_STUDENT:
        # Said first: «учатся в одной организации» explains more than «не относится к организации».
        _form_rule(programme.form, mentors, mentees, entries)
    mentor_ids = {mentor.pk for mentor in mentors}
    for person in newcomers:
        role = BaseRole.MENTOR if person.pk in mentor_ids else BaseRole.MENTEE
        _check_newcomer(person, role, programme, entries, on)
    _form_rule(programme.form, mentors, mentees, entries)


def _ensure_capacity(mentors: Sequence[Person], entries: dict[int, BaseEntry], programme: Programme, more: int) -> None:
    """No mentor leads more mentees this school year than the capacity of their base entry, ``more`` included."""
    for mentor in mentors:
        led = mentees_led(mentor_ref=mentor.pk, school_year_ref=programme.school_year).count()
        capacity = _entry_of(mentor, BaseRole.MENTOR, entries, programme).capacity
        if led + more > capacity:
            raise DomainError(
                f"Наставник {mentor.full_name} уже ведёт наставляемых: {led} из {capacity}; "
                f"ещё {more} — больше, чем он может вести."
            )


def _ensure_not_in_programme(programme: Programme, ids: Collection[int]) -> None:
    taken = open_memberships().filter(programme=programme, person_id__in=ids).select_related("person").first()
    if taken is not None:
        raise DomainError(f"{taken.person.full_name} уже состоит в паре (группе) программы «{programme}».")


def _members_insert(pair: Pair, people: Sequence[tuple[Person, str]], joined_on: date) -> list[PairMember]:
    """Insert the memberships; the database's constraint has the last word on «once per programme»."""
    try:
        with transaction.atomic():
            members = PairMember.objects.bulk_create(
                PairMember(pair=pair, person=person, programme=pair.programme, role=role, joined_on=joined_on)
                for person, role in people
            )
    except IntegrityError as exc:
        # Another curator put one of them in this programme between our check and our insert.
        raise DomainError("Один из участников уже состоит в паре (группе) этой программы.") from exc
    # A mentor with a portal account sees the pairs they lead.
    for person, role in people:
        if role == BaseRole.MENTOR and person.user_id is not None:
            assign_perm("participants.view_pair", person.user, pair)
    return members


@transaction.atomic
def pair_create(
    *,
    actor: Any,
    programme: Programme,
    mentors: list[Person],
    mentees: list[Person],
    started_on: date,
    title: str = "",
    planned_end: date | None = None,
) -> Pair:
    """Form a pair (one mentor, one mentee) or a group (more than one mentee) in a programme.

    Everybody must be of the programme's organisation and visible to the actor, in its base of
    that school year, with a consent valid on ``started_on``; external mentors need a co-operation
    agreement; the form's rules hold; no mentor goes over capacity; nobody is twice in the programme.
    """
    if not mentors:
        raise DomainError("В паре (группе) должен быть хотя бы один наставник.")
    if not mentees:
        raise DomainError("В паре (группе) должен быть хотя бы один наставляемый.")
    ids = [person.pk for person in (*mentors, *mentees)]
    if len(set(ids)) != len(ids):
        raise DomainError("Один и тот же участник выбран дважды: наставник не может быть своим наставляемым.")
    _ensure_visible(actor, programme, "Выберите программу из списка своей организации.")
    programme = _lock(Programme, programme)
    if not programme.is_active:
        raise DomainError(f"Программа «{programme}» больше не действует.")
    if school_year_of(started_on) != programme.school_year:
        raise DomainError(
            f"Начало работы {_d(started_on)} не приходится на учебный год программы "
            f"({school_year_label(programme.school_year)})."
        )
    if planned_end is not None and planned_end < started_on:
        raise DomainError("Плановое окончание не может быть раньше начала работы.", field="planned_end")

    _ensure_people_visible(
        actor, ids, "Среди выбранных участников есть недоступные вам: выберите участников из списка своей организации."
    )
    people = _lock_people(ids, started_on)
    mentors = [people[p.pk] for p in mentors]
    mentees = [people[p.pk] for p in mentees]
    roles = {p.pk: BaseRole.MENTOR for p in mentors} | {p.pk: BaseRole.MENTEE for p in mentees}
    entries = _base_entries(programme, roles)
    _check_composition(programme, mentors, mentees, [*mentors, *mentees], entries, started_on)
    _ensure_capacity(mentors, entries, programme, len(mentees))
    _ensure_not_in_programme(programme, ids)

    pair = object_create(
        actor=actor,
        model=Pair,
        data={
            "organisation": programme.organisation,
            "programme": programme,
            "form": programme.form,
            "title": title.strip(),
            "school_year": programme.school_year,
            "stage": Stage.PAIRING,
            "status": PairStatus.FORMING,
            "started_on": started_on,
            "planned_end": planned_end,
            "created_by": actor_user(actor),
        },
    )
    _members_insert(pair, [(person, roles[person.pk]) for person in (*mentors, *mentees)], started_on)
    return pair


@transaction.atomic
def pair_member_add(*, actor: Any, pair: Pair, person: Person, role: BaseRole | str, joined_on: date) -> PairMember:
    """Add a mentee (a pair becomes a group) or a co-mentor to an open pair (group) from ``joined_on``.

    The newcomer meets the rules of ``pair_create``: of the pair's organisation and visible to the
    actor, in its base of that school year in ``role``, with a consent (and, for an external mentor,
    an agreement) valid on ``joined_on``; the form's rules hold for the whole pair with them; no
    mentor of the pair goes over capacity; they are in no other open pair of the programme.
    """
    role = BaseRole(role)
    pair = _lock_pair(actor, pair)
    _ensure_open(pair)
    programme = pair.programme
    if school_year_of(joined_on) != pair.school_year:
        raise DomainError(
            f"Дата вступления {_d(joined_on)} не приходится на учебный год пары (группы) "
            f"({school_year_label(pair.school_year)}).",
            field="joined_on",
        )
    if joined_on < pair.started_on:
        raise DomainError(
            f"Вступить в пару (группу) можно не раньше начала её работы ({_d(pair.started_on)}).", field="joined_on"
        )
    _ensure_people_visible(actor, [person.pk], "Выберите участника из списка своей организации.")
    current = dict(pair.members.filter(left_on__isnull=True).values_list("person_id", "role"))
    people = _lock_people({*current, person.pk}, joined_on)
    newcomer = people[person.pk]
    if newcomer.pk in current:
        raise DomainError(f"{newcomer.full_name} уже состоит в этой паре (группе).")
    mentors = [people[pk] for pk, member_role in current.items() if member_role == BaseRole.MENTOR]
    mentees = [people[pk] for pk, member_role in current.items() if member_role == BaseRole.MENTEE]
    entries = _base_entries(programme, current | {newcomer.pk: role})
    for mentor in mentors:
        _entry_of(mentor, BaseRole.MENTOR, entries, programme)  # the form's rules read the mentors' entries
    if role == BaseRole.MENTOR:
        _check_composition(programme, [*mentors, newcomer], mentees, [newcomer], entries, joined_on)
        _ensure_capacity([newcomer], entries, programme, len(mentees))
    else:
        _check_composition(programme, mentors, [*mentees, newcomer], [newcomer], entries, joined_on)
        _ensure_capacity(mentors, entries, programme, 1)
    _ensure_not_in_programme(programme, [newcomer.pk])
    if pair.members.filter(person=newcomer).exists():
        # One membership per person and pair: the dates of their first stay are kept, not overwritten.
        raise DomainError(
            f"{newcomer.full_name} уже выходил(а) из пары (группы) «{pair}»: вернуть участника в ту же пару нельзя, "
            "сформируйте новую пару."
        )
    [member] = _members_insert(pair, [(newcomer, role)], joined_on)
    return member


@transaction.atomic
def pair_member_remove(*, actor: Any, member: PairMember, left_on: date, reason: str = "") -> Pair:
    """A member leaves an open pair (group) on ``left_on``; returns the pair.

    A pair left without a mentor or without a mentee is terminated that day with ``reason``, which
    is then required (as for ``pair_terminate``); otherwise the reason goes to the change log.
    """
    pair = _lock_pair(actor, member.pair)
    _ensure_open(pair)
    member = PairMember.objects.select_for_update(of=("self",)).select_related("person").get(pk=member.pk)
    name = member.person.full_name
    if member.left_on is not None:
        raise DomainError(f"{name} уже вышел(а) из пары (группы) {_d(member.left_on)}.")
    _ensure_not_future(left_on, "Дата выхода из пары (группы)", "left_on")
    if left_on < member.joined_on:
        raise DomainError(f"{name} не может выйти из пары (группы) раньше, чем вступил(а): {_d(member.joined_on)}.")
    reason = reason.strip()
    last = not pair.members.filter(role=member.role, left_on__isnull=True).exclude(pk=member.pk).exists()
    if last and not reason:
        whom = "наставник" if member.role == BaseRole.MENTOR else "наставляемый"
        raise DomainError(
            f"{name} — последний {whom} пары (группы): без него она прекращается; укажите причину.", field="reason"
        )
    member.left_on = left_on
    member._change_reason = reason
    member.full_clean()
    member.save(update_fields=["left_on"])
    _terminate_unstaffed([pair.pk], left_on, reason)
    pair.refresh_from_db()
    return pair


def _lock_pair(actor: Any, pair: Pair, action: str = "change") -> Pair:
    access.ensure_can(actor, pair, action)
    return Pair.objects.select_for_update().get(pk=pair.pk)


def _ensure_open(pair: Pair) -> None:
    if pair.status not in PairStatus.open():
        raise DomainError(f"Пара (группа) «{pair}» уже {pair.get_status_display().lower()}: её работа окончена.")


#: The stages a pair may be put at by hand in each status (7 comes with completion).
STAGES_BY_STATUS = {
    PairStatus.FORMING: {Stage.CONDITIONS, Stage.MENTEE_BASE, Stage.MENTOR_BASE, Stage.MENTOR_TRAINING, Stage.PAIRING},
    PairStatus.ACTIVE: {Stage.WORK},
}


@transaction.atomic
def pair_stage_set(*, actor: Any, pair: Pair, stage: int) -> Pair:
    """Put a pair at a stage its status allows: 1–5 while forming, 6 once confirmed; 7 comes with completion."""
    pair = _lock_pair(actor, pair)
    _ensure_open(pair)
    stage = Stage(int(stage))
    if stage not in STAGES_BY_STATUS[pair.status]:
        if stage == Stage.COMPLETION:
            raise DomainError("Этап «Завершение» наступает при завершении пары с результатами.")
        if pair.status == PairStatus.FORMING:
            raise DomainError("Работа пары (этап 6) начинается после утверждения пары приказом.")
        raise DomainError("Утверждённая пара работает (этап 6): вернуть её на подготовительные этапы нельзя.")
    return object_update(actor=actor, obj=pair, data={"stage": stage})


@transaction.atomic
def pairs_confirm(*, actor: Any, pairs: Iterable[Pair], on: date) -> int:
    """Confirm forming pairs by the director's order of ``on``: they become active, at stage 6. All or none."""
    ids = sorted({pair.pk for pair in pairs})
    if not ids:
        raise DomainError("Выберите пары (группы) для утверждения.")
    _ensure_not_future(on, "Дата приказа", "on")
    allowed = Pair.objects.restrict(actor, "confirm").filter(pk__in=ids)
    locked = list(Pair.objects.select_for_update().filter(pk__in=allowed.values("pk")).order_by("pk"))
    if len(locked) != len(ids):
        raise PermissionDenied("Утверждать пары (группы) может руководитель, куратор или координатор их организации.")
    if done := [pair for pair in locked if pair.status != PairStatus.FORMING]:
        names = ", ".join(f"«{pair}» ({pair.get_status_display().lower()})" for pair in done)
        raise DomainError(f"Утвердить можно только формирующиеся пары; уже не формируются: {names}.")
    return Pair.objects.filter(pk__in=ids, status=PairStatus.FORMING).update(
        status=PairStatus.ACTIVE, stage=Stage.WORK, confirmed_on=on
    )


def _end_memberships(pairs: Any, on: date) -> None:
    PairMember.objects.filter(pair__in=pairs, left_on__isnull=True).update(left_on=Greatest("joined_on", Value(on)))


def _terminate(pairs: Any, on: date, reason: str) -> int:
    pair_ids = list(pairs.filter(status__in=PairStatus.open()).values_list("pk", flat=True))
    _end_memberships(pair_ids, on)
    return Pair.objects.filter(pk__in=pair_ids).update(
        status=PairStatus.TERMINATED, ended_on=Greatest("started_on", Value(on)), termination_reason=reason
    )


def _terminate_unstaffed(pair_ids: Iterable[int], on: date, reason: str) -> int:
    """Terminate those of the pairs left without an open mentor or without an open mentee: a pair needs both."""

    def staffed(role: BaseRole) -> Exists:
        return Exists(PairMember.objects.filter(pair=OuterRef("pk"), role=role, left_on__isnull=True))

    broken = Pair.objects.filter(pk__in=pair_ids).filter(~staffed(BaseRole.MENTOR) | ~staffed(BaseRole.MENTEE))
    return _terminate(broken, on, reason)


def _ensure_end_date(pair: Pair, ended_on: date) -> None:
    _ensure_not_future(ended_on, "Дата окончания", "ended_on")
    if ended_on < pair.started_on:
        raise DomainError(f"Окончание работы не может быть раньше её начала ({_d(pair.started_on)}).", field="ended_on")


@transaction.atomic
def pair_complete(*, actor: Any, pair: Pair, ended_on: date, results: str, reflection: str = "") -> Pair:
    """Complete an active pair with its results (stage 7); its members' participation ends."""
    pair = _lock_pair(actor, pair)
    _ensure_open(pair)
    if pair.status != PairStatus.ACTIVE:
        raise DomainError("Пара ещё не утверждена: завершить можно действующую пару; не начавшую работу — прекратить.")
    _ensure_end_date(pair, ended_on)
    if not results.strip():
        raise DomainError("Опишите результаты работы пары (группы).", field="results")
    _end_memberships([pair.pk], ended_on)
    return object_update(
        actor=actor,
        obj=pair,
        data={
            "status": PairStatus.COMPLETED,
            "stage": Stage.COMPLETION,
            "ended_on": ended_on,
            "results": results.strip(),
            "reflection": reflection.strip(),
        },
    )


@transaction.atomic
def pair_terminate(*, actor: Any, pair: Pair, ended_on: date, reason: str) -> Pair:
    """Stop a forming or active pair early, with the reason; its members' participation ends."""
    pair = _lock_pair(actor, pair)
    _ensure_open(pair)
    _ensure_end_date(pair, ended_on)
    if not reason.strip():
        raise DomainError("Укажите причину прекращения работы пары (группы).", field="reason")
    _end_memberships([pair.pk], ended_on)
    return object_update(
        actor=actor,
        obj=pair,
        data={"status": PairStatus.TERMINATED, "ended_on": ended_on, "termination_reason": reason.strip()},
    )


def _keeps_pairs_of(actor: Any, organisation: Organisation) -> bool:
    """Whether the actor may change pairs at ``organisation`` (asked before there is a pair to check)."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    if actor.is_superuser:
        return True
    places = {
        Level.ORGANISATION: organisation.pk,
        Level.MUNICIPALITY: organisation.municipality_id,
        Level.REGION: organisation.municipality.region_id,
    }
    held = Q(pk__in=[])
    for role in access.roles_with(access.permission_name(Pair, "change")):
        level = access.level_of_role(role)
        held |= Q(role=role, **{f"{level.value}_id": places[level]})
    return RoleAssignment.objects.filter(held, user_id=actor.pk).exists()


@transaction.atomic
def school_year_close(*, actor: Any, organisation: Organisation, school_year: int, on: date) -> int:
    """Close an organisation's school year on ``on``: active pairs complete, forming ones are terminated.

    Returns how many pairs were closed. A pair started after ``on`` ends on its start day.
    """
    if not _keeps_pairs_of(actor, organisation):
        raise PermissionDenied("Закрыть учебный год может руководитель, куратор или координатор организации.")
    _ensure_not_future(on, "Дата закрытия учебного года")
    if school_year_of(on) < school_year:
        raise DomainError(f"Учебный год {school_year_label(school_year)} на {_d(on)} ещё не начался.")
    ids = list(
        Pair.objects.select_for_update()
        .filter(organisation=organisation, school_year=school_year, status__in=PairStatus.open())
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    label = school_year_label(school_year)
    terminated = _terminate(
        Pair.objects.filter(pk__in=ids, status=PairStatus.FORMING),
        on,
        f"Пара не была утверждена до закрытия {label} учебного года",
    )
    active = list(Pair.objects.filter(pk__in=ids, status=PairStatus.ACTIVE).values_list("pk", flat=True))
    _end_memberships(active, on)
    Pair.objects.filter(pk__in=active, results="").update(
        results=f"Работа завершена при закрытии {label} учебного года"
    )
    completed = Pair.objects.filter(pk__in=active).update(
        status=PairStatus.COMPLETED, stage=Stage.COMPLETION, ended_on=Greatest("started_on", Value(on))
    )
    return terminated + completed


# --- development plans -----------------------------------------------------------------------------


@transaction.atomic
def plan_save(*, actor: Any, pair: Pair, mentee: Person, goals: str) -> DevelopmentPlan:
    """Create or change a mentee's individual development plan in a pair."""
    pair = _lock_pair(actor, pair)
    _ensure_open(pair)
    if not pair.members.filter(person=mentee, role=BaseRole.MENTEE, left_on__isnull=True).exists():
        raise DomainError("План развития составляется для наставляемого этой пары (группы).")
    if not goals.strip():
        raise DomainError("Опишите цели плана развития.", field="goals")
    plan = DevelopmentPlan.objects.filter(pair=pair, mentee=mentee).first()
    if plan is None:
        return object_create(
            actor=actor, model=DevelopmentPlan, data={"pair": pair, "mentee": mentee, "goals": goals.strip()}
        )
    return object_update(actor=actor, obj=plan, data={"goals": goals.strip()})


def _validate_task(task: PlanTask, pair: Pair) -> None:
    if task.deadline is None:
        raise DomainError("Укажите срок задачи.", field="deadline")
    if task.deadline < pair.started_on:
        raise DomainError(
            f"Срок задачи не может быть раньше начала работы пары ({_d(pair.started_on)}).", field="deadline"
        )
    _ensure_not_future(task.done_on, "Дата выполнения", "done_on")
    if task.done_on is not None and task.done_on < pair.started_on:
        raise DomainError("Задача не может быть выполнена раньше начала работы пары.", field="done_on")


@transaction.atomic
def plan_task_add(*, actor: Any, plan: DevelopmentPlan, data: dict[str, Any]) -> PlanTask:
    _check_fields(data, TASK_FIELDS)
    pair = _lock_pair(actor, plan.pair)
    _ensure_open(pair)
    task = PlanTask(plan=plan, **data)
    _validate_task(task, pair)
    task.full_clean()
    task.save()
    return task


@transaction.atomic
def plan_task_update(*, actor: Any, task: PlanTask, data: dict[str, Any]) -> PlanTask:
    _check_fields(data, TASK_FIELDS)
    pair = _lock_pair(actor, task.plan.pair)
    _ensure_open(pair)
    task = PlanTask.objects.select_for_update().get(pk=task.pk)
    for field, value in data.items():
        setattr(task, field, value)
    _validate_task(task, pair)
    task.full_clean()
    task.save()
    return task


# --- meetings --------------------------------------------------------------------------------------


def _meeting_day(meeting: Meeting) -> date:
    return meeting.held_on or meeting.planned_on


def _check_meeting_order(pair: Pair, meeting: Meeting) -> None:
    """The introductory meeting comes first and once; there is one final meeting."""
    others = pair.meetings.exclude(pk=meeting.pk)
    day = _meeting_day(meeting)
    if day < pair.started_on:
        raise DomainError(
            f"Встреча не может быть раньше начала работы пары ({_d(pair.started_on)}).",
            field="held_on" if meeting.held_on else "planned_on",
        )
    intro = others.filter(kind=MeetingKind.INTRO).first()
    if meeting.kind == MeetingKind.INTRO:
        if intro is not None:
            raise DomainError(f"Встреча-знакомство у пары уже есть ({_d(_meeting_day(intro))}).")
        if earlier := others.filter(Q(held_on__lt=day) | Q(held_on__isnull=True, planned_on__lt=day)).first():
            raise DomainError(
                f"Встреча-знакомство — первая встреча пары, а «{earlier.get_kind_display()}» уже назначена раньше."
            )
        return
    if intro is None:
        raise DomainError(f"Сначала запланируйте встречу-знакомство: «{meeting.get_kind_display()}» идёт после неё.")
    if day < _meeting_day(intro):
        raise DomainError(
            f"«{meeting.get_kind_display()}» не может быть раньше встречи-знакомства ({_d(_meeting_day(intro))})."
        )
    if meeting.held_on is not None and intro.held_on is None:
        raise DomainError("Сначала отметьте проведённой встречу-знакомство.")
    if meeting.kind == MeetingKind.FINAL and others.filter(kind=MeetingKind.FINAL).exists():
        raise DomainError("Итоговая встреча у пары уже есть.")


def _set_planned_meetings(pair: Pair, meeting: Meeting, planned: Any, actor: Any) -> None:
    if planned in (None, ""):
        return
    if meeting.kind != MeetingKind.PLANNING:
        raise DomainError("Число встреч устанавливается на встрече-планировании.", field="planned_meetings")
    try:
        number = int(planned)
    except (TypeError, ValueError):
        number = 0
    if not 1 <= number <= 100:
        raise DomainError("Число запланированных встреч — от 1 до 100.", field="planned_meetings")
    object_update(actor=actor, obj=pair, data={"planned_meetings": number})


def _check_ratings(meeting: Meeting) -> None:
    for field in ("mentor_rating", "mentee_rating"):
        value = getattr(meeting, field)
        if value in (None, ""):
            setattr(meeting, field, None)
            continue
        if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).isdigit():
            raise DomainError("Оценка — целое число от 1 до 10.", field=field)
        if not 1 <= int(value) <= 10:
            raise DomainError("Оценка — целое число от 1 до 10.", field=field)
        setattr(meeting, field, int(value))


@transaction.atomic
def meeting_plan(*, actor: Any, pair: Pair, data: dict[str, Any]) -> Meeting:
    """Plan a meeting of an open pair: kind, date, topic (and, at the planning meeting, the number of meetings)."""
    _check_fields(data, MEETING_PLAN_FIELDS)
    pair = _lock_pair(actor, pair)
    _ensure_open(pair)
    fields = dict(data)
    planned = fields.pop("planned_meetings", None)
    meeting = Meeting(pair=pair, **fields)
    if meeting.planned_on is None:
        raise DomainError("Укажите дату встречи.", field="planned_on")
    _check_meeting_order(pair, meeting)
    _set_planned_meetings(pair, meeting, planned, actor)
    return object_create(
        actor=actor, model=Meeting, data={"pair": pair, **{k: v for k, v in fields.items() if k != "pair"}}
    )


@transaction.atomic
def meeting_record(*, actor: Any, meeting: Meeting, data: dict[str, Any]) -> Meeting:
    """Record that a planned meeting was held: the date, notes, both sides' feedback and ratings (1–10)."""
    _check_fields(data, MEETING_RECORD_FIELDS)
    access.ensure_can(actor, meeting, "change")
    pair = _lock_pair(actor, meeting.pair)
    _ensure_open(pair)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    fields = dict(data)
    planned = fields.pop("planned_meetings", None)
    for field, value in fields.items():
        setattr(meeting, field, value)
    if meeting.held_on is None:
        raise DomainError("Укажите дату, когда встреча прошла.", field="held_on")
    _ensure_not_future(meeting.held_on, "Дата встречи", "held_on")
    _check_ratings(meeting)
    _check_meeting_order(pair, meeting)
    _set_planned_meetings(pair, meeting, planned, actor)
    return object_update(actor=actor, obj=meeting, data={})


@transaction.atomic
def meeting_log(*, actor: Any, pair: Pair, data: dict[str, Any]) -> Meeting:
    """Plan and hold a meeting in one step (the date it was held is also its planned date)."""
    _check_fields(data, (MEETING_PLAN_FIELDS | MEETING_RECORD_FIELDS) - {"planned_on"})
    held_on = data.get("held_on")
    if held_on is None:
        raise DomainError("Укажите дату, когда встреча прошла.", field="held_on")
    _ensure_not_future(held_on, "Дата встречи", "held_on")
    plan_data = {key: value for key, value in data.items() if key in {"kind", "topic"}}
    meeting = meeting_plan(actor=actor, pair=pair, data={**plan_data, "planned_on": held_on})
    record_data = {key: value for key, value in data.items() if key in MEETING_RECORD_FIELDS}
    return meeting_record(actor=actor, meeting=meeting, data=record_data)
