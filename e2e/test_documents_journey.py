"""A curator prepares the order «Об утверждении наставнических пар/групп» in the browser, downloads the
draft, has it signed into the register and downloads the signed PDF: both are real PDFs naming the pairs.

The test builds its own small world: a school with its curator and director, a programme and one
pair «учитель – ученик» made with the participants' factories.
"""

from __future__ import annotations

import io
from datetime import date
from types import SimpleNamespace

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from mentorship.choices import Role
from mentorship.tests.factories import PASSWORD, MunicipalityFactory, OrganisationFactory, RegionFactory, user_with_role
from participants.choices import PairStatus, Stage
from participants.models import Pair
from participants.tests.factories import PairFactory, PersonFactory, ProgrammeFactory
from reports.choices import OrderStatus
from reports.models import Order

pytestmark = pytest.mark.e2e


@pytest.fixture
def school(transactional_db: None) -> SimpleNamespace:
    region = RegionFactory(code="05", name="Республика Дагестан")
    district = MunicipalityFactory(region=region, code="82632000", name="Кулинский район")
    organisation = OrganisationFactory(
        municipality=district,
        code="KHOSREH-DOCS",
        short_name="МКОУ «Хосрехская СОШ»",
        address="368390, Республика Дагестан, Кулинский район, с. Хосрех",
    )
    curator = user_with_role("curator_docs_e2e", Role.CURATOR, organisation)
    director = user_with_role("director_docs_e2e", Role.DIRECTOR, organisation)
    director.last_name, director.first_name, director.patronymic, director.position = (
        "Ахмедов",
        "Тимур",
        "Алиевич",
        "Директор",
    )
    director.save()
    programme = ProgrammeFactory(organisation=organisation, title="Учитель – ученик: «Шаг к успеху»", school_year=2026)
    mentor = PersonFactory(organisation=organisation, teacher=True, surname="Магомедова", name="Патимат")
    mentee = PersonFactory(organisation=organisation, surname="Алиев", name="Расул", class_name="7А")
    PairFactory(programme=programme, mentors=[mentor], mentees=[mentee], started_on=date(2026, 10, 1))
    return SimpleNamespace(organisation=organisation, curator=curator, director=director)


def _download_text(page: Page, link_name: str) -> tuple[bytes, str]:
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    content = info.value.path().read_bytes()
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).split())
    return content, text


def test_a_curator_downloads_the_pairs_order_as_a_pdf(page: Page, login, school) -> None:
    login(page, school.curator.username, PASSWORD)
    page.goto("/documents/")
    expect(page.get_by_role("heading", name="Реестр приказов")).to_be_visible()
    page.get_by_role("link", name="Новый приказ").click()
    page.get_by_label("Организация").select_option(label="МКОУ «Хосрехская СОШ»")
    page.get_by_label("Вид приказа").select_option(label="Об утверждении наставнических пар/групп")
    page.get_by_label("Дата приказа").fill("2026-11-20")
    page.get_by_label("Учебный год (год начала)").fill("2026")
    page.get_by_role("button", name="Создать проект").click()
    expect(page.get_by_role("heading", name="Об утверждении наставнических пар/групп")).to_be_visible()

    content, text = _download_text(page, "Скачать проект PDF")
    assert content.startswith(b"%PDF-")
    assert "ПРОЕКТ" in text
    assert "Магомедова Патимат" in text
    assert "Алиев Расул" in text
    assert "с. Хосрех" in text

    # The curator registers the signed paper: the order gets number 1 of 2026 and its PDF is kept.
    page.get_by_role("link", name="Подписать и зарегистрировать").click()
    page.get_by_role("button", name="Подписать и присвоить номер").click()
    expect(page.get_by_text("Приказ подписан и зарегистрирован. Утверждено пар (групп): 1.")).to_be_visible()
    content, text = _download_text(page, "Скачать PDF")
    assert content.startswith(b"%PDF-")
    assert "№ 1" in text
    assert "«20» ноября 2026 г. № 1" in text
    assert "Т.А. Ахмедов" in text
    order = Order.objects.get(organisation=school.organisation)
    assert order.status == OrderStatus.SIGNED
    assert order.number == 1
    # Signing approved the pair it lists: «Действует», at stage 6, dated by the order.
    pair = Pair.objects.get(programme__organisation=school.organisation)
    assert (pair.status, pair.stage, pair.confirmed_on) == (PairStatus.ACTIVE, Stage.WORK, date(2026, 11, 20))
