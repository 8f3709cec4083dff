"""On a phone, a curator completes a roadmap item with a file and opens it; the municipal officer opens it too.

The file is served by the scoped file view under its own (Russian) name; the pages fit 390 px.
Screenshots of the item page and the roadmap page go to ``test-results/``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from playwright.sync_api import Page, expect

from mentorship.choices import Role
from mentorship.tests.factories import (
    PASSWORD,
    MunicipalityFactory,
    OrganisationFactory,
    RegionFactory,
    user_with_role,
)
from roadmaps import services
from roadmaps.choices import ItemKind, ItemStatus
from roadmaps.models import RoadmapItem

from .conftest import RESULTS_DIR

FILE_NAME = "Приказ_о_назначении_куратора.pdf"
CONTENT = b"%PDF-1.4 prikaz o naznachenii"
DESCRIPTION = "Приказ директора о назначении куратора"
ITEM_TITLE = "Издать приказ о назначении куратора внедрения наставничества"


@pytest.fixture
def school_item(transactional_db: None) -> SimpleNamespace:
    region = RegionFactory(code="05", name="Республика Дагестан")
    district = MunicipalityFactory(region=region, code="82632000", name="Кулинский район")
    school = OrganisationFactory(municipality=district, code="KHOSREH", short_name="МКОУ «Хосрехская СОШ»")
    curator = user_with_role("curator_evidence_e2e", Role.CURATOR, school)
    officer = user_with_role("officer_evidence_e2e", Role.MUNICIPAL_OFFICER, district)
    roadmap = services.roadmap_create(
        actor=curator,
        place=school,
        title="Дорожная карта внедрения целевой модели наставничества в МКОУ «Хосрехская СОШ»",
        period_start=date(2024, 1, 1),
        period_end=date(2025, 12, 31),
        goal="Внедрить целевую модель наставничества",
    )
    item = services.roadmap_item_create(
        actor=curator,
        roadmap=roadmap,
        data={
            "number": "1.1",
            "kind": ItemKind.ACTIVITY,
            "title": ITEM_TITLE,
            "deadline_text": "до 1 сентября 2024 г.",
            "responsible_text": "Директор",
        },
    )
    return SimpleNamespace(roadmap=roadmap, item=item, curator=curator, officer=officer)


def fits_the_phone(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{page.url} is {width}px wide on a 390px phone"


def shot(page: Page, name: str) -> None:
    RESULTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=RESULTS_DIR / f"evidence_{name}.png", full_page=True)


def open_the_file(page: Page, tmp_path: Path, who: str) -> None:
    """Click the attachment's link on the roadmap page: the download is the file, under its own name."""
    link = page.locator("tr", has_text=ITEM_TITLE).get_by_role("link", name=FILE_NAME)
    expect(link).to_be_visible()
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == FILE_NAME
    target = tmp_path / f"{who}.pdf"
    download.save_as(target)
    assert target.read_bytes() == CONTENT


def test_a_curator_completes_an_item_with_a_file_on_a_phone_and_it_opens(
    page: Page, login, school_item, tmp_path
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    roadmap_url = f"/roadmaps/{school_item.roadmap.pk}/"
    upload = tmp_path / FILE_NAME
    upload.write_bytes(CONTENT)

    login(page, school_item.curator.username, PASSWORD)
    page.goto(roadmap_url)
    page.locator("tr", has_text=ITEM_TITLE).get_by_role("link", name="выполнение").click()
    expect(page.get_by_role("heading", name="Отметить выполненным")).to_be_visible()
    page.get_by_label("Файлы").set_input_files(upload)
    page.get_by_label("Что подтверждает").fill(DESCRIPTION)
    fits_the_phone(page)
    shot(page, "item_phone")
    page.get_by_role("button", name="Отметить выполненным").click()
    expect(page.get_by_role("status").filter(has_text="Пункт отмечен выполненным")).to_be_visible()
    assert RoadmapItem.objects.get(pk=school_item.item.pk).status == ItemStatus.DONE

    page.goto(roadmap_url)
    fits_the_phone(page)
    shot(page, "roadmap_phone")
    open_the_file(page, tmp_path, "curator")

    page.context.clear_cookies()
    login(page, school_item.officer.username, PASSWORD)
    page.goto(roadmap_url)
    fits_the_phone(page)
    open_the_file(page, tmp_path, "officer")
