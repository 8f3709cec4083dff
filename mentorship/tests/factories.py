"""factory_boy factories for the hierarchy, its bodies and partners, users and roles."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import factory
from django.contrib.auth.models import AnonymousUser
from factory.django import DjangoModelFactory, Password

from mentorship.choices import BodyKind, MunicipalityKind, OrganisationKind, PartnerKind, Role
from mentorship.models import Body, Municipality, Organisation, Partner, Region, RoleAssignment, User

PASSWORD = "Наставник-2024"


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region

    code = factory.Sequence(lambda n: f"R{n:03d}")
    name = factory.Sequence(lambda n: f"Регион № {n}")


class MunicipalityFactory(DjangoModelFactory):
    class Meta:
        model = Municipality

    region = factory.SubFactory(RegionFactory)
    code = factory.Sequence(lambda n: f"M{n:04d}")
    name = factory.Sequence(lambda n: f"Муниципальный район № {n}")
    kind = MunicipalityKind.DISTRICT


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    municipality = factory.SubFactory(MunicipalityFactory)
    code = factory.Sequence(lambda n: f"OO{n:05d}")
    short_name = factory.Sequence(lambda n: f"МБОУ СОШ № {n}")
    full_name = factory.LazyAttribute(
        lambda o: f"Муниципальное бюджетное общеобразовательное учреждение «{o.short_name}»"
    )
    kind = OrganisationKind.SCHOOL
    students_count = 540
    teachers_count = 42


class BodyFactory(DjangoModelFactory):
    """A regional body by default; pass ``municipality=`` for a municipal one (its kind and region follow)."""

    class Meta:
        model = Body

    municipality = None
    region = factory.LazyAttribute(lambda o: o.municipality.region if o.municipality else RegionFactory())
    kind = factory.LazyAttribute(lambda o: BodyKind.MUNICIPAL_AUTHORITY if o.municipality else BodyKind.REGIONAL_CENTRE)
    code = factory.Sequence(lambda n: f"B{n:04d}")
    short_name = factory.Sequence(lambda n: f"Центр наставничества № {n}")
    full_name = factory.LazyAttribute(lambda o: f"Государственное автономное учреждение «{o.short_name}»")


class PartnerFactory(DjangoModelFactory):
    """A partner of a whole region by default; pass ``municipality=`` for a municipal one."""

    class Meta:
        model = Partner

    municipality = None
    region = factory.LazyAttribute(lambda o: o.municipality.region if o.municipality else RegionFactory())
    kind = PartnerKind.COMPANY
    code = factory.Sequence(lambda n: f"P{n:04d}")
    short_name = factory.Sequence(lambda n: f"ООО «Партнёр {n}»")
    full_name = factory.LazyAttribute(lambda o: f"Общество с ограниченной ответственностью «{o.short_name}»")
    contact = "Иванова Мария Петровна, +7 (347) 200-00-00"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    last_name = "Ростовская"
    first_name = "Елена"
    patronymic = "Викторовна"
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.ru")
    password = Password(PASSWORD)


class RoleAssignmentFactory(DjangoModelFactory):
    """Use :func:`assign_role` rather than filling the place columns by hand."""

    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = Role.CURATOR


def assign_role(user: User, role: Role, place: Region | Municipality | Organisation) -> RoleAssignment:
    """Give ``user`` the ``role`` at ``place``, the column chosen by the role's level."""
    return RoleAssignmentFactory(user=user, role=role, **{role.level.value: place})


def user_with_role(username: str, role: Role, place: Region | Municipality | Organisation) -> User:
    user = UserFactory(username=username)
    assign_role(user, role, place)
    return user


# --- the personas' world ------------------------------------------------------------------------------

PERSONAS = (
    "regional_coordinator",
    "regional_observer",
    "officer_a",
    "officer_b",
    "observer_a",
    "director_a1",
    "curator_a1",
    "curator_b1",
    "coordinator_a1",
    "mentor_a1",
    "outsider",
    "superuser",
    "anonymous",
)


@dataclass
class World:
    objects: dict[str, Any] = field(default_factory=dict)
    personas: dict[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        for table in ("objects", "personas"):
            values = self.__dict__.get(table, {})
            if name in values:
                return values[name]
        raise AttributeError(name)

    def persona(self, name: str) -> User | AnonymousUser:
        return self.personas[name]


def build_world() -> World:
    """Region R (Башкортостан) with municipalities A (schools A1, A2) and B (school B1); region R2
    (Красноярский край) with municipality C (school C1) proves that regions are isolated. Each region
    has a regional body and partner, A and B a municipal body and partner each; one persona per role."""
    r = RegionFactory(code="02", name="Республика Башкортостан")
    a = MunicipalityFactory(region=r, code="80652000", name="Уфимский район")
    b = MunicipalityFactory(region=r, code="80613000", name="Белорецкий район")
    r2 = RegionFactory(code="24", name="Красноярский край")
    c = MunicipalityFactory(region=r2, code="04608000", name="Большемуртинский район", kind=MunicipalityKind.DISTRICT)

    objects = {
        "region_r": r,
        "region_r2": r2,
        "municipality_a": a,
        "municipality_b": b,
        "municipality_c": c,
        "organisation_a1": OrganisationFactory(municipality=a, code="A1", short_name="МОБУ СОШ с. Булгаково"),
        "organisation_a2": OrganisationFactory(municipality=a, code="A2", short_name="МОБУ СОШ д. Дмитриевка"),
        "organisation_b1": OrganisationFactory(municipality=b, code="B1", short_name="МОБУ СОШ № 1 г. Белорецк"),
        "organisation_c1": OrganisationFactory(municipality=c, code="C1", short_name="МБОУ Большемуртинская СОШ № 1"),
        "body_r": BodyFactory(region=r, code="IRO-RB", short_name="ГАУ ДПО ИРО РБ", kind=BodyKind.REGIONAL_CENTRE),
        "body_a": BodyFactory(
            municipality=a, code="UO-UFA", short_name="МКУ «Управление образования Уфимского района»"
        ),
        "body_b": BodyFactory(municipality=b, code="UO-BEL", short_name="Отдел образования Белорецкого района"),
        "body_r2": BodyFactory(region=r2, code="KKIPK", short_name="КГАУ ДПО ККИПК", kind=BodyKind.REGIONAL_CENTRE),
        "partner_r": PartnerFactory(
            region=r, code="BSPU", short_name="ФГБОУ ВО «БГПУ им. М. Акмуллы»", kind=PartnerKind.UNIVERSITY
        ),
        "partner_a": PartnerFactory(municipality=a, code="AGRO-UFA", short_name="ООО «Агрокомплекс Уфимский»"),
        "partner_b": PartnerFactory(municipality=b, code="BMK", short_name="АО «Белорецкий металлургический комбинат»"),
        "partner_r2": PartnerFactory(region=r2, code="SFU", short_name="ФГАОУ ВО «СФУ»", kind=PartnerKind.UNIVERSITY),
    }
    a1, b1 = objects["organisation_a1"], objects["organisation_b1"]
    personas = {
        "regional_coordinator": user_with_role("reg_coordinator", Role.REGIONAL_COORDINATOR, r),
        "regional_observer": user_with_role("reg_observer", Role.REGIONAL_OBSERVER, r),
        "officer_a": user_with_role("officer_a", Role.MUNICIPAL_OFFICER, a),
        "officer_b": user_with_role("officer_b", Role.MUNICIPAL_OFFICER, b),
        "observer_a": user_with_role("observer_a", Role.MUNICIPAL_OBSERVER, a),
        "director_a1": user_with_role("director_a1", Role.DIRECTOR, a1),
        "curator_a1": user_with_role("curator_a1", Role.CURATOR, a1),
        "curator_b1": user_with_role("curator_b1", Role.CURATOR, b1),
        "coordinator_a1": user_with_role("coordinator_a1", Role.COORDINATOR, a1),
        "mentor_a1": user_with_role("mentor_a1", Role.MENTOR, a1),
        "outsider": UserFactory(username="outsider"),
        "superuser": UserFactory(username="admin", is_superuser=True, is_staff=True),
        "anonymous": AnonymousUser(),
    }
    assert tuple(personas) == PERSONAS
    return World(objects=objects, personas=personas)
