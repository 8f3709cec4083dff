"""Evidence attached on the completion page opens for those who see the item, and only for them.

The whole path a curator takes: the completion form with two files under Russian names and a link,
then the roadmap's page and the item's page link each attachment by its own name through the
scoped file view, and that link gives the very bytes under the file's own name (RFC 5987).
"""

from __future__ import annotations

import posixpath
import re
from typing import Any
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from mentorship.tests.matrix import LOGIN, answer, sign_in, token
from roadmaps.choices import ItemStatus
from roadmaps.models import ItemEvidence

pytestmark = pytest.mark.django_db

DESCRIPTION = "Приказ о назначении куратора и протокол совета"
LINK = "https://school.example.ru/news/7"
FILES = {"Приказ_о_назначении.pdf": b"%PDF-1.4 prikaz", "Протокол_совета.docx": b"PK\x03\x04 protokol"}


@pytest.fixture
def attached(world: Any, client: Any) -> dict[str, ItemEvidence]:
    """The curator of school A1 completes an item on its page: two files, one link, one description."""
    item = world.roadmap_a1_item
    uploads = [SimpleUploadedFile(name, content) for name, content in FILES.items()]
    data = {"fact_end": "2024-05-20", "fact_start": "", "files": uploads, "links": LINK, "description": DESCRIPTION}
    response = sign_in(client, world.curator_a1).post(
        reverse("roadmaps:item_complete", args=[item.pk]), data | {"_submission": token()}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ItemStatus.DONE
    rows = list(ItemEvidence.objects.filter(item=item))
    by_name = {posixpath.basename(row.file.name): row for row in rows if row.file}
    assert sorted(by_name) == sorted(FILES)
    return by_name | {LINK: next(row for row in rows if row.url == LINK)}


def file_link(content: str, name: str) -> str:
    """The address of the link whose text is ``name`` (its own file name), from a page's HTML."""
    found = re.search(rf'<a href="([^"]+)"[^>]*>{re.escape(name)}</a>', content)
    assert found, f"no link named «{name}»"
    return found.group(1)


def page(client: Any, user: Any, address: str) -> str:
    response = sign_in(client, user).get(address)
    assert response.status_code == 200
    return response.content.decode()


def test_each_attachment_is_linked_by_its_own_name_on_the_item_and_roadmap_pages(world, client, attached):
    item_page = page(client, world.curator_a1, reverse("roadmaps:item_progress", args=[world.roadmap_a1_item.pk]))
    roadmap_page = page(client, world.curator_a1, reverse("roadmaps:detail", args=[world.roadmap_a1.pk]))
    for content in (item_page, roadmap_page):
        for name in FILES:
            assert file_link(content, name) == reverse("roadmaps:evidence_file", args=[attached[name].pk])
        assert file_link(content, LINK) == LINK
        assert f">{DESCRIPTION}</a>" not in content
        assert "/media/" not in content


@pytest.mark.parametrize("persona", ["curator_a1", "officer_a", "regional_coordinator"])
def test_the_link_gives_the_file_under_its_own_name_to_those_who_see_the_item(world, client, attached, persona):
    content = page(client, world.persona(persona), reverse("roadmaps:detail", args=[world.roadmap_a1.pk]))
    for name, expected in FILES.items():
        response = client.get(file_link(content, name))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == expected
        assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote(name)}"
        assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(("persona", "expected"), [("curator_b1", 404), ("outsider", 404), ("anonymous", LOGIN)])
def test_the_link_is_closed_to_those_who_do_not_see_the_item(world, client, attached, persona, expected):
    for name in FILES:
        address = reverse("roadmaps:evidence_file", args=[attached[name].pk])
        assert answer(sign_in(client, world.persona(persona)).get(address)) == expected


def test_a_link_evidence_has_no_file_to_serve(world, client, attached):
    address = reverse("roadmaps:evidence_file", args=[attached[LINK].pk])
    assert sign_in(client, world.curator_a1).get(address).status_code == 404


def test_the_completion_page_the_table_links_to_offers_today_as_the_date(world, client):
    content = page(client, world.curator_a1, reverse("roadmaps:item_complete", args=[world.roadmap_a1_item.pk]))
    assert re.search(rf'<input type="date" name="fact_end" value="{timezone.localdate():%Y-%m-%d}"', content)
