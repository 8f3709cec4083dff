"""Each demo persona signs in through the real login form and sees exactly their part of the hierarchy.

The expected part is worked out here from the hierarchy's plain foreign keys (region
code, municipality code, organisation code), never through ``restrict()``, so the
journey checks the scoping rather than repeating it. Named examples on top of that
keep the test readable and guard against the demo data drifting.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from mentorship.models import Organisation, Region

pytestmark = pytest.mark.e2e

DEMO_PASSWORD = "demo12345"
NOT_FOUND_HEADING = "Страница не найдена"


@dataclass(frozen=True)
class Persona:
    username: str
    # Where the persona's role is held; nothing set means the whole country (superuser).
    region: str = ""
    municipality: str = ""
    organisation: str = ""
    # Named examples, as a person would check them.
    shown: tuple[str, ...] = ()
    hidden: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.username

    def expected_organisations(self) -> set[str]:
        organisations = Organisation.objects.all()
        if self.region:
            organisations = organisations.filter(municipality__region__code=self.region)
        if self.municipality:
            organisations = organisations.filter(municipality__code=self.municipality)
        if self.organisation:
            organisations = organisations.filter(code=self.organisation)
        return set(organisations.values_list("short_name", flat=True))

    def expected_regions(self) -> set[str]:
        # Everyone sees the region they work in; only a superuser sees the others.
        regions = Region.objects.all()
        if self.region:
            regions = regions.filter(code=self.region)
        if self.municipality:
            regions = regions.filter(municipalities__code=self.municipality)
        if self.organisation:
            regions = regions.filter(municipalities__organisations__code=self.organisation)
        return set(regions.values_list("name", flat=True))


KHOSREH = "МКОУ «Хосрехская СОШ им. Ахмедова Т.А»"
MURTA_1 = "МБОУ «Большемуртинская СОШ № 1»"

PERSONAS = [
    Persona(
        "admin",
        shown=("Республика Башкортостан", "Красноярский край", "Республика Дагестан", KHOSREH, MURTA_1),
    ),
    Persona(
        "region_bash",
        region="02",
        shown=("Республика Башкортостан", "МБОУ «Лицей № 153»", "ГБПОУ Белорецкий педагогический колледж"),
        hidden=("Красноярский край", MURTA_1, KHOSREH),
    ),
    Persona(
        "observer_krsk",
        region="24",
        shown=("Красноярский край", MURTA_1, "МБОУ «Емельяновская СОШ № 1»"),
        hidden=("Республика Башкортостан", "МБОУ «Лицей № 153»"),
    ),
    Persona(
        "muni_murta",
        municipality="24-bolshemurtinsky",
        shown=(MURTA_1, "МБОУ «Большемуртинская СОШ № 3»", "МБОУ «Таловская СОШ»"),
        hidden=("МБОУ «Средняя школа № 1»", "МБОУ «Емельяновская СОШ № 1»", "Республика Башкортостан"),
    ),
    Persona(
        "muni_arkh",
        municipality="29-arkhangelsk",
        shown=("МБОУ «Средняя школа № 1»", "МБОУ «Гимназия № 3»"),
        hidden=(MURTA_1, "МБОУ «Катунинская СШ»"),
    ),
    Persona(
        "imc_surgut",
        municipality="86-surgutsky",
        shown=("МБОУ «Лянторская СОШ № 3»", "МБОУ «Федоровская СОШ № 2»"),
        hidden=("НРМОБУ «Пойковская СОШ № 1»", MURTA_1),
    ),
    *(
        Persona(
            username,
            organisation="05-kulinsky-khosreh",
            shown=(KHOSREH, "Республика Дагестан"),
            hidden=("МКОУ «Вачинская СОШ»", "МКОУ «Кумухская СОШ»", MURTA_1, "Красноярский край"),
        )
        for username in ("director_khosreh", "curator_khosreh", "coordinator_khosreh", "mentor_khosreh")
    ),
    Persona(
        "curator_murta",
        organisation="24-bolshemurtinsky-sosh-1",
        shown=(MURTA_1, "Красноярский край"),
        hidden=("МБОУ «Большемуртинская СОШ № 3»", KHOSREH),
    ),
]


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The demo data, loaded once for the module by the same command ``bin/start`` runs.

    It is committed, so that the live server sees it on every backend, and the database is
    emptied at the module's end, as ``transactional_db`` would have left it. The journeys here
    only read: signing in writes a session and ``last_login``, which no test looks at, so each
    test still starts from the same demo.
    """
    with django_db_blocker.unblock():
        call_command("load_demo", verbosity=0)
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture(autouse=True)
def _live_server_helper(request: pytest.FixtureRequest, demo: None, django_db_blocker: Any) -> Iterator[None]:
    """pytest-django's helper of the same name, without the ``transactional_db`` it asks for.

    That fixture empties the database after every test, which made each test here reload the
    whole demo (most of the browser run's time). The live server's settings are switched on as
    the original does, and the test may read the database for its expectations.
    """
    live_server = request.getfixturevalue("live_server")
    live_server._live_server_modified_settings.enable()
    with django_db_blocker.unblock():
        yield
    live_server._live_server_modified_settings.disable()


def table_links(page: Page) -> set[str]:
    """The names linked from the page's table body: regions on /directory/, schools on the list."""
    table = page.get_by_role("table")
    if table.count() == 0:
        return set()
    return {text.strip() for text in table.locator("tbody").get_by_role("link").all_inner_texts()}


@pytest.mark.parametrize("persona", PERSONAS, ids=str)
def test_persona_sees_exactly_their_part_of_the_directory(page: Page, login, demo: None, persona: Persona) -> None:
    login(page, persona.username, DEMO_PASSWORD)

    # Into the directory through the main menu, as a person would.
    page.get_by_role("navigation", name="Главное меню").get_by_role("link", name="Справочник организаций").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Справочник организаций")
    regions = table_links(page)
    assert regions == persona.expected_regions()

    page.get_by_role("link", name="Образовательные организации").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Образовательные организации")
    organisations = table_links(page)
    assert organisations == persona.expected_organisations()

    seen = regions | organisations
    for name in persona.shown:
        assert name in seen, f"{persona} should see {name}"
    for name in persona.hidden:
        assert name not in seen, f"{persona} should not see {name}"
        expect(page.get_by_text(name, exact=True)).to_have_count(0)


def test_admin_sees_every_region(page: Page, login, demo: None) -> None:
    login(page, "admin", DEMO_PASSWORD)
    page.goto("/directory/")

    assert table_links(page) == set(Region.objects.values_list("name", flat=True))
    assert len(table_links(page)) == 5


def test_outsider_opening_another_schools_card_gets_the_russian_404(page: Page, login, demo: None) -> None:
    elsewhere = Organisation.objects.get(short_name=MURTA_1)
    login(page, "curator_khosreh", DEMO_PASSWORD)

    response = page.goto(f"/directory/organisations/{elsewhere.pk}/")

    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text(NOT_FOUND_HEADING)
    expect(page.get_by_text(MURTA_1)).to_have_count(0)


def test_own_school_card_opens_from_the_list(page: Page, login, demo: None) -> None:
    login(page, "curator_khosreh", DEMO_PASSWORD)
    page.goto("/directory/organisations/")

    page.get_by_role("link", name=KHOSREH).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(KHOSREH)
