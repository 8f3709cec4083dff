"""The main menu fits every persona's screen: one row on an office monitor, the toggler on a phone.

At 1280 px and wider the navbar is one row with the bell and the user menu inside the window,
and the page never scrolls sideways; on a 390 px phone the toggler opens the menu and every
entry (the «Ещё» ones included) can be reached. Screenshots go to ``test-results/menu/``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from e2e.test_personas import DEMO_PASSWORD, _live_server_helper, demo  # noqa: F401  (the demo, loaded once)

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("demo")]

SHOTS = Path(os.environ.get("E2E_SHOTS", Path(__file__).resolve().parent.parent / "test-results" / "menu"))
# the administrator, a regional coordinator, a municipal officer, a school's director, curator and mentor
PERSONAS = ["admin", "region_bash", "muni_murta", "director_khosreh", "curator_khosreh", "mentor_khosreh"]
DESKTOPS = [(1280, 800), (1366, 768), (1600, 900)]
# one row of Bootstrap's navbar: brand, links and buttons are about 56 px high
ONE_ROW_PX = 70


def shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png")


def no_sideways_scroll(page: Page) -> None:
    scroll_width, window_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= window_width, f"the page is {scroll_width} px wide in a {window_width} px window"


@pytest.mark.parametrize("username", PERSONAS)
def test_on_a_desktop_the_menu_is_one_row_with_the_bell_and_the_user_menu_in_view(page: Page, login, username):
    login(page, username, DEMO_PASSWORD)
    for width, height in DESKTOPS:
        page.set_viewport_size({"width": width, "height": height})
        page.goto("/")
        shoot(page, f"{username}-{width}")
        navbar = page.get_by_role("navigation", name="Главное меню")
        assert navbar.bounding_box()["height"] <= ONE_ROW_PX, f"the menu wraps at {width} px"
        expect(page.get_by_role("button", name="Показать меню")).to_be_hidden()
        for control in (navbar.get_by_title("Уведомления"), navbar.locator(".dropdown-toggle").last):
            expect(control).to_be_visible()
            box = control.bounding_box()
            assert box["x"] >= 0, f"{control} is off-screen at {width} px"
            assert box["x"] + box["width"] <= width, f"{control} is off-screen at {width} px"
        no_sideways_scroll(page)
        # the entries put away under «Ещё» open from it
        more = navbar.get_by_role("button", name="Ещё")
        if more.count():
            more.click()
            for entry in navbar.locator("#more-menu .dropdown-item").all():
                expect(entry).to_be_visible()
            shoot(page, f"{username}-{width}-more")
            page.keyboard.press("Escape")


@pytest.mark.parametrize("username", PERSONAS)
def test_on_a_phone_the_toggler_opens_the_menu_and_every_entry_is_reachable(page: Page, login, username):
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, username, DEMO_PASSWORD)
    page.goto("/")
    no_sideways_scroll(page)
    navbar = page.get_by_role("navigation", name="Главное меню")
    entries = navbar.locator("#main-nav a.nav-link, #main-nav .dropdown-item")
    hrefs = [entry.get_attribute("href") for entry in entries.all()]
    assert "/" in hrefs
    page.get_by_role("button", name="Показать меню").click()
    expect(navbar.locator("#main-nav")).to_be_visible()
    more = navbar.get_by_role("button", name="Ещё")
    if more.count():
        more.click()
    user_menu = navbar.locator(".dropdown-toggle").last
    user_menu.scroll_into_view_if_needed()
    for entry in navbar.locator("#main-nav a.nav-link, #more-menu .dropdown-item").all():
        entry.scroll_into_view_if_needed()
        expect(entry).to_be_visible()
        box = entry.bounding_box()
        assert box["x"] >= 0, f"{entry.inner_text()} is off-screen"
        assert box["x"] + box["width"] <= 390, f"{entry.inner_text()} is off-screen"
    shoot(page, f"{username}-390-open")
    no_sideways_scroll(page)
    user_menu.click()
    for label in ("Сменить пароль", "Выйти"):
        expect(navbar.get_by_text(label, exact=True)).to_be_visible()
    shoot(page, f"{username}-390-user")
