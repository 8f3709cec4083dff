"""Two-factor log-in: who is asked, the set-up, the log-in's second step, recovery codes, «Безопасность входа».

Every log-in here goes through the real form (``log_in``): the suite's ``force_login`` shortcut
stands for a finished log-in and is not what these tests are about. The clock is frozen and moved
by hand, so that each TOTP code belongs to a known time step and django-otp's throttling
(1, 2, 4… seconds after wrong codes) is seen at work.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor
from accounts.models import TwoFactorExemption
from mentorship import access
from mentorship.choices import Role
from mentorship.tests.clock import TEST_NOW
from mentorship.tests.factories import (
    PASSWORD,
    MunicipalityFactory,
    OrganisationFactory,
    UserFactory,
    assign_role,
    user_with_role,
)

pytestmark = pytest.mark.django_db

SETUP = reverse("accounts:two_factor_setup")
VERIFY = reverse("accounts:two_factor_verify")
CODES = reverse("accounts:two_factor_codes")
SECURITY = reverse("accounts:two_factor")


@pytest.fixture
def clock() -> Iterator[Any]:
    """The frozen clock; ``clock.shift(seconds)`` moves it on."""
    with time_machine.travel(TEST_NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def people(clock: Any) -> SimpleNamespace:
    municipality = MunicipalityFactory(name="Уфимский район")
    school = OrganisationFactory(municipality=municipality)
    return SimpleNamespace(
        officer=user_with_role("officer", Role.MUNICIPAL_OFFICER, municipality),
        coordinator=user_with_role("coordinator", Role.REGIONAL_COORDINATOR, municipality.region),
        observer=user_with_role("observer", Role.MUNICIPAL_OBSERVER, municipality),
        curator=user_with_role("curator", Role.CURATOR, school),
        mentor=user_with_role("mentor", Role.MENTOR, school),
        admin=UserFactory(username="root", is_superuser=True, is_staff=True),
        plain=UserFactory(username="plain"),
    )


def log_in(client: Any, user: Any) -> Any:
    """The password step through the log-in form, as a person signs in."""
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, "the password step failed"
    return response


def app_code(device: TOTPDevice) -> str:
    """What the authenticator app shows now for ``device``'s key."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def set_up(client: Any, user: Any) -> list[str]:
    """Log in and pair the app; returns the recovery codes shown."""
    log_in(client, user)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=user)
    response = client.post(SETUP, {"code": app_code(device)})
    assert response.status_code == 302
    return codes_on(client.get(CODES))


def codes_on(response: Any) -> list[str]:
    """The recovery codes the page shows, each checked to be on the page as printed."""
    if response.status_code != 200:
        return []
    codes = response.context["codes"]
    content = response.content.decode()
    assert all(re.fullmatch(r"[a-z2-7]{4}-[a-z2-7]{4}", code) and code in content for code in codes)
    return codes


def errors_of(response: Any) -> str:
    return " ".join(str(error) for error in response.context["form"].errors.get("code", []))


# --- who is asked -----------------------------------------------------------------------------------


def test_administrators_and_regional_and_municipal_roles_require_the_second_factor_and_school_roles_do_not(
    people: SimpleNamespace,
) -> None:
    asked = {name for name, user in vars(people).items() if access.requires_two_factor(user)}
    assert asked == {"officer", "coordinator", "observer", "admin"}
    assert not access.requires_two_factor(AnonymousUser())


def test_with_two_factor_for_everyone_every_signed_in_user_requires_it(people: SimpleNamespace, settings: Any) -> None:
    settings.TWO_FACTOR_FOR_EVERYONE = True
    assert all(access.requires_two_factor(user) for user in vars(people).values())
    assert not access.requires_two_factor(AnonymousUser())


def test_a_school_role_beside_a_municipal_one_does_not_lift_the_requirement(people: SimpleNamespace) -> None:
    assign_role(people.curator, Role.MUNICIPAL_OBSERVER, people.officer.role_assignments.get().municipality)
    assert two_factor.two_factor_required(people.curator)


# --- the set-up ------------------------------------------------------------------------------------------


def test_a_municipal_officer_without_a_device_is_sent_to_set_up_after_the_password(client, people) -> None:
    assert log_in(client, people.officer).url == reverse("home")
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url == SETUP

    page = client.get(SETUP)
    content = page.content.decode()
    assert "Настройка двухфакторной аутентификации" in content
    assert "<svg" in content
    assert "<script" not in content.split("<main", 1)[1].split("</main>", 1)[0]
    device = TOTPDevice.objects.get(user=people.officer, confirmed=False)
    assert page.context["secret"].replace(" ", "") in content.replace(" ", "")
    assert "otpauth://totp/" in device.config_url
    assert "issuer=" in device.config_url


def test_until_the_second_factor_is_given_every_other_page_leads_back_to_it(client, people) -> None:
    log_in(client, people.officer)
    for address in (
        reverse("home"),
        reverse("notifications:list"),
        reverse("password_change"),
        SECURITY,
        CODES,
        "/admin/",
        "/directory/",
    ):
        response = client.get(address)
        assert response.status_code == 302, address
        assert response.url.startswith(SETUP), address
    # the page asked for is kept, to return to after the code
    assert client.get(reverse("notifications:list")).url == f"{SETUP}?next=%2Fnotifications%2F"
    assert client.get(SETUP).status_code == 200
    assert client.get("/static/css/portal.css").status_code in (200, 404)  # never a redirect
    assert client.post(reverse("logout")).url == reverse("login")
    assert client.get(reverse("home")).url.startswith(reverse("login"))


def test_a_wrong_code_keeps_the_officer_at_the_set_up_and_throttles_the_next_try(client, people, clock) -> None:
    log_in(client, people.officer)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=people.officer)
    right = app_code(device)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"

    response = client.post(SETUP, {"code": wrong})
    assert response.status_code == 200
    assert "Неверный код" in errors_of(response)
    # django-otp's throttling: right after a wrong code even the right one waits a second
    response = client.post(SETUP, {"code": right})
    assert response.status_code == 200
    assert "Слишком много неверных кодов подряд (1)" in errors_of(response)
    assert "повторите попытку через 1 с." in errors_of(response)
    device.refresh_from_db()
    assert not device.confirmed
    assert device.throttling_failure_count == 1
    assert client.get(reverse("home")).url == SETUP

    assert client.post(SETUP, {"code": ""}).context["form"].errors["code"] == ["Введите код из приложения."]


def test_the_right_code_from_the_app_lets_the_officer_in_and_shows_ten_recovery_codes_once(
    client, people, clock
) -> None:
    log_in(client, people.officer)
    client.get(f"{SETUP}?next=/notifications/")
    device = TOTPDevice.objects.get(user=people.officer)
    response = client.post(SETUP, {"code": app_code(device), "next": "/notifications/"})
    assert response.url == f"{CODES}?next=%2Fnotifications%2F"

    page = client.get(response.url)
    codes = codes_on(page)
    assert len(set(codes)) == 10
    assert 'href="/notifications/"' in page.content.decode()
    assert "Распечатать" in page.content.decode()
    assert StaticToken.objects.filter(device__user=people.officer).count() == 10
    # shown once
    assert client.get(CODES).url == SECURITY
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("home")).status_code == 200
    assert client.get(SECURITY).status_code == 200


def test_an_address_of_another_site_is_not_followed_after_the_code(client, people, clock) -> None:
    log_in(client, people.officer)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=people.officer)
    response = client.post(SETUP, {"code": app_code(device), "next": "https://evil.example/"})
    assert response.url == CODES
    assert 'href="/"' in client.get(CODES).content.decode()


# --- the next log-in ------------------------------------------------------------------------------------


def test_the_next_log_in_asks_for_the_code_and_a_code_used_once_is_refused_again(client, people, clock) -> None:
    set_up(client, people.officer)
    client.post(reverse("logout"))
    clock.shift(60)

    log_in(client, people.officer)
    assert client.get(reverse("home")).url == VERIFY
    assert client.get(SETUP).url == VERIFY  # set up already: no second device
    page = client.get(VERIFY)
    assert "Подтверждение входа" in page.content.decode()
    device = TOTPDevice.objects.get(user=people.officer)
    code = app_code(device)
    assert client.post(VERIFY, {"code": code}).url == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    assert client.get(VERIFY).url == reverse("home")

    # the same code in the same 30 seconds, on another log-in: refused
    client.post(reverse("logout"))
    clock.shift(5)
    log_in(client, people.officer)
    response = client.post(VERIFY, {"code": code})
    assert response.status_code == 200
    assert "Неверный код" in errors_of(response)
    assert client.get(reverse("home")).url == VERIFY


def test_a_recovery_code_works_once_only(client, people, clock) -> None:
    codes = set_up(client, people.officer)
    client.post(reverse("logout"))
    clock.shift(60)

    log_in(client, people.officer)
    response = client.post(VERIFY, {"code": codes[0].upper().replace("-", " ")})
    assert response.url == reverse("home")
    assert "Осталось кодов: 9" in client.get(reverse("home")).content.decode()

    client.post(reverse("logout"))
    clock.shift(60)
    log_in(client, people.officer)
    response = client.post(VERIFY, {"code": codes[0]})
    assert response.status_code == 200
    assert errors_of(response) == two_factor.WRONG_CODE_OR_RECOVERY
    clock.shift(5)
    assert client.post(VERIFY, {"code": codes[1]}).url == reverse("home")


def test_wrong_codes_at_the_second_step_are_throttled_longer_each_time(client, people, clock) -> None:
    set_up(client, people.officer)
    client.post(reverse("logout"))
    clock.shift(60)
    log_in(client, people.officer)
    device = TOTPDevice.objects.get(user=people.officer)
    for _ in range(3):
        wrong = f"{(int(app_code(device)) + 1) % 1_000_000:06d}"
        assert "Неверный код" in errors_of(client.post(VERIFY, {"code": wrong}))
        clock.shift(3)  # more than the 1 and 2 seconds the first two failures lock for
    clock.shift(-3)
    response = client.post(VERIFY, {"code": app_code(device)})
    assert "Слишком много неверных кодов подряд (3)" in errors_of(response)
    assert "повторите попытку через 4 с." in errors_of(response)
    clock.shift(4)
    assert client.post(VERIFY, {"code": app_code(device)}).url == reverse("home")


def test_while_the_code_is_owed_the_menu_offers_no_section_but_log_out(client, people) -> None:
    log_in(client, people.officer)
    page = client.get(SETUP).content.decode()
    assert "Безопасность входа" not in page
    assert reverse("notifications:list") not in page
    assert f'action="{reverse("logout")}"' in page


def test_anonymous_visitors_are_sent_to_the_log_in_form_from_every_two_factor_page(client, people) -> None:
    for address in (SETUP, VERIFY, CODES, SECURITY):
        assert client.get(address).url.startswith(reverse("login") + "?next="), address
    assert not TOTPDevice.objects.exists()


def test_a_superuser_must_give_the_second_factor_before_the_admin_site(client, people) -> None:
    log_in(client, people.admin)
    assert client.get("/admin/").url == f"{SETUP}?next=%2Fadmin%2F"


# --- who is not asked ------------------------------------------------------------------------------------


def test_a_curator_is_not_asked_for_a_second_factor(client, people) -> None:
    log_in(client, people.curator)
    assert client.get(reverse("home")).status_code == 200
    assert client.get(VERIFY).url == reverse("home")


def test_with_two_factor_for_everyone_a_curator_is_sent_to_set_up(client, people, settings) -> None:
    settings.TWO_FACTOR_FOR_EVERYONE = True
    log_in(client, people.curator)
    assert client.get(reverse("home")).url == SETUP


def test_an_exempt_demo_user_is_not_asked_even_as_an_administrator(client, people) -> None:
    assert two_factor.two_factor_exemption_ensure(user=people.admin, reason=two_factor.DEMO_EXEMPTION_REASON)
    assert not two_factor.two_factor_exemption_ensure(user=people.admin, reason="ещё раз")
    assert TwoFactorExemption.objects.get(user=people.admin).reason == "демонстрационная учётная запись"
    log_in(client, people.admin)
    assert client.get(reverse("home")).status_code == 200
    assert "освобождена от второго фактора" in client.get(SECURITY).content.decode()


def test_a_session_from_before_two_factor_log_in_is_decided_on_its_next_page(client, people) -> None:
    log_in(client, people.officer)
    session = client.session
    del session[two_factor.SESSION_KEY]
    session.save()
    assert client.get(reverse("home")).url == SETUP


def test_the_force_login_shortcut_of_the_suite_stands_for_both_steps_and_real_log_ins_do_not(client, people) -> None:
    client.force_login(people.officer)
    assert client.session[two_factor.SESSION_KEY] == two_factor.PASSED
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    log_in(client, people.officer)
    assert client.session[two_factor.SESSION_KEY] == two_factor.PENDING


# --- «Безопасность входа» ----------------------------------------------------------------------------


def test_the_account_menu_links_to_the_security_page(client, people) -> None:
    log_in(client, people.curator)
    page = client.get(reverse("home")).content.decode()
    assert f'href="{SECURITY}">Безопасность входа</a>' in page


def test_a_curator_may_turn_it_on_and_is_asked_for_the_code_from_then_on(client, people, clock) -> None:
    log_in(client, people.curator)
    page = client.get(SECURITY).content.decode()
    assert "Выключена" in page
    assert "Включить двухфакторную аутентификацию" in page
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=people.curator)
    client.post(SETUP, {"code": app_code(device)})
    assert len(codes_on(client.get(CODES))) == 10
    assert "Включена" in client.get(SECURITY).content.decode()

    client.post(reverse("logout"))
    clock.shift(60)
    log_in(client, people.curator)
    assert client.get(reverse("home")).url == VERIFY


def test_new_recovery_codes_need_a_current_code_and_replace_the_old_ones(client, people, clock) -> None:
    old = set_up(client, people.curator)
    response = client.post(SECURITY, {"action": "codes", "codes-code": "000000"})
    assert response.status_code == 200
    assert response.context["codes_form"].errors["code"] == [two_factor.WRONG_CODE_OR_RECOVERY]
    clock.shift(60)
    device = TOTPDevice.objects.get(user=people.curator)
    response = client.post(SECURITY, {"action": "codes", "codes-code": app_code(device)})
    assert response.url == CODES
    new = codes_on(client.get(CODES))
    assert len(new) == 10
    assert not set(new) & set(old)
    assert StaticToken.objects.filter(device__user=people.curator).count() == 10


def test_removing_the_app_needs_a_current_code(client, people, clock) -> None:
    codes = set_up(client, people.curator)
    response = client.post(SECURITY, {"action": "remove", "remove-code": "wrong"})
    assert response.context["remove_form"].errors["code"] == [two_factor.WRONG_CODE_OR_RECOVERY]
    assert TOTPDevice.objects.filter(user=people.curator).exists()

    clock.shift(5)
    assert client.post(SECURITY, {"action": "remove", "remove-code": codes[0]}).url == SECURITY
    assert not TOTPDevice.objects.filter(user=people.curator).exists()
    assert not StaticToken.objects.filter(device__user=people.curator).exists()
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    log_in(client, people.curator)
    assert client.get(reverse("home")).status_code == 200


def test_an_officer_removing_the_app_must_set_it_up_again_at_once(client, people, clock) -> None:
    set_up(client, people.officer)
    clock.shift(60)
    device = TOTPDevice.objects.get(user=people.officer)
    client.post(SECURITY, {"action": "remove", "remove-code": app_code(device)})
    assert client.get(reverse("home")).url == SETUP


def test_turning_it_on_new_codes_and_removing_it_are_written_to_the_security_log(client, people, clock) -> None:
    from mentorship.choices import SecurityEventKind
    from mentorship.models import SecurityEvent

    set_up(client, people.curator)
    device = TOTPDevice.objects.get(user=people.curator)
    clock.shift(60)
    client.post(SECURITY, {"action": "codes", "codes-code": app_code(device)})
    clock.shift(60)
    client.post(SECURITY, {"action": "remove", "remove-code": app_code(device)})
    kinds = SecurityEvent.objects.filter(subject=people.curator).order_by("pk").values_list("kind", flat=True)
    assert [kind for kind in kinds if kind != SecurityEventKind.LOGIN] == [
        SecurityEventKind.TWO_FACTOR_ENABLED,
        SecurityEventKind.RECOVERY_CODES,
        SecurityEventKind.TWO_FACTOR_DISABLED,
    ]
