"""A school's curator in the browser: adds a mentor and a mentee with a parent's consent, lets the portal
suggest the pair, accepts it and logs the pair's first (introductory) meeting.

The test builds its own small world: a school with its curator and a programme «учитель – ученик»
for the current school year; everything else is done through the pages.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from mentorship.choices import Role
from mentorship.tests.factories import PASSWORD, MunicipalityFactory, OrganisationFactory, RegionFactory, user_with_role
from participants.choices import MentorshipForm
from participants.models import Meeting, Pair, school_year_of
from participants.tests.factories import ProgrammeFactory

pytestmark = pytest.mark.e2e

PROGRAMME = "Учитель – ученик: «Шаг к успеху»"


@pytest.fixture
def school(transactional_db: None) -> SimpleNamespace:
    region = RegionFactory(code="02", name="Республика Башкортостан")
    district = MunicipalityFactory(region=region, code="80652000", name="Уфимский район")
    organisation = OrganisationFactory(municipality=district, code="BULG", short_name="МОБУ СОШ с. Булгаково")
    curator = user_with_role("curator_bulg_e2e", Role.CURATOR, organisation)
    programme = ProgrammeFactory(
        organisation=organisation,
        title=PROGRAMME,
        form=MentorshipForm.TEACHER_STUDENT,
        school_year=school_year_of(timezone.localdate()),
    )
    return SimpleNamespace(organisation=organisation, curator=curator, programme=programme)


def field(page: Page, label: str):
    """The form field labelled ``label`` (a required field's label ends with «*»)."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \*)?$"))


def test_curator_adds_people_accepts_a_suggested_pair_and_logs_the_first_meeting(
    page: Page, login, school: SimpleNamespace
) -> None:
    login(page, school.curator.username, PASSWORD)
    page.get_by_role("navigation", name="Главное меню").get_by_role("link", name="Участники").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("учебный год")

    # A teacher joins the mentor base; she signs her consent herself.
    page.get_by_role("link", name="Добавить наставника").first.click()
    field(page, "Кто это").select_option(label="Педагог (работник ОО)")
    field(page, "Фамилия").fill("Гарипова")
    field(page, "Имя").fill("Лилия")
    field(page, "Отчество").fill("Рашитовна")
    field(page, "Дата рождения").fill("1985-02-01")
    field(page, "Должность").fill("учитель биологии")
    field(page, "Предмет (направление)").fill("биология")
    field(page, "Интересы").fill("биология, походы")
    field(page, "Категория наставника").select_option(label="Педагог или специалист")
    field(page, "Запрос или предложение").fill("Подготовка к олимпиадам по биологии")
    expect(field(page, "Кто подписал согласие")).to_have_value("self")
    page.get_by_role("button", name="Добавить наставника").click()
    expect(page.get_by_text("Участник добавлен в базу наставников.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Гарипова Лилия Рашитовна")

    # A 14-year-old student joins the mentee base; her mother signs the consent.
    page.goto("/participants/mentees/add/")
    field(page, "Фамилия").fill("Орлова")
    field(page, "Имя").fill("Дарья")
    field(page, "Дата рождения").fill("2012-05-14")
    field(page, "Класс (группа)").fill("8Б")
    field(page, "Интересы").fill("биология")
    field(page, "Категория наставляемого").select_option(label="Обучающийся с выдающимися способностями")
    field(page, "Запрос или предложение").fill("Хочу подготовиться к олимпиаде по биологии")
    field(page, "Кто подписал согласие").select_option(label="Родитель")
    field(page, "ФИО родителя (законного представителя)").fill("Орлова Наталья Петровна")
    page.get_by_role("button", name="Добавить наставляемого").click()
    expect(page.get_by_text("Участник добавлен в базу наставляемых.")).to_be_visible()
    expect(page.get_by_text("Родитель: Орлова Наталья Петровна")).to_be_visible()

    # The overview now counts one of each and the mentee without a pair.
    page.get_by_role("navigation", name="Главное меню").get_by_role("link", name="Участники").click()
    expect(page.locator("[data-count=mentors]")).to_have_text("1")
    expect(page.locator("[data-count=unpaired]")).to_have_text("1")

    # Matching for the programme suggests the pair, with the reasons; the curator accepts it.
    page.get_by_role("row", name=PROGRAMME).get_by_role("link", name="Подбор пар").click()
    page.get_by_role("button", name="Подобрать пары").click()
    expect(page.get_by_text("Пары подобраны")).to_be_visible()
    suggestion = page.get_by_role("row").filter(has_text="Орлова Дарья")
    expect(suggestion).to_contain_text("Гарипова Лилия Рашитовна")
    expect(suggestion).to_contain_text("биолог")
    suggestion.get_by_role("button", name="Принять").click()
    expect(page.get_by_text("Пара создана: Гарипова Л.Р. и Орлова Д.")).to_be_visible()
    pair = Pair.objects.get()
    assert set(pair.members.values_list("person__surname", flat=True)) == {"Гарипова", "Орлова"}

    # The pair's first meeting is logged as held, and shows on the pair's page.
    page.get_by_role("row").filter(has_text="Орлова Дарья").get_by_role("link", name="пара").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(str(pair))
    page.get_by_role("link", name="Записать встречу").click()
    field(page, "Вид встречи").select_option(label="Встреча-знакомство")
    field(page, "Проведена").fill(timezone.localdate().isoformat())
    field(page, "Тема").fill("Знакомство и ожидания от олимпиадной подготовки")
    field(page, "Отзыв наставляемого").fill("Было интересно")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_text("Встреча записана.")).to_be_visible()
    meetings = page.locator("#meetings")
    expect(meetings.get_by_role("row").filter(has_text="Встреча-знакомство")).to_contain_text(
        "Знакомство и ожидания от олимпиадной подготовки"
    )
    assert Meeting.objects.get(pair=pair).held_on == timezone.localdate()
