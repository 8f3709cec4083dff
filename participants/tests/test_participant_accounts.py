"""«Доступ к порталу» on a person's card: a participant's own account, a parent's, the letters, the access matrix.

The world: the participants' world of school A1 (``build_participants_world``) with the pair of the
mentor Петрова and the minor mentee Сидоров (his mother signed his consent); a minor mentee with no
consent; an adult mentor with no e-mail. Every letter is sent by the Celery task on commit (eager in
the tests, into Django's locmem outbox); its link is followed to set a password.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from mentorship.choices import SecurityEventKind
from mentorship.models import SecurityEvent, User
from mentorship.tests.factories import PERSONAS, UserFactory, World
from mentorship.tests.matrix import DONE, LOGIN, answer, posted, sign_in, token
from mentorship.tests.pins import assert_queries_do_not_grow
from mentorship.tests.worlds import world_for_module
from participants.choices import BaseRole, PairStatus, Stage
from participants.models import Consent, Guardianship, Person

from .factories import PairFactory, build_participants_world, enrolled

pytestmark = pytest.mark.django_db

PASSWORD = "Новый-пароль-2026"
SUBJECT = "Вам открыт доступ к порталу наставничества"


def build_accounts_world() -> World:
    world = build_participants_world()
    o = world.objects
    o["pair"] = PairFactory(
        programme=o["programme_a1"],
        mentors=[o["mentor_a1_person"]],
        mentees=[o["mentee_a1_person"]],
        stage=Stage.WORK,
        status=PairStatus.ACTIVE,
        title="Пара «Алгебра»",
    )
    o["no_consent"] = enrolled(organisation=o["organisation_a1"], surname="Орлов", name="Денис", consent=False)
    o["no_email"] = enrolled(
        BaseRole.MENTOR, organisation=o["organisation_a1"], surname="Жукова", name="Вера", email=""
    )
    o["adult_mentee"] = enrolled(organisation=o["organisation_a1"], surname="Зайцев", name="Олег", adult_student=True)
    return world


@pytest.fixture(scope="module")
def _module_world(_pinned_clock: None, django_db_setup: None, django_db_blocker: Any) -> Iterator[Any]:
    yield from world_for_module(django_db_blocker, build_accounts_world)


@pytest.fixture
def post(client: Client, django_capture_on_commit_callbacks: Any) -> Any:
    """``post(user, url name, record, data)``: a form's post by ``user``, its letters sent after the commit."""

    def send(user: Any, name: str, obj: Any, data: dict[str, str] | None = None, *, once: str | None = None) -> Any:
        sign_in(client, user)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url(name, obj), {"_submission": once or token(), **(data or {})})

    return send


def url(name: str, obj: Any) -> str:
    return reverse(f"participants:{name}", args=[obj.pk])


def letter_link(message: Any) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", message.body).group(1)


def set_password(link: str) -> None:
    client = Client()
    form = client.get(link, follow=True)
    assert form.status_code == 200
    done = client.post(form.redirect_chain[-1][0], {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert done.status_code == 302


def log_in(username: str) -> Client:
    """A new visitor logged in through the log-in page, as a person would."""
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()
    return client


def messages_of(response: Any) -> list[str]:
    return [str(message) for message in response.wsgi_request._messages]


# --- a participant's own account -------------------------------------------------------------------------


def test_opening_access_for_an_adult_mentor_creates_an_account_with_no_password_and_sends_the_letter(world, post):
    mentor = world.mentor_a1_person
    response = post(world.curator_a1, "access_open", mentor)
    assert response.status_code == 302
    assert response["Location"].endswith("#portal-access")
    mentor.refresh_from_db()
    account = mentor.user
    assert account.username == mentor.email.lower()
    assert account.email == mentor.email.lower()
    assert (account.last_name, account.first_name, account.patronymic) == (
        mentor.surname,
        mentor.name,
        mentor.patronymic,
    )
    assert account.is_active
    assert not account.has_usable_password()
    [letter] = mail.outbox
    assert letter.to == [account.email]
    assert SUBJECT in letter.subject
    assert "Моя пара" in letter.body
    assert "Чтобы войти, задайте пароль по ссылке" in letter.body
    event = SecurityEvent.objects.get(kind=SecurityEventKind.INVITATION_SENT)
    assert (event.actor, event.subject, event.what) == (world.curator_a1, account, "Доступ участника к порталу")
    assert event.region_id == world.region_r.pk
    assert event.ip == "127.0.0.1"


def test_the_letters_link_sets_a_password_and_the_mentor_then_logs_in_and_sees_my_pair(world, post):
    mentor = world.mentor_a1_person
    post(world.curator_a1, "access_open", mentor)
    set_password(letter_link(mail.outbox[0]))
    client = log_in(mentor.email.lower())
    page = client.get(reverse("participants:my"), follow=True)
    assert page.status_code == 200
    assert "Пара «Алгебра»" in page.content.decode()
    assert "Записать встречу" in page.content.decode()


def test_a_minor_mentee_with_a_parents_consent_in_force_gets_an_account(world, post):
    mentee = world.mentee_a1_person
    assert mentee.is_minor_on(date(2026, 11, 23))
    post(world.curator_a1, "access_open", mentee)
    mentee.refresh_from_db()
    assert mentee.user is not None
    assert len(mail.outbox) == 1


def test_a_minor_without_a_consent_in_force_is_refused_in_russian_and_nothing_changes(world, post):
    response = post(world.curator_a1, "access_open", world.no_consent)
    assert any("нет 18 лет" in text for text in messages_of(response))
    assert Person.objects.get(pk=world.no_consent.pk).user is None
    assert not User.objects.filter(username=world.no_consent.email.lower()).exists()
    assert mail.outbox == []
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.INVITATION_SENT).exists()


def test_a_minor_whose_consent_was_withdrawn_is_refused_too(world, post):
    mentee = world.mentee_a1_second
    Consent.objects.filter(person=mentee).update(withdrawn_on=date(2026, 11, 1))
    post(world.curator_a1, "access_open", mentee)
    assert Person.objects.get(pk=mentee.pk).user is None
    assert mail.outbox == []


def test_a_person_without_an_email_is_refused_and_told_where_to_add_it(world, post):
    response = post(world.curator_a1, "access_open", world.no_email)
    assert any("не указана электронная почта" in text for text in messages_of(response))
    assert Person.objects.get(pk=world.no_email.pk).user is None


def test_a_person_in_no_base_and_no_pair_gets_no_account(world, post):
    stranger = Person.objects.create(organisation=world.organisation_a1, kind="teacher", surname="Нет", name="Базы")
    stranger.email = "nobase@example.ru"
    stranger.save()
    response = post(world.curator_a1, "access_open", stranger)
    assert any("наставникам и наставляемым" in text for text in messages_of(response))
    assert not User.objects.filter(username="nobase@example.ru").exists()


def test_an_existing_active_account_with_that_email_is_linked_rather_than_duplicated(world, post):
    mentor = world.mentor_a1_person
    existing = UserFactory(username="petrova", email=mentor.email.upper())
    post(world.curator_a1, "access_open", mentor)
    mentor.refresh_from_db()
    assert mentor.user == existing
    assert User.objects.filter(email__iexact=mentor.email).count() == 1
    assert "Войдите со своим паролем" in mail.outbox[0].body


def test_an_account_already_linked_to_another_person_is_refused(world, post):
    mentor, adult = world.mentor_a1_person, world.adult_mentee
    post(world.curator_a1, "access_open", mentor)
    Person.objects.filter(pk=adult.pk).update(email=mentor.email)
    response = post(world.curator_a1, "access_open", adult)
    assert any("уже связана с другим участником" in text for text in messages_of(response))
    assert Person.objects.get(pk=adult.pk).user is None
    assert len(mail.outbox) == 1


def test_the_open_button_posted_twice_makes_one_account_one_link_and_one_letter(world, post):
    mentor = world.mentor_a1_person
    once = token()
    post(world.curator_a1, "access_open", mentor, once=once)
    second = post(world.curator_a1, "access_open", mentor, once=once)
    assert second.status_code == 302
    assert User.objects.filter(username=mentor.email.lower()).count() == 1
    assert len(mail.outbox) == 1
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.INVITATION_SENT).count() == 1


def test_a_second_press_later_sends_the_letter_again_to_the_same_account(world, post):
    mentor = world.mentor_a1_person
    post(world.curator_a1, "access_open", mentor)
    post(world.curator_a1, "access_open", mentor)
    assert User.objects.filter(username=mentor.email.lower()).count() == 1
    assert [m.to for m in mail.outbox] == [[mentor.email.lower()]] * 2


def test_closing_access_unlinks_the_account_switches_it_off_and_ends_its_sessions(world, post):
    mentor = world.mentor_a1_person
    post(world.curator_a1, "access_open", mentor)
    account = User.objects.get(username=mentor.email.lower())
    own = Client()
    own.force_login(account)
    assert own.get(reverse("participants:my")).status_code == 302
    response = post(world.curator_a1, "access_close", mentor)
    assert "Доступ к порталу закрыт." in messages_of(response)
    account.refresh_from_db()
    assert Person.objects.get(pk=mentor.pk).user is None
    assert not account.is_active
    assert answer(own.get(reverse("participants:my"))) == LOGIN
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.USER_DEACTIVATED, subject=account).exists()


def test_a_letter_still_queued_when_the_access_is_closed_is_not_sent(world, post):
    from participants.services.accounts import access_letter_send

    mentor = world.mentor_a1_person
    post(world.curator_a1, "access_open", mentor)
    account = User.objects.get(username=mentor.email.lower())
    post(world.curator_a1, "access_close", mentor)
    mail.outbox.clear()
    assert access_letter_send(user_id=account.pk, person_id=mentor.pk, parent=False) is False
    assert access_letter_send(user_id=account.pk, person_id=mentor.pk, parent=True) is False
    assert mail.outbox == []


def test_an_account_switched_off_by_the_administrators_is_not_switched_on_by_the_card(world, post):
    mentor = world.mentor_a1_person
    User.objects.filter(pk=world.mentor_a1.pk).update(email=mentor.email, is_active=False)
    response = post(world.curator_a1, "access_open", mentor)
    assert any("отключена" in text for text in messages_of(response))
    assert not User.objects.get(pk=world.mentor_a1.pk).is_active
    assert Person.objects.get(pk=mentor.pk).user is None
    assert mail.outbox == []


def test_closing_keeps_an_account_that_holds_a_role(world, post):
    mentor = world.mentor_a1_person
    mentor.user = world.mentor_a1
    mentor.save()
    post(world.curator_a1, "access_close", mentor)
    assert Person.objects.get(pk=mentor.pk).user is None
    assert User.objects.get(pk=world.mentor_a1.pk).is_active


def test_access_opened_again_after_closing_switches_the_same_account_back_on(world, post):
    mentor = world.mentor_a1_person
    post(world.curator_a1, "access_open", mentor)
    post(world.curator_a1, "access_close", mentor)
    post(world.curator_a1, "access_open", mentor)
    mentor.refresh_from_db()
    assert mentor.user.is_active
    assert User.objects.filter(username=mentor.email.lower()).count() == 1


# --- a parent's account ----------------------------------------------------------------------------------

PARENT = {"full_name": "Сидорова Ольга Николаевна", "email": "Sidorova.Olga@Example.RU"}


def test_a_parent_gets_an_account_linked_to_the_child_under_the_consent_they_signed(world, post):
    mentee = world.mentee_a1_person
    response = post(world.curator_a1, "access_parent", mentee, PARENT)
    assert response.status_code == 302
    link = Guardianship.objects.get(person=mentee)
    account = link.user
    assert account.username == "sidorova.olga@example.ru"
    assert (account.last_name, account.first_name, account.patronymic) == ("Сидорова", "Ольга", "Николаевна")
    assert link.consent == Consent.objects.get(person=mentee)
    [letter] = mail.outbox
    assert SUBJECT in letter.subject
    assert "только для просмотра" in letter.body
    assert "пока действует" in letter.body
    event = SecurityEvent.objects.get(kind=SecurityEventKind.INVITATION_SENT)
    assert (event.subject, event.what) == (account, "Доступ родителя")


def test_the_parent_sets_a_password_logs_in_and_sees_the_childs_pair_read_only(world, post):
    post(world.curator_a1, "access_parent", world.mentee_a1_person, PARENT)
    set_password(letter_link(mail.outbox[0]))
    client = log_in("sidorova.olga@example.ru")
    page = client.get(reverse("participants:my"), follow=True).content.decode()
    assert "Пара моего ребёнка" in page
    assert "Пара «Алгебра»" in page
    assert "Записать встречу" not in page
    assert client.get(reverse("participants:my_meeting_log", args=[world.pair.pk])).status_code == 403


def test_a_parent_is_refused_while_no_consent_signed_by_a_parent_is_in_force(world, post):
    mentee = world.mentee_a1_person
    Consent.objects.filter(person=mentee).update(withdrawn_on=date(2026, 11, 1))
    response = post(world.curator_a1, "access_parent", mentee, PARENT)
    assert response.status_code == 200
    assert "подписанное родителем" in response.content.decode()
    assert not Guardianship.objects.filter(person=mentee).exists()
    assert not User.objects.filter(username="sidorova.olga@example.ru").exists()
    assert mail.outbox == []


def test_a_parent_cannot_be_given_access_to_an_adult(world, client_as, post):
    adult = world.adult_mentee
    assert client_as(world.curator_a1).get(url("access_parent", adult)).status_code == 403
    response = post(world.curator_a1, "access_parent", adult, PARENT)
    assert "несовершеннолетнего наставляемого" in response.content.decode()
    assert not Guardianship.objects.exists()


def test_the_parents_form_asks_for_a_surname_and_a_name_and_a_valid_email(world, post):
    mentee = world.mentee_a1_person
    short = post(world.curator_a1, "access_parent", mentee, {"full_name": "Ольга", "email": "olga@example.ru"})
    assert "Укажите фамилию и имя родителя" in short.content.decode()
    bad = post(world.curator_a1, "access_parent", mentee, {"full_name": "Сидорова Ольга", "email": "не почта"})
    assert bad.status_code == 200
    assert not Guardianship.objects.exists()
    assert not User.objects.filter(username="olga@example.ru").exists()


def test_the_childs_own_email_is_refused_as_the_parents(world, post):
    mentee = world.mentee_a1_person
    post(world.curator_a1, "access_open", mentee)
    response = post(world.curator_a1, "access_parent", mentee, {"full_name": "Сидорова Ольга", "email": mentee.email})
    assert "самого участника" in response.content.decode()
    assert not Guardianship.objects.exists()


def test_the_parents_form_posted_twice_makes_one_account_and_one_link(world, post):
    mentee, once = world.mentee_a1_person, token()
    post(world.curator_a1, "access_parent", mentee, PARENT, once=once)
    post(world.curator_a1, "access_parent", mentee, PARENT, once=once)
    assert Guardianship.objects.filter(person=mentee).count() == 1
    assert User.objects.filter(username="sidorova.olga@example.ru").count() == 1
    assert len(mail.outbox) == 1


def test_a_parents_existing_account_is_linked_and_keeps_its_password(world, post):
    existing = UserFactory(username="olga", email="sidorova.olga@example.ru")
    post(world.curator_a1, "access_parent", world.mentee_a1_person, PARENT)
    assert Guardianship.objects.get(person=world.mentee_a1_person).user == existing
    existing.refresh_from_db()
    assert existing.has_usable_password()
    assert "Войдите со своим паролем" in mail.outbox[0].body


def test_switching_a_parent_off_deletes_the_link_and_the_page_closes(world, post):
    mentee = world.mentee_a1_person
    post(world.curator_a1, "access_parent", mentee, PARENT)
    link = Guardianship.objects.get(person=mentee)
    parent = Client()
    parent.force_login(link.user)
    assert parent.get(reverse("participants:my_pair", args=[world.pair.pk])).status_code == 200
    response = post(world.curator_a1, "guardianship_remove", link)
    assert "Доступ родителя отключён." in messages_of(response)
    assert not Guardianship.objects.filter(pk=link.pk).exists()
    assert answer(parent.get(reverse("participants:my_pair", args=[world.pair.pk]))) in (404, LOGIN)


def test_a_parent_switched_off_for_one_child_keeps_the_account_for_another(world, post):
    first, second = world.mentee_a1_person, world.mentee_a1_second
    post(world.curator_a1, "access_parent", first, PARENT)
    post(world.curator_a1, "access_parent", second, PARENT)
    account = User.objects.get(username="sidorova.olga@example.ru")
    assert Guardianship.objects.filter(user=account).count() == 2
    post(world.curator_a1, "guardianship_remove", Guardianship.objects.get(user=account, person=first))
    account.refresh_from_db()
    assert account.is_active
    post(world.curator_a1, "guardianship_remove", Guardianship.objects.get(user=account, person=second))
    account.refresh_from_db()
    assert not account.is_active


# --- the card and the access matrix -------------------------------------------------------------------------


def test_the_card_offers_the_block_to_the_schools_staff_only(world, client_as):
    mentee = world.mentee_a1_person
    staff = client_as(world.curator_a1).get(url("person", mentee)).content.decode()
    assert "Доступ к порталу" in staff
    assert "Открыть доступ участнику" in staff
    assert "Открыть доступ родителю" in staff
    officer = client_as(world.officer_a).get(url("person", mentee)).content.decode()
    assert "Доступ к порталу" not in officer


def test_the_card_says_why_a_minor_without_consent_gets_no_access(world, client_as):
    page = client_as(world.curator_a1).get(url("person", world.no_consent)).content.decode()
    assert "нет 18 лет" in page
    assert "Открыть доступ участнику" not in page
    assert "подписанное родителем" in page


def test_the_cards_queries_do_not_grow_with_the_linked_parents(world, client_as, django_assert_num_queries):
    mentee = world.mentee_a1_person
    consent = Consent.objects.get(person=mentee)

    def more_parents() -> None:
        for n in range(5):
            parent = UserFactory(username=f"parent_{n}", last_name=f"Родитель{n}")
            Guardianship.objects.create(user=parent, person=mentee, consent=consent)

    response = assert_queries_do_not_grow(
        client_as(world.curator_a1), url("person", mentee), more_parents, django_assert_num_queries
    )
    assert response.content.decode().count("Отключить родителя") == 5


def test_a_foreign_or_missing_person_answers_404(world, client_as):
    client = client_as(world.curator_a1)
    foreign = world.student_b1_person
    assert client.post(url("access_open", foreign), {"_submission": token()}).status_code == 404
    assert client.get(url("access_parent", foreign)).status_code == 404
    missing = reverse("participants:access_open", args=[999999])
    assert client.post(missing, {"_submission": token()}).status_code == 404
    assert Person.objects.get(pk=foreign.pk).user is None


# The pages: posts change the record; the parent's form page is read by GET.
PAGES = ("access_open", "access_close", "access_parent", "guardianship_remove")
STAFF = {"access_open": DONE, "access_close": DONE, "access_parent": 200, "guardianship_remove": DONE}
LOOKS = dict.fromkeys(PAGES, 403)
STRANGER = dict.fromkeys(PAGES, 404)
# fmt: off
EXPECTED: dict[str, dict[str, Any]] = {
    # The region and the municipality above only look at a school's people (participants/roles.py).
    "regional_coordinator": LOOKS,
    "regional_observer": LOOKS,
    "officer_a": LOOKS,
    "officer_b": STRANGER,
    "observer_a": LOOKS,
    "director_a1": STAFF,
    "curator_a1": STAFF,
    "curator_b1": STRANGER,
    "coordinator_a1": STAFF,
    "mentor_a1": STRANGER,
    "outsider": STRANGER,
    "superuser": STAFF,
    "anonymous": dict.fromkeys(PAGES, LOGIN),
}
# fmt: on


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_access_pages_answer_each_persona_as_written_by_hand(world, client, persona):
    mentor, mentee = world.mentor_a1_person, world.mentee_a1_person
    linked = UserFactory(username="linked_adult", email="linked@example.ru")
    Person.objects.filter(pk=world.adult_mentee.pk).update(user=linked)
    parent = UserFactory(username="parent_of_sidorov")
    link = Guardianship.objects.create(user=parent, person=mentee, consent=Consent.objects.get(person=mentee))
    client = sign_in(client, world.persona(persona))

    def linked_to(person: Person) -> int | None:
        return Person.objects.get(pk=person.pk).user_id

    found = {
        "access_open": posted(
            client.post(url("access_open", mentor), {"_submission": token()}), linked_to(mentor) is not None
        ),
        "access_close": posted(
            client.post(url("access_close", world.adult_mentee), {"_submission": token()}),
            linked_to(world.adult_mentee) is None,
        ),
        "access_parent": answer(client.get(url("access_parent", mentee))),
        "guardianship_remove": posted(
            client.post(url("guardianship_remove", link), {"_submission": token()}),
            not Guardianship.objects.filter(pk=link.pk).exists(),
        ),
    }
    assert found == EXPECTED[persona]
