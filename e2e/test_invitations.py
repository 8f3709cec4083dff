"""Invitations, from the regional coordinator down to the mentors.

The regional coordinator invites a municipal officer through the form; the officer opens the link
from the letter (read from ``mail.outbox``: the live server runs in this process), sets a password
and lands on the home page; the officer then invites twenty curators at once from an .xlsx through
the import pages; one curator accepts and invites two mentors. The acceptance page is checked at
390x844 for horizontal scroll, and its screenshot saved to /tmp/shots/.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import openpyxl
import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from accounts.models import Invitation
from e2e.conftest import give_second_factor
from mentorship.choices import Role
from mentorship.models import ImportJob, ImportStatus, RoleAssignment, User
from mentorship.tests.factories import PASSWORD, MunicipalityFactory, OrganisationFactory, RegionFactory, user_with_role

pytestmark = pytest.mark.e2e

SHOTS = Path("/tmp/shots")  # noqa: S108 (where the journey's screenshots are looked at)
LINK = re.compile(r"https?://[^/\s]+(/accounts/invitation/[A-Za-z0-9_-]+/)")
OFFICER_PASSWORD = "Zelyonyj-Klyon-48"
CURATOR_PASSWORD = "Sinij-Kamysh-73"


@pytest.fixture
def region(transactional_db: None) -> SimpleNamespace:
    r = RegionFactory(code="02", name="Республика Башкортостан")
    district = MunicipalityFactory(region=r, code="80652000", name="Уфимский район")
    schools = [
        OrganisationFactory(municipality=district, code="BULG", short_name="МОБУ СОШ с. Булгаково"),
        OrganisationFactory(municipality=district, code="DMIT", short_name="МОБУ СОШ д. Дмитриевка"),
    ]
    coordinator = user_with_role("coordinator_e2e", Role.REGIONAL_COORDINATOR, r)
    return SimpleNamespace(region=r, district=district, schools=schools, coordinator=coordinator)


def link_in_letter_to(address: str) -> str:
    letters = [letter for letter in mail.outbox if letter.to == [address]]
    assert letters, f"no letter to {address}"
    return LINK.search(letters[-1].body).group(1)


def new_page(browser: Browser, live_server: Any, *, width: int = 1280, height: int = 900) -> Page:
    context = browser.new_context(base_url=live_server.url, locale="ru-RU", viewport={"width": width, "height": height})
    context.set_default_timeout(15_000)
    return context.new_page()


def no_horizontal_scroll(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def curators_workbook(count: int) -> dict[str, Any]:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["ФИО", "Электронная почта", "Роль", "Код места", "Должность"])
    for n in range(1, count + 1):
        school = "BULG" if n % 2 else "DMIT"
        sheet.append([f"Куратова Анна{n} Сергеевна", f"curator{n}@school.example", "Куратор внедрения ЦМН", school, ""])
    buffer = io.BytesIO()
    book.save(buffer)
    return {
        "name": "кураторы.xlsx",
        "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "buffer": buffer.getvalue(),
    }


def accept(page: Page, path: str, password: str, *, second_factor_of: str = "") -> None:
    """Accept the invitation; ``second_factor_of``: the new account's username, whose role signs in with TOTP."""
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Приглашение")
    page.get_by_label("Пароль").first.fill(password)
    page.get_by_label("Пароль ещё раз").fill(password)
    page.get_by_role("button", name="Принять приглашение").click()
    if second_factor_of:
        # A municipal role: the first landing is the two-factor set-up, then the home page.
        expect(page.get_by_role("heading", level=1)).to_have_text("Настройка двухфакторной аутентификации")
        assert no_horizontal_scroll(page)
        page.screenshot(path=SHOTS / "invitation_two_factor_setup_390.png", full_page=True)
        give_second_factor(page, second_factor_of)
    else:
        expect(page.get_by_role("status").filter(has_text="Приглашение принято")).to_be_visible()
    expect(page).to_have_url(re.compile(r"^https?://[^/]+/$"))  # the home page


def test_invitations_from_the_regional_coordinator_down_to_the_mentors(
    page: Page, browser: Browser, live_server: Any, login, region: SimpleNamespace
) -> None:
    # The regional coordinator invites the district's officer through the form.
    login(page, region.coordinator.username, PASSWORD)
    page.get_by_role("navigation").get_by_role("link", name="Пользователи").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Пользователи")
    page.get_by_role("link", name="Пригласить").click()
    page.get_by_label("Фамилия").fill("Галиева")
    page.get_by_label("Имя").fill("Лилия")
    page.get_by_label("Отчество").fill("Рашитовна")
    page.get_by_label("Электронная почта").fill("Galieva@Ufa-Raion.example")
    page.get_by_label("Должность").fill("главный специалист управления образования")
    page.get_by_label("Роль").select_option(label="Специалист муниципального органа управления образованием")
    page.get_by_label("Где").select_option(label="Уфимский район")
    page.get_by_role("button", name="Отправить приглашение").click()
    expect(page.get_by_text("Приглашение отправлено на адрес galieva@ufa-raion.example.")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("Галиева Лилия Рашитовна")

    # The officer opens the link from the letter on a phone: the page fits, without horizontal scroll.
    officer_path = link_in_letter_to("galieva@ufa-raion.example")
    officer = new_page(browser, live_server, width=390, height=844)
    officer.goto(officer_path)
    expect(officer.get_by_text("Специалист муниципального органа управления образованием")).to_be_visible()
    assert no_horizontal_scroll(officer)
    SHOTS.mkdir(parents=True, exist_ok=True)
    officer.screenshot(path=SHOTS / "invitation_accept_390.png", full_page=True)
    accept(officer, officer_path, OFFICER_PASSWORD, second_factor_of="galieva@ufa-raion.example")
    user = User.objects.get(username="galieva@ufa-raion.example")
    assert RoleAssignment.objects.filter(user=user, role=Role.MUNICIPAL_OFFICER, municipality=region.district).exists()
    officer.set_viewport_size({"width": 1280, "height": 900})

    # The officer invites twenty curators from an .xlsx through the import pages.
    officer.goto(reverse("accounts:invitation_list"))
    officer.get_by_role("link", name="Загрузить из Excel").click()
    expect(officer.get_by_role("link", name="Скачать шаблон")).to_be_visible()
    officer.get_by_label("Файл Excel (.xlsx)").set_input_files(curators_workbook(20))
    officer.get_by_role("button", name="Проверить файл").click()
    expect(officer.get_by_text("Проверен, ждёт подтверждения")).to_be_visible()
    expect(officer.get_by_role("table", name="Строки файла").get_by_role("row")).to_have_count(21)
    letters_before = len(mail.outbox)
    assert not Invitation.objects.filter(role=Role.CURATOR).exists()
    officer.get_by_role("button", name="Подтвердить импорт").click()
    expect(officer.get_by_role("status")).to_contain_text("Файл импортирован")
    assert ImportJob.objects.get().status == ImportStatus.DONE
    assert len(mail.outbox) == letters_before + 20
    officer.set_viewport_size({"width": 390, "height": 844})
    officer.goto(reverse("accounts:invitation_list"))
    expect(officer.get_by_text("curator20@school.example")).to_be_attached()
    assert no_horizontal_scroll(officer)
    officer.screenshot(path=SHOTS / "invitation_list_390.png")
    officer.goto(reverse("accounts:invitation_create"))
    assert no_horizontal_scroll(officer)
    officer.screenshot(path=SHOTS / "invitation_create_390.png", full_page=True)

    # One curator accepts, then invites two mentors to their school.
    curator = new_page(browser, live_server)
    accept(curator, link_in_letter_to("curator1@school.example"), CURATOR_PASSWORD)
    for surname, address in (("Наставникова", "mentor1@school.example"), ("Учителев", "mentor2@school.example")):
        curator.goto(reverse("accounts:invitation_create"))
        curator.get_by_label("Фамилия").fill(surname)
        curator.get_by_label("Имя").fill("Ирина")
        curator.get_by_label("Электронная почта").fill(address)
        curator.get_by_label("Роль").select_option(label="Наставник")
        curator.get_by_label("Где").select_option(label="МОБУ СОШ с. Булгаково (Уфимский район)")
        curator.get_by_role("button", name="Отправить приглашение").click()
        expect(curator.get_by_text(f"Приглашение отправлено на адрес {address}.")).to_be_visible()
    curator_user = User.objects.get(username="curator1@school.example")
    mentors = Invitation.objects.filter(invited_by=curator_user, role=Role.MENTOR, organisation=region.schools[0])
    assert mentors.count() == 2
    assert link_in_letter_to("mentor2@school.example")
    for context_page in (officer, curator):
        context_page.context.close()
