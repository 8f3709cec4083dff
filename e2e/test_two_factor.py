"""A municipal officer's first log-in with two factors, on a phone-sized screen: set-up, recovery codes, next log-in."""

from __future__ import annotations

import re
import time
from base64 import b32decode
from types import SimpleNamespace

import pytest
from playwright.sync_api import Page, expect

from e2e.conftest import RESULTS_DIR, totp_code
from mentorship.choices import Role
from mentorship.tests.factories import PASSWORD, MunicipalityFactory, user_with_role

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def officer(transactional_db: None) -> SimpleNamespace:
    municipality = MunicipalityFactory(name="Кувандыкский городской округ")
    return user_with_role("officer_2fa_e2e", Role.MUNICIPAL_OFFICER, municipality)


def password_step(page: Page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Имя пользователя").fill(username)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()


def no_horizontal_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width}px wide on a {PHONE['width']}px screen"


def test_an_officer_sets_up_the_app_keeps_the_recovery_codes_and_uses_one_next_time(page: Page, login, officer) -> None:
    page.set_viewport_size(PHONE)
    password_step(page, officer.username)
    expect(page.get_by_role("heading", name="Настройка двухфакторной аутентификации")).to_be_visible()
    expect(page.get_by_role("img", name="QR-код для приложения-аутентификатора")).to_be_visible()
    no_horizontal_scroll(page)
    RESULTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=RESULTS_DIR / "two_factor_setup_390.png", full_page=True)

    # nothing else opens before the second factor
    page.goto("/notifications/")
    expect(page.get_by_role("heading", name="Настройка двухфакторной аутентификации")).to_be_visible()

    secret = page.get_by_label("Ключ для ввода вручную:").inner_text()
    key = b32decode(secret.replace(" ", ""))
    right = totp_code(key)
    page.get_by_label("Код из приложения").fill(f"{(int(right) + 1) % 1_000_000:06d}")
    page.get_by_role("button", name="Подтвердить").click()
    expect(page.get_by_text("Неверный код.")).to_be_visible()
    no_horizontal_scroll(page)

    time.sleep(1.2)  # django-otp's throttling: a second after one wrong code
    page.get_by_label("Код из приложения").fill(totp_code(key))
    page.get_by_role("button", name="Подтвердить").click()

    expect(page.get_by_role("heading", name="Резервные коды")).to_be_visible()
    codes = page.get_by_role("list", name="Резервные коды").get_by_role("listitem").all_inner_texts()
    assert len(codes) == 10
    assert all(re.fullmatch(r"[a-z2-7]{4}-[a-z2-7]{4}", code.strip()) for code in codes)
    expect(page.get_by_role("button", name="Распечатать")).to_be_visible()
    no_horizontal_scroll(page)
    page.screenshot(path=RESULTS_DIR / "two_factor_codes_390.png", full_page=True)
    page.get_by_role("link", name="Я сохранил коды, продолжить").click()
    expect(page).to_have_url(re.compile(r"/notifications/$"))

    # the next log-in asks for the code; a recovery code will do, once
    page.context.clear_cookies()
    password_step(page, officer.username)
    expect(page.get_by_role("heading", name="Подтверждение входа")).to_be_visible()
    no_horizontal_scroll(page)
    page.get_by_label("Код подтверждения").fill(codes[0].strip())
    page.get_by_role("button", name="Подтвердить").click()
    expect(page.get_by_text("Осталось кодов: 9")).to_be_visible()

    # «Безопасность входа» from the user menu, behind the collapsed menu on the phone
    page.get_by_role("button", name="Показать меню").click()
    page.get_by_role("button", name=re.compile("Ростовская")).click()
    page.get_by_role("link", name="Безопасность входа").click()
    expect(page.get_by_role("heading", name="Безопасность входа")).to_be_visible()
    expect(page.get_by_text("Осталось резервных кодов: 9.")).to_be_visible()
    no_horizontal_scroll(page)
    page.screenshot(path=RESULTS_DIR / "two_factor_security_390.png", full_page=True)
    page.set_viewport_size({"width": 1366, "height": 768})
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366

    # the suite's login helper gives the app's code like the officer would
    page.context.clear_cookies()
    login(page, officer.username, PASSWORD)
    expect(page.get_by_role("heading", name="Подтверждение входа")).not_to_be_visible()
    assert "/accounts/" not in page.url
