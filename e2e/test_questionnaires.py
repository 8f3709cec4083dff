"""On a phone (390×844): the curator sends the exit questionnaire to a programme, a mentee opens the
personal link from the letter (``mail.outbox``: the live server runs in this process) and answers it
without an account; the draft survives a reload; the curator then sees «Ответили 1 из 1».

The test builds its own small world: a school with its curator, a programme «учитель – ученик», a
mentor and a mentee (a minor with a parent's consent) in one pair. Screenshots go to /tmp/shots/.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from mentorship.choices import Role
from mentorship.tests.factories import PASSWORD, MunicipalityFactory, OrganisationFactory, RegionFactory, user_with_role
from participants import services
from participants.choices import BaseRole, MentorshipForm, QuestionKind
from participants.models import Questionnaire, Response, school_year_of
from participants.tests.factories import BaseEntryFactory, ConsentFactory, PairFactory, PersonFactory, ProgrammeFactory

pytestmark = pytest.mark.e2e

SHOTS = Path(tempfile.gettempdir()) / "shots"
PHONE = {"width": 390, "height": 844}
TITLE = "Анкета наставляемого на выходе («учитель – ученик»)"
CURATOR_TITLE = "Анкета куратора по итогам программы наставничества"


@pytest.fixture
def school(transactional_db: None) -> SimpleNamespace:
    services.questionnaire_templates_load()  # a transactional test starts from an emptied database
    region = RegionFactory(code="02", name="Республика Башкортостан")
    district = MunicipalityFactory(region=region, code="80652000", name="Уфимский район")
    organisation = OrganisationFactory(municipality=district, code="BULG", short_name="МОБУ СОШ с. Булгаково")
    curator = user_with_role("curator_bulg_q", Role.CURATOR, organisation)
    year = school_year_of(timezone.localdate())
    programme = ProgrammeFactory(
        organisation=organisation, title="Учитель – ученик: «Шаг к успеху»", form=MentorshipForm.TEACHER_STUDENT,
        school_year=year,
    )  # fmt: skip
    mentor = PersonFactory(organisation=organisation, teacher=True, surname="Гарипова", name="Лилия")
    mentee = PersonFactory(organisation=organisation, surname="Сидоров", name="Илья", email="ilya.sidorov@example.ru")
    for person, role in ((mentor, BaseRole.MENTOR), (mentee, BaseRole.MENTEE)):
        BaseEntryFactory(person=person, mentor=role == BaseRole.MENTOR, school_year=year)
        ConsentFactory(person=person)
    # A second mentee has no e-mail: the curator prints her a sheet with a QR code.
    no_email = PersonFactory(
        organisation=organisation, surname="Кузнецова", name="Мария", patronymic="Андреевна", email=""
    )
    BaseEntryFactory(person=no_email, school_year=year)
    ConsentFactory(person=no_email)
    PairFactory(programme=programme, mentors=[mentor], mentees=[mentee, no_email])
    return SimpleNamespace(curator=curator, programme=programme, mentee=mentee)


def no_horizontal_scroll(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_curator_sends_the_exit_questionnaire_and_a_mentee_answers_it_on_a_phone(
    page: Page, browser: Browser, live_server, login, school: SimpleNamespace
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(PHONE)
    login(page, school.curator.username, PASSWORD)

    # The curator finds the template and sends it to the programme.
    page.goto("/participants/questionnaires/")
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    page.get_by_role("link", name="Отправить участникам").click()
    page.get_by_label(re.compile("^Программа")).select_option(label=school.programme.title)
    page.get_by_role("button", name="Отправить").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Кто ответил")
    expect(page.get_by_role("alert").or_(page.get_by_text(re.compile("Анкета отправлена")))).to_contain_text(
        "письмом: 1; листом с QR-кодом (нет почты): 1"
    )
    expect(page.get_by_text("Ответили 0 из 2")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="Сидоров Илья Сергеевич")).to_contain_text("письмом")
    assert no_horizontal_scroll(page)
    page.screenshot(path=SHOTS / "questionnaire_follow_up_390.png", full_page=True)
    with page.expect_popup() as popup:
        page.get_by_role("button", name="Листы с QR-кодами").click()
    sheets = popup.value
    sheets.set_viewport_size(PHONE)
    sheets.wait_for_load_state()
    expect(sheets.get_by_text("Кузнецова Мария Андреевна")).to_be_visible()
    expect(sheets.locator("svg")).to_have_count(1)
    assert no_horizontal_scroll(sheets)
    sheets.screenshot(path=SHOTS / "questionnaire_sheets_390.png", full_page=True)
    sheets.close()

    # The mentee's letter, and the link opened on a phone without an account.
    [letter] = [m for m in mail.outbox if m.to == [school.mentee.email]]
    # The letter's address is on SITE_URL; the path is what the live server answers.
    link = re.search(r"https?://[^/\s]+(/q/[^/\s]+/)", letter.body).group(1)
    context = browser.new_context(base_url=live_server.url, locale="ru-RU", viewport=PHONE, is_mobile=True)
    phone = context.new_page()
    phone.goto(link)
    expect(phone.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(phone.get_by_text("Сидоров")).to_have_count(0)

    questionnaire = Questionnaire.objects.get(template_key="teacher_student:mentee:exit")
    questions = list(questionnaire.questions.all())
    first = phone.get_by_role("group", name=re.compile(re.escape(questions[0].text)))
    first.get_by_text("8", exact=True).click()
    # Closing the page keeps the answer (the draft in this browser).
    phone.reload()
    expect(first.get_by_label("8", exact=True)).to_be_checked()

    for question in questions[1:]:
        group = phone.get_by_role("group", name=re.compile(re.escape(question.text)))
        if question.kind == QuestionKind.SCALE:
            group.get_by_text("9", exact=True).click()
        elif question.kind == QuestionKind.CHOICE:
            group.get_by_text("Да", exact=True).click()
        else:
            group.get_by_role("textbox").fill("Разбирали задачи ОГЭ по субботам")
    target = first.get_by_text("10", exact=True).bounding_box()
    assert target["height"] >= 44
    assert target["width"] >= 44
    assert no_horizontal_scroll(phone)
    phone.screenshot(path=SHOTS / "questionnaire_answer_390.png", full_page=True)
    phone.get_by_role("button", name="Отправить ответы").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Спасибо, ответ получен")
    phone.screenshot(path=SHOTS / "questionnaire_done_390.png")

    # The used link answers «недействительна», and one response is stored.
    phone.goto(link)
    expect(phone.get_by_role("heading", level=1)).to_have_text("Ссылка недействительна")
    context.close()
    response = Response.objects.get()
    assert response.person == school.mentee
    assert sorted(set(response.answers.exclude(number=None).values_list("number", flat=True))) == [8, 9]

    page.reload()
    expect(page.get_by_text("Ответили 1 из 2")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="Сидоров")).to_have_count(0)
    expect(page.get_by_role("listitem").filter(has_text="Кузнецова Мария")).to_contain_text("листом (напечатан)")

    # The curator fills in the curator's questionnaire about the programme, on the same phone.
    page.goto("/participants/questionnaires/")
    page.get_by_role("link", name=CURATOR_TITLE).click()
    page.get_by_role("link", name="Заполнить анкету куратора").click()
    page.get_by_role("listitem").filter(has_text=school.programme.title).get_by_role(
        "link", name="Заполнить анкету куратора"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(CURATOR_TITLE)
    for question in Questionnaire.objects.get(template_key="curator:exit").questions.all():
        group = page.get_by_role("group", name=re.compile(re.escape(question.text)))
        if question.kind == QuestionKind.SCALE:
            group.get_by_text("7", exact=True).click()
        elif question.kind == QuestionKind.CHOICE:
            group.get_by_text("Да", exact=True).click()
    assert no_horizontal_scroll(page)
    page.screenshot(path=SHOTS / "questionnaire_curator_answer_390.png", full_page=True)
    page.get_by_role("button", name="Отправить ответы").click()
    expect(page.get_by_text("Спасибо, анкета куратора заполнена.")).to_be_visible()
    expect(page.get_by_text("7 из 10").first).to_be_visible()
    assert no_horizontal_scroll(page)
    curator_response = Response.objects.get(respondent=school.curator)
    assert curator_response.person is None
    assert curator_response.programme == school.programme


@pytest.mark.parametrize("viewport", [PHONE, {"width": 1366, "height": 768}], ids=["390", "1366"])
def test_curator_copies_a_template_adapts_a_question_and_the_pages_fit_the_screen(
    page: Page, login, school: SimpleNamespace, viewport: dict[str, int]
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(viewport)
    login(page, school.curator.username, PASSWORD)
    page.goto("/participants/questionnaires/")
    assert no_horizontal_scroll(page)
    page.screenshot(path=SHOTS / f"questionnaire_list_{viewport['width']}.png")
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("link", name="Скопировать к себе").click()
    page.get_by_role("button", name="Скопировать").click()
    expect(page.get_by_text("Анкета скопирована")).to_be_visible()
    expect(page.get_by_text("МОБУ СОШ с. Булгаково")).to_be_visible()
    assert no_horizontal_scroll(page)
    page.screenshot(path=SHOTS / f"questionnaire_copy_{viewport['width']}.png", full_page=True)

    page.get_by_role("link", name="Изменить").click()
    first = page.get_by_role("group", name="Вопрос 1", exact=True)
    first.get_by_label(re.compile("^Вопрос")).fill("Насколько занятия с наставником помогли вам готовиться к ОГЭ?")
    assert no_horizontal_scroll(page)
    page.screenshot(path=SHOTS / f"questionnaire_edit_{viewport['width']}.png")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_text("Анкета сохранена.")).to_be_visible()
    expect(page.get_by_text("Насколько занятия с наставником помогли вам готовиться к ОГЭ?")).to_be_visible()
    copy = Questionnaire.objects.get(organisation__code="BULG")
    assert copy.questions.get(position=1).text == "Насколько занятия с наставником помогли вам готовиться к ОГЭ?"
    assert copy.questions.count() == 10
