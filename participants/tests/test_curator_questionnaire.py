"""«Анкета куратора по итогам программы наставничества»: the school's staff fill it in themselves, logged in.

A curator's response names the staff member (``respondent``) and the programme instead of a
participant; monitoring's growth and satisfaction count only the participants' answers (proved in
``monitoring/tests/test_curator_answers_left_out.py``: this app's tests import no monitoring code).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from mentorship.errors import DomainError
from mentorship.tests.matrix import token
from participants import services
from participants.choices import QuestionKind
from participants.models import Answer, Questionnaire, Response
from participants.services.questionnaires import curator_response_submit

from .factories import TODAY, PairFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator_q(world: Any) -> Questionnaire:
    services.questionnaire_templates_load()
    return Questionnaire.objects.get(template_key="curator:exit")


def _answers(questionnaire: Questionnaire, score: int = 7) -> dict[int, Any]:
    def value(q: Any) -> Any:
        if q.kind == QuestionKind.SCALE:
            return score
        return q.option_list[0] if q.option_list else "Регулярные встречи"

    return {q.pk: value(q) for q in questionnaire.questions.all()}


def _form(questionnaire: Questionnaire, score: int = 7) -> dict[str, Any]:
    return {f"q{pk}": value for pk, value in _answers(questionnaire, score).items()} | {"_submission": token()}


def test_the_schools_curator_fills_in_the_curators_questionnaire_about_a_programme(world: Any, curator_q: Any) -> None:
    response = curator_response_submit(
        actor=world.curator_a1, questionnaire=curator_q, programme=world.programme_a1, answers=_answers(curator_q)
    )
    assert response.person is None
    assert response.respondent == world.curator_a1
    assert response.programme == world.programme_a1
    assert response.organisation == world.organisation_a1
    assert response.filled_on == TODAY
    assert response.answers.count() == curator_q.questions.count()


@pytest.mark.parametrize("persona", ["director_a1", "coordinator_a1"])
def test_the_director_and_the_coordinator_may_fill_it_in_too(world: Any, curator_q: Any, persona: str) -> None:
    curator_response_submit(
        actor=world.persona(persona), questionnaire=curator_q, programme=world.programme_a1, answers=_answers(curator_q)
    )
    assert Response.objects.filter(respondent=world.persona(persona)).count() == 1


@pytest.mark.parametrize("persona", ["curator_b1", "regional_coordinator", "officer_a", "mentor_a1", "outsider"])
def test_nobody_else_fills_it_in_for_a_programme_of_school_a1(world: Any, curator_q: Any, persona: str) -> None:
    with pytest.raises(DomainError, match="программу своей организации"):
        curator_response_submit(
            actor=world.persona(persona),
            questionnaire=curator_q,
            programme=world.programme_a1,
            answers=_answers(curator_q),
        )
    assert not Response.objects.exists()


def test_a_participants_questionnaire_is_refused(world: Any, curator_q: Any) -> None:
    mentee_q = Questionnaire.objects.get(template_key="teacher_student:mentee:exit")
    with pytest.raises(DomainError, match="адресована участникам"):
        curator_response_submit(
            actor=world.curator_a1, questionnaire=mentee_q, programme=world.programme_a1, answers=_answers(mentee_q)
        )
    assert not Response.objects.exists()


def test_filling_it_in_twice_is_refused_and_keeps_the_first_answers(world: Any, curator_q: Any) -> None:
    first = curator_response_submit(
        actor=world.curator_a1, questionnaire=curator_q, programme=world.programme_a1, answers=_answers(curator_q, 9)
    )
    with pytest.raises(DomainError, match="Вы уже заполнили эту анкету"):
        curator_response_submit(
            actor=world.curator_a1,
            questionnaire=curator_q,
            programme=world.programme_a1,
            answers=_answers(curator_q, 2),
        )
    assert list(Response.objects.values_list("pk", flat=True)) == [first.pk]
    assert set(Answer.objects.exclude(number=None).values_list("number", flat=True)) == {9}
    # another programme of the same school is another response
    curator_response_submit(
        actor=world.curator_a1,
        questionnaire=curator_q,
        programme=world.programme_a1_peer,
        answers=_answers(curator_q),
    )
    assert Response.objects.count() == 2


def test_the_database_keeps_one_response_per_staff_member_questionnaire_and_programme(
    world: Any, curator_q: Any
) -> None:
    first = curator_response_submit(
        actor=world.curator_a1, questionnaire=curator_q, programme=world.programme_a1, answers=_answers(curator_q)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(
            organisation=first.organisation,
            questionnaire=curator_q,
            respondent=world.curator_a1,
            programme=world.programme_a1,
            filled_on=TODAY,
        )


def test_a_response_names_exactly_one_of_a_participant_or_a_staff_member(world: Any, curator_q: Any) -> None:
    common = {"organisation": world.organisation_a1, "questionnaire": curator_q, "filled_on": TODAY}
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(**common)
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(
            **common, person=world.mentee_a1_person, respondent=world.curator_a1, programme=world.programme_a1
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(**common, respondent=world.curator_a1)


@pytest.mark.parametrize(
    ("value", "message"),
    [(11, "оценка — целое число от 1 до 10"), ("", "Ответьте на вопрос"), ("восемь", "оценка — целое число")],
)
def test_the_answers_follow_the_shared_rules_in_russian(world: Any, curator_q: Any, value: Any, message: str) -> None:
    answers = _answers(curator_q)
    first_scale = curator_q.questions.filter(kind=QuestionKind.SCALE).order_by("position").first()
    answers[first_scale.pk] = value
    with pytest.raises(DomainError, match=message) as caught:
        curator_response_submit(
            actor=world.curator_a1, questionnaire=curator_q, programme=world.programme_a1, answers=answers
        )
    assert caught.value.field == f"question-{first_scale.pk}"
    assert not Response.objects.exists()


def test_an_inactive_curators_questionnaire_is_refused(world: Any, curator_q: Any) -> None:
    Questionnaire.objects.filter(pk=curator_q.pk).update(is_active=False)
    curator_q.refresh_from_db()
    with pytest.raises(DomainError, match="больше не используется"):
        curator_response_submit(
            actor=world.curator_a1, questionnaire=curator_q, programme=world.programme_a1, answers=_answers(curator_q)
        )


# --- monitoring and the readers of a participant's response ------------------------------------------


def _mentee_exit_answered(world: Any, score: int) -> None:
    copy = Questionnaire.objects.get(template_key="teacher_student:mentee:exit")
    pair = PairFactory(programme=world.programme_a1, mentors=[world.mentor_a1_person], mentees=[world.mentee_a1_person])
    services.response_submit(
        actor=world.curator_a1,
        questionnaire=copy,
        person=world.mentee_a1_person,
        pair=pair,
        filled_on=TODAY,
        answers={
            q.pk: (score if q.kind == QuestionKind.SCALE else q.option_list[0] if q.option_list else "")
            for q in copy.questions.all()
        },
    )


def test_a_participants_response_still_reads_with_its_person(world: Any, curator_q: Any) -> None:
    _mentee_exit_answered(world, 8)
    curator_response_submit(
        actor=world.curator_a1, questionnaire=curator_q, programme=world.programme_a1, answers=_answers(curator_q)
    )
    participant = Response.objects.get(person__isnull=False)
    curator = Response.objects.get(respondent__isnull=False)
    assert str(participant).endswith(str(world.mentee_a1_person))
    assert str(curator).endswith(str(world.curator_a1))


# --- the pages -----------------------------------------------------------------------------------------


def test_the_questionnaire_page_offers_to_fill_it_in_and_counts_the_curators_responses(
    world: Any, curator_q: Any, client_as: Any
) -> None:
    page = client_as(world.curator_a1).get(reverse("participants:questionnaire", args=[curator_q.pk]))
    assert "Заполнить анкету куратора" in page.text
    assert "Заполнили кураторы: " in page.text
    mentee_q = Questionnaire.objects.get(template_key="teacher_student:mentee:exit")
    other = client_as(world.curator_a1).get(reverse("participants:questionnaire", args=[mentee_q.pk]))
    assert "Заполнить анкету куратора" not in other.text
    assert "Заполнили кураторы" not in other.text


def test_the_curator_fills_it_in_on_the_page_then_sees_it_read_only(world: Any, curator_q: Any, client_as: Any) -> None:
    client = client_as(world.curator_a1)
    choice = client.get(reverse("participants:curator_questionnaire", args=[curator_q.pk]))
    url = reverse("participants:curator_answer", args=[curator_q.pk, world.programme_a1.pk])
    assert url in choice.text
    assert world.programme_b1.title not in choice.text
    form = client.get(url)
    assert form.status_code == 200
    assert 'id="answer-form"' in form.text
    posted = client.post(url, _form(curator_q, 6))
    response = Response.objects.get()
    assert posted.status_code == 302
    assert posted["Location"] == reverse("participants:curator_response", args=[response.pk])
    shown = client.get(posted["Location"])
    assert "6 из 10" in shown.text
    assert "Регулярные встречи" in shown.text
    again = client.get(url, follow=True)
    assert "Вы уже заполнили эту анкету" in again.text
    assert again.redirect_chain[-1][0] == reverse("participants:curator_response", args=[response.pk])
    listed = client.get(reverse("participants:curator_questionnaire", args=[curator_q.pk]))
    assert "посмотреть" in listed.text
    detail = client.get(reverse("participants:questionnaire", args=[curator_q.pk]))
    assert "Заполнили кураторы: " in detail.text
    assert f">{1}</a>" in detail.text


def test_a_wrong_answer_on_the_page_is_shown_in_russian_and_nothing_is_saved(
    world: Any, curator_q: Any, client_as: Any
) -> None:
    data = _form(curator_q)
    first_scale = curator_q.questions.filter(kind=QuestionKind.SCALE).order_by("position").first()
    data[f"q{first_scale.pk}"] = ""
    page = client_as(world.curator_a1).post(
        reverse("participants:curator_answer", args=[curator_q.pk, world.programme_a1.pk]), data
    )
    assert page.status_code == 200
    assert "Ответьте на этот вопрос." in page.text
    assert not Response.objects.exists()


def test_another_schools_programme_answers_404_and_a_participants_questionnaire_404(
    world: Any, curator_q: Any, client_as: Any
) -> None:
    client = client_as(world.curator_a1)
    assert (
        client.get(reverse("participants:curator_answer", args=[curator_q.pk, world.programme_b1.pk])).status_code
        == 404
    )
    mentee_q = Questionnaire.objects.get(template_key="teacher_student:mentee:exit")
    assert (
        client.get(reverse("participants:curator_answer", args=[mentee_q.pk, world.programme_a1.pk])).status_code == 404
    )
    assert client.get(reverse("participants:curator_questionnaire", args=[mentee_q.pk])).status_code == 404
    posted = client.post(
        reverse("participants:curator_answer", args=[curator_q.pk, world.programme_b1.pk]), _form(curator_q)
    )
    assert posted.status_code == 404
    assert not Response.objects.exists()


def test_another_schools_curator_does_not_see_the_response(world: Any, curator_q: Any, client_as: Any) -> None:
    response = curator_response_submit(
        actor=world.curator_a1, questionnaire=curator_q, programme=world.programme_a1, answers=_answers(curator_q)
    )
    url = reverse("participants:curator_response", args=[response.pk])
    assert client_as(world.curator_b1).get(url).status_code == 404
    assert client_as(world.officer_a).get(url).status_code == 200


def test_the_list_of_questionnaires_leads_the_schools_staff_to_the_curators_questionnaire(
    world: Any, curator_q: Any, client_as: Any
) -> None:
    url = reverse("participants:curator_questionnaire", args=[curator_q.pk])
    assert url in client_as(world.curator_a1).get(reverse("participants:questionnaires")).text
    assert url not in client_as(world.regional_observer).get(reverse("participants:questionnaires")).text


def _programmes_page_queries(client: Any, url: str, django_assert_max_num_queries: Any) -> int:
    with django_assert_max_num_queries(8) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


def test_the_programmes_page_asks_the_database_as_often_for_five_responses_as_for_one(
    world: Any, curator_q: Any, client_as: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_as(world.curator_a1)
    url = reverse("participants:curator_questionnaire", args=[curator_q.pk])
    curator_response_submit(
        actor=world.curator_a1, questionnaire=curator_q, programme=world.programme_a1, answers=_answers(curator_q)
    )
    one = _programmes_page_queries(client, url, django_assert_max_num_queries)
    for _ in range(4):
        programme = ProgrammeFactory(organisation=world.organisation_a1)
        curator_response_submit(
            actor=world.curator_a1, questionnaire=curator_q, programme=programme, answers=_answers(curator_q)
        )
    assert _programmes_page_queries(client, url, django_assert_max_num_queries) == one


def test_the_answer_and_response_pages_keep_a_fixed_number_of_queries(
    world: Any, curator_q: Any, client_as: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_as(world.curator_a1)
    with django_assert_max_num_queries(10):
        client.get(reverse("participants:curator_answer", args=[curator_q.pk, world.programme_a1.pk]))
    response = curator_response_submit(
        actor=world.curator_a1, questionnaire=curator_q, programme=world.programme_a1, answers=_answers(curator_q)
    )
    with django_assert_max_num_queries(8):
        client.get(reverse("participants:curator_response", args=[response.pk]))
