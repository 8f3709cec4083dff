"""Single sign-on: who the backend lets in, what happens on a refusal, and that it is off unless configured.

The matching rules are checked by handing the backend the claims a provider would send; the
whole flow through a real provider is in ``e2e/test_oidc.py``.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import SuspiciousOperation
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse

from accounts.oidc import (
    AMBIGUOUS,
    NO_EMAIL,
    PROVIDER_ERROR,
    UNKNOWN,
    UNREACHABLE,
    PortalOIDCBackend,
    refusal_message,
    user_update_from_claims,
)
from accounts.tests.oidc_support import PROVIDER_NAME, configured_for, provider_env, read_settings, settings_for
from mentorship.models import User
from mentorship.tests.factories import UserFactory
from mentorship.tests.test_settings import production_env, run

# Nothing listens on the discard port: a request the backend should not make fails loudly.
NOWHERE = "http://127.0.0.1:9"
BACKEND = "accounts.oidc.PortalOIDCBackend"


@pytest.fixture
def backend(settings) -> PortalOIDCBackend:
    for name, value in provider_env(NOWHERE).items():
        setattr(settings, name, value)
    settings.OIDC_PROVIDER_NAME = PROVIDER_NAME
    made = PortalOIDCBackend()
    made.request = RequestFactory().get("/oidc/callback/")
    return made


def refusal(backend: PortalOIDCBackend) -> str | None:
    return getattr(backend.request, "oidc_refusal", None)


# --- Whom the provider's claims name --------------------------------------------------------


@pytest.mark.django_db
def test_an_active_account_is_matched_by_email_ignoring_case_and_spaces(backend):
    user = UserFactory(username="ivanova", email="E.Ivanova@School.example.ru")
    UserFactory(username="petrov", email="petrov@school.example.ru")

    assert backend.filter_users_by_claims({"email": " e.ivanova@SCHOOL.example.ru "}) == [user]
    assert refusal(backend) is None


@pytest.mark.django_db
def test_a_deactivated_account_is_not_matched_and_the_refusal_says_not_found_or_disabled(backend):
    UserFactory(username="retired", email="retired@example.ru", is_active=False)

    assert backend.filter_users_by_claims({"email": "retired@example.ru"}) == []
    assert refusal(backend) == UNKNOWN


@pytest.mark.django_db
def test_an_email_of_no_account_matches_no_one(backend):
    UserFactory(username="ivanova", email="ivanova@example.ru")

    assert backend.filter_users_by_claims({"email": "stranger@example.ru"}) == []
    assert refusal(backend) == UNKNOWN


@pytest.mark.django_db
def test_two_active_accounts_with_the_email_are_ambiguous_and_refused(backend):
    UserFactory(username="twin_one", email="twin@example.ru")
    UserFactory(username="twin_two", email="TWIN@example.ru")

    assert len(backend.filter_users_by_claims({"email": "twin@example.ru"})) == 2
    assert refusal(backend) == AMBIGUOUS
    # mozilla-django-oidc signs in only when exactly one is returned (the journey in
    # e2e/test_oidc.py shows the refusal on the log-in page).


@pytest.mark.django_db
def test_a_deactivated_duplicate_does_not_make_the_active_account_ambiguous(backend):
    active = UserFactory(username="new_account", email="same@example.ru")
    UserFactory(username="old_account", email="same@example.ru", is_active=False)

    assert backend.filter_users_by_claims({"email": "same@example.ru"}) == [active]


@pytest.mark.django_db
def test_an_account_without_an_email_is_never_matched_by_claims_without_one(backend):
    UserFactory(username="no_mail", email="")

    assert backend.filter_users_by_claims({"email": ""}) == []
    assert backend.filter_users_by_claims({}) == []


@pytest.mark.parametrize(
    ("claims", "accepted"),
    [
        ({"email": "ivanova@example.ru", "email_verified": True}, True),
        ({"email": "ivanova@example.ru", "email_verified": "true"}, True),
        # A provider that does not say whether the address is verified is taken at its word.
        ({"email": "ivanova@example.ru"}, True),
        ({"email": "ivanova@example.ru", "email_verified": False}, False),
        ({"email": "ivanova@example.ru", "email_verified": "false"}, False),
        ({"email": "   "}, False),
        ({"sub": "12345"}, False),
    ],
)
def test_claims_are_accepted_only_with_an_email_that_is_not_marked_unverified(backend, claims, accepted):
    assert backend.verify_claims(claims) is accepted
    assert refusal(backend) == (None if accepted else NO_EMAIL)


@pytest.mark.django_db
def test_an_unverified_email_matches_no_one_even_if_an_account_has_it(backend):
    UserFactory(username="ivanova", email="ivanova@example.ru")

    assert backend.filter_users_by_claims({"email": "ivanova@example.ru", "email_verified": False}) == []


@pytest.mark.django_db
def test_the_backend_never_creates_an_account(backend):
    with pytest.raises(SuspiciousOperation):
        backend.create_user({"email": "stranger@example.ru", "email_verified": True})
    assert not User.objects.filter(email="stranger@example.ru").exists()
    assert refusal(backend) == UNKNOWN


@pytest.mark.django_db
def test_a_signed_in_account_deactivated_later_loses_its_session(backend):
    user = UserFactory(username="ivanova")
    assert backend.get_user(user.pk) == user

    User.objects.filter(pk=user.pk).update(is_active=False)

    assert backend.get_user(user.pk) is None


# --- The name from the claims ---------------------------------------------------------------


@pytest.mark.django_db
def test_signing_on_brings_the_name_up_to_date_through_the_service_with_a_history_reason(backend):
    user = UserFactory(username="ivanova", last_name="Петрова", first_name="Катя", patronymic="")

    backend.update_user(
        user, {"email": user.email, "family_name": "Иванова", "given_name": "Екатерина", "middle_name": "Сергеевна"}
    )

    user.refresh_from_db()
    assert (user.last_name, user.first_name, user.patronymic) == ("Иванова", "Екатерина", "Сергеевна")
    assert user.history.latest().history_change_reason == f"ФИО из {PROVIDER_NAME} при входе"


@pytest.mark.django_db
def test_missing_or_empty_name_claims_leave_the_name_alone_and_write_no_history():
    user = UserFactory(username="ivanova", last_name="Иванова", first_name="Екатерина", patronymic="Сергеевна")
    rows = user.history.count()

    user_update_from_claims(
        user=user, claims={"family_name": "  ", "given_name": "Екатерина"}, reason="ФИО из шлюза при входе"
    )

    user.refresh_from_db()
    assert (user.last_name, user.first_name, user.patronymic) == ("Иванова", "Екатерина", "Сергеевна")
    assert user.history.count() == rows


@pytest.mark.django_db
def test_a_name_claim_too_long_for_its_field_is_skipped_not_cut():
    user = UserFactory(username="ivanova", last_name="Иванова", first_name="Екатерина")

    user_update_from_claims(user=user, claims={"family_name": "И" * 151, "given_name": "Катерина"}, reason="вход")

    user.refresh_from_db()
    assert (user.last_name, user.first_name) == ("Иванова", "Катерина")


# --- Off unless configured ------------------------------------------------------------------


def test_without_configuration_the_settings_add_no_app_backend_or_urls():
    found = settings_for({})
    assert found["OIDC_ENABLED"] is False
    assert "mozilla_django_oidc" not in found["INSTALLED_APPS"]
    assert BACKEND not in found["AUTHENTICATION_BACKENDS"]
    assert "OIDC_OP_TOKEN_ENDPOINT" not in found


@pytest.mark.django_db
def test_without_configuration_there_is_no_sso_url_and_no_button(client, settings):
    assert settings.OIDC_ENABLED is False
    with pytest.raises(NoReverseMatch):
        reverse("oidc_authentication_init")
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/?code=x&state=y").status_code == 404

    page = client.get(reverse("login")).content.decode()
    assert "Войти через" not in page
    assert "/oidc/" not in page


def test_once_configured_the_settings_add_the_app_the_backend_and_refuse_to_create_accounts():
    found = settings_for(provider_env(NOWHERE))
    assert found["OIDC_ENABLED"] is True
    assert "mozilla_django_oidc" in found["INSTALLED_APPS"]
    assert found["AUTHENTICATION_BACKENDS"][-1] == BACKEND
    assert "django.contrib.auth.backends.ModelBackend" in found["AUTHENTICATION_BACKENDS"]
    assert found["OIDC_CREATE_USER"] is False
    assert found["OIDC_RP_SIGN_ALGO"] == "RS256"
    assert found["OIDC_OP_TOKEN_ENDPOINT"] == f"{NOWHERE}/token"
    assert found["LOGIN_REDIRECT_URL_FAILURE"] == "login"


def test_a_client_id_without_the_provider_endpoints_stops_the_start_up():
    result = read_settings({"OIDC_RP_CLIENT_ID": "portal", "OIDC_RP_CLIENT_SECRET": "secret"})
    assert result.returncode != 0
    assert "OIDC_OP_AUTHORIZATION_ENDPOINT" in result.stderr


@pytest.mark.django_db
def test_once_configured_the_log_in_page_shows_the_button_and_keeps_where_the_person_was_going(client):
    with configured_for(provider_env(NOWHERE)):
        page = client.get(reverse("login"), {"next": "/monitoring/"}).content.decode()
        assert f"Войти через {PROVIDER_NAME}" in page
        assert 'href="/oidc/authenticate/?next=%2Fmonitoring%2F"' in page

        start = client.get("/oidc/authenticate/?next=/monitoring/")
        assert start.status_code == 302
        target = urlsplit(start["Location"])
        query = parse_qs(target.query)
        assert f"{target.scheme}://{target.netloc}{target.path}" == f"{NOWHERE}/auth"
        assert query["client_id"] == ["mentorship-portal"]
        assert query["redirect_uri"] == ["http://testserver/oidc/callback/"]
        assert query["scope"] == ["openid email profile"]
        assert query["code_challenge_method"] == ["S256"]

    with pytest.raises(NoReverseMatch):
        reverse("oidc_authentication_init")


@pytest.mark.django_db
def test_the_button_names_the_regional_gateway_unless_the_provider_is_named(client):
    env = provider_env(NOWHERE)
    del env["OIDC_PROVIDER_NAME"]
    with configured_for(env):
        assert "Войти через региональный шлюз" in client.get(reverse("login")).content.decode()


# --- Refusals land on the log-in page with their reason ---------------------------------------


def messages_after(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.mark.django_db
def test_a_sign_on_the_provider_refused_returns_to_the_log_in_page_with_a_message(client):
    with configured_for(provider_env(NOWHERE)):
        response = client.get("/oidc/callback/?error=access_denied&state=whatever", follow=True)
        expected = refusal_message(PROVIDER_ERROR)

    assert response.redirect_chain == [("/accounts/login/", 302)]
    assert messages_after(response) == [expected]
    assert expected in response.content.decode()
    assert expected.startswith(f"Вход через {PROVIDER_NAME} не выполнен:")
    assert not response.wsgi_request.user.is_authenticated


@pytest.mark.django_db
def test_a_provider_that_does_not_answer_is_named_as_such_on_the_log_in_page(client):
    with configured_for(provider_env(NOWHERE)):
        start = client.get("/oidc/authenticate/")
        state = parse_qs(urlsplit(start["Location"]).query)["state"][0]
        # The token endpoint, 127.0.0.1:9, refuses the connection: a real network failure.
        response = client.get(f"/oidc/callback/?code=abc&state={state}", follow=True)
        expected = refusal_message(UNREACHABLE)

    assert response.redirect_chain == [("/accounts/login/", 302)]
    assert messages_after(response) == [expected]
    assert expected in response.content.decode()
    assert "провайдер не отвечает" in expected


# --- Production --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sso",
    [
        {},
        provider_env("https://sso.example.ru/realms/region", OIDC_PROVIDER_NAME="ЕСИА"),
    ],
    ids=["without SSO", "with SSO"],
)
def test_production_settings_pass_the_deploy_checks_with_and_without_sso(sso):
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **production_env(**sso))
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_deploy_checks_refuse_provider_endpoints_without_https():
    sso = provider_env("http://sso.example.ru", OIDC_OP_JWKS_ENDPOINT="http://127.0.0.1:8080/jwks")
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **production_env(**sso))
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert output.count("accounts.W001") == 3
    assert "OIDC_OP_TOKEN_ENDPOINT указывает на адрес без HTTPS: http://sso.example.ru" in output
    # A broker on the portal's own machine is reached over loopback: not a warning.
    assert "OIDC_OP_JWKS_ENDPOINT" not in output
