"""The regional coordinator opens the monitoring dashboard, sees a municipality below the target and
drills down to a school of that municipality.

A small world of its own: a region with a 10 % target, a district where one pupil in fifty takes part
(2 %, below) and a city where eight pupils in forty do (20 %, met); the figures are refreshed through
the service, as the scheduled task does.
"""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest
from playwright.sync_api import Page, expect

from mentorship.choices import Role
from mentorship.tests.factories import PASSWORD, MunicipalityFactory, OrganisationFactory, RegionFactory, user_with_role
from monitoring.choices import IndicatorCode
from monitoring.models import Target
from monitoring.services import figures_refresh
from participants.choices import MentorshipForm, PairStatus
from participants.tests.factories import PairFactory, PersonFactory, ProgrammeFactory

YEAR = 2026


@pytest.fixture
def region_world(transactional_db: None) -> SimpleNamespace:
    region = RegionFactory(code="02", name="Республика Башкортостан")
    district = MunicipalityFactory(region=region, code="80613000", name="Белорецкий район")
    city = MunicipalityFactory(region=region, code="80701000", name="городской округ город Уфа")
    village = OrganisationFactory(
        municipality=district, code="TIRLYAN", short_name="МОБУ СОШ с. Тирлянский", students_count=50
    )
    lyceum = OrganisationFactory(
        municipality=city, code="LYCEUM153", short_name="МАОУ «Лицей № 153»", students_count=40
    )
    programme = ProgrammeFactory(organisation=village, school_year=YEAR)
    PairFactory(
        programme=programme,
        status=PairStatus.ACTIVE,
        mentors=[PersonFactory(organisation=village, teacher=True, surname="Галиева")],
        mentees=[PersonFactory(organisation=village, surname="Ахметов")],
    )
    peers = ProgrammeFactory(organisation=lyceum, form=MentorshipForm.STUDENT_STUDENT, school_year=YEAR)
    for i in range(4):
        PairFactory(
            programme=peers,
            status=PairStatus.ACTIVE,
            mentors=[PersonFactory(organisation=lyceum, surname=f"Старшеклассник{i}")],
            mentees=[PersonFactory(organisation=lyceum, surname=f"Пятиклассник{i}")],
        )
    Target.objects.create(region=region, indicator=IndicatorCode.STUDENTS_SHARE, year=YEAR, value=Decimal(10))
    figures_refresh(school_year=YEAR)
    coordinator = user_with_role("region_e2e", Role.REGIONAL_COORDINATOR, region)
    return SimpleNamespace(region=region, district=district, village=village, coordinator=coordinator)


def test_regional_coordinator_finds_a_lagging_municipality_and_its_school(page: Page, login, region_world) -> None:
    login(page, region_world.coordinator.username, PASSWORD)
    page.goto(f"/monitoring/region/{region_world.region.pk}/?year={YEAR}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Мониторинг: Республика Башкортостан")
    expect(page.get_by_text("Данные на")).to_be_visible()
    expect(page.get_by_role("img", name="Диаграмма: охват обучающихся по муниципалитетам")).to_be_visible()

    district_row = page.get_by_role("row").filter(has_text="Белорецкий район")
    expect(district_row).to_contain_text("ниже цели")
    expect(district_row).to_contain_text("2,0")
    expect(page.get_by_role("row").filter(has_text="городской округ город Уфа")).to_contain_text("цель достигнута")

    district_row.get_by_role("link", name="Белорецкий район").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Мониторинг: Белорецкий район")
    school_row = page.get_by_role("row").filter(has_text="МОБУ СОШ с. Тирлянский")
    expect(school_row).to_contain_text("ниже цели")
    expect(page.get_by_text("МАОУ «Лицей № 153»")).to_have_count(0)

    school_row.get_by_role("link", name="МОБУ СОШ с. Тирлянский").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Мониторинг: МОБУ СОШ с. Тирлянский")
    own = page.get_by_role("row").filter(has_text="Доля обучающихся, вовлечённых в наставничество")
    expect(own).to_contain_text("2,0")
    expect(own).to_contain_text("ниже цели")
    expect(
        page.get_by_role("navigation", name="Навигация").get_by_role("link", name="Белорецкий район")
    ).to_be_visible()
