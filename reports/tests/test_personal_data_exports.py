"""Every file that names people leaves exactly one row in the security event log; files naming nobody leave none.

The .xlsx exports of lists (``ListExport.personal_data``) and the PDFs (``PdfDownloadMixin.personal_data``)
are recorded where they are written, once each: who, what («Выгрузка .xlsx: Участники», «PDF: Приказ …»)
and how many people the file names, counted here from the file or the database, not by the code under test.
(This module lives with the documents because it needs every app's lists; accounts' tests may not import them.)
"""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mentorship.choices import SecurityEventKind
from mentorship.exports import registered_exports
from mentorship.models import SecurityEvent
from participants.choices import PairStatus
from participants.models import Pair, PairMember
from reports import documents, services
from reports.choices import OrderKind
from reports.models import DocumentJob

from .factories import ORDER_DAY, normalised, pdf_text

pytestmark = pytest.mark.django_db

IP = "192.0.2.44"


def export_events() -> list[SecurityEvent]:
    return list(SecurityEvent.objects.filter(kind=SecurityEventKind.PERSONAL_DATA_EXPORT).order_by("pk"))


def the_only_export_event() -> SecurityEvent:
    events = export_events()
    assert len(events) == 1, events
    return events[0]


def xlsx_rows(response) -> list[list]:
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]


NAMING_PEOPLE = {"people", "mentors", "mentees", "pairs", "security-events", "users"}
NAMING_NOBODY = {"organisations", "bodies", "partners", "programmes", "roadmaps"}


def test_every_export_declares_whether_it_names_people_as_written_here():
    """A new export must be put in one of the two lists above: forgetting it is not an option."""
    exports = registered_exports()
    assert set(exports) == NAMING_PEOPLE | NAMING_NOBODY
    assert {key for key, export in exports.items() if export.personal_data} == NAMING_PEOPLE


@pytest.mark.parametrize(
    ("key", "title", "query"),
    [
        ("people", "Участники", {}),
        ("mentors", "База наставников", {"year": 2026}),
        ("mentees", "База наставляемых", {"year": 2026}),
    ],
)
def test_an_export_of_people_is_recorded_once_with_its_number_of_rows(client, world, key, title, query):
    user = world.regional_coordinator
    client.force_login(user)
    rows = xlsx_rows(client.get(reverse("imports:export", args=[key]), query, REMOTE_ADDR=IP))
    assert rows
    event = the_only_export_event()
    assert (event.actor, event.what, event.people, event.ip) == (user, f"Выгрузка .xlsx: {title}", len(rows), IP)
    assert event.region == world.region_r


def test_a_filtered_export_counts_the_people_in_the_file_not_in_the_scope(client, world):
    client.force_login(world.regional_coordinator)
    rows = xlsx_rows(client.get(reverse("imports:export", args=["people"]), {"organisation": world.organisation_b1.pk}))
    everyone = xlsx_rows(client.get(reverse("imports:export", args=["people"])))
    assert 0 < len(rows) < len(everyone)
    assert [e.people for e in export_events()] == [len(rows), len(everyone)]


def test_the_pairs_export_counts_each_member_once(client, world):
    user = world.regional_coordinator
    client.force_login(user)
    rows = xlsx_rows(client.get(reverse("imports:export", args=["pairs"])))
    pairs = Pair.objects.restrict(user, "view")
    assert len(rows) == pairs.count() > 0
    members = PairMember.objects.filter(pair__in=pairs, left_on__isnull=True).values("person").distinct().count()
    event = the_only_export_event()
    assert (event.what, event.people) == ("Выгрузка .xlsx: Наставнические пары и группы", members)


@pytest.mark.parametrize("key", sorted(NAMING_NOBODY))
def test_an_export_that_names_nobody_is_not_recorded(client, world, key):
    client.force_login(world.regional_coordinator)
    response = client.get(reverse("imports:export", args=[key]))
    assert response.status_code == 200
    assert export_events() == []


def test_an_import_template_is_not_recorded(client, world):
    client.force_login(world.curator_a1)
    assert client.get(reverse("imports:template", args=["people"])).status_code == 200
    assert export_events() == []


# --- PDFs -----------------------------------------------------------------------------------------


def _order(world, kind):
    return services.order_create(
        actor=world.curator_a1, organisation=world.organisation_a1, kind=kind, date=ORDER_DAY, school_year=2026
    )


def test_the_pdf_of_a_pairs_order_is_recorded_once_with_its_mentors_and_mentees(client, world):
    order = _order(world, OrderKind.PAIRS)
    client.force_login(world.curator_a1)
    response = client.get(reverse("reports:order_pdf", args=[order.pk]), REMOTE_ADDR=IP)
    assert response.status_code == 200
    assert "Сидоров Илья" in normalised(pdf_text(response.content))
    members = (
        PairMember.objects.filter(
            pair__organisation=world.organisation_a1,
            pair__school_year=2026,
            pair__status__in=PairStatus.open(),
            left_on__isnull=True,
        )
        .values("person")
        .distinct()
        .count()
    )
    assert members >= 4
    event = the_only_export_event()
    assert (event.actor, event.people, event.ip) == (world.curator_a1, members, IP)
    assert event.what == "PDF: Проект приказа «Об утверждении наставнических пар/групп»"
    assert event.region == world.region_r


@pytest.mark.parametrize("kind", [OrderKind.MENTOR_SCHOOL, OrderKind.AWARDS])
def test_the_pdf_of_an_order_listing_people_is_recorded_with_its_appendix_rows(client, world, kind):
    order = _order(world, kind)
    listed = sum(1 for row in order.appendix["rows"] if "span" not in row)
    assert listed > 0
    client.force_login(world.curator_a1)
    assert client.get(reverse("reports:order_pdf", args=[order.pk])).status_code == 200
    assert the_only_export_event().people == listed


@pytest.mark.parametrize("kind", [OrderKind.IMPLEMENTATION, OrderKind.CURATOR, OrderKind.FINAL_EVENT])
def test_the_pdf_of_an_order_naming_only_officials_in_their_posts_is_not_recorded(client, world, kind):
    order = _order(world, kind)
    client.force_login(world.curator_a1)
    assert client.get(reverse("reports:order_pdf", args=[order.pk])).status_code == 200
    assert export_events() == []


def test_a_signed_orders_stored_pdf_is_recorded_at_each_download(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order = services.order_sign(actor=world.director_a1, order=_order(world, OrderKind.PAIRS))
    order.refresh_from_db()
    assert order.pdf
    client.force_login(world.director_a1)
    for _ in range(2):
        response = client.get(reverse("reports:order_pdf", args=[order.pk]))
        assert response.status_code == 200
        b"".join(response.streaming_content)
    events = export_events()
    assert len(events) == 2
    assert events[0].what == f"PDF: Приказ № {order.number} от 20.11.2026 «Об утверждении наставнических пар/групп»"
    assert {e.actor for e in events} == {world.director_a1}


def test_the_scan_of_a_signed_pairs_order_is_recorded_as_the_order(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order = services.order_sign(actor=world.director_a1, order=_order(world, OrderKind.PAIRS))
    services.order_scan_attach(
        actor=world.curator_a1, order=order, upload=SimpleUploadedFile("scan.pdf", b"%PDF-1.4 scan", "application/pdf")
    )
    order.refresh_from_db()
    client.force_login(world.curator_a1)
    response = client.get(reverse("reports:order_scan_file", args=[order.pk]))
    assert b"".join(response.streaming_content) == b"%PDF-1.4 scan"
    event = the_only_export_event()
    assert event.what == f"Скан: {order}"
    assert event.people == documents.order_people(order).people > 0


def test_a_background_jobs_file_of_a_pairs_order_is_recorded_and_of_a_roadmap_is_not(
    client, world, django_capture_on_commit_callbacks
):
    order = _order(world, OrderKind.PAIRS)
    client.force_login(world.curator_a1)
    jobs = []
    for kind, object_id in (("order", order.pk), ("roadmap", world.roadmap_a1.pk)):
        with django_capture_on_commit_callbacks(execute=True):
            jobs.append(
                services.document_job_request(actor=world.curator_a1, kind=kind, object_id=object_id, title=kind)
            )
    for job in jobs:
        job = DocumentJob.objects.get(pk=job.pk)
        assert job.file, job.error
        response = client.get(reverse("reports:job_file", args=[job.pk]))
        assert response.status_code == 200
        b"".join(response.streaming_content)
    event = the_only_export_event()
    assert event.what == "PDF: Проект приказа «Об утверждении наставнических пар/групп»"
    assert event.people > 0


def test_a_certificate_is_recorded_with_its_recipients(client, world):
    client.force_login(world.curator_a1)
    url = reverse("reports:certificate")
    client.post(url, {"award": "best_mentor", "person": world.mentor_a1_person.pk, "day": "2027-05-20"})
    client.post(url, {"award": "best_pair", "pair": world.pair_a1.pk, "day": "2027-05-20"})
    events = export_events()
    assert [(e.what, e.people) for e in events] == [
        (f"PDF: Грамота «Лучший наставник», {world.organisation_a1.short_name}", 1),
        (f"PDF: Грамота «Лучшая пара», {world.organisation_a1.short_name}", 2),
    ]


def test_a_refused_certificate_is_not_recorded(client, world):
    client.force_login(world.curator_a1)
    response = client.post(reverse("reports:certificate"), {"award": "mentor_of_year", "day": "2027-05-20"})
    assert response.status_code == 200
    assert export_events() == []


def test_the_roadmap_pdf_names_nobody_and_is_not_recorded(client, world):
    client.force_login(world.curator_a1)
    assert client.get(reverse("reports:roadmap_pdf", args=[world.roadmap_a1.pk])).status_code == 200
    assert export_events() == []


def test_the_federal_forms_counts_are_not_recorded(client, world):
    client.force_login(world.officer_a)
    response = client.get(reverse("monitoring:federal", args=["municipality", world.municipality_a.pk]))
    assert response.status_code == 200
    assert export_events() == []


def test_the_monitoring_report_is_an_aggregate_and_is_not_recorded(client, world):
    client.force_login(world.officer_a)
    response = client.get(
        reverse("reports:monitoring_report", args=["municipality", world.municipality_a.pk]),
        {"year": 2026, "period": "2026-q3"},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert export_events() == []
