"""The Excel import «Пользователи и роли»: the grant table per row, the errors, all-or-nothing, letters after commit."""

from __future__ import annotations

import copy
import io
from collections.abc import Iterator
from typing import Any

import openpyxl
import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Invitation
from accounts.services import invitations as services
from mentorship.choices import Role, SecurityEventKind
from mentorship.imports import engine
from mentorship.imports.registry import kind_for
from mentorship.imports.workbook import template_bytes
from mentorship.models import ImportJob, ImportStatus, RoleAssignment, SecurityEvent, User
from mentorship.tests.clock import pinned_clock
from mentorship.tests.factories import World, build_world
from mentorship.tests.worlds import world_for_module

pytestmark = pytest.mark.django_db

HEADERS = ["ФИО", "Электронная почта", "Роль", "Код места", "Должность"]


@pytest.fixture(scope="module", autouse=True)
def _pinned_clock() -> Iterator[None]:
    with pinned_clock():
        yield


@pytest.fixture(scope="module")
def _module_world(_pinned_clock: None, django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    yield from world_for_module(django_db_blocker, build_world)


@pytest.fixture
def world(_module_world: World, db: None) -> World:
    return copy.deepcopy(_module_world)


def xlsx(*rows: list[Any], headers: list[str] = HEADERS) -> io.BytesIO:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def curator(n: int, school: str = "A1", role: str = "Куратор внедрения ЦМН") -> list[Any]:
    return [f"Сидорова Мария{n} Ивановна", f"Curator{n}@School.example", role, school, "учитель"]


def run(user: Any, handle: io.BytesIO, *, commit: bool) -> engine.Report:
    handle.seek(0)
    context = engine.Context(user=user, file_name="сотрудники.xlsx")
    return engine.run(kind_for("users"), handle, context=context, commit=commit)


def test_the_preview_says_what_each_row_will_become_and_writes_nothing(world: World) -> None:
    report = run(
        world.officer_a,
        xlsx(
            curator(1),
            curator(2, "A2"),
            ["Петров Пётр", "officer_a@example.ru", "Методист муниципального центра (просмотр)", "80652000", ""],
        ),
        commit=False,
    )
    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (2, 1, 0)
    labels = [label for _, _, label in report.rows]
    assert (
        labels[0]
        == "Сидорова Мария1 (curator1@school.example): Куратор внедрения ЦМН, МОБУ СОШ с. Булгаково (Уфимский район)"
    )
    assert labels[2].endswith("роль будет добавлена учётной записи")
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_rows_outside_the_grant_table_unknown_places_bad_addresses_and_duplicates_are_errors(world: World) -> None:
    report = run(
        world.officer_a,
        xlsx(
            curator(1),
            curator(2, "B1"),  # a school of another municipality
            curator(3, "A1", "Наставник"),  # a role the officer does not grant
            curator(4, "NO-SUCH"),
            ["Орлова Анна", "не-адрес", "Наставник", "A1", ""],
            ["Орлова", "orlova@x.ru", "Куратор внедрения ЦМН", "A1", ""],
            curator(1),
            ["Ким Ли", "kim@x.ru", "Куратор внедрения ЦМН", "80652000", ""],  # a municipality's code for a school role
        ),
        commit=True,
    )
    assert not report.written
    assert report.errors == [
        "Строка 3, столбец C «Роль»: назначать роль «Куратор внедрения ЦМН» в месте с кодом «B1» вам не разрешено.",
        "Строка 4, столбец C «Роль»: назначать роль «Наставник» в месте с кодом «A1» вам не разрешено.",
        "Строка 5, столбец D «Код места»: места с кодом «NO-SUCH» нет среди образовательных организаций справочника.",
        "Строка 6, столбец B «Электронная почта»: «не-адрес» — не адрес электронной почты.",
        "Строка 7, столбец A «ФИО»: укажите фамилию и имя (и отчество, если есть) через пробел.",
        "Строка 8, столбец B «Электронная почта»: этот адрес с той же ролью и местом уже есть в файле в строке 2.",
        "Строка 9, столбец D «Код места»: места с кодом «80652000» нет среди образовательных организаций справочника.",
    ]
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_one_bad_row_means_nothing_is_written(world: World, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        report = run(world.officer_a, xlsx(curator(1), curator(2), curator(3, "B1")), commit=True)
    assert not report.written
    assert callbacks == []
    assert not Invitation.objects.exists()
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.INVITATION_SENT).exists()
    assert mail.outbox == []


def test_letters_go_out_only_after_the_whole_file_commits(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    rows = [curator(n, "A1" if n % 2 else "A2") for n in range(1, 21)]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report = run(world.officer_a, xlsx(*rows), commit=True)
        assert report.written
        assert Invitation.objects.count() == 20
        # Written, not yet committed: no letter yet.
        assert mail.outbox == []
    assert len(callbacks) == 1  # one task for the batch, queued on commit
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 20
    assert sorted(m.to[0] for m in mail.outbox) == sorted(f"curator{n}@school.example" for n in range(1, 21))
    invitation = Invitation.objects.get(email="curator1@school.example")
    assert (invitation.last_name, invitation.first_name, invitation.patronymic) == ("Сидорова", "Мария1", "Ивановна")
    assert invitation.invited_by == world.officer_a
    assert invitation.position == "учитель"
    assert invitation.sent_count == 1
    event = SecurityEvent.objects.get(kind=SecurityEventKind.INVITATION_SENT)
    assert event.people == 20
    assert event.actor == world.officer_a


def test_an_imported_invitation_is_accepted_like_one_from_the_form(
    world: World, client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        run(world.officer_a, xlsx(curator(1)), commit=True)
    token = mail.outbox[0].body.split("/accounts/invitation/")[1].split("/")[0]
    user = services.invitation_accept(token=token, password="Kl3nov-Rasskaz-2026")
    assert user.username == "curator1@school.example"
    assert RoleAssignment.objects.filter(user=user, role=Role.CURATOR, organisation=world.organisation_a1).exists()


def test_an_existing_accounts_address_gets_the_role_on_commit_without_a_letter_or_a_second_account(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    users = User.objects.count()
    row = ["Ментор Иван", world.mentor_a1.email.upper(), "Координатор ЦМН", "A1", ""]
    with django_capture_on_commit_callbacks(execute=True):
        report = run(world.director_a1, xlsx(row), commit=True)
    assert report.written
    assert report.updated == 1
    assert User.objects.count() == users
    assert RoleAssignment.objects.filter(user=world.mentor_a1, role=Role.COORDINATOR).exists()
    assert not Invitation.objects.exists()
    assert mail.outbox == []
    again = run(world.director_a1, xlsx(row), commit=True)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)


def test_importing_the_same_file_again_sends_nothing_twice(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        run(world.officer_a, xlsx(curator(1), curator(2)), commit=True)
        again = run(world.officer_a, xlsx(curator(1), curator(2)), commit=True)
    assert (again.created, again.unchanged) == (0, 2)
    assert Invitation.objects.count() == 2
    assert len(mail.outbox) == 2


def test_a_deactivated_account_is_an_error_of_its_row(world: World) -> None:
    User.objects.filter(pk=world.mentor_a1.pk).update(is_active=False)
    report = run(world.director_a1, xlsx(["Ментор Иван", world.mentor_a1.email, "Наставник", "A1", ""]), commit=False)
    assert report.errors == [
        "Строка 2, столбец B «Электронная почта»: "
        "учётная запись с этим адресом отключена: включите её, затем назначьте роль."
    ]


def test_the_grant_table_is_read_once_per_role_not_once_per_row(world: World) -> None:
    small = xlsx(*(curator(n) for n in range(3)))
    large = xlsx(*(curator(n, "A1" if n % 2 else "A2") for n in range(60)))
    with CaptureQueriesContext(connection) as few:
        assert run(world.officer_a, small, commit=False).ok
    with CaptureQueriesContext(connection) as many:
        assert run(world.officer_a, large, commit=False).ok
    assert len(many) == len(few) + 1  # the second school's row of the directory


def test_the_template_has_the_headers_and_an_example_row_and_is_offered_to_those_who_grant(
    world: World, client: Any
) -> None:
    client.force_login(world.curator_a1)
    response = client.get(reverse("imports:template", args=["users"]))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Данные"]
    assert [cell.value for cell in sheet[1]] == ["ФИО*", "Электронная почта*", "Роль*", "Код места*", "Должность"]
    assert [cell.value for cell in sheet[2]][:3] == [
        "Иванова Анна Петровна",
        "ivanova@school.example",
        "Куратор внедрения ЦМН",
    ]
    client.force_login(world.mentor_a1)
    assert client.get(reverse("imports:template", args=["users"])).status_code == 404
    # The example row, with the place's code of the world, imports as is for the municipal officer.
    workbook = openpyxl.load_workbook(io.BytesIO(template_bytes(kind_for("users"))))
    workbook["Данные"]["D2"] = "A1"
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert run(world.officer_a, buffer, commit=False).created == 1


def test_the_import_pages_preview_then_confirm_then_send(
    world: World, client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(world.officer_a)
    file = SimpleUploadedFile("сотрудники.xlsx", xlsx(curator(1), curator(2)).getvalue())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports:upload", args=["users"]), {"file": file})
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert (job.status, job.created_count) == (ImportStatus.VALIDATED, 2)
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert len(mail.outbox) == 2
