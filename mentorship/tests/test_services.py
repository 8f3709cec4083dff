"""Services that write the hierarchy, the once-only form token, and the ИНН/ОГРН validators."""

from __future__ import annotations

import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mentorship import services
from mentorship.choices import BodyKind, OrganisationKind, PartnerKind, Role
from mentorship.errors import DomainError, DuplicateSubmission
from mentorship.models import Body, FormSubmission, Municipality, Organisation, Partner, Region, RoleAssignment
from mentorship.validators import validate_inn, validate_ogrn

from .factories import UserFactory

pytestmark = pytest.mark.django_db


def school_data(municipality: Municipality, code: str = "A3") -> dict:
    return {
        "municipality": municipality,
        "code": code,
        "kind": OrganisationKind.SCHOOL,
        "short_name": "МОБУ СОШ с. Чесноковка",
        "full_name": "Муниципальное общеобразовательное бюджетное учреждение СОШ с. Чесноковка",
        "students_count": 812,
        "teachers_count": 57,
    }


def fields_of(obj) -> dict:
    """The stored values of a record, to compare before and after a refused write."""
    fresh = type(obj)._base_manager.get(pk=obj.pk)
    return {f.attname: getattr(fresh, f.attname) for f in type(obj)._meta.concrete_fields}


# --- object_create ---------------------------------------------------------------------------------


def test_municipal_officer_creates_a_school_in_own_municipality(world):
    school = services.object_create(actor=world.officer_a, model=Organisation, data=school_data(world.municipality_a))
    assert Organisation.objects.get(code="A3") == school
    assert school.municipality == world.municipality_a


def test_municipal_officer_cannot_create_a_school_in_another_municipality(world):
    with pytest.raises(PermissionDenied, match="Недостаточно прав"):
        services.object_create(actor=world.officer_a, model=Organisation, data=school_data(world.municipality_b))
    assert not Organisation.objects.filter(code="A3").exists()
    assert not Organisation.history.filter(code="A3").exists()


def test_regional_coordinator_cannot_create_a_school_in_another_region(world):
    with pytest.raises(PermissionDenied):
        services.object_create(
            actor=world.regional_coordinator, model=Organisation, data=school_data(world.municipality_c)
        )
    assert not Organisation.objects.filter(code="A3").exists()


def test_curator_cannot_create_a_school_even_in_own_municipality(world):
    with pytest.raises(PermissionDenied):
        services.object_create(actor=world.curator_a1, model=Organisation, data=school_data(world.municipality_a))
    assert not Organisation.objects.filter(code="A3").exists()


def test_municipal_officer_cannot_create_a_partner_of_the_whole_region(world):
    data = {
        "region": world.region_r,
        "code": "UGATU",
        "short_name": "УГАТУ",
        "full_name": "Уфимский государственный авиационный технический университет",
        "kind": PartnerKind.UNIVERSITY,
    }
    with pytest.raises(PermissionDenied):
        services.object_create(actor=world.officer_a, model=Partner, data=data)
    assert not Partner.objects.filter(code="UGATU").exists()


def test_object_create_validates_like_the_form_does(world):
    data = school_data(world.municipality_a) | {"inn": "7707083894", "students_count": 100_001}
    with pytest.raises(ValidationError) as caught:
        services.object_create(actor=world.superuser, model=Organisation, data=data)
    assert set(caught.value.message_dict) == {"inn", "students_count"}
    assert "контрольное число" in caught.value.message_dict["inn"][0]
    assert not Organisation.objects.filter(code="A3").exists()


def test_object_create_refuses_a_duplicate_code_in_russian(world):
    with pytest.raises(ValidationError) as caught:
        services.object_create(actor=world.superuser, model=Organisation, data=school_data(world.municipality_a, "A1"))
    assert "уже существует" in caught.value.message_dict["code"][0]


def test_municipal_body_without_a_municipality_is_refused(world):
    data = {
        "region": world.region_r,
        "kind": BodyKind.MUNICIPAL_AUTHORITY,
        "code": "UO-X",
        "short_name": "УО",
        "full_name": "Управление образования",
    }
    with pytest.raises(ValidationError, match="Муниципальный орган должен относиться к муниципалитету"):
        services.object_create(actor=world.superuser, model=Body, data=data)
    assert not Body.objects.filter(code="UO-X").exists()


def test_body_of_a_municipality_in_another_region_is_refused(world):
    data = {
        "region": world.region_r,
        "municipality": world.municipality_c,
        "kind": BodyKind.MUNICIPAL_CENTRE,
        "code": "IMC-X",
        "short_name": "ИМЦ",
        "full_name": "Информационно-методический центр",
    }
    with pytest.raises(ValidationError) as caught:
        services.object_create(actor=world.superuser, model=Body, data=data)
    assert caught.value.message_dict["municipality"] == ["Муниципалитет относится к другому региону."]


# --- object_update ---------------------------------------------------------------------------------


def test_curator_updates_own_schools_headcounts(world):
    school = world.organisation_a1
    services.object_update(actor=world.curator_a1, obj=school, data={"students_count": 600, "teachers_count": 45})
    school.refresh_from_db()
    assert (school.students_count, school.teachers_count) == (600, 45)


def test_curator_cannot_update_another_school(world):
    before = fields_of(world.organisation_b1)
    with pytest.raises(PermissionDenied):
        services.object_update(actor=world.curator_a1, obj=world.organisation_b1, data={"students_count": 1})
    assert fields_of(world.organisation_b1) == before


def test_school_coordinator_cannot_update_own_school(world):
    before = fields_of(world.organisation_a1)
    with pytest.raises(PermissionDenied):
        services.object_update(actor=world.coordinator_a1, obj=world.organisation_a1, data={"students_count": 1})
    assert fields_of(world.organisation_a1) == before


def test_moving_a_record_out_of_the_actors_reach_is_refused_and_rolled_back(world):
    before = fields_of(world.organisation_a1)
    with pytest.raises(PermissionDenied):
        services.object_update(
            actor=world.officer_a, obj=world.organisation_a1, data={"municipality": world.municipality_b}
        )
    assert fields_of(world.organisation_a1) == before


def test_municipal_officer_cannot_turn_own_body_into_a_regional_one(world):
    before = fields_of(world.body_a)
    with pytest.raises(PermissionDenied):
        services.object_update(
            actor=world.officer_a,
            obj=world.body_a,
            data={"municipality": None, "kind": BodyKind.REGIONAL_CENTRE},
        )
    assert fields_of(world.body_a) == before


def test_regional_coordinator_cannot_move_a_school_to_another_region(world):
    before = fields_of(world.organisation_b1)
    with pytest.raises(PermissionDenied):
        services.object_update(
            actor=world.regional_coordinator, obj=world.organisation_b1, data={"municipality": world.municipality_c}
        )
    assert fields_of(world.organisation_b1) == before


def test_object_update_validates_like_the_form_does(world):
    before = fields_of(world.organisation_a1)
    with pytest.raises(ValidationError) as caught:
        services.object_update(actor=world.curator_a1, obj=world.organisation_a1, data={"ogrn": "1027700132196"})
    assert "контрольная цифра" in caught.value.message_dict["ogrn"][0]
    assert fields_of(world.organisation_a1) == before


# --- object_delete ---------------------------------------------------------------------------------


def test_municipal_officer_deletes_own_partner(world):
    services.object_delete(actor=world.officer_a, obj=world.partner_a)
    assert not Partner.objects.filter(code="AGRO-UFA").exists()


@pytest.mark.parametrize("persona", ["officer_b", "observer_a", "curator_a1", "regional_observer", "outsider"])
def test_only_partners_keepers_may_delete_it(world, persona):
    with pytest.raises(PermissionDenied):
        services.object_delete(actor=world.persona(persona), obj=world.partner_a)
    assert Partner.objects.filter(code="AGRO-UFA").exists()


def test_deleting_a_record_others_depend_on_is_a_domain_error_in_russian(world):
    with pytest.raises(DomainError) as caught:
        services.object_delete(actor=world.superuser, obj=world.municipality_a)
    message = caught.value.message
    assert message.startswith("Запись нельзя удалить")
    assert "образовательные организации" in message
    assert "действует" in message
    assert Municipality.objects.filter(pk=world.municipality_a.pk).exists()
    assert Organisation.objects.filter(municipality=world.municipality_a).count() == 2


# --- object_upsert_by_code -------------------------------------------------------------------------


def test_upsert_creates_then_changes_nothing_when_run_again(world):
    data = {"name": "Республика Татарстан", "is_active": True}
    region, changed = services.object_upsert_by_code(model=Region, code="16", data=data, reason="Справочник регионов")
    assert changed
    assert region.history.count() == 1
    again, changed = services.object_upsert_by_code(model=Region, code="16", data=data)
    assert (again, changed) == (region, False)
    assert region.history.count() == 1


def test_upsert_updates_a_changed_record_and_records_the_reason(world):
    region, changed = services.object_upsert_by_code(
        model=Region, code="02", data={"name": "Республика Башкортостан (Башкирия)"}, reason="Загрузка справочника"
    )
    assert changed
    assert region.pk == world.region_r.pk
    assert Region.objects.get(code="02").name == "Республика Башкортостан (Башкирия)"
    latest = region.history.latest()
    assert (latest.history_type, latest.history_change_reason) == ("~", "Загрузка справочника")


def test_upsert_validates(world):
    with pytest.raises(ValidationError):
        services.object_upsert_by_code(model=Region, code="bad code!", data={"name": "Тест"})
    assert not Region.objects.filter(name="Тест").exists()


# --- role_assign ---------------------------------------------------------------------------------


def test_superuser_assigns_a_curator_to_a_school(world):
    user = UserFactory(username="new_curator")
    assignment = services.role_assign(actor=world.superuser, user=user, role=Role.CURATOR, place=world.organisation_b1)
    assert assignment.organisation == world.organisation_b1
    assert (assignment.region, assignment.municipality) == (None, None)
    assert set(Organisation.objects.restrict(user).values_list("code", flat=True)) == {"B1"}


def test_assigning_the_same_role_twice_is_a_domain_error_in_russian(world):
    with pytest.raises(DomainError, match="Эта роль у пользователя здесь уже есть"):
        services.role_assign(
            actor=world.superuser, user=world.curator_a1, role=Role.CURATOR, place=world.organisation_a1
        )
    assert RoleAssignment.objects.filter(user=world.curator_a1).count() == 1


def test_role_assignment_at_a_place_of_the_wrong_level_is_refused(world):
    assignment = RoleAssignment(user=world.outsider, role=Role.CURATOR, municipality=world.municipality_a)
    with pytest.raises(ValidationError) as caught:
        assignment.full_clean()
    assert "Для роли «Куратор внедрения ЦМН» укажите только образовательную организацию." in caught.value.messages


# --- once-only form submissions ---------------------------------------------------------------------


def test_a_form_token_registers_once_and_the_second_time_is_a_duplicate(world):
    token = str(uuid.uuid4())
    services.submission_register(token=token, user=world.curator_a1)
    with pytest.raises(DuplicateSubmission) as caught:
        services.submission_register(token=token, user=world.curator_a1)
    assert "уже была отправлена" in caught.value.message
    assert FormSubmission.objects.filter(token=token).count() == 1


def test_submission_previous_finds_only_the_users_own_earlier_post(world):
    token = str(uuid.uuid4())
    assert services.submission_previous(token=token, user=world.curator_a1) is None
    services.submission_register(token=token, user=world.curator_a1)
    assert services.submission_previous(token=token, user=world.curator_a1) is not None
    assert services.submission_previous(token=token, user=world.curator_b1) is None
    assert services.submission_previous(token="не-токен", user=world.curator_a1) is None


@pytest.mark.parametrize("token", [None, "", "abc", "12345678-1234-1234-1234-1234567890zz"])
def test_a_missing_or_damaged_token_is_a_domain_error_in_russian(world, token):
    with pytest.raises(DomainError, match="Форма устарела или повреждена"):
        services.submission_register(token=token, user=world.curator_a1)
    assert not FormSubmission.objects.exists()


# --- ИНН and ОГРН validators -----------------------------------------------------------------------

VALID_INNS = [
    "7707083893",  # ПАО Сбербанк
    "7736207543",  # ООО «Яндекс»
    "7736050003",  # ПАО «Газпром»
    "500100732259",  # ИНН физического лица (12 цифр)
]
VALID_OGRNS = [
    "1027700132195",  # ПАО Сбербанк
    "1027700229193",  # ООО «Яндекс»
    "1027700070518",  # ПАО «Газпром»
    "304500116000157",  # ОГРНИП (15 цифр)
]


@pytest.mark.parametrize("inn", VALID_INNS)
def test_real_inns_are_accepted(inn):
    validate_inn(inn)


@pytest.mark.parametrize("ogrn", VALID_OGRNS)
def test_real_ogrns_are_accepted(ogrn):
    validate_ogrn(ogrn)


@pytest.mark.parametrize(
    ("inn", "message"),
    [
        ("7707083894", "не сходится контрольное число"),  # last digit of Сбербанк's ИНН changed
        ("500100732258", "не сходится контрольное число"),
        ("500100732269", "не сходится контрольное число"),  # 11th digit wrong
        ("770708389", "из 10 или 12 цифр"),
        ("77070838931", "из 10 или 12 цифр"),
        ("77070838ab", "из 10 или 12 цифр"),
        ("7707 83893", "из 10 или 12 цифр"),
    ],
)
def test_wrong_inns_are_refused_in_russian(inn, message):
    with pytest.raises(ValidationError, match=message):
        validate_inn(inn)


@pytest.mark.parametrize(
    ("ogrn", "message"),
    [
        ("1027700132196", "не сходится контрольная цифра"),
        ("304500116000158", "не сходится контрольная цифра"),
        ("102770013219", "из 13 цифр"),
        ("10277001321950", "из 13 цифр"),
        ("1027700l32195", "из 13 цифр"),
    ],
)
def test_wrong_ogrns_are_refused_in_russian(ogrn, message):
    with pytest.raises(ValidationError, match=message):
        validate_ogrn(ogrn)


@pytest.mark.parametrize(
    "inn",
    [
        "770708389²",  # a superscript two: str.isdigit() says yes, int() says no
        "７７０７０８３８９３",  # full-width digits
        "٧٧٠٧٠٨٣٨٩٣",  # Arabic-Indic digits
    ],
)
def test_inn_of_non_ascii_digits_is_a_validation_error_not_a_crash(inn):
    with pytest.raises(ValidationError, match="из 10 или 12 цифр"):
        validate_inn(inn)


@pytest.mark.parametrize("ogrn", ["102770013219²", "１０２７７００１３２１９５"])
def test_ogrn_of_non_ascii_digits_is_a_validation_error_not_a_crash(ogrn):
    with pytest.raises(ValidationError, match="из 13 цифр"):
        validate_ogrn(ogrn)


def test_a_school_with_real_registry_numbers_passes_full_clean(world):
    school = Organisation(**school_data(world.municipality_a), inn="7707083893", ogrn="1027700132195")
    school.full_clean()
