"""``load_demo``: the seed hierarchy and personas, loaded once however often it runs, then the apps' demo data.

Most tests here load only the hierarchy and personas (``demo_load``): the apps' demo data (the
seed roadmaps: a few seconds of imports) is tested per app, ``test_demo_roadmaps.py`` and the rest.
"""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from demodata.demo import DemoReport
from demodata.demo.directory import DEMO_FIXTURE, demo_load
from demodata.management.commands import load_demo
from mentorship.choices import BodyKind, MunicipalityKind, OrganisationKind, PartnerKind, Role
from mentorship.models import Body, Municipality, Organisation, Partner, Region, RoleAssignment, User

TRACKED = (Region, Municipality, Organisation, Body, Partner, User, RoleAssignment)

PERSONA_PLACES = {
    "region_bash": (Role.REGIONAL_COORDINATOR, "region", "02"),
    "observer_krsk": (Role.REGIONAL_OBSERVER, "region", "24"),
    "muni_murta": (Role.MUNICIPAL_OFFICER, "municipality", "24-bolshemurtinsky"),
    "muni_arkh": (Role.MUNICIPAL_OFFICER, "municipality", "29-arkhangelsk"),
    "imc_surgut": (Role.MUNICIPAL_OBSERVER, "municipality", "86-surgutsky"),
    "director_khosreh": (Role.DIRECTOR, "organisation", "05-kulinsky-khosreh"),
    "curator_khosreh": (Role.CURATOR, "organisation", "05-kulinsky-khosreh"),
    "coordinator_khosreh": (Role.COORDINATOR, "organisation", "05-kulinsky-khosreh"),
    "mentor_khosreh": (Role.MENTOR, "organisation", "05-kulinsky-khosreh"),
    "curator_murta": (Role.CURATOR, "organisation", "24-bolshemurtinsky-sosh-1"),
}


def snapshot() -> dict[str, tuple[int, int]]:
    """Rows and history rows per model."""
    return {model.__name__: (model.objects.count(), model.history.count()) for model in TRACKED}


@pytest.fixture
def demo(db) -> None:
    demo_load()


@pytest.fixture
def only_fake_loader(monkeypatch) -> list[str]:
    """The apps' loaders replaced by one that notes what it saw; returns its notes."""
    notes: list[str] = []

    def fake_load() -> DemoReport:
        notes.append(f"пользователей {User.objects.count()}")
        return DemoReport("Проверочные данные", [f"загружено {len(notes)}"])

    monkeypatch.setattr(load_demo, "LOADERS", (fake_load,))
    return notes


def test_fixture_is_valid_json_with_a_password():
    data = json.loads(DEMO_FIXTURE.read_text(encoding="utf-8"))
    assert data["password"] == "demo12345"
    assert {user["username"] for user in data["users"]} == {"admin", *PERSONA_PLACES}


@pytest.mark.usefixtures("demo")
def test_regions_carry_their_subject_codes():
    assert dict(Region.objects.values_list("code", "name")) == {
        "02": "Республика Башкортостан",
        "05": "Республика Дагестан",
        "24": "Красноярский край",
        "29": "Архангельская область",
        "86": "Ханты-Мансийский автономный округ – Югра",
    }


@pytest.mark.usefixtures("demo")
def test_seed_municipalities_sit_in_their_regions():
    expected = {
        "Большемуртинский район": "24",
        "городской округ «Город Архангельск»": "29",
        "Сургутский район": "86",
        "Кулинский район": "05",
        "городской округ город Уфа": "02",
        "Белорецкий район": "02",
    }
    for name, region_code in expected.items():
        assert Municipality.objects.get(name=name).region.code == region_code
    assert Municipality.objects.get(code="29-arkhangelsk").kind == MunicipalityKind.CITY_OKRUG


@pytest.mark.usefixtures("demo")
def test_every_region_has_sibling_municipalities_for_scope_tests():
    for region in Region.objects.all():
        assert region.municipalities.count() >= 2, region.name


@pytest.mark.usefixtures("demo")
def test_bodies_named_in_the_seeds_exist_at_their_level():
    iro = Body.objects.get(short_name="ГАУ ДПО ИРО РБ")
    assert (iro.kind, iro.region.code, iro.municipality) == (BodyKind.REGIONAL_CENTRE, "02", None)
    assert Body.objects.get(full_name="Министерство образования и науки Республики Башкортостан").kind == (
        BodyKind.REGIONAL_MINISTRY
    )
    murta = Body.objects.get(full_name="Управление образования администрации Большемуртинского района")
    assert (murta.kind, murta.municipality.name) == (BodyKind.MUNICIPAL_AUTHORITY, "Большемуртинский район")
    imc = Body.objects.get(short_name="МКУ «ИМЦ»")
    assert (imc.kind, imc.municipality.name) == (BodyKind.MUNICIPAL_CENTRE, "Сургутский район")
    assert Body.objects.filter(municipality__code="05-kulinsky", kind=BodyKind.MUNICIPAL_AUTHORITY).exists()
    assert Body.objects.filter(municipality__code="29-arkhangelsk", kind=BodyKind.MUNICIPAL_AUTHORITY).exists()


@pytest.mark.usefixtures("demo")
def test_surgpu_is_a_university_partner_of_yugra():
    partner = Partner.objects.get(short_name="БУ «СурГПУ»")
    assert (partner.kind, partner.region.code) == (PartnerKind.UNIVERSITY, "86")


@pytest.mark.usefixtures("demo")
def test_schools_have_headcounts_and_the_seed_schools_exist():
    khosreh = Organisation.objects.get(short_name="МКОУ «Хосрехская СОШ им. Ахмедова Т.А»")
    assert khosreh.municipality.name == "Кулинский район"
    assert Organisation.objects.get(short_name="МБОУ «Большемуртинская СОШ № 1»").municipality.region.code == "24"
    assert Organisation.objects.filter(kind=OrganisationKind.COLLEGE).exists()
    assert not Organisation.objects.filter(students_count=0).exists()
    assert not Organisation.objects.filter(teachers_count=0).exists()
    for municipality in Municipality.objects.all():
        assert municipality.organisations.count() >= 2, municipality.name


@pytest.mark.usefixtures("demo")
def test_admin_is_a_superuser_with_the_demo_password():
    admin = User.objects.get(username="admin")
    assert admin.is_superuser
    assert admin.is_staff
    assert admin.check_password("demo12345")
    assert not admin.role_assignments.exists()


@pytest.mark.usefixtures("demo")
def test_each_persona_holds_exactly_its_role():
    # One test over all personas: loading the fixture once per persona would cost a second each.
    for username, (role, level, code) in PERSONA_PLACES.items():
        user = User.objects.get(username=username)
        assert user.check_password("demo12345"), username
        assert user.email == f"{username}@example.ru"
        assert all((user.last_name, user.first_name, user.patronymic)), username
        assert not user.is_staff, username
        [assignment] = user.role_assignments.all()
        assert (assignment.role, assignment.level.value, assignment.place.code) == (role, level, code)


@pytest.mark.usefixtures("demo")
def test_loading_twice_adds_no_rows_and_no_history():
    before = snapshot()
    report = demo_load()
    assert snapshot() == before
    assert all(t.created == 0 and t.updated == 0 for t in report.values())
    assert sum(t.unchanged for t in report.values()) == sum(rows for rows, _ in before.values())


def test_second_run_reports_nothing_created(db):
    first, second = StringIO(), StringIO()
    call_command("load_demo", stdout=first)
    call_command("load_demo", stdout=second)
    assert "образовательные организации: создано 28" in first.getvalue()
    assert "создано 0, изменено 0" in second.getvalue()
    assert "создано 0, изменено 0, без изменений 28" in second.getvalue()


def test_the_apps_loaders_run_after_the_personas_and_print_their_summary(db, only_fake_loader):
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert only_fake_loader == ["пользователей 11"]
    assert out.getvalue().rstrip().endswith("Проверочные данные:\n  загружено 1")


def test_verbosity_zero_prints_nothing(db, only_fake_loader):
    out = StringIO()
    call_command("load_demo", stdout=out, verbosity=0)
    assert only_fake_loader == ["пользователей 11"]
    assert out.getvalue() == ""


@pytest.mark.usefixtures("demo")
def test_rerun_restores_a_changed_record_and_records_it_once():
    school = Organisation.objects.get(code="24-bolshemurtinsky-sosh-1")
    Organisation.objects.filter(pk=school.pk).update(students_count=1)
    history_before = school.history.count()

    report = demo_load()

    school.refresh_from_db()
    assert school.students_count == 720
    assert school.history.count() == history_before + 1
    assert report["образовательные организации"].updated == 1


@pytest.mark.usefixtures("demo")
def test_rerun_keeps_a_password_the_user_changed():
    user = User.objects.get(username="curator_murta")
    user.set_password("другой-пароль-2024")
    user.save()

    demo_load()

    user.refresh_from_db()
    assert user.check_password("другой-пароль-2024")


@pytest.mark.usefixtures("demo")
def test_demo_personas_see_their_own_part_of_the_directory():
    def visible(username: str) -> set[str]:
        user = User.objects.get(username=username)
        return set(Organisation.objects.restrict(user, "view").values_list("code", flat=True))

    bashkortostan = set(Organisation.objects.filter(municipality__region__code="02").values_list("code", flat=True))
    murta = set(Organisation.objects.filter(municipality__code="24-bolshemurtinsky").values_list("code", flat=True))
    assert visible("region_bash") == bashkortostan
    assert visible("muni_murta") == murta
    assert visible("curator_khosreh") == {"05-kulinsky-khosreh"}
    assert visible("admin") == set(Organisation.objects.values_list("code", flat=True))


def test_the_apps_loaders_run_roadmaps_participants_monitoring_then_reports():
    assert [loader.__module__ for loader in load_demo.LOADERS] == [
        "demodata.demo.roadmaps",
        "demodata.demo.participants",
        "demodata.demo.monitoring",
        "demodata.demo.reports",
    ]
