"""The imports' and exports' access matrix: every persona, the import kinds, two users' import jobs, the
directory's .xlsx exports.

Written out by hand from the apps' ``roles.py``, never computed with the code under test: a kind
is offered (its template and upload page) to whoever holds its permission somewhere; an import job
is seen and confirmed by the user who uploaded it (and the administrator, who keeps the import
journal), anyone else gets 404; an export holds exactly the directory records the persona sees
(the directory's matrix, ``test_access_matrix.EXPECTED``).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from mentorship.models import ImportJob, ImportStatus

from .factories import PERSONAS
from .matrix import LOGIN, SIGNED_IN, answer, sign_in, xlsx_text
from .test_access_matrix import EXPECTED as DIRECTORY
from .test_access_matrix import HIDDEN

pytestmark = pytest.mark.django_db

KINDS = ["organisations", "people", "consents", "base-entries", "pairs", "indicator-values", "answers"]
SCHOOL = {"people", "consents", "base-entries", "pairs", "indicator-values", "answers"}
# fmt: off
OFFERED: dict[str, set[str]] = {
    # the directory: the regional coordinator and the municipal officer add schools, a director and a
    # curator update their own school's card; the participants: a school's staff; the values that cannot
    # be computed: a school's staff and the municipal officer.
    "regional_coordinator": {"organisations"},
    "regional_observer": set(),
    "officer_a": {"organisations", "indicator-values"},
    "officer_b": {"organisations", "indicator-values"},
    "observer_a": set(),
    "director_a1": {"organisations", *SCHOOL},
    "curator_a1": {"organisations", *SCHOOL},
    "curator_b1": {"organisations", *SCHOOL},
    "coordinator_a1": SCHOOL,
    "mentor_a1": set(),
    "outsider": set(),
    "superuser": set(KINDS),
}
# fmt: on


def offered(persona: str, kind: str) -> Any:
    if persona == "anonymous":
        return LOGIN
    return 200 if kind in OFFERED[persona] else 404


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", ["template", "upload"])
def test_a_kind_is_offered_only_to_those_who_may_import_it(world, client, persona, page):
    client = sign_in(client, world.persona(persona))
    found = {kind: answer(client.get(reverse(f"imports:{page}", args=[kind]))) for kind in KINDS}
    assert found == {kind: offered(persona, kind) for kind in KINDS}


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_imports_index_opens_for_everyone_signed_in(world, client, persona):
    expected = LOGIN if persona == "anonymous" else 200
    assert answer(sign_in(client, world.persona(persona)).get(reverse("imports:index"))) == expected


# --- an import job belongs to whoever uploaded it -----------------------------------------------------------

JOBS = {"job_a1": "curator_a1", "job_b1": "curator_b1"}


@pytest.fixture
def jobs(world: Any) -> dict[str, ImportJob]:
    return {
        key: ImportJob.objects.create(
            kind="people",
            user=world.persona(owner),
            file_name=f"список_{key}.xlsx",
            sha256="0" * 64,
            status=ImportStatus.VALIDATED,
            total_rows=1,
            processed_rows=1,
            created_count=1,
            rows=[[2, "created", "Сидоров Иван"]],
        )
        for key, owner in JOBS.items()
    }


def sees_job(persona: str, key: str) -> Any:
    if persona == "anonymous":
        return LOGIN
    return 200 if persona in (JOBS[key], "superuser") else 404


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", ["job", "job_status"])
def test_an_import_job_is_seen_only_by_whoever_uploaded_it(world, client, jobs, persona, page):
    client = sign_in(client, world.persona(persona))
    found = {key: answer(client.get(reverse(f"imports:{page}", args=[jobs[key].pk]))) for key in JOBS}
    assert found == {key: sees_job(persona, key) for key in JOBS}


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p not in ("curator_a1", "superuser")])
def test_another_users_import_cannot_be_confirmed(world, client, jobs, persona):
    client = sign_in(client, world.persona(persona))
    response = client.post(reverse("imports:confirm", args=[jobs["job_a1"].pk]))
    assert answer(response) == (LOGIN if persona == "anonymous" else 404)
    assert ImportJob.objects.get(pk=jobs["job_a1"].pk).status == ImportStatus.VALIDATED


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p not in ("curator_a1", "superuser")])
def test_another_users_import_cannot_be_mapped_anew(world, client, jobs, persona):
    client = sign_in(client, world.persona(persona))
    response = client.post(reverse("imports:remap", args=[jobs["job_a1"].pk]), {"column_0": ""})
    assert answer(response) == (LOGIN if persona == "anonymous" else 404)
    assert ImportJob.objects.get(pk=jobs["job_a1"].pk).status == ImportStatus.VALIDATED


def test_the_index_lists_only_ones_own_imports(world, client, jobs):
    page = sign_in(client, world.persona("curator_a1")).get(reverse("imports:index")).content.decode()
    assert "список_job_a1.xlsx" in page
    assert "список_job_b1.xlsx" not in page


# --- the directory's exports hold exactly what the persona sees ------------------------------------------

EXPORTS: dict[str, list[str]] = {
    "organisations": ["organisation_a1", "organisation_a2", "organisation_b1", "organisation_c1"],
    "bodies": ["body_r", "body_a", "body_b", "body_r2"],
    "partners": ["partner_r", "partner_a", "partner_b", "partner_r2"],
}


@pytest.mark.parametrize("persona", SIGNED_IN)
@pytest.mark.parametrize("key", EXPORTS)
def test_directory_exports_hold_exactly_the_records_in_scope(world, client, persona, key):
    response = sign_in(client, world.persona(persona)).get(reverse("imports:export", args=[key]))
    assert response.status_code == 200
    content = xlsx_text(b"".join(response.streaming_content) if response.streaming else response.content)
    found = {record: world.objects[record].short_name in content for record in EXPORTS[key]}
    assert found == {record: DIRECTORY[persona][record] != HIDDEN for record in EXPORTS[key]}


@pytest.mark.parametrize("key", EXPORTS)
def test_anonymous_visitor_gets_no_directory_export(world, client, key):
    assert answer(client.get(reverse("imports:export", args=[key]))) == LOGIN
