"""Imports in the browser (upload → preview → confirm), templates, the directory import, and exports of lists."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mentorship.imports import engine
from mentorship.imports.registry import kind_for
from mentorship.models import ImportJob, ImportStatus, Municipality, Organisation

from .clock import pinned_clock
from .test_imports import HEADERS, student, xlsx

# The model the people kind writes, asked of the kind: the core's tests name no app's model.
Person = kind_for("people").resource_class._meta.model


@pytest.fixture(scope="module", autouse=True)
def _pinned_clock() -> Iterator[None]:
    with pinned_clock():
        yield


def upload(client: Any, handle: io.BytesIO, kind: str = "people", name: str = "список.xlsx", **data: Any) -> Any:
    file = SimpleUploadedFile(name, handle.getvalue(), content_type="application/octet-stream")
    return client.post(reverse("imports:upload", args=[kind]), {"file": file, **data})


# --- templates -----------------------------------------------------------------------------------------


def test_the_people_template_has_russian_headers_an_example_row_and_drop_down_lists(client_as, world):
    response = client_as(world.curator_a1).get(reverse("imports:template", args=["people"]))
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook["Данные"]
    headers = [cell.value for cell in sheet[1]]
    assert headers[:4] == ["Код организации*", "Внешний идентификатор", "Кто это*", "Фамилия*"]
    assert [cell.value for cell in sheet[2]][3] == "Иванова"
    lists = {str(v.sqref).split(":")[0] for v in sheet.data_validations.dataValidation}
    assert "C2" in lists  # «Кто это»
    assert workbook["Списки"]["C1"].value == "Обучающийся"


def test_the_filled_template_imports_as_is(world):
    from mentorship.imports.workbook import template_bytes

    report = engine.run(
        kind_for("people"),
        io.BytesIO(template_bytes(kind_for("people"))),
        context=engine.Context(user=world.curator_a1, file_name="template.xlsx"),
        commit=True,
    )
    assert report.written
    assert Person.objects.get().surname == "Иванова"


def test_a_person_without_an_importing_role_gets_no_template(client_as, world):
    assert client_as(world.mentor_a1).get(reverse("imports:template", args=["people"])).status_code == 404


# --- the browser flow ------------------------------------------------------------------------------------


def test_upload_shows_the_preview_then_confirmation_writes(client_as, world, django_capture_on_commit_callbacks):
    client = client_as(world.curator_a1)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, xlsx(student("Иванов"), student("Петрова", "Анна")))
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:job", args=[job.pk])
    assert (job.status, job.created_count, job.user, job.file_name) == (
        ImportStatus.VALIDATED,
        2,
        world.curator_a1,
        "список.xlsx",
    )
    page = client.get(response["Location"]).content.decode()
    assert "Будет создано" in page
    assert "Иванов Иван" in page
    assert "Подтвердить импорт" in page
    assert Person.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:confirm", args=[job.pk]))
    job.refresh_from_db()
    assert (job.status, job.created_count) == (ImportStatus.DONE, 2)
    assert not job.file  # the upload is deleted once written; its checksum stays in the log
    assert len(job.sha256) == 64
    assert Person.objects.count() == 2
    assert "Файл импортирован" in client.get(reverse("imports:job", args=[job.pk])).content.decode()


def test_a_confirmation_posted_twice_imports_once(client_as, world, django_capture_on_commit_callbacks):
    client = client_as(world.curator_a1)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, xlsx(student("Иванов")))
    job = ImportJob.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:confirm", args=[job.pk]))
        response = client.post(reverse("imports:confirm", args=[job.pk]), follow=True)
    assert "повторное подтверждение ничего не изменило" in response.content.decode()
    assert Person.objects.count() == 1
    assert Person.history.count() == 1


def test_a_file_with_errors_shows_every_error_and_cannot_be_confirmed(
    client_as, world, django_capture_on_commit_callbacks
):
    client = client_as(world.curator_a1)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, xlsx(student("Иванов", born="вчера"), student("Белова", org="B1")))
    page = client.get(response["Location"]).content.decode()
    assert "Строка 2, столбец F «Дата рождения»: «вчера» — не дата" in page
    assert "Строка 3, столбец A «Код организации»" in page
    assert "Подтвердить импорт" not in page
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.INVALID
    client.post(reverse("imports:confirm", args=[job.pk]))
    assert Person.objects.count() == 0


def test_a_broken_upload_is_logged_and_answered_in_russian(client_as, world, django_capture_on_commit_callbacks):
    client = client_as(world.curator_a1)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, io.BytesIO(b"not a workbook"), name="list.txt")
    page = client.get(response["Location"]).content.decode()
    assert "не является книгой Excel" in page
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.INVALID
    assert len(job.sha256) == 64


def test_the_organisation_for_rows_without_one_comes_from_the_form(
    client_as, world, django_capture_on_commit_callbacks
):
    client = client_as(world.curator_a1)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, xlsx(student("Иванов")[1:], headers=HEADERS[1:]), organisation=world.organisation_a1.pk)
    assert ImportJob.objects.get().status == ImportStatus.VALIDATED


def test_the_curator_cannot_choose_another_schools_organisation_in_the_form(client_as, world):
    response = upload(client_as(world.curator_a1), xlsx(student("Иванов")), organisation=world.organisation_b1.pk)
    assert response.status_code == 200
    assert ImportJob.objects.count() == 0


def test_another_users_import_is_not_found(client_as, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        upload(client_as(world.curator_a1), xlsx(student("Иванов")))
    job = ImportJob.objects.get()
    client = client_as(world.curator_b1)
    assert client.get(reverse("imports:job", args=[job.pk])).status_code == 404
    assert client.post(reverse("imports:confirm", args=[job.pk])).status_code == 404
    assert client.get(reverse("imports:job_status", args=[job.pk])).status_code == 404


def test_the_status_endpoint_reports_progress(client_as, world, django_capture_on_commit_callbacks):
    client = client_as(world.curator_a1)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, xlsx(student("Иванов")))
    data = client.get(reverse("imports:job_status", args=[ImportJob.objects.get().pk])).json()
    assert data == {
        "status": "validated",
        "status_label": "Проверен, ждёт подтверждения",
        "running": False,
        "processed": 1,
        "total": 1,
    }


def test_the_index_lists_the_kinds_and_the_users_imports(client_as, world):
    page = client_as(world.officer_a).get(reverse("imports:index")).content.decode()
    assert "Справочник организаций" in page
    assert "Участники (обучающиеся" not in page  # an officer only views people


# --- the directory import ------------------------------------------------------------------------------------

ORG_HEADERS = [
    "Код региона",
    "Код муниципалитета",
    "Код организации",
    "Полное наименование",
    "Краткое наименование",
    "Число обучающихся",
    "Число педагогических работников",
]


def directory(user: Any, *rows: list[Any], headers: list[str] = ORG_HEADERS) -> engine.Report:
    return engine.run(
        kind_for("organisations"),
        xlsx(*rows, headers=headers),
        context=engine.Context(user=user, file_name="orgs.xlsx"),
        commit=True,
    )


def test_an_officer_adds_schools_to_their_municipality_with_numbers_stored_as_text(world):
    report = directory(world.officer_a, ["02", "80652000", "A9", "МОБУ СОШ № 9 полное", "СОШ № 9", "1 250", "48"])
    assert report.written, report.errors
    school = Organisation.objects.get(code="A9")
    assert (school.municipality, school.students_count, school.teachers_count) == (world.municipality_a, 1250, 48)


def test_an_officer_cannot_add_a_school_to_another_municipality(world):
    report = directory(world.officer_a, ["02", "80613000", "B9", "Школа", "Школа", 10, 1])
    assert report.errors == [
        "Строка 2, столбец B «Код муниципалитета»: муниципалитет с кодом «80613000» вам недоступен."
    ]


def test_a_curator_updates_their_schools_headcounts_only(world):
    report = directory(
        world.curator_a1,
        ["02", "80652000", "A1", world.organisation_a1.full_name, world.organisation_a1.short_name, 700, 50],
    )
    assert (report.updated, report.written) == (1, True)
    assert Organisation.objects.get(code="A1").students_count == 700
    assert Organisation.history.filter(code="A1").latest("history_id").history_change_reason.endswith("orgs.xlsx")
    again = directory(
        world.curator_a1,
        ["02", "80652000", "A1", world.organisation_a1.full_name, world.organisation_a1.short_name, 700, 50],
    )
    assert (again.unchanged, again.updated) == (1, 0)
    refused = directory(world.curator_a1, ["02", "80652000", "A2", "Школа", "Школа", 10, 1])
    assert "изменять её вам не разрешено" in refused.errors[0]


def test_the_regional_coordinator_adds_a_municipality_with_its_schools(world):
    headers = [*ORG_HEADERS, "Муниципалитет"]
    report = directory(
        world.regional_coordinator,
        ["02", "80601000", "N1", "Школа 1", "СОШ 1", 100, 10, "Новый район"],
        ["02", "80601000", "N2", "Школа 2", "СОШ 2", 200, 20, "Новый район"],
        headers=headers,
    )
    assert report.written, report.errors
    assert Municipality.objects.get(code="80601000").organisations.count() == 2


def test_directory_rows_are_validated_like_the_form(world):
    report = directory(world.officer_a, ["02", "80652000", "A 9", "Школа", "Школа", -5, "много"])
    assert "Строка 2, столбец G «Число педагогических работников»: «много» — не целое число." in report.errors
    report = directory(world.officer_a, ["02", "80652000", "A 9", "Школа", "Школа", 5, 1])
    assert report.errors == [
        "Строка 2, столбец C «Код организации»: Код может содержать только латинские буквы, цифры, точку, "
        "дефис и подчёркивание."
    ]


# --- exports -----------------------------------------------------------------------------------------------


def exported(client: Any, key: str, query: str = "") -> list[list[Any]]:
    response = client.get(reverse("imports:export", args=[key]) + query)
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def make_person(world: Any, org: Any, surname: str, **extra: Any) -> Person:
    return Person.objects.create(
        organisation=org, kind="student", surname=surname, name="Иван", birth_date=date(2012, 1, 1), **extra
    )


def test_the_people_export_holds_only_the_users_scope_with_the_list_filters(client_as, world):
    make_person(world, world.organisation_a1, "Иванов")
    make_person(world, world.organisation_a2, "Петров")
    make_person(world, world.organisation_b1, "Белов")
    rows = exported(client_as(world.curator_a1), "people")
    assert [row[3] for row in rows[1:]] == ["Иванов"]
    rows = exported(client_as(world.officer_a), "people", f"?organisation={world.organisation_a2.pk}")
    assert [row[3] for row in rows[1:]] == ["Петров"]
    rows = exported(client_as(world.officer_a), "people", "?q=Иван")
    assert sorted(row[3] for row in rows[1:]) == ["Иванов", "Петров"]


def test_personal_data_are_exported_only_to_the_persons_school_staff(client_as, world):
    make_person(world, world.organisation_a1, "Иванов", email="ivanov@example.ru", phone="+7 900 000-00-00")
    staff = exported(client_as(world.curator_a1), "people")
    assert staff[1][6:10] == [None, datetime(2012, 1, 1), "ivanov@example.ru", "+7 900 000-00-00"]
    overseer = exported(client_as(world.officer_a), "people")
    assert overseer[1][3] == "Иванов"
    assert overseer[1][6:10] == [None, None, None, None]


def test_exported_cells_that_look_like_formulas_are_text(client_as, world):
    make_person(world, world.organisation_a1, '=HYPERLINK("http://evil")', phone="+79000000000")
    response = client_as(world.curator_a1).get(reverse("imports:export", args=["people"]))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    cell = workbook.active["D2"]
    assert cell.data_type == "s"
    assert cell.value == '=HYPERLINK("http://evil")'
    assert cell.quotePrefix
    assert workbook.active["J2"].quotePrefix
    assert b"<f>" not in response.content


def test_the_organisations_export_follows_the_directory_scope(client_as, world):
    rows = exported(client_as(world.officer_a), "organisations")
    assert sorted(row[4] for row in rows[1:]) == ["A1", "A2"]
    assert rows[0][:3] == ["Код региона", "Код муниципалитета", "Муниципалитет"]


def test_an_unknown_export_is_not_found(client_as, world):
    assert client_as(world.curator_a1).get(reverse("imports:export", args=["nothing"])).status_code == 404


@pytest.mark.parametrize("key", ["people", "organisations", "consents", "base-entries", "pairs", "indicator-values"])
def test_every_kind_offers_a_template_with_an_example_row(client_as, world, key):
    response = client_as(world.superuser).get(reverse("imports:template", args=[key]))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Данные"]
    headers = [cell.value for cell in sheet[1]]
    assert "Код организации*" in headers
    assert any(cell.value not in (None, "") for cell in sheet[2])


def test_the_curators_list_of_imports_offers_the_bases(client_as, world):
    page = client_as(world.curator_a1).get(reverse("imports:index")).content.decode()
    assert "Базы наставников и наставляемых" in page
    assert reverse("imports:upload", args=["base-entries"]) in page


def test_the_bodies_and_partners_exports_follow_the_directory_scope(client_as, world):
    client = client_as(world.officer_a)
    for key, page in (("bodies", "directory:bodies"), ("partners", "directory:partners")):
        rows = exported(client, key)
        assert rows[0][:3] == ["Регион", "Муниципалитет", "Код"]
        visible = {row[2] for row in rows[1:]}
        listed = set(client.get(reverse(page)).context["object_list"].values_list("code", flat=True))
        assert visible == listed
        assert f'href="{reverse("imports:export", args=[key])}"' in client.get(reverse(page)).content.decode()


def test_the_roadmaps_export_is_the_roadmap_list(client_as, world):
    client = client_as(world.curator_a1)
    rows = exported(client, "roadmaps")
    assert rows[0][:3] == ["Уровень", "Где", "Дорожная карта"]
    listed = list(client.get(reverse("roadmaps:list")).context["object_list"].values_list("title", flat=True))
    assert sorted(row[2] for row in rows[1:]) == sorted(listed)
