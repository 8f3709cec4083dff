"""Importing a roadmap in the browser: upload, preview every item, confirm once."""

from __future__ import annotations

import re
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from roadmaps.models import Roadmap, RoadmapItem

from .make_seed_files import write_docx


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def upload(client: Client, path: Path, place: str, **extra: str):
    with path.open("rb") as stream:
        return client.post(reverse("roadmaps:import"), {"file": stream, "place": place, **extra})


def confirm(client: Client, preview) -> object:
    html = preview.content.decode()
    pending = re.search(r'name="pending" value="([^"]+)"', html).group(1)
    token = re.search(r'name="_submission" value="([^"]+)"', html).group(1)
    return client.post(reverse("roadmaps:import_confirm"), {"pending": pending, "_submission": token})


def school_key(world) -> str:
    return f"organisation:{world.organisation_a1.pk}"


def test_curator_previews_every_item_before_anything_is_written(world, tmp_path):
    client = signed_in(world.curator_a1)
    before = Roadmap.objects.count()
    preview = upload(client, write_docx("003", tmp_path / "003.docx"), school_key(world))
    assert preview.status_code == 200
    assert len(preview.context["parsed"].items) == 31
    assert "Загрузить дорожную карту" in preview.content.decode()
    assert Roadmap.objects.count() == before


def test_confirming_the_preview_creates_the_roadmap_once(world, tmp_path):
    client = signed_in(world.curator_a1)
    preview = upload(client, write_docx("003", tmp_path / "003.docx"), school_key(world), title="Дорожная карта ЦМН")
    response = confirm(client, preview)
    roadmap = Roadmap.objects.get(organisation=world.organisation_a1, title="Дорожная карта ЦМН")
    assert response.status_code == 302
    assert response["Location"] == reverse("roadmaps:detail", args=[roadmap.pk])
    assert roadmap.items.count() == 31
    items_before = RoadmapItem.objects.count()
    again = confirm(client, preview)
    assert again.status_code == 302
    assert Roadmap.objects.filter(title="Дорожная карта ЦМН").count() == 1
    assert RoadmapItem.objects.count() == items_before


def test_a_file_with_a_duplicate_number_is_refused_with_the_row_named(world, tmp_path):
    client = signed_in(world.officer_a)
    preview = upload(client, write_docx("002", tmp_path / "002.docx"), f"municipality:{world.municipality_a.pk}")
    html = preview.content.decode()
    assert "Загрузить нельзя" in html
    assert "3.2" in html
    assert preview.context["confirm"] is None


def test_a_renamed_text_file_is_refused_in_russian(world):
    client = signed_in(world.curator_a1)
    fake = SimpleUploadedFile("карта.docx", "не документ".encode(), content_type="application/octet-stream")
    preview = client.post(reverse("roadmaps:import"), {"file": fake, "place": school_key(world)})
    assert "Загрузить нельзя" in preview.content.decode()
    assert preview.context["confirm"] is None


def test_a_place_that_is_not_the_users_own_is_not_offered(world, tmp_path):
    client = signed_in(world.curator_a1)
    response = upload(client, write_docx("003", tmp_path / "003.docx"), f"organisation:{world.organisation_b1.pk}")
    assert response.status_code == 200
    assert "place" in response.context["form"].errors


def test_a_read_only_user_cannot_open_the_import(world):
    assert signed_in(world.regional_observer).get(reverse("roadmaps:import")).status_code == 403


def test_confirm_without_a_preview_changes_nothing(world):
    client = signed_in(world.curator_a1)
    before = Roadmap.objects.count()
    response = client.post(
        reverse("roadmaps:import_confirm"),
        {"pending": "3f0e3c8c-9c0e-4a43-8a7e-000000000009", "_submission": "3f0e3c8c-9c0e-4a43-8a7e-00000000000a"},
        follow=True,
    )
    assert "Предпросмотр устарел" in response.content.decode()
    assert Roadmap.objects.count() == before
