"""The region's security officer finds in «Журнал безопасности» a failed log-in made a moment before
from another browser, filters the log by kind, and the page fits a laptop and a phone without
scrolling sideways. Screenshots go to /tmp/shots/.

The demo data has no security officer, so the test builds its own small world: a region with a
school, its curator (whose password someone gets wrong) and the region's security officer.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from playwright.sync_api import Browser, Page, expect

from mentorship.choices import Role
from mentorship.tests.factories import (
    PASSWORD,
    MunicipalityFactory,
    OrganisationFactory,
    RegionFactory,
    user_with_role,
)

SHOTS = Path(tempfile.gettempdir()) / "shots"
VIEWPORTS = {"laptop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def region_world(transactional_db: None) -> SimpleNamespace:
    region = RegionFactory(code="05", name="Республика Дагестан")
    district = MunicipalityFactory(region=region, code="82632000", name="Кулинский район")
    school = OrganisationFactory(municipality=district, code="KHOSREH", short_name="МКОУ «Хосрехская СОШ»")
    return SimpleNamespace(
        curator=user_with_role("curator_khosreh_sec", Role.CURATOR, school),
        officer=user_with_role("security_officer_dag", Role.SECURITY_OFFICER, region),
    )


def fits_without_sideways_scroll(page: Page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px at {page.viewport_size}"


def test_the_security_officer_sees_a_failed_log_in_and_filters_by_kind(
    browser: Browser, live_server, page: Page, login, region_world
):
    SHOTS.mkdir(exist_ok=True)
    # Someone else, in another browser, gets the curator's password wrong.
    other = browser.new_context(base_url=live_server.url, locale="ru-RU")
    try:
        stranger = other.new_page()
        stranger.goto("/accounts/login/")
        stranger.get_by_label("Имя пользователя").fill("curator_khosreh_sec")
        stranger.get_by_label("Пароль").fill("угадаю-с-третьего-раза")
        stranger.get_by_role("button", name="Войти").click()
        expect(stranger.get_by_role("alert")).to_be_visible()
    finally:
        other.close()

    page.set_viewport_size(VIEWPORTS["laptop"])
    login(page, "security_officer_dag", PASSWORD)
    page.get_by_role("navigation").get_by_role("link", name="Журнал безопасности").click()
    expect(page.get_by_role("heading", name="Журнал безопасности")).to_be_visible()
    table = page.get_by_role("table", name="События безопасности")
    failed = table.get_by_role("row").filter(has_text="Неудачная попытка входа")
    expect(failed).to_have_count(1)
    expect(failed).to_contain_text("curator_khosreh_sec")
    # The officer's own rows: a regional role signs in with a second factor, set up at this first log-in.
    own = table.get_by_role("row").filter(has_text="security_officer_dag")
    expect(own).to_have_count(2)
    expect(own.filter(has_text="Двухфакторная аутентификация включена")).to_have_count(1)
    fits_without_sideways_scroll(page)
    page.screenshot(path=SHOTS / "security-log-laptop.png", full_page=True)

    page.get_by_label("Событие").select_option(label="Неудачная попытка входа")
    page.get_by_role("button", name="Показать").click()
    expect(page).to_have_url(re.compile(r"kind=login_failed"))
    rows = table.get_by_role("row")
    expect(rows).to_have_count(2)  # the header and the failed attempt
    expect(rows.nth(1)).to_contain_text("curator_khosreh_sec")
    fits_without_sideways_scroll(page)
    page.screenshot(path=SHOTS / "security-log-filtered-laptop.png", full_page=True)

    page.set_viewport_size(VIEWPORTS["phone"])
    page.reload()
    expect(rows).to_have_count(2)
    fits_without_sideways_scroll(page)
    page.screenshot(path=SHOTS / "security-log-phone.png", full_page=True)
