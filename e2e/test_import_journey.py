"""A school's curator fills the portal from Excel: uploads a list of pupils, reads the preview, confirms;
then uploads a file with a mistake and sees the row and column named, with nothing written.

The test builds its own small world (a school and its curator); the files are generated here.
"""

from __future__ import annotations

import io
from datetime import date
from types import SimpleNamespace

import openpyxl
import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from mentorship.choices import Role
from mentorship.models import ImportJob, ImportStatus
from mentorship.tests.factories import PASSWORD, MunicipalityFactory, OrganisationFactory, RegionFactory, user_with_role
from participants.models import Person

pytestmark = pytest.mark.e2e

HEADERS = ["Кто это", "Фамилия", "Имя", "Отчество", "Дата рождения", "Класс (группа)"]


@pytest.fixture
def school(transactional_db: None) -> SimpleNamespace:
    region = RegionFactory(code="02", name="Республика Башкортостан")
    district = MunicipalityFactory(region=region, code="80652000", name="Уфимский район")
    organisation = OrganisationFactory(municipality=district, code="BULG", short_name="МОБУ СОШ с. Булгаково")
    curator = user_with_role("curator_import_e2e", Role.CURATOR, organisation)
    return SimpleNamespace(organisation=organisation, curator=curator)


def workbook(*rows: list) -> dict:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Список обучающихся 8Б класса"])
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return {
        "name": "8Б.xlsx",
        "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "buffer": buffer.getvalue(),
    }


def test_curator_imports_a_class_list_and_sees_a_bad_file_refused(page: Page, login, school: SimpleNamespace) -> None:
    login(page, school.curator.username, PASSWORD)
    page.goto(reverse("participants:people"))
    page.get_by_role("link", name="Загрузить из Excel").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Загрузка из Excel")
    expect(page.get_by_role("link", name="Скачать шаблон")).to_be_visible()

    page.get_by_label("Файл Excel (.xlsx)").set_input_files(
        workbook(
            ["Обучающийся", "Галиев", "Тимур", "Ринатович", date(2012, 5, 4), "8Б"],
            ["Обучающийся", "Хасанова", "Алия", "Маратовна", "17.09.2012", "8Б"],
        )
    )
    page.get_by_label("Организация для строк без кода организации").select_option(label="МОБУ СОШ с. Булгаково")
    page.get_by_role("button", name="Проверить файл").click()

    expect(page.get_by_text("Проверен, ждёт подтверждения")).to_be_visible()
    rows = page.get_by_role("table", name="Строки файла")
    expect(rows.get_by_role("row")).to_have_count(3)
    expect(rows).to_contain_text("Хасанова Алия Маратовна")
    expect(rows).to_contain_text("будет создана")
    assert Person.objects.count() == 0

    page.get_by_role("button", name="Подтвердить импорт").click()
    expect(page.get_by_role("status")).to_contain_text("Файл импортирован")
    assert set(Person.objects.values_list("surname", flat=True)) == {"Галиев", "Хасанова"}
    assert ImportJob.objects.get().status == ImportStatus.DONE

    # The same list again, with a pupil born «вчера»: nothing is written, the row and column are named.
    page.goto(reverse("imports:upload", args=["people"]))
    page.get_by_label("Файл Excel (.xlsx)").set_input_files(
        workbook(
            ["Обучающийся", "Галиев", "Тимур", "Ринатович", date(2012, 5, 4), "8В"],
            ["Обучающийся", "Петров", "Олег", "", "вчера", "8Б"],
        )
    )
    page.get_by_label("Организация для строк без кода организации").select_option(label="МОБУ СОШ с. Булгаково")
    page.get_by_role("button", name="Проверить файл").click()
    errors = page.get_by_role("list", name="Ошибки")
    expect(errors).to_contain_text("Строка 4, столбец E «Дата рождения»: «вчера» — не дата")
    expect(page.get_by_role("button", name="Подтвердить импорт")).to_have_count(0)
    assert Person.objects.get(surname="Галиев").class_name == "8Б"
    assert not Person.objects.filter(surname="Петров").exists()
