"""A municipal officer administers the people of their schools in the browser: opens «Пользователи»,
finds a curator, grants her «Координатор ЦМН» at a school, revokes it, then switches a leaving
director's account off. Both screen sizes are checked for horizontal scrolling; screenshots go to
/tmp/shots/.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from playwright.sync_api import Page, expect

from mentorship.choices import Role
from mentorship.models import RoleAssignment, User
from mentorship.tests.factories import (
    PASSWORD,
    MunicipalityFactory,
    OrganisationFactory,
    RegionFactory,
    UserFactory,
    assign_role,
    user_with_role,
)

#: where the screenshots go: /tmp/shots/ unless E2E_SHOTS says otherwise
SHOTS = Path(os.environ.get("E2E_SHOTS", Path(tempfile.gettempdir()) / "shots"))
SIZES = {"desktop": (1366, 768), "phone": (390, 844)}


@pytest.fixture
def district(transactional_db: None) -> SimpleNamespace:
    region = RegionFactory(code="02", name="Республика Башкортостан")
    district = MunicipalityFactory(region=region, code="80652000", name="Уфимский район")
    other = MunicipalityFactory(region=region, code="80613000", name="Белорецкий район")
    gymnasium = OrganisationFactory(municipality=district, code="G3", short_name="Гимназия № 3")
    school = OrganisationFactory(municipality=district, code="BULG", short_name="МОБУ СОШ с. Булгаково")
    # A namesake in another district, which the officer must not be offered.
    OrganisationFactory(municipality=other, code="G3B", short_name="Гимназия № 3")
    officer = user_with_role("officer_ufa_e2e", Role.MUNICIPAL_OFFICER, district)
    curator = UserFactory(
        username="kuznetsova_e2e",
        last_name="Кузнецова",
        first_name="Мария",
        patronymic="Ивановна",
        email="kuznetsova@bulgakovo.example.ru",
        position="заместитель директора по учебно-воспитательной работе",
    )
    assign_role(curator, Role.CURATOR, school)
    director = UserFactory(
        username="sadykov_e2e", last_name="Садыков", first_name="Ринат", patronymic="Маратович", email="sadykov@g3.ru"
    )
    assign_role(director, Role.DIRECTOR, gymnasium)
    for n in range(8):
        assign_role(UserFactory(username=f"teacher{n}_e2e", last_name=f"Учителева{n}"), Role.COORDINATOR, school)
    return SimpleNamespace(officer=officer, curator=curator, director=director, gymnasium=gymnasium, school=school)


def no_horizontal_scroll(page: Page, name: str) -> None:
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(100)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        window_width = page.evaluate("window.innerWidth")
        page.screenshot(path=SHOTS / f"users-{name}-{size}.png", full_page=True)
        assert scroll_width <= window_width, f"{name} at {size}: {scroll_width} > {window_width}"
    page.set_viewport_size({"width": 1366, "height": 768})


def test_an_officer_grants_and_revokes_a_role_and_switches_an_account_off(page: Page, login, district) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1366, "height": 768})
    login(page, district.officer.username, PASSWORD)

    # «Пользователи» from the main menu; the curator found by her surname.
    page.get_by_role("navigation", name="Главное меню").get_by_role("link", name="Пользователи").click()
    expect(page.get_by_role("heading", name="Пользователи")).to_be_visible()
    no_horizontal_scroll(page, "list")
    page.get_by_label("Поиск").fill("кузнецова")
    page.get_by_role("button", name="Найти").click()
    row = page.get_by_role("row").filter(has_text="Кузнецова")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Куратор внедрения ЦМН")
    expect(row).to_contain_text("ещё не входил")
    page.get_by_role("link", name="Кузнецова Мария Ивановна").click()

    # Her card: grant «Координатор ЦМН» at «Гимназия № 3» of the officer's own district.
    expect(page.get_by_role("heading", name="Кузнецова Мария Ивановна")).to_be_visible()
    no_horizontal_scroll(page, "card")
    page.get_by_label("Роль").select_option(label="Координатор ЦМН")
    page.get_by_role("button", name="Далее: выбрать место").click()
    expect(page.get_by_role("heading", name="Назначение роли")).to_be_visible()
    place = page.get_by_label("Где")
    options = place.locator("option").all_inner_texts()
    assert "Гимназия № 3 (Уфимский район)" in options
    assert not any("Белорецкий" in option for option in options)
    no_horizontal_scroll(page, "grant")
    place.select_option(label="Гимназия № 3 (Уфимский район)")
    page.get_by_role("button", name="Назначить").click()
    expect(page.get_by_role("status").filter(has_text="Роль назначена")).to_be_visible()
    roles = page.get_by_role("list", name="Роли").get_by_role("listitem").filter(has_text="Координатор ЦМН")
    expect(roles).to_contain_text("Гимназия № 3 (Уфимский район)")
    expect(page.get_by_text("Назначена роль «Координатор ЦМН»: Гимназия № 3 (Уфимский район)")).to_be_visible()
    assert RoleAssignment.objects.filter(
        user=district.curator, role=Role.COORDINATOR, organisation=district.gymnasium
    ).exists()

    # Revoke it again, after the confirmation.
    roles.get_by_role("link", name="Снять роль").click()
    expect(page.get_by_role("note")).to_contain_text("Координатор ЦМН")
    no_horizontal_scroll(page, "revoke")
    page.get_by_role("button", name="Снять роль").click()
    expect(page.get_by_role("status").filter(has_text="Роль снята")).to_be_visible()
    expect(page.get_by_text("Снята роль «Координатор ЦМН»: Гимназия № 3 (Уфимский район)")).to_be_visible()
    assert not RoleAssignment.objects.filter(user=district.curator, role=Role.COORDINATOR).exists()

    # The director of the gymnasium leaves: his account is switched off, nothing deleted.
    page.get_by_role("link", name="Пользователи").first.click()
    page.get_by_role("link", name="Садыков Ринат Маратович").click()
    page.get_by_role("link", name="Отключить учётную запись").click()
    expect(page.get_by_role("note")).to_contain_text("больше не сможет войти")
    no_horizontal_scroll(page, "deactivate")
    page.get_by_role("button", name="Отключить учётную запись").click()
    expect(page.get_by_role("status").filter(has_text="Учётная запись отключена")).to_be_visible()
    expect(page.get_by_role("link", name="Включить снова")).to_be_visible()
    no_horizontal_scroll(page, "card-deactivated")
    director = User.objects.get(pk=district.director.pk)
    assert director.is_active is False
    assert RoleAssignment.objects.filter(user=director, role=Role.DIRECTOR).exists()

    # He can no longer sign in.
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("Имя пользователя").fill(district.director.username)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    assert "/accounts/login/" in page.url


def test_a_director_hands_a_leaving_curators_activities_over_then_switches_her_off(page: Page, login, district) -> None:
    from roadmaps.choices import ResponsibleKind
    from roadmaps.models import ResponsibleParty
    from roadmaps.tests.factories import ResponsiblePartyFactory, RoadmapFactory, RoadmapItemFactory

    SHOTS.mkdir(parents=True, exist_ok=True)
    school, curator = district.school, district.curator
    director = user_with_role("director_bulg_e2e", Role.DIRECTOR, school)
    successor = User.objects.get(username="teacher3_e2e")
    roadmap = RoadmapFactory(organisation=school, title="Дорожная карта МОБУ СОШ с. Булгаково на 2026–2027 годы")
    for number, title in (
        ("1.1", "Издать приказ о внедрении наставничества"),
        ("1.2", "Сформировать базу наставников"),
    ):
        item = RoadmapItemFactory(roadmap=roadmap, number=number, title=title)
        ResponsiblePartyFactory(item=item, kind=ResponsibleKind.USER, name=curator.get_short_name(), user=curator)

    page.set_viewport_size({"width": 1366, "height": 768})
    login(page, director.username, PASSWORD)
    page.goto(f"/accounts/users/{curator.pk}/")
    duties = page.get_by_role("region", name="Пункты дорожных карт (ответственный) (2)")
    expect(duties.get_by_role("link", name="1.1 Издать приказ о внедрении наставничества", exact=False)).to_be_visible()
    no_horizontal_scroll(page, "card-duties")
    duties.get_by_role("link", name="Передать другому").click()
    no_horizontal_scroll(page, "handover")
    page.get_by_label("1.1 Издать приказ", exact=False).check()
    page.get_by_label("1.2 Сформировать базу", exact=False).check()
    page.get_by_label("Кому").select_option(label=f"{successor.get_full_name()} ({successor.email})")
    page.get_by_role("button", name="Передать").click()
    expect(page.get_by_role("status").filter(has_text="Передано другому: 2.")).to_be_visible()
    expect(page.get_by_role("heading", name="За что отвечает")).to_be_visible()
    expect(page.get_by_role("region", name="Пункты дорожных карт (ответственный) (2)")).to_have_count(0)
    assert set(ResponsibleParty.objects.filter(item__roadmap=roadmap).values_list("user__username", flat=True)) == {
        "teacher3_e2e"
    }

    page.get_by_role("link", name="Отключить учётную запись").click()
    page.get_by_role("button", name="Отключить учётную запись").click()
    expect(page.get_by_role("status").filter(has_text="Учётная запись отключена")).to_be_visible()
    assert User.objects.get(pk=curator.pk).is_active is False
