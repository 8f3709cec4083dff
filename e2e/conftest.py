"""The browser harness: Playwright's sync API driving Debian's chromium against ``live_server``.

The browser is the machine's own ``/usr/bin/chromium`` (``bin/setup --dev`` installs
it with apt-get); Playwright never downloads one. Each test gets a fresh browser
context (no cookies shared between personas) pointed at pytest-django's live server,
which runs on the test database with ``transactional_db``. When a test fails, a
screenshot and the page's HTML are saved to ``test-results/``.
"""

from __future__ import annotations

import os
import re
import time
from base64 import b32decode
from collections.abc import Callable, Generator, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright

# Playwright's sync API runs an asyncio event loop in the test thread, and Django then
# refuses ORM calls from that thread (fixtures, call_command, the database flush).
# The calls are in fact synchronous, so the guard is lifted for the test process.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # The machine's network is closed: without these, chromium keeps dialling out.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
RESULTS_DIR = Path(__file__).resolve().parent.parent / "test-results"
TIMEOUT_MS = 15_000

LoginHelper = Callable[[Page, str, str], None]

# Each test's report per phase, so that the page fixture's teardown knows whether the
# test failed (and saves a screenshot then).
phase_report_key = pytest.StashKey[dict[str, pytest.TestReport]]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    item.stash.setdefault(phase_report_key, {})[report.when] = report
    return report


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"No chromium at {CHROMIUM}: run `bin/setup --dev` as root (it installs Debian's chromium), "
            "or point E2E_CHROMIUM at a Chromium binary.",
            pytrace=False,
        )
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def page(browser: Browser, live_server, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A page in its own browser context, with relative URLs resolved against the live server."""
    context = browser.new_context(base_url=live_server.url, locale="ru-RU", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    expect.set_options(timeout=TIMEOUT_MS)
    page = context.new_page()

    # A stylesheet or script that does not load is a broken page even if the test passes.
    broken_assets: list[str] = []
    page.on(
        "response",
        lambda response: (
            broken_assets.append(f"{response.status} {response.url}")
            if response.status >= 400
            and response.request.resource_type != "document"
            and not response.url.endswith("/favicon.ico")  # asked for by chromium itself
            else None
        ),
    )

    yield page

    reports = request.node.stash.get(phase_report_key, {})
    if "call" in reports and reports["call"].failed:
        _save_failure(page, request.node.nodeid)
    context.close()
    assert not broken_assets, f"assets that failed to load: {broken_assets}"


def _save_failure(page: Page, nodeid: str) -> None:
    RESULTS_DIR.mkdir(exist_ok=True)
    stem = re.sub(r"[^\w.-]+", "_", nodeid).strip("_")[:180]
    try:
        page.screenshot(path=RESULTS_DIR / f"{stem}.png", full_page=True)
        (RESULTS_DIR / f"{stem}.html").write_text(page.content(), encoding="utf-8")
    except Exception as error:  # a broken page must not hide the test's own failure
        print(f"could not save the failed page: {error}")
    else:
        print(f"failed page saved: {RESULTS_DIR / stem}.png (and .html), at {page.url}")


def sign_in(page: Page, username: str, password: str) -> None:
    """Signs in through the real login form, as a person would, with the second factor where it is owed."""
    page.goto("/accounts/login/")
    page.get_by_label("Имя пользователя").fill(username)
    page.get_by_label("Пароль").fill(password)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_load_state()
    if "/accounts/login/" in page.url:
        errors = page.get_by_role("alert").all_inner_texts()
        raise AssertionError(f"{username} could not sign in: {errors or page.title()}")
    give_second_factor(page, username)


def totp_code(key: bytes, *, after_t: int = -1) -> str:
    """The authenticator app's current code for ``key``, or the next one if that was used already.

    django-otp accepts each time step once and tolerates one step ahead; a third log-in within
    one 30-second step waits for the next.
    """
    from django_otp.oath import TOTP

    totp = TOTP(key)
    now = totp.t()
    if after_t + 1 > now + 1:
        time.sleep(totp.step - time.time() % totp.step + 0.1)
        now = totp.t()
    totp.time = max(now, after_t + 1) * totp.step
    return f"{totp.token():06d}"


def give_second_factor(page: Page, username: str) -> None:
    """Where the password step leads to the second factor, give it as a person with the app would.

    «Настройка двухфакторной аутентификации»: the key shown for manual entry goes into the app,
    its code confirms, the recovery codes are acknowledged. «Подтверждение входа»: the app's code.
    """
    from django_otp.plugins.otp_totp.models import TOTPDevice

    heading = page.get_by_role("heading", level=1).first.inner_text()
    if heading == "Настройка двухфакторной аутентификации":
        secret = page.get_by_label("Ключ для ввода вручную:").inner_text()
        page.get_by_label("Код из приложения").fill(totp_code(b32decode(secret.replace(" ", ""))))
        page.get_by_role("button", name="Подтвердить").click()
        page.get_by_role("link", name="Я сохранил коды, продолжить").click()
    elif heading == "Подтверждение входа":
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        page.get_by_label("Код подтверждения").fill(totp_code(device.bin_key, after_t=device.last_t))
        page.get_by_role("button", name="Подтвердить").click()
    else:
        return
    page.wait_for_load_state()
    if "/accounts/two-factor/" in page.url:
        errors = page.get_by_role("alert").all_inner_texts()
        raise AssertionError(f"{username} could not give the second factor: {errors or page.title()}")


@pytest.fixture
def login() -> LoginHelper:
    """``login(page, username, password)``: sign in through the login form."""
    return sign_in
