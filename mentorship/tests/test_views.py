"""Directory pages: they render, their query counts do not grow with the data, bad input is handled."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentorship.choices import OrganisationKind, Role
from mentorship.models import Organisation, Partner, User

from .factories import (
    PASSWORD,
    BodyFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PartnerFactory,
    UserFactory,
    assign_role,
)

pytestmark = pytest.mark.django_db


def new_school(municipality_pk: int, code: str = "A7", **changes: Any) -> dict[str, Any]:
    data = {
        "municipality": municipality_pk,
        "kind": OrganisationKind.SCHOOL,
        "full_name": "Муниципальное общеобразовательное бюджетное учреждение СОШ с. Михайловка",
        "short_name": "МОБУ СОШ с. Михайловка",
        "code": code,
        "inn": "",
        "ogrn": "",
        "address": "452200, Республика Башкортостан, Уфимский район, с. Михайловка",
        "students_count": 410,
        "teachers_count": 33,
        "is_active": "on",
        "_submission": str(uuid.uuid4()),
    }
    return data | changes


def school_form(school: Organisation, **changes: Any) -> dict[str, Any]:
    return (
        new_school(
            school.municipality_id,
            school.code,
            kind=school.kind,
            full_name=school.full_name,
            short_name=school.short_name,
            students_count=school.students_count,
            teachers_count=school.teachers_count,
        )
        | changes
    )


def text(response) -> str:
    return response.content.decode()


# --- pages render ------------------------------------------------------------------------------------

PAGES: dict[str, Callable[[Any], str]] = {
    "home": lambda w: reverse("home"),
    "directory": lambda w: reverse("directory:index"),
    "region": lambda w: reverse("directory:region", args=[w.region_r.pk]),
    "region edit": lambda w: reverse("directory:region_edit", args=[w.region_r.pk]),
    "region history": lambda w: reverse("directory:region_history", args=[w.region_r.pk]),
    "municipality": lambda w: reverse("directory:municipality", args=[w.municipality_a.pk]),
    "municipality add": lambda w: reverse("directory:municipality_add"),
    "municipality edit": lambda w: reverse("directory:municipality_edit", args=[w.municipality_a.pk]),
    "organisations": lambda w: reverse("directory:organisations"),
    "organisation": lambda w: reverse("directory:organisation", args=[w.organisation_a1.pk]),
    "organisation add": lambda w: reverse("directory:organisation_add"),
    "organisation edit": lambda w: reverse("directory:organisation_edit", args=[w.organisation_a1.pk]),
    "organisation history": lambda w: reverse("directory:organisation_history", args=[w.organisation_a1.pk]),
    "bodies": lambda w: reverse("directory:bodies"),
    "body": lambda w: reverse("directory:body", args=[w.body_a.pk]),
    "body add": lambda w: reverse("directory:body_add"),
    "partners": lambda w: reverse("directory:partners"),
    "partner": lambda w: reverse("directory:partner", args=[w.partner_a.pk]),
    "partner delete": lambda w: reverse("directory:partner_delete", args=[w.partner_a.pk]),
    "partner history": lambda w: reverse("directory:partner_history", args=[w.partner_a.pk]),
    "password change": lambda w: reverse("password_change"),
}


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_for_the_regional_coordinator_in_russian(world, client_as, page):
    response = client_as(world.regional_coordinator).get(PAGES[page](world))
    assert response.status_code == 200
    assert '<html lang="ru">' in text(response)
    assert "Портал наставничества" in text(response)


def test_login_page_renders_in_russian_for_a_visitor(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "Вход в портал" in text(response)


def test_signed_in_user_is_taken_home_from_the_login_page(world, client_as):
    response = client_as(world.curator_a1).get(reverse("login"))
    assert (response.status_code, response["Location"]) == (302, reverse("home"))


def test_home_page_lists_the_users_roles_and_places(world, client_as):
    assign_role(world.curator_a1, Role.MENTOR, world.organisation_a1)
    response = client_as(world.curator_a1).get(reverse("home"))
    assert "Куратор внедрения ЦМН" in text(response)
    assert "Наставник" in text(response)
    assert "МОБУ СОШ с. Булгаково" in text(response)


def test_home_page_tells_a_user_without_roles_whom_to_ask(world, client_as):
    response = client_as(world.outsider).get(reverse("home"))
    assert "Вам пока не назначена ни одна роль" in text(response)


def test_detail_page_offers_editing_only_to_those_who_may_change(world, client_as, client):
    path = reverse("directory:organisation", args=[world.organisation_a1.pk])
    edit = reverse("directory:organisation_edit", args=[world.organisation_a1.pk])
    assert edit in text(client_as(world.curator_a1).get(path))
    client.logout()
    assert edit not in text(client_as(world.coordinator_a1).get(path))


def test_partner_page_offers_deleting_only_to_those_who_may_delete(world, client_as, client):
    path = reverse("directory:partner", args=[world.partner_a.pk])
    delete = reverse("directory:partner_delete", args=[world.partner_a.pk])
    assert delete in text(client_as(world.officer_a).get(path))
    client.logout()
    assert delete not in text(client_as(world.curator_a1).get(path))


def test_list_offers_adding_only_to_those_who_may_add(world, client_as, client):
    add = reverse("directory:organisation_add")
    assert add in text(client_as(world.officer_a).get(reverse("directory:organisations")))
    client.logout()
    assert add not in text(client_as(world.curator_a1).get(reverse("directory:organisations")))


def test_organisation_page_names_the_people_responsible(world, client_as):
    response = client_as(world.officer_a).get(reverse("directory:organisation", args=[world.organisation_a1.pk]))
    assert "куратор внедрения цмн" in text(response)
    assert "руководитель образовательной организации" in text(response)


def test_history_page_shows_who_changed_what(world, client_as):
    client = client_as(world.curator_a1)
    school = world.organisation_a1
    client.post(reverse("directory:organisation_edit", args=[school.pk]), school_form(school, students_count=777))
    response = client.get(reverse("directory:organisation_history", args=[school.pk]))
    assert "число обучающихся:</strong> 540 → 777" in text(response)
    assert "Ростовская Елена Викторовна" in text(response)
    assert "Создание" in text(response)


def test_successful_edit_says_so_in_russian(world, client_as):
    school = world.organisation_a1
    response = client_as(world.curator_a1).post(
        reverse("directory:organisation_edit", args=[school.pk]), school_form(school, teachers_count=50), follow=True
    )
    assert response.redirect_chain == [(school.get_absolute_url(), 302)]
    assert "Изменения сохранены." in text(response)


def test_deleting_a_partner_leads_back_to_the_list_in_russian(world, client_as):
    response = client_as(world.officer_a).post(
        reverse("directory:partner_delete", args=[world.partner_a.pk]), {"_submission": str(uuid.uuid4())}, follow=True
    )
    assert response.redirect_chain == [(reverse("directory:partners"), 302)]
    assert "Запись удалена." in text(response)
    assert not Partner.objects.filter(pk=world.partner_a.pk).exists()


# --- error pages ---------------------------------------------------------------------------------------


def test_outside_scope_page_is_a_russian_404(world, client_as):
    response = client_as(world.curator_a1).get(reverse("directory:organisation", args=[world.organisation_b1.pk]))
    assert response.status_code == 404
    assert "Страница не найдена" in text(response)
    assert "Белорецк" not in text(response)


def test_read_only_edit_is_a_russian_403(world, client_as):
    response = client_as(world.observer_a).get(reverse("directory:organisation_edit", args=[world.organisation_a1.pk]))
    assert response.status_code == 403
    assert "Доступ запрещён" in text(response)
    assert "Недостаточно прав для этого действия." in text(response)


def test_anonymous_visitor_is_sent_to_log_in_and_back(world, client):
    path = reverse("directory:organisation", args=[world.organisation_a1.pk])
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={path}"


# --- bad input -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/directory/organisations/abc/",
        "/directory/organisations/99999999999999999999/",
        "/directory/organisations/99999999999999999999/edit/",
        "/directory/organisations/9223372036854775808/history/",
        "/directory/organisations/-1/",
        "/directory/partners/0/delete/",
        "/directory/regions/1e3/",
    ],
)
def test_malformed_or_impossible_ids_in_the_url_are_404_not_500(world, client_as, path):
    response = client_as(world.regional_coordinator).get(path)
    assert response.status_code == 404
    assert "Страница не найдена" in text(response)


def test_a_foreign_municipality_posted_into_the_add_form_is_a_russian_form_error(world, client_as):
    response = client_as(world.officer_a).post(
        reverse("directory:organisation_add"), new_school(world.municipality_b.pk)
    )
    assert response.status_code == 200
    assert "Выберите корректный вариант" in response.context["form"].errors["municipality"][0]
    assert "Выберите корректный вариант" in text(response)
    assert not Organisation.objects.filter(code="A7").exists()


def test_a_foreign_municipality_posted_into_the_edit_form_does_not_move_the_school(world, client_as):
    school = world.organisation_a1
    response = client_as(world.curator_a1).post(
        reverse("directory:organisation_edit", args=[school.pk]),
        school_form(school, municipality=world.municipality_c.pk),
    )
    assert response.status_code == 200
    assert "municipality" in response.context["form"].errors
    school.refresh_from_db()
    assert school.municipality == world.municipality_a


def test_a_visible_but_not_addable_place_is_a_russian_form_error(world, client_as):
    data = {
        "kind": "ngo",
        "region": world.region_r.pk,
        "municipality": "",
        "full_name": "АНО «Школа наставников»",
        "short_name": "АНО «Школа наставников»",
        "code": "ANO-SN",
        "_submission": str(uuid.uuid4()),
    }
    response = client_as(world.officer_a).post(reverse("directory:partner_add"), data)
    assert response.status_code == 200
    assert "Недостаточно прав, чтобы добавить запись сюда." in text(response)
    assert not Partner.objects.filter(code="ANO-SN").exists()


def test_post_without_csrf_token_is_refused_with_the_russian_csrf_page(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.officer_a)
    response = client.post(reverse("directory:organisation_add"), new_school(world.municipality_a.pk))
    assert response.status_code == 403
    assert "Форма устарела" in text(response)
    assert "CSRF" in text(response)
    assert not Organisation.objects.filter(code="A7").exists()


def test_a_form_posted_twice_creates_one_row_and_warns_in_russian(world, client_as):
    client = client_as(world.officer_a)
    data = new_school(world.municipality_a.pk)
    first = client.post(reverse("directory:organisation_add"), data)
    created = Organisation.objects.get(code="A7")
    assert (first.status_code, first["Location"]) == (302, created.get_absolute_url())

    second = client.post(reverse("directory:organisation_add"), data, follow=True)
    assert Organisation.objects.filter(code="A7").count() == 1
    assert Organisation.history.filter(code="A7").count() == 1
    assert second.redirect_chain == [(created.get_absolute_url(), 302)]
    assert "уже была отправлена" in text(second)


def test_an_edit_posted_twice_applies_only_the_first_time(world, client_as):
    client = client_as(world.curator_a1)
    school = world.organisation_a1
    data = school_form(school, students_count=600)
    assert client.post(reverse("directory:organisation_edit", args=[school.pk]), data).status_code == 302
    # Someone else changes the school meanwhile; a resent old form must not undo it.
    Organisation.objects.filter(pk=school.pk).update(students_count=650)
    response = client.post(reverse("directory:organisation_edit", args=[school.pk]), data, follow=True)
    assert "уже была отправлена" in text(response)
    school.refresh_from_db()
    assert school.students_count == 650


def test_each_rendered_form_has_its_own_token(world, client_as):
    client = client_as(world.officer_a)
    first = client.get(reverse("directory:organisation_add")).context["form"]["_submission"].value()
    second = client.get(reverse("directory:organisation_add")).context["form"]["_submission"].value()
    assert first != second
    assert str(uuid.UUID(first)) == first


def test_two_forms_with_their_own_tokens_both_go_through(world, client_as):
    client = client_as(world.officer_a)
    assert (
        client.post(reverse("directory:organisation_add"), new_school(world.municipality_a.pk, "A7")).status_code == 302
    )
    assert (
        client.post(reverse("directory:organisation_add"), new_school(world.municipality_a.pk, "A8")).status_code == 302
    )
    assert set(Organisation.objects.filter(code__in=["A7", "A8"]).values_list("code", flat=True)) == {"A7", "A8"}


@pytest.mark.parametrize("token", ["", "не-токен"])
def test_a_form_without_a_valid_token_is_refused_in_russian_and_creates_nothing(world, client_as, token):
    data = new_school(world.municipality_a.pk, _submission=token)
    response = client_as(world.officer_a).post(reverse("directory:organisation_add"), data)
    assert response.status_code == 200
    assert "Форма устарела или повреждена" in text(response)
    assert not Organisation.objects.filter(code="A7").exists()


def test_a_refused_form_can_be_corrected_and_sent_again_with_its_token(world, client_as):
    client = client_as(world.officer_a)
    data = new_school(world.municipality_a.pk, inn="7707083894")
    response = client.post(reverse("directory:organisation_add"), data)
    assert response.status_code == 200
    assert "не сходится контрольное число" in text(response)
    assert data["_submission"] in text(response)
    response = client.post(reverse("directory:organisation_add"), data | {"inn": "7707083893"})
    assert response.status_code == 302
    assert Organisation.objects.get(code="A7").inn == "7707083893"


def test_a_duplicate_code_is_a_russian_form_error(world, client_as):
    response = client_as(world.officer_a).post(
        reverse("directory:organisation_add"), new_school(world.municipality_a.pk, code="B1")
    )
    assert response.status_code == 200
    assert "уже существует" in response.context["form"].errors["code"][0]
    assert Organisation.objects.filter(code="B1").count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("students_count", "99999999999999999999"),
        ("students_count", "-5"),
        ("teachers_count", "сорок"),
        ("municipality", "99999999999999999999"),
        ("municipality", "abc"),
        ("kind", "zzz"),
        ("code", "код с пробелами"),
        ("short_name", "Ш" * 300),
        ("inn", "770708389²"),
        ("ogrn", "１０２７７００１３２１９５"),
    ],
)
def test_bad_field_values_are_form_errors_not_crashes(world, client_as, field, value):
    response = client_as(world.officer_a).post(
        reverse("directory:organisation_add"), new_school(world.municipality_a.pk, **{field: value})
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Organisation.objects.filter(code="A7").exists()


def test_unknown_login_shows_the_russian_error_and_changes_nothing(world, client):
    users_before = User.objects.count()
    response = client.post(reverse("login"), {"username": "nobody", "password": PASSWORD})
    assert response.status_code == 200
    assert "Пожалуйста, введите правильные имя пользователя и пароль" in text(response)
    assert "_auth_user_id" not in client.session
    assert User.objects.count() == users_before
    assert client.get(reverse("home")).status_code == 302


def test_wrong_password_does_not_sign_in(world, client):
    response = client.post(reverse("login"), {"username": "curator_a1", "password": "не тот пароль"})
    assert response.status_code == 200
    assert "Пожалуйста, введите правильные имя пользователя и пароль" in text(response)
    world.curator_a1.refresh_from_db()
    assert world.curator_a1.last_login is None


def test_right_password_signs_in(world, client):
    response = client.post(reverse("login"), {"username": "curator_a1", "password": PASSWORD})
    assert (response.status_code, response["Location"]) == (302, reverse("home"))


@pytest.mark.parametrize(
    "query",
    [
        "я" * 10_000,
        "%' OR 1=1 --",
        "<script>alert(1)</script>",
        "100%_скидка",
        "\\",
    ],
)
def test_odd_or_overlong_search_strings_answer_200(world, client_as, query):
    response = client_as(world.regional_coordinator).get(reverse("directory:organisations"), {"q": query})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in text(response)
    assert list(response.context["object_list"]) == []


@pytest.mark.parametrize("query", ["%", "_", "%%", "__"])
def test_search_treats_wildcard_characters_literally(world, client_as, query):
    found = client_as(world.regional_coordinator).get(reverse("directory:organisations"), {"q": query})
    assert list(found.context["object_list"]) == []


def test_search_finds_a_school_by_its_inn(world, client_as):
    Organisation.objects.filter(pk=world.organisation_b1.pk).update(inn="0256006388")
    found = client_as(world.regional_coordinator).get(reverse("directory:organisations"), {"q": "0256006388"})
    assert [o.code for o in found.context["object_list"]] == ["B1"]


@pytest.mark.parametrize("query", ["Булгаково", "булгаково", "СОШ С. БУЛГАКОВО"])
def test_search_ignores_the_case_of_cyrillic_letters(world, client_as, query):
    found = client_as(world.regional_coordinator).get(reverse("directory:organisations"), {"q": query})
    assert [o.code for o in found.context["object_list"]] == ["A1"]


@pytest.mark.parametrize(
    "params",
    [
        {"municipality": "abc"},
        {"municipality": "99999999999999999999"},
        {"municipality": "-1"},
        {"kind": "zzz"},
        {"is_active": "может быть"},
        {"municipality": "abc", "kind": "zzz", "q": "СОШ"},
    ],
)
def test_invalid_filter_values_answer_200_not_500(world, client_as, params):
    response = client_as(world.regional_coordinator).get(reverse("directory:organisations"), params)
    assert response.status_code == 200


@pytest.mark.parametrize("page", ["bodies", "partners"])
@pytest.mark.parametrize("params", [{"region": "abc"}, {"kind": "zzz"}, {"region": "99999999999999999999"}])
def test_invalid_filter_values_on_bodies_and_partners_answer_200(world, client_as, page, params):
    assert client_as(world.regional_coordinator).get(reverse(f"directory:{page}"), params).status_code == 200


def test_a_valid_filter_narrows_the_list(world, client_as):
    response = client_as(world.regional_coordinator).get(
        reverse("directory:organisations"), {"municipality": world.municipality_b.pk}
    )
    assert [o.code for o in response.context["object_list"]] == ["B1"]


def test_a_page_number_past_the_end_is_404_not_500(world, client_as):
    client = client_as(world.regional_coordinator)
    assert client.get(reverse("directory:organisations"), {"page": "abc"}).status_code == 404
    assert client.get(reverse("directory:organisations"), {"page": "999"}).status_code == 404
    assert client.get(reverse("directory:organisations"), {"page": "1"}).status_code == 200


# --- query counts --------------------------------------------------------------------------------------


def grow(world, n: int) -> None:
    """Add ``n`` of everything the directory pages list, inside region R and municipality A."""
    for _ in range(n):
        OrganisationFactory(municipality=world.municipality_a)
        OrganisationFactory(municipality=world.municipality_b)
        OrganisationFactory(municipality=MunicipalityFactory(region=world.region_r))
        BodyFactory(region=world.region_r)
        BodyFactory(municipality=world.municipality_a)
        PartnerFactory(region=world.region_r)
        PartnerFactory(municipality=world.municipality_a)
        assign_role(UserFactory(), Role.MENTOR, world.organisation_a1)


COUNTED_PAGES: dict[str, Callable[[Any], str]] = {
    "directory": lambda w: reverse("directory:index"),
    "region": lambda w: reverse("directory:region", args=[w.region_r.pk]),
    "municipality": lambda w: reverse("directory:municipality", args=[w.municipality_a.pk]),
    "organisations": lambda w: reverse("directory:organisations"),
    "organisation": lambda w: reverse("directory:organisation", args=[w.organisation_a1.pk]),
    "bodies": lambda w: reverse("directory:bodies"),
    "partners": lambda w: reverse("directory:partners"),
}

# Generous ceilings: a page that needs more than this has grown a per-row query or a forgotten join.
MAX_QUERIES = 12


@pytest.mark.parametrize("persona", ["regional_coordinator", "curator_a1", "superuser"])
@pytest.mark.parametrize("page", COUNTED_PAGES)
def test_query_count_does_not_grow_with_the_data(world, client_as, django_assert_num_queries, persona, page):
    client = client_as(world.persona(persona))
    path = COUNTED_PAGES[page](world)
    grow(world, 3)
    client.get(path)  # warm the per-process caches (content types) the first request fills
    with CaptureQueriesContext(connection) as small:
        first = client.get(path)
    assert first.status_code == 200
    assert len(small) <= MAX_QUERIES, "\n".join(q["sql"] for q in small.captured_queries)

    grow(world, 9)
    with django_assert_num_queries(len(small)):
        second = client.get(path)
    assert second.status_code == 200
    if persona != "curator_a1":
        assert len(second.content) > len(first.content), "the larger data set should show on the page"


# --- model rules reach the form in Russian -------------------------------------------------------------


def test_a_second_municipality_of_the_same_name_in_a_region_is_a_russian_form_error(world, client_as):
    data = {
        "region": world.region_r.pk,
        "name": "Уфимский район",
        "kind": "district",
        "code": "80652001",
        "is_active": "on",
        "_submission": str(uuid.uuid4()),
    }
    response = client_as(world.regional_coordinator).post(reverse("directory:municipality_add"), data)
    assert response.status_code == 200
    assert "уже существует" in text(response)
    assert not world.region_r.municipalities.filter(code="80652001").exists()


def test_a_municipal_body_without_a_municipality_is_a_russian_form_error(world, client_as):
    data = {
        "kind": "municipal_authority",
        "region": world.region_r.pk,
        "municipality": "",
        "full_name": "Управление образования",
        "short_name": "УО",
        "code": "UO-NEW",
        "is_active": "on",
        "_submission": str(uuid.uuid4()),
    }
    response = client_as(world.regional_coordinator).post(reverse("directory:body_add"), data)
    assert response.status_code == 200
    assert "Муниципальный орган должен относиться к муниципалитету" in text(response)


def test_a_body_of_a_municipality_in_another_region_is_a_russian_form_error(world, client_as):
    data = {
        "kind": "municipal_centre",
        "region": world.region_r.pk,
        "municipality": world.municipality_c.pk,
        "full_name": "Информационно-методический центр",
        "short_name": "ИМЦ",
        "code": "IMC-NEW",
        "is_active": "on",
        "_submission": str(uuid.uuid4()),
    }
    response = client_as(world.superuser).post(reverse("directory:body_add"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["municipality"] == ["Муниципалитет относится к другому региону."]


def test_names_are_escaped_on_the_pages(world, client_as):
    Organisation.objects.filter(pk=world.organisation_a1.pk).update(short_name="<script>alert('СОШ')</script>")
    client = client_as(world.officer_a)
    for path in (
        reverse("directory:organisation", args=[world.organisation_a1.pk]),
        reverse("directory:organisations"),
        reverse("directory:municipality", args=[world.municipality_a.pk]),
    ):
        content = text(client.get(path))
        assert "<script>alert(" not in content, path
        assert "&lt;script&gt;" in content, path


# --- signing in and out, passwords ---------------------------------------------------------------------


def test_login_does_not_redirect_to_another_site(world, client):
    response = client.post(
        reverse("login"), {"username": "curator_a1", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert (response.status_code, response["Location"]) == (302, reverse("home"))


def test_login_returns_to_the_page_asked_for(world, client):
    path = reverse("directory:organisation", args=[world.organisation_a1.pk])
    response = client.post(reverse("login"), {"username": "curator_a1", "password": PASSWORD, "next": path})
    assert response["Location"] == path


def test_a_deactivated_user_cannot_sign_in(world, client):
    User.objects.filter(pk=world.curator_a1.pk).update(is_active=False)
    response = client.post(reverse("login"), {"username": "curator_a1", "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_a_russian_letter(world, client, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": world.curator_a1.email})
    assert response.status_code == 302
    (letter,) = mailoutbox
    assert letter.to == [world.curator_a1.email]
    assert "Восстановление пароля" in letter.subject
    assert "/accounts/reset/" in letter.body


def test_password_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(
    world, client, mailoutbox, django_capture_on_commit_callbacks
):
    known = client.post(reverse("password_reset"), {"email": world.curator_a1.email})
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        unknown = client.post(reverse("password_reset"), {"email": "nobody@example.ru"})
    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert mailoutbox == []


def test_logout_takes_the_user_to_the_login_page(world, client_as):
    client = client_as(world.curator_a1)
    response = client.post(reverse("logout"))
    assert (response.status_code, response["Location"]) == (302, reverse("login"))
    assert client.get(reverse("home")).status_code == 302


# --- the Django admin is for administrators only --------------------------------------------------------


def test_superuser_opens_the_admin(world, client_as):
    client = client_as(world.superuser)
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:mentorship_organisation_changelist")).status_code == 200


def test_staff_who_are_not_superusers_get_no_admin_pages(world, client_as):
    User.objects.filter(pk=world.regional_coordinator.pk).update(is_staff=True)
    client = client_as(world.regional_coordinator)
    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    assert index.context["app_list"] == []
    assert client.get(reverse("admin:mentorship_organisation_changelist")).status_code == 403
    response = client.get(reverse("admin:mentorship_organisation_change", args=[world.organisation_a1.pk]))
    assert response.status_code == 403


def test_portal_users_are_sent_to_the_admin_login(world, client_as):
    response = client_as(world.regional_coordinator).get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


# --- the base list view refuses querysets that skipped restrict() ------------------------------------------


def test_a_list_view_whose_queryset_skipped_restrict_refuses_to_render(world, rf):
    from django.core.exceptions import ImproperlyConfigured

    from mentorship.views.directory import OrganisationListView

    class CarelessListView(OrganisationListView):
        def base_queryset(self):
            return Organisation.objects.select_related("municipality")

    request = rf.get("/directory/organisations/")
    request.user = world.curator_a1
    with pytest.raises(ImproperlyConfigured):
        CarelessListView.as_view()(request)


def test_restriction_survives_chaining(world):
    restricted = Organisation.objects.restrict(world.curator_a1, "view")
    chained = restricted.filter(is_active=True).select_related("municipality").order_by("code")
    assert chained.restricted_action == "view"
    assert Organisation.objects.filter(is_active=True).restricted_action is None


# --- navigation per role ------------------------------------------------------------------------------------


def _menu(client: Any) -> dict[str, str]:
    items = client.get(reverse("home")).context["nav_items"]
    return {link.label: link.url for link in items}


def test_curator_menu_leads_to_their_own_school_and_not_to_the_admin(world, client_as):
    menu = _menu(client_as(world.curator_a1))
    assert menu["Моя организация"] == world.organisation_a1.get_absolute_url()
    assert "Мой муниципалитет" not in menu
    assert "Администрирование" not in menu
    assert menu["Документы"] == reverse("reports:orders")
    assert menu["Мониторинг"] == reverse("monitoring:index")
    assert menu["Загрузка из Excel"] == reverse("imports:index")


def test_municipal_officer_menu_leads_to_their_municipality(world, client_as):
    menu = _menu(client_as(world.officer_a))
    assert menu["Мой муниципалитет"] == world.municipality_a.get_absolute_url()
    assert "Моя организация" not in menu


def test_mentor_menu_has_no_monitoring(world, client_as):
    menu = _menu(client_as(world.mentor_a1))
    assert "Мониторинг" not in menu
    assert menu["Моя организация"] == world.organisation_a1.get_absolute_url()


def test_regional_coordinator_menu_leads_to_their_region(world, client_as):
    assert _menu(client_as(world.regional_coordinator))["Мой регион"] == world.region_r.get_absolute_url()


def test_administrator_menu_offers_the_admin(world, client_as):
    assert _menu(client_as(world.superuser))["Администрирование"] == reverse("admin:index")
