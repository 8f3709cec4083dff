"""Single sign-on in the browser, against a real OpenID Connect provider on loopback.

The provider is the npm package oidc-provider (``e2e/oidc/provider.mjs``), started for this
module with one client whose redirect URI is the live server's /oidc/callback/, and the
portal is configured for it the way the environment would configure it in production
(``accounts/tests/oidc_support.py``). A person clicks «Войти через …» on the log-in page,
signs in at the provider's own page, and comes back either signed in or refused.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Route, expect

from accounts.oidc import AMBIGUOUS, UNKNOWN, refusal_message
from accounts.tests.oidc_support import PROVIDER_NAME, OIDCProvider, configured_for, provider_env
from mentorship.models import User
from mentorship.tests.factories import UserFactory

pytestmark = pytest.mark.e2e

# Logins at the provider and the claims it vouches for.
ACCOUNTS = {
    "ivanova": {
        "email": "E.Ivanova@School-7.example.ru",
        "email_verified": True,
        "family_name": "Иванова",
        "given_name": "Екатерина",
        "middle_name": "Сергеевна",
    },
    "stranger": {"email": "stranger@example.ru", "email_verified": True},
    "retired": {"email": "retired@example.ru", "email_verified": True},
    "twin": {"email": "twin@example.ru", "email_verified": True},
}


@pytest.fixture(scope="module")
def provider(live_server) -> Iterator[OIDCProvider]:
    started = OIDCProvider(f"{live_server.url}/oidc/callback/", accounts=ACCOUNTS).start()
    try:
        with configured_for(provider_env(started.issuer)):
            yield started
    finally:
        started.stop()


@pytest.fixture
def sso_page(page: Page, provider: OIDCProvider) -> Iterator[Page]:
    """The page, kept on this machine: a request off loopback is refused, and fails the test."""
    refused: list[str] = []

    def loopback_only(route: Route) -> None:
        if urlsplit(route.request.url).hostname in {"127.0.0.1", "localhost"}:
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    page.route("**/*", loopback_only)
    yield page
    assert not refused, f"requests off loopback: {refused}"


def sign_in_through_provider(page: Page, login: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_role("link", name=f"Войти через {PROVIDER_NAME}").click()
    # The provider's development pages: any login, any password, then the consent.
    page.get_by_placeholder("Enter any login").fill(login)
    page.get_by_placeholder("and password").fill("any-password")
    page.get_by_role("button", name="Sign-in").click()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()


def expect_signed_out(page: Page, live_server) -> None:
    page.goto("/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/")


def test_a_known_person_signs_in_through_the_provider_and_lands_on_the_home_page_as_themselves(
    sso_page: Page, live_server, transactional_db: None
):
    user = UserFactory(
        username="ivanova_e2e",
        email="e.ivanova@school-7.example.ru",
        last_name="Иванова-Прежняя",
        first_name="Катя",
        patronymic="",
    )

    sign_in_through_provider(sso_page, "ivanova")

    expect(sso_page).to_have_url(f"{live_server.url}/")
    expect(sso_page.get_by_role("button", name="Иванова Е.С.")).to_be_visible()
    user.refresh_from_db()
    assert (user.last_name, user.first_name, user.patronymic) == ("Иванова", "Екатерина", "Сергеевна")
    assert user.history.latest().history_change_reason == f"ФИО из {PROVIDER_NAME} при входе"


def test_an_unknown_email_is_refused_with_a_russian_message_and_not_signed_in(
    sso_page: Page, live_server, transactional_db: None
):
    UserFactory(username="someone_else", email="someone@example.ru")

    sign_in_through_provider(sso_page, "stranger")

    expect(sso_page).to_have_url(f"{live_server.url}/accounts/login/")
    expect(sso_page.get_by_role("alert")).to_contain_text(refusal_message(UNKNOWN))
    assert refusal_message(UNKNOWN) == (
        f"Вход через {PROVIDER_NAME} не выполнен: учётная запись с этим адресом не найдена или отключена. "
        "Обратитесь к администратору."
    )
    expect_signed_out(sso_page, live_server)
    assert not User.objects.filter(email__iexact="stranger@example.ru").exists()


def test_a_deactivated_person_is_refused(sso_page: Page, live_server, transactional_db: None):
    UserFactory(username="retired_e2e", email="retired@example.ru", is_active=False)

    sign_in_through_provider(sso_page, "retired")

    expect(sso_page).to_have_url(f"{live_server.url}/accounts/login/")
    expect(sso_page.get_by_role("alert")).to_contain_text(refusal_message(UNKNOWN))
    expect_signed_out(sso_page, live_server)


def test_an_email_shared_by_two_accounts_is_refused_as_ambiguous(sso_page: Page, live_server, transactional_db: None):
    UserFactory(username="twin_one", email="twin@example.ru")
    UserFactory(username="twin_two", email="TWIN@example.ru")

    sign_in_through_provider(sso_page, "twin")

    expect(sso_page).to_have_url(f"{live_server.url}/accounts/login/")
    expect(sso_page.get_by_role("alert")).to_contain_text(refusal_message(AMBIGUOUS))
    expect_signed_out(sso_page, live_server)
