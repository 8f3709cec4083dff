"""The roadmap upload is an import job: logged, its file kept with the job until the confirmation, then gone.

These use the seed roadmap kept in the repository (``fixtures/roadmaps``), so they run in a plain clone.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client, override_settings
from django.urls import reverse

from mentorship.errors import DomainError
from mentorship.imports import services as excel_imports
from mentorship.models import ImportJob, ImportStatus, RoleAssignment
from roadmaps.models import Roadmap

pytestmark = pytest.mark.django_db

SCHOOL_ROADMAP = Path(settings.BASE_DIR) / "fixtures" / "roadmaps" / "003_khosreh.docx"


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def upload(client: Client, place: str, path: Path = SCHOOL_ROADMAP, **extra: str) -> Any:
    with path.open("rb") as stream:
        return client.post(reverse("roadmaps:import"), {"file": stream, "place": place, **extra})


def hidden(preview: Any, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]+)"', preview.content.decode()).group(1)


def confirm(client: Client, preview: Any, pending: str | None = None, token: str | None = None) -> Any:
    data = {"pending": pending or hidden(preview, "pending"), "_submission": token or hidden(preview, "_submission")}
    return client.post(reverse("roadmaps:import_confirm"), data, follow=True)


def school(world: Any) -> str:
    return f"organisation:{world.organisation_a1.pk}"


def test_an_upload_is_logged_as_a_roadmap_import_job_with_its_file_and_no_session(world):
    client = signed_in(world.curator_a1)
    roadmaps = Roadmap.objects.count()
    preview = upload(client, school(world))
    job = ImportJob.objects.get(user=world.curator_a1)
    assert (job.kind, job.status, job.file_name) == ("roadmap", ImportStatus.VALIDATED, "003_khosreh.docx")
    assert len(job.rows) == len(preview.context["parsed"].items) == job.created_count > 0
    assert default_storage.exists(job.file.name)
    with default_storage.open(job.file.name, "rb") as kept:
        assert kept.read() == SCHOOL_ROADMAP.read_bytes()
    assert not [key for key, _ in client.session.items() if "roadmap" in key]
    assert Roadmap.objects.count() == roadmaps


def test_confirming_imports_the_kept_file_and_deletes_it(world, django_capture_on_commit_callbacks):
    client = signed_in(world.curator_a1)
    preview = upload(client, school(world), title="Дорожная карта ЦМН")
    job = ImportJob.objects.get(user=world.curator_a1)
    kept = job.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = confirm(client, preview)
    roadmap = Roadmap.objects.get(organisation=world.organisation_a1, title="Дорожная карта ЦМН")
    assert response.redirect_chain[-1][0] == reverse("roadmaps:detail", args=[roadmap.pk])
    assert "Дорожная карта загружена." in response.content.decode()
    job.refresh_from_db()
    assert (job.status, job.file.name) == (ImportStatus.DONE, "")
    assert not default_storage.exists(kept)


def test_a_second_confirmation_of_the_same_preview_writes_nothing(world):
    client = signed_in(world.curator_a1)
    preview = upload(client, school(world), title="Дорожная карта ЦМН")
    confirm(client, preview)
    again = confirm(client, preview, token="3f0e3c8c-9c0e-4a43-8a7e-00000000000b")
    assert "Предпросмотр устарел: загрузите файл ещё раз." in again.content.decode()
    assert Roadmap.objects.filter(title="Дорожная карта ЦМН").count() == 1


def test_a_file_that_cannot_be_imported_is_logged_without_keeping_it(world):
    client = signed_in(world.curator_a1)
    fake = ContentFile("не документ".encode(), name="карта.docx")
    preview = client.post(reverse("roadmaps:import"), {"file": fake, "place": school(world)})
    assert "Загрузить нельзя" in preview.content.decode()
    assert preview.context["confirm"] is None
    job = ImportJob.objects.get(user=world.curator_a1)
    assert (job.status, job.file.name, job.error_count) == (ImportStatus.INVALID, "", 1)
    assert job.errors[0].startswith("Файл «карта.docx» не является документом Word (.docx) или Excel (.xlsx).")


def test_a_forged_or_foreign_confirmation_is_a_stale_preview(world):
    client = signed_in(world.curator_a1)
    preview = upload(client, school(world))
    forged = confirm(client, preview, pending=hidden(preview, "pending")[:-2] + "xx")
    assert "Предпросмотр устарел" in forged.content.decode()
    someone_else = signed_in(world.officer_a)
    foreign = confirm(someone_else, preview, token="3f0e3c8c-9c0e-4a43-8a7e-00000000000c")
    assert "Предпросмотр устарел" in foreign.content.decode()
    assert ImportJob.objects.get(user=world.curator_a1).status == ImportStatus.VALIDATED


def test_a_file_changed_after_the_preview_is_not_imported_and_can_be_uploaded_again(world):
    client = signed_in(world.curator_a1)
    preview = upload(client, school(world))
    job = ImportJob.objects.get(user=world.curator_a1)
    with default_storage.open(job.file.name, "wb") as kept:
        kept.write(b"PK\x03\x04 changed")
    response = confirm(client, preview)
    assert "Файл изменился после предпросмотра: загрузите его ещё раз." in response.content.decode()
    job.refresh_from_db()
    assert job.status == ImportStatus.VALIDATED


@override_settings(IMPORT_MAX_FILE_SIZE=10 * 1024)
def test_the_size_limit_is_the_import_setting_on_the_form_and_in_the_check(world):
    client = signed_in(world.curator_a1)
    assert "до 10 КБ." in client.get(reverse("roadmaps:import")).content.decode()
    preview = upload(client, school(world))
    assert "Файл больше 10 КБ" in preview.content.decode()
    assert ImportJob.objects.get(user=world.curator_a1).status == ImportStatus.INVALID


def test_the_form_offers_the_settings_size_limit(world):
    page = signed_in(world.curator_a1).get(reverse("roadmaps:import")).content.decode()
    assert f"Word (.docx) или Excel (.xlsx), до {settings.IMPORT_MAX_FILE_SIZE // 1024 // 1024} МБ." in page


def test_a_read_only_user_may_neither_upload_nor_confirm_and_a_guest_is_sent_to_sign_in(world, client):
    observer = signed_in(world.regional_observer)
    assert observer.get(reverse("roadmaps:import")).status_code == 403
    assert observer.post(reverse("roadmaps:import_confirm"), {"pending": "x"}).status_code == 403
    response = client.get(reverse("roadmaps:import"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_excel_imports_confirmation_refuses_a_roadmap_job_without_moving_it(world):
    upload(signed_in(world.curator_a1), school(world))
    job = ImportJob.objects.get(user=world.curator_a1)
    with pytest.raises(DomainError, match="Такого вида импорта нет"):
        excel_imports.import_confirm(actor=world.curator_a1, job=job)
    job.refresh_from_db()
    assert job.status == ImportStatus.VALIDATED


def test_the_confirmation_is_refused_at_a_place_the_user_no_longer_keeps(world):
    client = signed_in(world.curator_a1)
    preview = upload(client, school(world))
    RoleAssignment.objects.filter(user=world.curator_a1).delete()
    assert confirm(client, preview).status_code == 403
    assert ImportJob.objects.get(user=world.curator_a1).status == ImportStatus.VALIDATED


def test_the_import_views_leave_every_permission_question_to_the_access_layer():
    source = (Path(settings.BASE_DIR) / "roadmaps" / "views_import.py").read_text()
    assert not re.findall(r"PermissionDenied|is_superuser|RoleAssignment", source)
