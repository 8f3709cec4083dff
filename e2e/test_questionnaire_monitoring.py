"""On a phone (390×844), issue 16's first journey end to end: the curator sends the exit questionnaire to a
programme, a mentee answers through the link in the letter (``mail.outbox``: the live server runs in this
process), the mentor logs the final meeting in «Моя пара», and the school's dashboard shows satisfaction
and growth from that answer with «ответили 1 из 2» beside them.

The world: a school with its curator (who also reads the school's monitoring), a programme
«учитель – ученик», a mentor with an account and two mentees in one pair (one without e-mail gets a
printed sheet, still asked). The mentee's entry questionnaire came from an import (a response
without a link, mark 5 to every scale question). Screenshots go to /tmp/shots/.
"""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from mentorship.choices import Role
from mentorship.tests.factories import PASSWORD, MunicipalityFactory, OrganisationFactory, RegionFactory, user_with_role
from monitoring.indicators import growth_of
from monitoring.models import OrganisationFigures
from monitoring.services import figures_refresh
from participants import services
from participants.choices import BaseRole, MeetingKind, MentorshipForm, PairStatus, QuestionKind, Stage
from participants.models import Answer, Meeting, Questionnaire, Response, school_year_of
from participants.tests.factories import (
    BaseEntryFactory,
    ConsentFactory,
    MeetingFactory,
    PairFactory,
    PersonFactory,
    ProgrammeFactory,
)

pytestmark = pytest.mark.e2e

SHOTS = Path("/tmp/shots")  # noqa: S108 (where the journey's screenshots are looked at)
PHONE = {"width": 390, "height": 844}
TITLE = "Анкета наставляемого на выходе («учитель – ученик»)"


@pytest.fixture
def school(transactional_db: None) -> SimpleNamespace:
    services.questionnaire_templates_load()  # a transactional test starts from an emptied database
    today = timezone.localdate()
    year = school_year_of(today)
    region = RegionFactory(code="02", name="Республика Башкортостан")
    district = MunicipalityFactory(region=region, code="80652000", name="Уфимский район")
    organisation = OrganisationFactory(municipality=district, code="BULG", short_name="МОБУ СОШ с. Булгаково")
    curator = user_with_role("curator_bulg_qm", Role.CURATOR, organisation)
    mentor_user = user_with_role("mentor_bulg_qm", Role.MENTOR, organisation)
    programme = ProgrammeFactory(
        organisation=organisation, title="Учитель – ученик: «Шаг к успеху»", form=MentorshipForm.TEACHER_STUDENT,
        school_year=year,
    )  # fmt: skip
    mentor = PersonFactory(organisation=organisation, teacher=True, surname="Гарипова", name="Лилия", user=mentor_user)
    mentee = PersonFactory(organisation=organisation, surname="Сидоров", name="Илья", email="ilya.sidorov@example.ru")
    no_email = PersonFactory(organisation=organisation, surname="Кузнецова", name="Мария", email="")
    for person, role in ((mentor, BaseRole.MENTOR), (mentee, BaseRole.MENTEE), (no_email, BaseRole.MENTEE)):
        BaseEntryFactory(person=person, mentor=role == BaseRole.MENTOR, school_year=year)
        ConsentFactory(person=person, signed_on=today - timedelta(days=60))
    pair = PairFactory(
        programme=programme, mentors=[mentor], mentees=[mentee, no_email], status=PairStatus.ACTIVE, stage=Stage.WORK,
        started_on=today - timedelta(days=45),
    )  # fmt: skip
    MeetingFactory(pair=pair, kind=MeetingKind.INTRO, planned_on=pair.started_on, held_on=pair.started_on)
    entry = Questionnaire.objects.get(template_key="teacher_student:mentee:entry")
    imported = Response.objects.create(
        organisation=organisation, questionnaire=entry, person=mentee, pair=pair, filled_on=today - timedelta(days=40)
    )
    Answer.objects.bulk_create(
        Answer(response=imported, question=q, number=5) for q in entry.questions.filter(kind=QuestionKind.SCALE)
    )
    figures_refresh(school_year=year, organisations=[organisation.pk])
    return SimpleNamespace(
        curator=curator, mentor=mentor_user, programme=programme, mentee=mentee, pair=pair, organisation=organisation
    )


#: what sticks out on the right (a table inside .table-responsive scrolls in its own box, which is allowed)
WIDE = """() => [...document.querySelectorAll('body *')]
  .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1 && !el.closest('.table-responsive'))
  .map((el) => el.tagName + ' ' + (el.textContent || '').trim().slice(0, 60)).slice(0, 10)"""


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    wide = page.evaluate(WIDE)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
        f"{name} scrolls sideways: {wide}"
    )
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def answers_row(page: Page, name: str):
    section = page.get_by_role("region", name="Анкеты участников: рост и удовлетворённость")
    return section.get_by_role("listitem").filter(has_text=name)


def test_an_exit_answer_and_the_final_meeting_show_on_the_schools_dashboard_with_the_response_rate(
    page: Page, browser: Browser, live_server, login, school: SimpleNamespace
) -> None:
    page.set_viewport_size(PHONE)
    login(page, school.curator.username, PASSWORD)

    # Before: the entry answers (imported) are there, nobody has been asked at exit yet.
    page.goto("/monitoring/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("МОБУ СОШ с. Булгаково")
    expect(answers_row(page, "На входе")).to_contain_text("5,0")
    expect(answers_row(page, "На входе")).to_contain_text("ответили 1 из 1")
    expect(answers_row(page, "На выходе")).to_contain_text("ответили 0 из 0")
    expect(answers_row(page, "Рост")).to_contain_text("—")
    shot(page, "qmon_dashboard_before_390")

    # The curator sends the exit questionnaire to the programme, through the pages.
    page.goto("/participants/questionnaires/")
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("link", name="Отправить участникам").click()
    page.get_by_label(re.compile("^Программа")).select_option(label=school.programme.title)
    page.get_by_role("button", name="Отправить").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Кто ответил")
    expect(page.get_by_text("Ответили 0 из 2")).to_be_visible()
    # The school's figures know at once who was asked (refreshed on commit, not at the next schedule).
    page.goto("/monitoring/")
    expect(answers_row(page, "На выходе")).to_contain_text("ответили 0 из 2")

    # The mentee opens the link from the letter on a phone, without an account, and answers.
    [letter] = [m for m in mail.outbox if m.to == [school.mentee.email]]
    link = re.search(r"https?://[^/\s]+(/q/[^/\s]+/)", letter.body).group(1)
    context = browser.new_context(base_url=live_server.url, locale="ru-RU", viewport=PHONE, is_mobile=True)
    phone = context.new_page()
    phone.goto(link)
    questionnaire = Questionnaire.objects.get(template_key="teacher_student:mentee:exit")
    for question in questionnaire.questions.all():
        group = phone.get_by_role("group", name=re.compile(re.escape(question.text)))
        if question.kind == QuestionKind.SCALE:
            group.get_by_text("8", exact=True).click()
        elif question.kind == QuestionKind.CHOICE:
            group.get_by_text("Да", exact=True).click()
        else:
            group.get_by_role("textbox").fill("Разбирали задачи ОГЭ по субботам")
    phone.get_by_role("button", name="Отправить ответы").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Спасибо, ответ получен")
    context.close()

    # The mentor logs the final meeting in «Моя пара».
    page.context.clear_cookies()
    login(page, school.mentor.username, PASSWORD)
    page.goto(f"/participants/my/{school.pair.pk}/")
    page.get_by_role("link", name="Записать встречу").click()
    page.get_by_text("Итоговая встреча", exact=True).click()
    page.get_by_label("Продолжительность, минут").fill("45")
    page.get_by_label("Коротко о встрече").fill("Подвели итоги года.")
    page.get_by_role("group", name="Ваша оценка встречи (1–10)").get_by_text("9", exact=True).click()
    page.get_by_role("button", name="Записать").click()
    expect(page.get_by_text("Встреча записана.")).to_be_visible()
    assert Meeting.objects.filter(pair=school.pair, kind=MeetingKind.FINAL, held_on__isnull=False).exists()

    # The school's figures now hold the answer: exit 8, growth +3, «ответили 1 из 2», greyed (too few).
    figures = OrganisationFigures.objects.values().get(organisation=school.organisation)
    growth = growth_of(figures)
    assert (growth.entry, growth.exit, growth.value) == (Decimal("5.0"), Decimal("8.0"), Decimal("3.0"))
    page.context.clear_cookies()
    login(page, school.curator.username, PASSWORD)
    page.goto("/monitoring/")
    expect(answers_row(page, "На выходе")).to_contain_text("8,0")
    expect(answers_row(page, "На выходе")).to_contain_text("ответили 1 из 2")
    expect(answers_row(page, "На выходе")).to_contain_text("мало ответов")
    expect(answers_row(page, "Рост")).to_contain_text("+3,0")
    satisfaction = page.locator("[data-indicator=satisfaction]")
    expect(satisfaction).to_contain_text("8,0")
    expect(satisfaction).to_contain_text("ответили 1 из 2")
    expect(satisfaction).to_contain_text("мало ответов")
    shot(page, "qmon_dashboard_after_390")
    page.set_viewport_size({"width": 1366, "height": 768})
    shot(page, "qmon_dashboard_after_1366")
