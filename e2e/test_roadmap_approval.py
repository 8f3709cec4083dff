"""A school's roadmap goes through approval in the browser: the curator submits it, the municipal
officer returns it with a comment, the curator fixes an item and resubmits, the officer approves.

The demo data has no officer of Кулинский район, so the test builds its own small world: a school
of Кулинский район with its curator and the district's officer, and a draft roadmap with a few
items made through the services.
"""

from __future__ import annotations

from datetime import date
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
from roadmaps.choices import ItemKind, RoadmapStatus
from roadmaps.models import Roadmap, RoadmapEvent

COMMENT = "Уточните срок пункта 1.2: «когда-нибудь» — не срок."


@pytest.fixture
def school_roadmap(transactional_db: None) -> SimpleNamespace:
    region = RegionFactory(code="05", name="Республика Дагестан")
    district = MunicipalityFactory(region=region, code="82632000", name="Кулинский район")
    school = OrganisationFactory(municipality=district, code="KHOSREH", short_name="МКОУ «Хосрехская СОШ»")
    curator = user_with_role("curator_khosreh_e2e", Role.CURATOR, school)
    officer = user_with_role("officer_kuli_e2e", Role.MUNICIPAL_OFFICER, district)
    roadmap = services.roadmap_create(
        actor=curator,
        place=school,
        title="Дорожная карта внедрения целевой модели наставничества в МКОУ «Хосрехская СОШ»",
        period_start=date(2024, 1, 1),
        period_end=date(2025, 12, 31),
        goal="Внедрить целевую модель наставничества",
    )
    for number, kind, title, deadline in (
        ("1.", ItemKind.SECTION, "Подготовительный этап", ""),
        ("1.1", ItemKind.ACTIVITY, "Издать приказ о внедрении наставничества", "до 1 сентября 2024 г."),
        ("1.2", ItemKind.ACTIVITY, "Разработать положение о наставничестве", "когда-нибудь"),
        ("1.3", ItemKind.ACTIVITY, "Сформировать базу наставников", "Декабрь 2024 г."),
    ):
        services.roadmap_item_create(
            actor=curator,
            roadmap=roadmap,
            data={
                "number": number,
                "kind": kind,
                "title": title,
                "deadline_text": deadline,
                "responsible_text": "Куратор внедрения ЦМН" if kind == ItemKind.ACTIVITY else "",
            },
        )
    return SimpleNamespace(roadmap=roadmap, curator=curator, officer=officer)


def status_badge(page: Page):
    return page.locator("h1 + p .badge")


def test_curator_and_officer_take_a_roadmap_through_approval(page: Page, login, school_roadmap) -> None:
    roadmap = school_roadmap.roadmap
    url = f"/roadmaps/{roadmap.pk}/"

    # The curator finds the roadmap in the list and submits it.
    login(page, school_roadmap.curator.username, PASSWORD)
    page.get_by_role("link", name="Дорожные карты").first.click()
    page.get_by_role("link", name=roadmap.title).click()
    expect(status_badge(page)).to_have_text("Черновик")
    expect(page.get_by_text("срок требует уточнения")).to_be_visible()
    page.get_by_role("button", name="Отправить на согласование").click()
    expect(page.get_by_role("status").filter(has_text="отправлена на согласование")).to_be_visible()
    expect(status_badge(page)).to_have_text("На согласовании")
    expect(page.get_by_role("button", name="Отправить на согласование")).to_have_count(0)

    # The officer sees it waiting, tries to return it without a comment, then with one.
    page.context.clear_cookies()
    login(page, school_roadmap.officer.username, PASSWORD)
    page.get_by_role("link", name="На согласовании").first.click()
    page.get_by_role("link", name=roadmap.title).click()
    page.get_by_role("link", name="Вернуть на доработку").click()
    page.get_by_role("button", name="Вернуть на доработку").click()
    expect(page.get_by_text("без комментария вернуть дорожную карту нельзя")).to_be_visible()
    page.get_by_label("Что нужно доработать").fill(COMMENT)
    page.get_by_role("button", name="Вернуть на доработку").click()
    expect(status_badge(page)).to_have_text("Возвращена на доработку")
    expect(page.locator(".event-returned")).to_contain_text(COMMENT)

    # The curator reads the comment, fixes item 1.2 and resubmits.
    page.context.clear_cookies()
    login(page, school_roadmap.curator.username, PASSWORD)
    page.goto(url)
    expect(status_badge(page)).to_have_text("Возвращена на доработку")
    expect(page.locator(".event-returned")).to_contain_text(COMMENT)
    page.locator("tr", has_text="Разработать положение о наставничестве").get_by_role("link", name="изменить").click()
    expect(page.get_by_role("status")).to_contain_text("требует уточнения")
    page.get_by_label("Сроки (как в документе)").fill("до 1 октября 2024 г.")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_role("status").filter(has_text="Пункт изменён")).to_contain_text("01.10.2024")
    expect(page.get_by_text("срок требует уточнения")).to_have_count(0)
    page.get_by_role("button", name="Отправить на согласование").click()
    expect(status_badge(page)).to_have_text("На согласовании")

    # The officer approves it.
    page.context.clear_cookies()
    login(page, school_roadmap.officer.username, PASSWORD)
    page.goto(url)
    page.get_by_role("button", name="Согласовать").click()
    expect(page.get_by_role("status").filter(has_text="Дорожная карта согласована")).to_be_visible()
    expect(status_badge(page)).to_have_text("Согласована")
    events = page.get_by_role("region", name="История согласования").get_by_role("listitem")
    expect(events).to_have_count(4)
    expect(events.nth(0)).to_contain_text("Отправлена на согласование")
    expect(events.nth(1)).to_contain_text("Возвращена на доработку")
    expect(events.nth(2)).to_contain_text("Отправлена на согласование")
    expect(events.nth(3)).to_contain_text("Согласована")

    roadmap.refresh_from_db()
    assert roadmap.status == RoadmapStatus.APPROVED
    kinds = list(RoadmapEvent.objects.filter(roadmap=roadmap).order_by("pk").values_list("kind", flat=True))
    assert kinds == ["submitted", "returned", "submitted", "approved"]
    assert Roadmap.objects.get(pk=roadmap.pk).items.filter(deadline_needs_review=True).count() == 0
