"""Programmes and the bank of programmes, questionnaires and the answers checked against their questions."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mentorship.errors import DomainError
from mentorship.tests.factories import World
from participants import services
from participants.choices import MentorshipForm, QuestionKind, QuestionnaireAudience, QuestionnaireMoment
from participants.models import Programme, Questionnaire, Response

from .factories import PairFactory, ProgrammeFactory, QuestionFactory, QuestionnaireFactory

PROGRAMME = {
    "title": "Программа «Профессиональный старт»",
    "form": MentorshipForm.TEACHER_TEACHER,
    "goals": "Адаптация молодых педагогов",
    "school_year": 2026,
}


def test_curator_creates_a_programme_of_their_school(world: World) -> None:
    programme = services.programme_create(
        actor=world.curator_a1, data=PROGRAMME | {"organisation": world.organisation_a1}
    )
    assert (programme.organisation, programme.duration_months, programme.is_published) == (
        world.organisation_a1,
        9,
        False,
    )


def test_nobody_creates_programmes_for_another_school(world: World) -> None:
    for persona in ("curator_b1", "officer_a", "regional_coordinator", "mentor_a1"):
        with pytest.raises(PermissionDenied):
            services.programme_create(
                actor=world.persona(persona), data=PROGRAMME | {"organisation": world.organisation_a1}
            )
    assert not Programme.objects.filter(title=PROGRAMME["title"]).exists()


def test_a_programmes_form_is_fixed_once_it_has_pairs(world: World) -> None:
    programme = world.programme_a1
    services.programme_update(actor=world.curator_a1, programme=programme, data={"is_published": True})
    PairFactory(programme=programme)
    with pytest.raises(DomainError, match="форму и учебный год изменить нельзя"):
        services.programme_update(
            actor=world.curator_a1, programme=programme, data={"form": MentorshipForm.TEACHER_TEACHER}
        )
    assert (
        services.programme_update(actor=world.curator_a1, programme=programme, data={"title": "Новое"}).title == "Новое"
    )


def test_a_published_programme_is_copied_from_the_bank(world: World) -> None:
    source = ProgrammeFactory(
        organisation=world.organisation_b1, is_published=True, materials="https://example.ru/guide.pdf"
    )
    copy = services.programme_copy(
        actor=world.curator_a1, source=source, organisation=world.organisation_a1, school_year=2027
    )
    assert (copy.organisation, copy.school_year, copy.source, copy.is_published) == (
        world.organisation_a1,
        2027,
        source,
        False,
    )
    assert (copy.title, copy.form, copy.goals, copy.materials) == (
        source.title,
        source.form,
        source.goals,
        source.materials,
    )


def test_an_unpublished_programme_of_another_school_cannot_be_copied(world: World) -> None:
    with pytest.raises(DomainError, match="Выберите программу из банка"):
        services.programme_copy(
            actor=world.curator_a1, source=world.programme_b1, organisation=world.organisation_a1, school_year=2026
        )
    with pytest.raises(DomainError, match="не опубликована"):
        services.programme_copy(
            actor=world.superuser, source=world.programme_b1, organisation=world.organisation_a1, school_year=2026
        )


def test_the_bank_ends_at_the_regions_border(world: World) -> None:
    source = ProgrammeFactory(organisation=world.organisation_c1, is_published=True)
    with pytest.raises(DomainError, match="Выберите программу из банка"):
        services.programme_copy(
            actor=world.curator_a1, source=source, organisation=world.organisation_a1, school_year=2026
        )


def test_own_programme_is_copied_into_a_new_year(world: World) -> None:
    copy = services.programme_copy(
        actor=world.curator_a1, source=world.programme_a1, organisation=world.organisation_a1, school_year=2027
    )
    assert copy.source == world.programme_a1


def test_copying_into_another_school_is_refused(world: World) -> None:
    source = ProgrammeFactory(organisation=world.organisation_a2, is_published=True)
    with pytest.raises(PermissionDenied):
        services.programme_copy(
            actor=world.curator_a1, source=source, organisation=world.organisation_b1, school_year=2026
        )


# --- questionnaires ----------------------------------------------------------------------------


def test_curator_builds_a_questionnaire(world: World) -> None:
    questionnaire = services.questionnaire_create(
        actor=world.curator_a1,
        data={
            "organisation": world.organisation_a1,
            "title": "Анкета наставника на выходе",
            "audience": QuestionnaireAudience.MENTOR,
            "moment": QuestionnaireMoment.EXIT,
        },
        questions=[
            {"text": "Насколько комфортным было общение?"},
            {"text": "Продолжите ли вы участие?", "kind": QuestionKind.CHOICE, "options": "Да\nНет\nНе знаю"},
            {"text": "Что было ценным?", "kind": QuestionKind.TEXT, "is_required": False},
        ],
    )
    assert list(questionnaire.questions.values_list("position", "kind")) == [
        (1, QuestionKind.SCALE),
        (2, QuestionKind.CHOICE),
        (3, QuestionKind.TEXT),
    ]


def test_a_questionnaire_needs_questions_and_choices_need_options(world: World) -> None:
    data = {
        "organisation": world.organisation_a1,
        "title": "Анкета",
        "audience": QuestionnaireAudience.MENTEE,
        "moment": QuestionnaireMoment.ENTRY,
    }
    with pytest.raises(DomainError, match="хотя бы один вопрос"):
        services.questionnaire_create(actor=world.curator_a1, data=data, questions=[])
    with pytest.raises(DomainError, match="хотя бы два варианта"):
        services.questionnaire_create(
            actor=world.curator_a1,
            data=data,
            questions=[{"text": "Выбор", "kind": QuestionKind.CHOICE, "options": "Да"}],
        )
    assert not Questionnaire.objects.filter(title="Анкета").exists()


def test_shared_questionnaires_are_kept_by_administrators(world: World) -> None:
    data = {"title": "Общая", "audience": QuestionnaireAudience.MENTEE, "moment": QuestionnaireMoment.ENTRY}
    with pytest.raises(PermissionDenied):
        services.questionnaire_create(actor=world.curator_a1, data=data, questions=[{"text": "Вопрос"}])
    assert services.questionnaire_create(actor=world.superuser, data=data, questions=[{"text": "Вопрос"}]).pk


@pytest.fixture
def questionnaire(world: World) -> Questionnaire:
    questionnaire = QuestionnaireFactory(organisation=None)
    QuestionFactory(questionnaire=questionnaire, position=1, text="Польза встреч")
    QuestionFactory(
        questionnaire=questionnaire, position=2, text="Частота", kind=QuestionKind.CHOICE, options="Раз в неделю\nРеже"
    )
    QuestionFactory(
        questionnaire=questionnaire,
        position=3,
        text="Темы",
        kind=QuestionKind.MULTIPLE,
        options="Учёба\nПрофессия\nХобби",
        is_required=False,
    )
    QuestionFactory(questionnaire=questionnaire, position=4, text="Отзыв", kind=QuestionKind.TEXT, is_required=False)
    return questionnaire


def submit(world: World, questionnaire: Questionnaire, answers: dict, **kwargs) -> Response:
    ids = {q.position: q.pk for q in questionnaire.questions.all()}
    data = {
        "actor": world.curator_a1,
        "questionnaire": questionnaire,
        "person": world.mentee_a1_person,
        "filled_on": date(2026, 11, 20),
        "answers": {ids[position]: value for position, value in answers.items()},
    }
    return services.response_submit(**(data | kwargs))


def test_answers_are_stored_by_question_kind(world: World, questionnaire: Questionnaire) -> None:
    response = submit(world, questionnaire, {1: "8", 2: "Раз в неделю", 3: ["Учёба", "Хобби"], 4: "  "})
    answers = {a.question.position: (a.number, a.text) for a in response.answers.select_related("question")}
    assert answers == {1: (8, ""), 2: (None, "Раз в неделю"), 3: (None, "Учёба\nХобби")}
    assert response.organisation == world.organisation_a1


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({1: 11, 2: "Реже"}, "от 1 до 10"),
        ({1: 0, 2: "Реже"}, "от 1 до 10"),
        ({1: "восемь", 2: "Реже"}, "от 1 до 10"),
        ({1: 7, 2: "Иногда"}, "один из предложенных"),
        ({1: 7, 2: "Реже", 3: ["Спорт"]}, "из предложенных"),
        ({2: "Реже"}, "Ответьте на вопрос «Польза встреч»"),
    ],
)
def test_bad_answers_save_nothing(world: World, questionnaire: Questionnaire, answers: dict, message: str) -> None:
    with pytest.raises(DomainError, match=message):
        submit(world, questionnaire, answers)
    assert not Response.objects.exists()


def test_unknown_questions_and_future_dates_are_refused(world: World, questionnaire: Questionnaire) -> None:
    with pytest.raises(DomainError, match="нет вопросов № 999999"):
        services.response_submit(
            actor=world.curator_a1,
            questionnaire=questionnaire,
            person=world.mentee_a1_person,
            filled_on=date(2026, 11, 20),
            answers={999999: 5},
        )
    with pytest.raises(DomainError, match="ещё не наступила"):
        submit(world, questionnaire, {1: 5, 2: "Реже"}, filled_on=date(2026, 12, 1))


def test_a_questionnaire_is_filled_once_per_person(world: World, questionnaire: Questionnaire) -> None:
    submit(world, questionnaire, {1: 5, 2: "Реже"})
    with pytest.raises(ValidationError, match="уже заполнена"):
        submit(world, questionnaire, {1: 6, 2: "Реже"})
    assert Response.objects.count() == 1


def test_answers_about_a_pair_come_from_its_members(world: World, questionnaire: Questionnaire) -> None:
    pair = PairFactory(programme=world.programme_a1, mentors=[world.mentor_a1_person])
    with pytest.raises(DomainError, match="не состоит в паре"):
        submit(world, questionnaire, {1: 5, 2: "Реже"}, pair=pair)
    assert submit(world, questionnaire, {1: 5, 2: "Реже"}, pair=pair, person=world.mentor_a1_person).pair == pair


def test_foreign_people_and_questionnaires_are_refused(world: World, questionnaire: Questionnaire) -> None:
    with pytest.raises(DomainError, match="Выберите участника"):
        submit(world, questionnaire, {1: 5, 2: "Реже"}, person=world.student_b1_person)
    foreign = QuestionnaireFactory(organisation=world.organisation_b1)
    QuestionFactory(questionnaire=foreign)
    with pytest.raises(DomainError, match="Выберите анкету"):
        services.response_submit(
            actor=world.curator_a1,
            questionnaire=foreign,
            person=world.mentee_a1_person,
            filled_on=date(2026, 11, 20),
            answers={},
        )
