"""The shipped questionnaire templates, copying them, editing copies and issuing new versions."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from mentorship.errors import DomainError
from participants import questionnaire_templates, services
from participants.choices import MentorshipForm, QuestionKind, QuestionnaireAudience, QuestionnaireMoment
from participants.models import Question, Questionnaire

from .factories import TODAY, PairFactory

pytestmark = pytest.mark.django_db

FIVE_FORMS = {
    MentorshipForm.STUDENT_STUDENT,
    MentorshipForm.TEACHER_TEACHER,
    MentorshipForm.TEACHER_STUDENT,
    MentorshipForm.COLLEGE_STUDENT_STUDENT,
    MentorshipForm.EMPLOYER_STUDENT,
}


@pytest.fixture(autouse=True)
def _templates(db: None) -> None:
    """The data migration loads them; a transactional test run before may have emptied the tables."""
    services.questionnaire_templates_load()


def templates_of_the_portal() -> Any:
    return Questionnaire.objects.filter(organisation__isnull=True, region__isnull=True).exclude(template_key="")


def test_a_fresh_install_has_entry_and_exit_templates_for_mentor_and_mentee_in_each_form_and_the_curators() -> None:
    found = {(q.form, q.audience, q.moment) for q in templates_of_the_portal()}

    for form in FIVE_FORMS:
        for audience in (QuestionnaireAudience.MENTOR, QuestionnaireAudience.MENTEE):
            for moment in (QuestionnaireMoment.ENTRY, QuestionnaireMoment.EXIT):
                assert (form, audience, moment) in found
    assert ("", QuestionnaireAudience.CURATOR, QuestionnaireMoment.EXIT) in found
    assert templates_of_the_portal().count() == 21


def test_loading_the_templates_again_creates_nothing() -> None:
    """(The fixture has loaded them once already.)"""
    before = Question.objects.count()

    assert services.questionnaire_templates_load() == 0
    assert Question.objects.count() == before


def test_entry_and_exit_scales_ask_the_same_things_so_monitoring_can_compute_growth() -> None:
    """Monitoring: growth = exit average − entry average of the 1–10 answers; satisfaction = the exit average."""
    for form in FIVE_FORMS:
        for audience in ("mentor", "mentee"):
            entry = Questionnaire.objects.get(template_key=f"{form}:{audience}:entry")
            exit_ = Questionnaire.objects.get(template_key=f"{form}:{audience}:exit")
            entry_scales = entry.questions.filter(kind=QuestionKind.SCALE).count()
            exit_scales = exit_.questions.filter(kind=QuestionKind.SCALE).count()
            assert entry_scales >= 5
            assert exit_scales == entry_scales + 1  # the exit adds «Насколько вас устраивала частота встреч?»
            assert entry.form == exit_.form == form


def test_no_template_question_feeds_the_matching() -> None:
    """``feature`` tells the matching what a *selection* answer means; entry and exit answers mean nothing to it."""
    assert not Question.objects.filter(questionnaire__in=templates_of_the_portal()).exclude(feature="").exists()


def test_frequency_yes_no_and_free_text_are_not_scales_so_they_do_not_bend_the_averages() -> None:
    exit_ = Questionnaire.objects.get(template_key="teacher_student:mentee:exit")
    kinds = {q.text: q.kind for q in exit_.questions.all()}

    assert kinds["Что было для вас самым ценным?"] == QuestionKind.TEXT
    assert kinds["Чего вам не хватило?"] == QuestionKind.TEXT
    assert kinds["Продолжили бы вы работу с наставником?"] == QuestionKind.CHOICE
    assert kinds["Порекомендовали бы вы наставничество друзьям и знакомым?"] == QuestionKind.CHOICE
    entry = Questionnaire.objects.get(template_key="teacher_student:mentee:entry")
    assert entry.questions.get(text__startswith="Как часто").kind == QuestionKind.CHOICE


def test_the_data_module_names_every_template_once() -> None:
    keys = [template.key for template in questionnaire_templates.templates()]
    assert len(keys) == len(set(keys)) == 21


# --- copies and versions ----------------------------------------------------------------------------


def test_a_curator_copies_a_template_into_their_school_and_edits_it(world: Any) -> None:
    template = Questionnaire.objects.get(template_key="teacher_student:mentee:exit")

    copy = services.questionnaire_copy(
        actor=world.curator_a1, questionnaire=template, organisation=world.organisation_a1
    )
    services.questionnaire_update(
        actor=world.curator_a1,
        questionnaire=copy,
        data={"title": "Анкета выпускника программы"},
        questions=[
            {"text": "Насколько полезными были встречи?", "kind": QuestionKind.SCALE},
            {"text": "Что было ценным?", "kind": QuestionKind.TEXT, "is_required": False},
        ],
    )

    copy.refresh_from_db()
    assert (copy.organisation, copy.source, copy.version, copy.title) == (
        world.organisation_a1,
        template,
        1,
        "Анкета выпускника программы",
    )
    assert list(copy.questions.values_list("position", "text")) == [
        (1, "Насколько полезными были встречи?"),
        (2, "Что было ценным?"),
    ]
    assert template.questions.count() == 10


def test_a_regional_coordinator_copies_a_template_into_the_region_and_schools_see_it(world: Any) -> None:
    template = Questionnaire.objects.get(template_key="curator:exit")

    copy = services.questionnaire_copy(actor=world.regional_coordinator, questionnaire=template, region=world.region_r)

    assert copy.region == world.region_r
    assert copy.organisation is None
    assert Questionnaire.objects.restrict(world.curator_a1, "view").filter(pk=copy.pk).exists()
    assert not Questionnaire.objects.restrict(world.curator_a1, "change").filter(pk=copy.pk).exists()
    other_region_curator_sees = Questionnaire.objects.restrict(world.outsider, "view").filter(pk=copy.pk).exists()
    assert not other_region_curator_sees
    assert Questionnaire.objects.restrict(world.regional_coordinator, "change").filter(pk=copy.pk).exists()


def test_a_regional_coordinator_cannot_edit_a_schools_own_questionnaire(world: Any) -> None:
    template = Questionnaire.objects.get(template_key="curator:exit")
    own = services.questionnaire_copy(
        actor=world.curator_a1, questionnaire=template, organisation=world.organisation_a1
    )

    with pytest.raises(PermissionDenied):
        services.questionnaire_update(
            actor=world.regional_coordinator, questionnaire=own, data={}, questions=[{"text": "Вопрос"}]
        )


def test_nobody_but_an_administrator_edits_a_template(world: Any) -> None:
    template = Questionnaire.objects.get(template_key="curator:exit")

    with pytest.raises(PermissionDenied):
        services.questionnaire_update(
            actor=world.curator_a1, questionnaire=template, data={}, questions=[{"text": "Вопрос"}]
        )


def _answered_copy(world: Any) -> Questionnaire:
    template = Questionnaire.objects.get(template_key="teacher_student:mentee:exit")
    copy = services.questionnaire_copy(
        actor=world.curator_a1, questionnaire=template, organisation=world.organisation_a1
    )
    pair = PairFactory(programme=world.programme_a1, mentors=[world.mentor_a1_person], mentees=[world.mentee_a1_person])
    answers = {
        q.pk: (8 if q.kind == QuestionKind.SCALE else q.option_list[0] if q.option_list else "")
        for q in copy.questions.all()
    }
    services.response_submit(
        actor=world.curator_a1,
        questionnaire=copy,
        person=world.mentee_a1_person,
        pair=pair,
        filled_on=TODAY,
        answers=answers,
    )
    return copy


def test_a_questionnaire_with_answers_cannot_be_edited(world: Any) -> None:
    copy = _answered_copy(world)

    with pytest.raises(DomainError, match="создайте новую версию"):
        services.questionnaire_update(
            actor=world.curator_a1, questionnaire=copy, data={"title": "Другое"}, questions=[{"text": "Вопрос"}]
        )
    copy.refresh_from_db()
    assert copy.title != "Другое"
    assert copy.questions.count() == 10


def test_a_new_version_copies_the_questions_and_keeps_the_old_one_for_its_answers(world: Any) -> None:
    copy = _answered_copy(world)

    version = services.questionnaire_new_version(actor=world.curator_a1, questionnaire=copy)

    copy.refresh_from_db()
    assert (version.version, version.source, version.organisation) == (2, copy, world.organisation_a1)
    assert version.questions.count() == copy.questions.count() == 10
    assert not copy.is_active
    assert version.is_active
    assert copy.responses.count() == 1
    assert version.responses.count() == 0
    assert str(version).endswith("(версия 2)")
    services.questionnaire_update(
        actor=world.curator_a1, questionnaire=version, data={}, questions=[{"text": "Новый вопрос"}]
    )


def test_the_edit_page_of_an_answered_questionnaire_sends_back_to_its_page(world: Any, client_as: Any) -> None:
    copy = _answered_copy(world)

    page = client_as(world.curator_a1).get(reverse("participants:questionnaire_edit", args=[copy.pk]))

    assert page.status_code == 302
    assert page["Location"] == copy.get_absolute_url()


def test_the_edit_page_saves_the_questions_of_the_formset(world: Any, client_as: Any) -> None:
    template = Questionnaire.objects.get(template_key="curator:exit")
    copy = services.questionnaire_copy(
        actor=world.curator_a1, questionnaire=template, organisation=world.organisation_a1
    )
    url = reverse("participants:questionnaire_edit", args=[copy.pk])
    client = client_as(world.curator_a1)
    assert client.get(url).status_code == 200
    data = {
        "title": "Анкета куратора школы",
        "audience": QuestionnaireAudience.CURATOR,
        "moment": QuestionnaireMoment.EXIT,
        "form": "",
        "is_active": "on",
        "questions-TOTAL_FORMS": "2",
        "questions-INITIAL_FORMS": "0",
        "questions-0-text": "Насколько успешной была программа?",
        "questions-0-kind": QuestionKind.SCALE,
        "questions-0-is_required": "on",
        "questions-0-ORDER": "2",
        "questions-1-text": "Продолжите ли программу?",
        "questions-1-kind": QuestionKind.CHOICE,
        "questions-1-options": "Да\nНет",
        "questions-1-ORDER": "1",
        "_submission": "4b0d3e4e-3a55-4a5f-9c51-6c3d7a2f0e11",
    }

    page = client.post(url, data)

    assert page.status_code == 302
    copy.refresh_from_db()
    assert copy.title == "Анкета куратора школы"
    assert list(copy.questions.values_list("text", flat=True)) == [
        "Продолжите ли программу?",
        "Насколько успешной была программа?",
    ]


def test_a_choice_question_without_two_options_is_refused(world: Any) -> None:
    template = Questionnaire.objects.get(template_key="curator:exit")
    copy = services.questionnaire_copy(
        actor=world.curator_a1, questionnaire=template, organisation=world.organisation_a1
    )

    with pytest.raises(DomainError, match="хотя бы два варианта"):
        services.questionnaire_update(
            actor=world.curator_a1,
            questionnaire=copy,
            data={},
            questions=[{"text": "Да или нет?", "kind": QuestionKind.CHOICE, "options": "Да"}],
        )
    assert copy.questions.count() == 10


def test_the_list_shows_templates_and_own_questionnaires_but_not_another_schools(world: Any, client_as: Any) -> None:
    template = Questionnaire.objects.get(template_key="curator:exit")
    services.questionnaire_copy(actor=world.curator_b1, questionnaire=template, organisation=world.organisation_b1)
    Questionnaire.objects.filter(organisation=world.organisation_b1).update(title="Анкета школы Б1")

    page = client_as(world.curator_a1).get(reverse("participants:questionnaires"))

    html = page.content.decode()
    assert page.status_code == 200
    assert "Анкета наставляемого на выходе («учитель – ученик»)" in html
    assert "Анкета школы Б1" not in html
