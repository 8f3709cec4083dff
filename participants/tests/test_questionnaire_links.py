"""Personal links to questionnaires: sending, the letters and sheets, the token rules, answering, following up."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentorship.errors import DomainError
from participants import services
from participants.choices import BaseRole, QuestionKind
from participants.models import Consent, Questionnaire, QuestionnaireLink, Response
from participants.reminders import questionnaires_unanswered
from participants.services.questionnaire_links import link_for_token, token_hash

from .factories import TODAY, PairFactory, enrolled

pytestmark = pytest.mark.django_db

DEADLINE = TODAY + timedelta(days=14)
URL = re.compile(r"http://[^\s\"<]+/q/([A-Za-z0-9_\-]+)/")


@pytest.fixture
def exit_mentee() -> Questionnaire:
    services.questionnaire_templates_load()  # a no-op after the data migration, unless a transactional test emptied it
    return Questionnaire.objects.get(template_key="teacher_student:mentee:exit")


@pytest.fixture
def pair(world: Any) -> Any:
    o = world.objects
    return PairFactory(
        programme=o["programme_a1"],
        mentors=[o["mentor_a1_person"]],
        mentees=[o["mentee_a1_person"], o["mentee_a1_second"]],
    )


def send(world: Any, questionnaire: Questionnaire, capture: Any, **kwargs: Any) -> Any:
    kwargs.setdefault("programme", world.programme_a1 if "pair" not in kwargs else None)
    with capture(execute=True):
        return services.questionnaire_send(
            actor=world.curator_a1, questionnaire=questionnaire, deadline=kwargs.pop("deadline", DEADLINE), **kwargs
        )


def tokens_by_email() -> dict[str, str]:
    return {message.to[0]: URL.search(message.body).group(1) for message in mail.outbox}


def full_answers(questionnaire: Questionnaire, score: str = "8") -> dict[str, Any]:
    data: dict[str, Any] = {}
    for question in questionnaire.questions.all():
        if question.kind == QuestionKind.SCALE:
            data[f"q{question.pk}"] = score
        elif question.kind == QuestionKind.CHOICE:
            data[f"q{question.pk}"] = question.option_list[0]
        else:
            data[f"q{question.pk}"] = "Встречи по субботам"
    return data


# --- sending ----------------------------------------------------------------------------------------


def test_sending_to_a_programme_gives_each_mentee_a_link_by_email(
    world: Any, pair: Any, exit_mentee: Any, django_capture_on_commit_callbacks: Any
) -> None:
    result = send(world, exit_mentee, django_capture_on_commit_callbacks)

    links = QuestionnaireLink.objects.filter(questionnaire=exit_mentee)
    assert {link.person for link in links} == {world.mentee_a1_person, world.mentee_a1_second}
    assert (result.created, result.emailed, result.to_print, result.no_consent) == (2, 2, 0, 0)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.mentee_a1_person.email, world.mentee_a1_second.email])
    assert all(link.pair == pair and link.programme == world.programme_a1 for link in links)
    assert all(link.sent_at is not None and not link.send_pending for link in links)


def test_the_letter_carries_a_personal_link_whose_token_is_stored_only_as_a_hash(
    world: Any, pair: Any, exit_mentee: Any, django_capture_on_commit_callbacks: Any
) -> None:
    send(world, exit_mentee, django_capture_on_commit_callbacks)

    message = next(m for m in mail.outbox if m.to == [world.mentee_a1_person.email])
    assert message.subject == "[Наставничество] Анкета программы наставничества"
    assert "«Анкета наставляемого на выходе («учитель – ученик»)»" in message.body
    assert f"действует до {DEADLINE:%d.%m.%Y}" in message.body
    token = URL.search(message.body).group(1)
    assert len(token) >= 40
    link = QuestionnaireLink.objects.get(person=world.mentee_a1_person)
    assert link.token_hash == token_hash(token) != token
    assert not QuestionnaireLink.objects.filter(token_hash=token).exists()
    assert "Заполнить анкету" in message.alternatives[0][0]


def test_a_minor_without_a_parents_consent_gets_no_link_and_is_counted(
    world: Any, exit_mentee: Any, django_capture_on_commit_callbacks: Any
) -> None:
    no_consent = enrolled(organisation=world.organisation_a1, surname="Без", name="Согласия", consent=False)
    PairFactory(programme=world.programme_a1, mentors=[world.mentor_a1_person], mentees=[no_consent])

    result = send(world, exit_mentee, django_capture_on_commit_callbacks)

    assert result.no_consent == 1
    assert "нет согласия родителя: 1" in result.summary()
    assert not QuestionnaireLink.objects.filter(person=no_consent).exists()
    assert mail.outbox == []


def test_sending_to_one_pair_asks_only_that_pairs_members(
    world: Any, pair: Any, exit_mentee: Any, django_capture_on_commit_callbacks: Any
) -> None:
    other = enrolled(organisation=world.organisation_a1, surname="Другая", name="Пара")
    mentor = enrolled(BaseRole.MENTOR, organisation=world.organisation_a1, surname="Второй", name="Наставник")
    PairFactory(programme=world.programme_a1, mentors=[mentor], mentees=[other])

    send(world, exit_mentee, django_capture_on_commit_callbacks, pair=pair)

    assert set(QuestionnaireLink.objects.values_list("person_id", flat=True)) == {
        world.mentee_a1_person.pk,
        world.mentee_a1_second.pk,
    }


def test_a_mentors_questionnaire_goes_to_the_mentors_only(
    world: Any, pair: Any, django_capture_on_commit_callbacks: Any
) -> None:
    exit_mentor = Questionnaire.objects.get(template_key="teacher_student:mentor:exit")

    send(world, exit_mentor, django_capture_on_commit_callbacks)

    assert list(QuestionnaireLink.objects.values_list("person_id", flat=True)) == [world.mentor_a1_person.pk]


def test_sending_again_skips_those_asked_and_only_unanswered_renews_the_unanswered_links(
    world: Any, pair: Any, exit_mentee: Any, django_capture_on_commit_callbacks: Any
) -> None:
    send(world, exit_mentee, django_capture_on_commit_callbacks)
    first = tokens_by_email()
    services.questionnaire_answer(token=first[world.mentee_a1_person.email], answers=_answers(exit_mentee))
    mail.outbox.clear()

    again = send(world, exit_mentee, django_capture_on_commit_callbacks)
    assert (again.created, again.already_sent, again.answered, len(mail.outbox)) == (0, 1, 1, 0)

    renewed = send(world, exit_mentee, django_capture_on_commit_callbacks, only_unanswered=True, deadline=TODAY)
    assert (renewed.resent, renewed.answered) == (1, 1)
    assert [m.to[0] for m in mail.outbox] == [world.mentee_a1_second.email]
    assert link_for_token(first[world.mentee_a1_second.email]) is None  # the old link stopped working
    link = QuestionnaireLink.objects.get(person=world.mentee_a1_second)
    assert timezone.localtime(link.expires_at).date() == TODAY
    assert QuestionnaireLink.objects.count() == 2


def test_a_curator_cannot_send_to_another_schools_programme_nor_with_a_past_deadline(
    world: Any, pair: Any, exit_mentee: Any
) -> None:
    with pytest.raises(Exception, match="прав"):
        services.questionnaire_send(
            actor=world.curator_b1, questionnaire=exit_mentee, programme=world.programme_a1, deadline=DEADLINE
        )
    with pytest.raises(DomainError, match="раньше сегодняшнего дня"):
        services.questionnaire_send(
            actor=world.curator_a1,
            questionnaire=exit_mentee,
            programme=world.programme_a1,
            deadline=TODAY - timedelta(days=1),
        )
    with pytest.raises(DomainError, match="для формы «ученик – ученик»"):
        services.questionnaire_send(
            actor=world.curator_a1,
            questionnaire=Questionnaire.objects.get(template_key="student_student:mentee:exit"),
            programme=world.programme_a1,
            deadline=DEADLINE,
        )
    assert not QuestionnaireLink.objects.exists()


def test_people_without_email_are_printed_on_sheets_with_a_qr_code_and_their_name(
    world: Any, exit_mentee: Any, client_as: Any, django_capture_on_commit_callbacks: Any
) -> None:
    no_email = enrolled(organisation=world.organisation_a1, surname="Безпочтова", name="Ольга", email="")
    PairFactory(programme=world.programme_a1, mentors=[world.mentor_a1_person], mentees=[no_email])
    result = send(world, exit_mentee, django_capture_on_commit_callbacks)
    assert (result.to_print, len(mail.outbox)) == (1, 0)

    url = reverse("participants:questionnaire_sheets", args=[exit_mentee.pk, world.programme_a1.pk])
    page = client_as(world.curator_a1).post(url)

    assert page.status_code == 200
    html = page.content.decode()
    assert "Безпочтова Ольга" in html
    assert html.count("<svg") == 1
    token = URL.search(html).group(1)
    assert link_for_token(token).person == no_email
    # Printing again draws a new link: the first sheet stops working.
    client_as(world.curator_a1).post(url)
    assert link_for_token(token) is None


# --- the token rules and answering ------------------------------------------------------------------


def _answers(questionnaire: Questionnaire) -> dict[int, Any]:
    return {int(key[1:]): value for key, value in full_answers(questionnaire).items()}


@pytest.fixture
def sent(world: Any, pair: Any, exit_mentee: Any, django_capture_on_commit_callbacks: Any) -> dict[str, str]:
    send(world, exit_mentee, django_capture_on_commit_callbacks)
    return tokens_by_email()


def test_the_answer_page_shows_the_questionnaire_and_no_personal_data(
    world: Any, sent: dict[str, str], client: Any
) -> None:
    page = client.get(reverse("questionnaire_answer", args=[sent[world.mentee_a1_person.email]]))

    html = page.content.decode()
    assert page.status_code == 200
    assert "Анкета наставляемого на выходе" in html
    assert "Насколько комфортным было общение с наставником?" in html
    for personal in ("Сидоров", "Илья", world.mentee_a1_person.email, "Петрова", world.organisation_a1.short_name):
        assert personal not in html
    assert html.count('type="radio"') >= 60


def test_answering_stores_one_response_and_a_second_post_keeps_it(
    world: Any, sent: dict[str, str], exit_mentee: Any, client: Any
) -> None:
    url = reverse("questionnaire_answer", args=[sent[world.mentee_a1_person.email]])

    first = client.post(url, full_answers(exit_mentee, "9"))
    second = client.post(url, full_answers(exit_mentee, "2"))

    assert first.status_code == 302
    assert first["Location"] == reverse("questionnaire_done")
    assert second.status_code == 200
    assert "Ответ уже получен, спасибо" in second.content.decode()
    response = Response.objects.get()
    assert response.person == world.mentee_a1_person
    assert response.pair is not None
    assert response.filled_on == TODAY
    assert set(response.answers.filter(number__isnull=False).values_list("number", flat=True)) == {9}
    link = QuestionnaireLink.objects.get(person=world.mentee_a1_person)
    assert link.answered_at is not None
    assert link.response == response


def test_a_used_token_answers_404_in_russian(world: Any, sent: dict[str, str], exit_mentee: Any, client: Any) -> None:
    token = sent[world.mentee_a1_person.email]
    services.questionnaire_answer(token=token, answers=_answers(exit_mentee))

    page = client.get(reverse("questionnaire_answer", args=[token]))

    assert page.status_code == 404
    assert "Ссылка недействительна" in page.content.decode()


def test_a_wrong_token_answers_404_and_changes_nothing(
    world: Any, sent: dict[str, str], exit_mentee: Any, client: Any
) -> None:
    url = reverse("questionnaire_answer", args=["x" * 43])

    assert client.get(url).status_code == 404
    posted = client.post(url, full_answers(exit_mentee))

    assert posted.status_code == 404
    assert "Ссылка недействительна" in posted.content.decode()
    assert not Response.objects.exists()
    assert not QuestionnaireLink.objects.filter(answered_at__isnull=False).exists()


def test_an_expired_link_says_so_in_russian_and_takes_no_answer(
    world: Any, sent: dict[str, str], exit_mentee: Any, client: Any
) -> None:
    url = reverse("questionnaire_answer", args=[sent[world.mentee_a1_person.email]])
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        page = client.get(url)
        posted = client.post(url, full_answers(exit_mentee))

    assert page.status_code == 410
    assert f"Срок заполнения анкеты истёк {DEADLINE:%d.%m.%Y}" in page.content.decode()
    assert posted.status_code == 410
    assert not Response.objects.exists()


def test_a_token_answers_for_its_own_person_only(world: Any, sent: dict[str, str], exit_mentee: Any) -> None:
    services.questionnaire_answer(token=sent[world.mentee_a1_second.email], answers=_answers(exit_mentee))

    assert list(Response.objects.values_list("person_id", flat=True)) == [world.mentee_a1_second.pk]
    assert QuestionnaireLink.objects.get(person=world.mentee_a1_person).answered_at is None


def test_another_users_own_link_page_answers_404(world: Any, sent: dict[str, str], client_as: Any) -> None:
    mentee = world.mentee_a1_person
    mentee.user = world.outsider
    mentee.save()
    link = QuestionnaireLink.objects.get(person=mentee)

    assert client_as(world.mentor_a1).get(reverse("questionnaire_mine", args=[link.pk])).status_code == 404
    opened = client_as(world.outsider).get(reverse("questionnaire_mine", args=[link.pk]))
    assert opened.status_code == 302
    token = opened["Location"].rstrip("/").rsplit("/", 1)[1]
    assert link_for_token(token) == link
    assert link_for_token(sent[mentee.email]) is None


def test_a_minor_whose_consent_was_withdrawn_after_sending_is_refused(
    world: Any, sent: dict[str, str], exit_mentee: Any, client: Any
) -> None:
    Consent.objects.filter(person=world.mentee_a1_person).update(withdrawn_on=TODAY - timedelta(days=1))
    url = reverse("questionnaire_answer", args=[sent[world.mentee_a1_person.email]])

    page = client.get(url)
    posted = client.post(url, full_answers(exit_mentee))

    assert page.status_code == 403
    assert "нет действующего согласия родителя" in page.content.decode()
    assert posted.status_code == 403
    assert not Response.objects.exists()


def test_an_incomplete_answer_is_refused_with_a_russian_message(
    world: Any, sent: dict[str, str], exit_mentee: Any, client: Any
) -> None:
    data = full_answers(exit_mentee)
    first_scale = exit_mentee.questions.filter(kind=QuestionKind.SCALE).first()
    data[f"q{first_scale.pk}"] = "11"
    data.pop(f"q{exit_mentee.questions.filter(kind=QuestionKind.CHOICE).first().pk}")

    page = client.post(reverse("questionnaire_answer", args=[sent[world.mentee_a1_person.email]]), data)

    assert page.status_code == 200
    assert "Ответьте на этот вопрос." in page.content.decode()
    assert not Response.objects.exists()


# --- following up -----------------------------------------------------------------------------------


def test_the_follow_up_counts_answered_out_of_asked_and_names_the_others(
    world: Any, sent: dict[str, str], exit_mentee: Any, client_as: Any
) -> None:
    services.questionnaire_answer(token=sent[world.mentee_a1_person.email], answers=_answers(exit_mentee))

    page = client_as(world.curator_a1).get(
        reverse("participants:questionnaire_follow_up", args=[exit_mentee.pk, world.programme_a1.pk])
    )

    html = page.content.decode()
    assert page.status_code == 200
    assert "Ответили 1 из 2" in html
    assert "Кузнецова Мария" in html
    assert "Сидоров Илья" not in html
    assert "Напомнить остальным" in html


def test_the_follow_up_of_another_school_answers_404(
    world: Any, sent: dict[str, str], exit_mentee: Any, client_as: Any
) -> None:
    url = reverse("participants:questionnaire_follow_up", args=[exit_mentee.pk, world.programme_a1.pk])

    assert client_as(world.curator_b1).get(url).status_code == 404


def test_a_reminder_goes_at_most_once_a_day_per_person(
    world: Any, sent: dict[str, str], exit_mentee: Any, django_capture_on_commit_callbacks: Any
) -> None:
    account_holder = world.mentee_a1_second
    account_holder.user = world.outsider
    account_holder.save()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        first = services.questionnaire_remind(
            actor=world.curator_a1, questionnaire=exit_mentee, programme=world.programme_a1
        )
        second = services.questionnaire_remind(
            actor=world.curator_a1, questionnaire=exit_mentee, programme=world.programme_a1
        )

    assert (first.letters, first.digest) == (1, 1)
    assert (second.letters, second.digest, second.already_today) == (0, 0, 2)
    assert [m.to[0] for m in mail.outbox] == [world.mentee_a1_person.email]
    assert mail.outbox[0].subject == "[Наставничество] Напоминание: заполните анкету"
    assert link_for_token(sent[world.mentee_a1_person.email]) is None  # a fresh link replaced the old one
    due = list(questionnaires_unanswered(TODAY))
    assert [d.recipient_id for d in due] == [world.outsider.pk]
    link = QuestionnaireLink.objects.get(person=account_holder)
    assert due[0].url == reverse("questionnaire_mine", args=[link.pk])
    assert due[0].due_date == TODAY
    assert list(questionnaires_unanswered(TODAY + timedelta(days=1))) == []

    with time_machine.travel(timezone.now() + timedelta(days=1)), django_capture_on_commit_callbacks(execute=True):
        next_day = services.questionnaire_remind(
            actor=world.curator_a1, questionnaire=exit_mentee, programme=world.programme_a1
        )
    assert (next_day.letters, next_day.digest) == (1, 1)


def test_the_remind_button_of_a_read_only_user_is_refused(
    world: Any, sent: dict[str, str], exit_mentee: Any, client_as: Any
) -> None:
    url = reverse("participants:questionnaire_remind", args=[exit_mentee.pk, world.programme_a1.pk])

    assert client_as(world.officer_a).post(url).status_code == 403
    assert not QuestionnaireLink.objects.filter(reminded_on__isnull=False).exists()


def _people(world: Any, count: int) -> None:
    mentees = [
        enrolled(
            organisation=world.organisation_a1,
            surname=f"Участник{n}",
            name="Тест",
            email="" if n % 3 else f"p{n}@example.ru",
        )
        for n in range(count)
    ]
    PairFactory(programme=world.programme_a1, mentors=[world.mentor_a1_person], mentees=mentees)


@pytest.mark.parametrize("count", [5, 50])
def test_the_follow_up_page_costs_the_same_queries_for_5_and_50_people(
    world: Any, exit_mentee: Any, client_as: Any, count: int, django_capture_on_commit_callbacks: Any
) -> None:
    _people(world, count)
    send(world, exit_mentee, django_capture_on_commit_callbacks)
    client = client_as(world.curator_a1)
    url = reverse("participants:questionnaire_follow_up", args=[exit_mentee.pk, world.programme_a1.pk])
    client.get(url)

    with CaptureQueriesContext(connection) as queries:
        page = client.get(url)

    assert page.status_code == 200
    assert f"Ответили 0 из {count}" in page.content.decode()
    assert len(queries) == FOLLOW_UP_QUERIES


#: session, user, roles…, the questionnaire, the programme, the counts, the list, the pairs of the filter
FOLLOW_UP_QUERIES = 10


def test_the_deadline_is_the_end_of_the_chosen_day(world: Any, sent: dict[str, str]) -> None:
    link = QuestionnaireLink.objects.get(person=world.mentee_a1_person)
    local = timezone.localtime(link.expires_at)
    assert (local.date(), local.hour, local.minute) == (DEADLINE, 23, 59)


def test_a_link_sent_before_a_new_version_can_still_be_answered(
    world: Any, pair: Any, django_capture_on_commit_callbacks: Any
) -> None:
    template = Questionnaire.objects.get(template_key="teacher_student:mentee:exit")
    own = services.questionnaire_copy(
        actor=world.curator_a1, questionnaire=template, organisation=world.organisation_a1
    )
    send(world, own, django_capture_on_commit_callbacks)
    services.questionnaire_new_version(actor=world.curator_a1, questionnaire=own)

    services.questionnaire_answer(token=tokens_by_email()[world.mentee_a1_person.email], answers=_answers(own))

    assert Response.objects.get().questionnaire == own
    with pytest.raises(DomainError, match="новую версию"):
        send(world, own, django_capture_on_commit_callbacks)


def test_the_follow_up_lists_those_who_have_not_answered_100_to_a_page(
    world: Any, exit_mentee: Any, client_as: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _people(world, 105)
    send(world, exit_mentee, django_capture_on_commit_callbacks)
    url = reverse("participants:questionnaire_follow_up", args=[exit_mentee.pk, world.programme_a1.pk])
    client = client_as(world.curator_a1)

    first, last = client.get(url), client.get(url, {"page": 2})

    assert len(first.context["unanswered"]) == 100
    assert [link.person.surname for link in last.context["unanswered"]] == sorted(
        QuestionnaireLink.objects.values_list("person__surname", flat=True)
    )[100:]
    assert "Ещё не ответили: 105" in last.content.decode()
    assert "2 из 2" in last.content.decode()


def test_an_account_holders_reminder_reaches_the_daily_digest_once(
    world: Any, sent: dict[str, str], exit_mentee: Any
) -> None:
    from notifications.models import Reminder
    from notifications.services import reminders_collect

    holder = world.mentee_a1_second
    holder.user = world.outsider
    holder.save()
    services.questionnaire_remind(actor=world.curator_a1, questionnaire=exit_mentee, programme=world.programme_a1)

    reminders_collect(day=TODAY)
    reminders_collect(day=TODAY)

    [reminder] = Reminder.objects.filter(topic="participants_questionnaires")
    link = QuestionnaireLink.objects.get(person=holder)
    assert reminder.recipient == world.outsider
    assert reminder.url == reverse("questionnaire_mine", args=[link.pk])
    assert reminder.title == f"Заполните анкету «{exit_mentee.title}»"
    assert "Сидоров" not in reminder.title + reminder.text


def test_the_send_page_sends_to_one_pair_and_says_what_it_did(
    world: Any, pair: Any, exit_mentee: Any, client_as: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_as(world.curator_a1)
    url = reverse("participants:questionnaire_send", args=[exit_mentee.pk])
    assert client.get(url).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(
            url,
            {
                "programme": world.programme_a1.pk,
                "pair": pair.pk,
                "deadline": DEADLINE.isoformat(),
                "_submission": "0f5e3a0c-1d7b-4a51-9d3e-9a4b7c2e1f10",
            },
            follow=True,
        )

    assert page.redirect_chain[-1][0] == reverse(
        "participants:questionnaire_follow_up", args=[exit_mentee.pk, world.programme_a1.pk]
    )
    assert "Анкета отправлена: ссылок создано: 2; письмом: 2" in page.content.decode()
    assert len(mail.outbox) == 2


#: the link with its questionnaire and person, the questions, the consent check of a minor
ANSWER_PAGE_QUERIES = 3


def test_the_answer_page_costs_a_fixed_number_of_queries(world: Any, sent: dict[str, str], client: Any) -> None:
    url = reverse("questionnaire_answer", args=[sent[world.mentee_a1_person.email]])
    client.get(url)

    with CaptureQueriesContext(connection) as queries:
        page = client.get(url)

    assert page.status_code == 200
    assert len(queries) == ANSWER_PAGE_QUERIES, [q["sql"][:80] for q in queries]
