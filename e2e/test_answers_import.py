"""A school's curator imports the answers to an exit questionnaire collected in Яндекс Формы.

The export (``fixtures/answers_yandex.xlsx``) with one more row, a pupil the school does not have:
the preview maps the columns to the questions, names the unmatched row and writes nothing; the
curator uploads the corrected file (the export as it is), confirms, and the answers are in the
portal. The job page is looked at 1366x768 and 390x844 for horizontal scroll; the screenshots go
to /tmp/shots/.
"""

from __future__ import annotations

import io
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from mentorship.choices import Role
from mentorship.tests.factories import PASSWORD, MunicipalityFactory, OrganisationFactory, RegionFactory, user_with_role
from participants.choices import QuestionKind, QuestionnaireAudience, QuestionnaireMoment
from participants.models import Person, Question, Questionnaire, Response

pytestmark = pytest.mark.e2e

SHOTS = Path("/tmp/shots")  # noqa: S108 (where the journey's screenshots are looked at)
EXPORT = settings.BASE_DIR / "fixtures" / "answers_yandex.xlsx"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def school(transactional_db: None) -> SimpleNamespace:
    region = RegionFactory(code="02", name="Республика Башкортостан")
    district = MunicipalityFactory(region=region, code="80652000", name="Уфимский район")
    organisation = OrganisationFactory(municipality=district, code="BULG", short_name="МОБУ СОШ с. Булгаково")
    curator = user_with_role("curator_answers_e2e", Role.CURATOR, organisation)
    questionnaire = Questionnaire.objects.create(
        organisation=organisation,
        title="Анкета наставляемого по итогам программы",
        audience=QuestionnaireAudience.MENTEE,
        moment=QuestionnaireMoment.EXIT,
    )
    for position, text, kind, options, required in (
        (1, "Насколько полезными были встречи с наставником?", QuestionKind.SCALE, "", True),
        (2, "Понятны ли были задачи?", QuestionKind.CHOICE, "Да\nНет", True),
        (3, "Что было самым ценным?", QuestionKind.TEXT, "", False),
    ):
        Question.objects.create(
            questionnaire=questionnaire, position=position, text=text, kind=kind, options=options, is_required=required
        )
    for surname, name, patronymic, class_name in (
        ("Ёлкина", "Алёна", "Игоревна", "7Б"),
        ("Гарипов", "Тимур", "", "8А"),
        ("Сафина", "Дина", "Ринатовна", "7Б"),
    ):
        Person.objects.create(
            organisation=organisation,
            kind="student",
            surname=surname,
            name=name,
            patronymic=patronymic,
            class_name=class_name,
        )
    return SimpleNamespace(organisation=organisation, curator=curator, questionnaire=questionnaire)


def export_with_a_stranger() -> dict:
    book = openpyxl.load_workbook(EXPORT)
    book.active.append([18734601, "2026-11-21 10:20:00", "Сидоров Пётр Андреевич", "7Б", 6, "Нет", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    return {"name": "Анкета на выходе — ответы.xlsx", "mimeType": XLSX, "buffer": buffer.getvalue()}


def no_horizontal_scroll(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def look(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    for width, height in ((1366, 768), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        assert no_horizontal_scroll(page), f"{name} scrolls sideways at {width}px"
        page.screenshot(path=SHOTS / f"answers_import_{name}_{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def upload(page: Page, school: SimpleNamespace, file: dict | Path) -> None:
    page.goto("/imports/")
    page.get_by_role("link", name="Загрузить: Ответы на анкету (Яндекс Формы, Google Формы)").click()
    page.get_by_label("Файл Excel (.xlsx)").set_input_files(file)
    page.get_by_label("Анкета, на которую отвечали").select_option(label="Анкета наставляемого по итогам программы")
    expect(page.get_by_label("Организация, чьи участники отвечали")).to_have_value(str(school.organisation.pk))
    look(page, "upload")
    page.get_by_role("button", name="Проверить файл").click()


def test_curator_imports_a_yandex_forms_export_fixes_the_unmatched_row_and_confirms(
    page: Page, login, school: SimpleNamespace
) -> None:
    login(page, school.curator.username, PASSWORD)
    upload(page, school, export_with_a_stranger())

    expect(page.get_by_text("Есть ошибки, ничего не записано")).to_be_visible()
    errors = page.get_by_role("list", name="Ошибки")
    expect(errors).to_have_text(
        "Строка 5, столбец C «ФИО»: участник «Сидоров Пётр Андреевич» не найден в «МОБУ СОШ с. Булгаково»."
    )
    mapping = page.get_by_role("region", name="Сопоставление столбцов")
    expect(mapping.get_by_label("Столбец A «ID»")).to_have_value("")
    expect(mapping.get_by_label("Столбец B «Время создания»")).to_have_value("filled_at")
    expect(mapping.get_by_label("Столбец C «ФИО»")).to_have_value("fio")
    useful = school.questionnaire.questions.get(position=1)
    expect(mapping.get_by_label(f"Столбец E «1. {useful.text}»")).to_have_value(f"question-{useful.pk}")
    expect(page.get_by_role("button", name="Подтвердить импорт")).to_have_count(0)
    look(page, "error")
    assert not Response.objects.exists()

    upload(page, school, EXPORT)
    expect(page.get_by_text("Проверен, ждёт подтверждения")).to_be_visible()
    rows = page.get_by_role("table", name="Строки файла")
    expect(rows.get_by_role("row")).to_have_count(4)
    expect(rows).to_contain_text("Гарипов Тимур: ответов — 2, заполнена 20.11.2026")
    look(page, "preview")
    assert not Response.objects.exists()

    page.get_by_role("button", name="Подтвердить импорт").click()
    expect(page.get_by_role("status")).to_contain_text("Файл импортирован")
    look(page, "done")
    assert Response.objects.filter(questionnaire=school.questionnaire).count() == 3
    answers = Response.objects.get(person__surname="Гарипов").answers.order_by("question__position")
    assert [(answer.number, answer.text) for answer in answers] == [(7, ""), (None, "Нет")]
