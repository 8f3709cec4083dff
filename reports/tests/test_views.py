"""The document pages: scope (404 outside, 403 without the right), downloads, forms with Russian messages."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from mentorship.forms import SUBMISSION_FIELD
from reports import services
from reports.choices import DocumentKind, OrderKind, OrderStatus
from reports.models import DocumentJob, Order
from roadmaps.choices import ItemKind
from roadmaps.tests.factories import RoadmapItemFactory

from .factories import ORDER_DAY, normalised, pdf_text


def _order(world, kind=OrderKind.PAIRS):
    return services.order_create(
        actor=world.curator_a1, organisation=world.organisation_a1, kind=kind, date=ORDER_DAY, school_year=2026
    )


def _post(client, url, data=None, **kwargs):
    response = client.get(url)
    token = response.context["form"][SUBMISSION_FIELD].value() if response.status_code == 200 else ""
    return client.post(url, {SUBMISSION_FIELD: token, **(data or {})}, **kwargs)


def test_a_curator_downloads_the_draft_pairs_order_as_a_pdf(client, world):
    order = _order(world)
    client.force_login(world.curator_a1)
    response = client.get(reverse("reports:order_pdf", args=[order.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert "Сидоров Илья" in normalised(pdf_text(response.content))


def test_a_curator_of_another_school_gets_404_for_the_order_and_its_pdf(client, world):
    order = _order(world)
    client.force_login(world.curator_b1)
    for name in ("order", "order_pdf", "order_edit", "order_sign", "order_scan"):
        assert client.get(reverse(f"reports:{name}", args=[order.pk])).status_code == 404, name


def test_the_municipal_officer_reads_the_order_but_may_not_sign_it(client, world):
    order = _order(world)
    client.force_login(world.officer_a)
    assert client.get(reverse("reports:order", args=[order.pk])).status_code == 200
    assert client.get(reverse("reports:order_pdf", args=[order.pk])).status_code == 200
    assert client.get(reverse("reports:order_sign", args=[order.pk])).status_code == 403
    assert client.get(reverse("reports:order_edit", args=[order.pk])).status_code == 403


def test_an_outsider_sees_an_empty_register_and_cannot_create(client, world):
    _order(world)
    client.force_login(world.outsider)
    response = client.get(reverse("reports:orders"))
    assert response.status_code == 200
    assert list(response.context["object_list"]) == []
    assert client.get(reverse("reports:order_add")).status_code == 403


def test_the_register_lists_the_users_orders(client, world, django_assert_max_num_queries):
    _order(world)
    _order(world, OrderKind.CURATOR)
    client.force_login(world.curator_a1)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("reports:orders"))
    assert response.status_code == 200
    assert [o.kind for o in response.context["object_list"]] == [OrderKind.CURATOR, OrderKind.PAIRS]


def test_a_curator_creates_edits_and_signs_an_order_in_the_browser(client, world):
    client.force_login(world.curator_a1)
    response = _post(
        client,
        reverse("reports:order_add"),
        {
            "organisation": world.organisation_a1.pk,
            "kind": OrderKind.CURATOR,
            "date": "2026-11-20",
            "place": "с. Булгаково",
        },
    )
    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"] == order.get_absolute_url()
    response = _post(
        client,
        reverse("reports:order_edit", args=[order.pk]),
        {
            "date": "2026-11-20",
            "place": "с. Булгаково",
            "issuer_name": order.issuer_name,
            "issuer_genitive": order.issuer_genitive,
            "title": order.title,
            "basis": order.basis,
            "points_text": "Назначить куратора.\nУтвердить план.",
            "signatory_position": "Директор",
            "signatory_name": "С.Г. Максименко",
        },
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.points == ["Назначить куратора.", "Утвердить план."]
    response = _post(client, reverse("reports:order_sign", args=[order.pk]))
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.SIGNED
    assert order.number == 1
    response = client.get(reverse("reports:order_pdf", args=[order.pk]))
    assert b"".join(response.streaming_content) == order.pdf.open("rb").read()


def test_a_bad_scan_upload_is_answered_in_russian(client, world):
    order = services.order_sign(actor=world.director_a1, order=_order(world))
    client.force_login(world.curator_a1)
    response = _post(
        client,
        reverse("reports:order_scan", args=[order.pk]),
        {"scan": SimpleUploadedFile("scan.exe", b"MZ\x90\x00", "application/octet-stream")},
    )
    assert response.status_code == 200
    assert "Скан должен быть в формате PDF, JPEG или PNG." in response.content.decode()
    order.refresh_from_db()
    assert not order.scan
    response = _post(
        client,
        reverse("reports:order_scan", args=[order.pk]),
        {"scan": SimpleUploadedFile("scan.pdf", b"%PDF-1.4 scan", "application/pdf")},
    )
    assert response.status_code == 302
    assert client.get(reverse("reports:order_scan_file", args=[order.pk])).status_code == 200


def test_linking_an_order_offers_only_items_whose_result_is_an_order(client, world):
    order = _order(world, OrderKind.CURATOR)
    client.force_login(world.curator_a1)
    response = client.get(reverse("reports:order_link", args=[order.pk]))
    assert list(response.context["form"].fields["item"].queryset) == [world.item_curators]
    response = _post(client, reverse("reports:order_link", args=[order.pk]), {"item": world.item_curators.pk})
    assert response.status_code == 302
    assert list(order.roadmap_items.all()) == [world.item_curators]


def test_the_roadmap_downloads_as_a_landscape_table(client, world):
    client.force_login(world.curator_a1)
    roadmap_page = client.get(reverse("roadmaps:detail", args=[world.roadmap_a1.pk])).content.decode()
    assert reverse("reports:roadmap_pdf", args=[world.roadmap_a1.pk]) in roadmap_page
    response = client.get(reverse("reports:roadmap_pdf", args=[world.roadmap_a1.pk]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")
    page = PdfReader(io.BytesIO(response.content)).pages[0]
    assert page.mediabox.width > page.mediabox.height, "A4 landscape"
    text = normalised(pdf_text(response.content))
    assert "Назначение кураторов внедрения целевой модели наставничества" in text
    assert "до 15.03.2021 г." in text
    client.force_login(world.curator_b1)
    assert client.get(reverse("reports:roadmap_pdf", args=[world.roadmap_a1.pk])).status_code == 404


def test_a_certificate_names_the_mentor_and_the_award(client, world):
    client.force_login(world.curator_a1)
    response = client.post(
        reverse("reports:certificate"),
        {"award": "best_mentor", "person": world.mentor_a1_person.pk, "day": "2027-05-20", "place": "с. Булгаково"},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = normalised(pdf_text(response.content))
    assert "ГРАМОТА" in text
    assert "«Лучший наставник»" in text
    assert "Петрова Анна" in text
    assert "20 мая 2027 года" in text
    assert "С.Г. Максименко" in text


def test_a_best_pair_certificate_names_both_members(client, world):
    client.force_login(world.curator_a1)
    response = client.post(
        reverse("reports:certificate"), {"award": "best_pair", "pair": world.pair_a1.pk, "day": "2027-05-20"}
    )
    text = normalised(pdf_text(response.content))
    assert "«Лучшая пара»" in text
    assert "Петрова Анна" in text
    assert "Сидоров Илья" in text


def test_a_certificate_without_a_mentor_is_refused_in_russian(client, world):
    client.force_login(world.curator_a1)
    response = client.post(reverse("reports:certificate"), {"award": "mentor_of_year", "day": "2027-05-20"})
    assert response.status_code == 200
    assert "Выберите наставника." in response.content.decode()


def test_another_schools_mentor_cannot_be_awarded(client, world):
    client.force_login(world.curator_b1)
    response = client.post(
        reverse("reports:certificate"),
        {"award": "best_mentor", "person": world.mentor_a1_person.pk, "day": "2027-05-20"},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


def _large(order):
    rows = [{"cells": [f"{i}.", f"Наставник {i}", "Н", "Ф", "П", "С"]} for i in range(services.LARGE_ROWS + 5)]
    Order.objects.filter(pk=order.pk).update(appendix=order.appendix | {"rows": rows})
    return order


def test_a_large_draft_is_rendered_in_the_background_and_shown_when_ready(
    client, world, django_capture_on_commit_callbacks
):
    order = _large(_order(world))
    client.force_login(world.curator_a1)
    detail = client.get(reverse("reports:order", args=[order.pk])).content.decode()
    assert "Сформировать проект PDF" in detail
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(reverse("reports:order_pdf", args=[order.pk]))
    assert response.status_code == 302
    job_url = response["Location"]
    assert "Документ формируется" in client.get(job_url).content.decode()
    for callback in queued:
        callback()  # the Celery task, queued on commit
    page = client.get(job_url)
    assert "Документ готов" in page.content.decode()
    job = page.context["job"]
    notice = world.curator_a1.notifications.get()
    assert (notice.title, notice.url) == (f"Документ готов: {job.title}", job_url)
    download = client.get(reverse("reports:job_file", args=[job.pk]))
    assert f"Наставник {services.LARGE_ROWS + 4}" in normalised(pdf_text(b"".join(download.streaming_content)))
    client.force_login(world.curator_b1)
    assert client.get(job_url).status_code == 404


def test_opening_a_large_drafts_pdf_link_creates_no_job_and_offers_the_button(client, world):
    order = _large(_order(world))
    client.force_login(world.curator_a1)
    for _ in range(3):  # a crawler, a prefetching browser, an impatient reader
        response = client.get(reverse("reports:order_pdf", args=[order.pk]))
        assert response.status_code == 200
        assert "Сформировать PDF" in response.content.decode()
    assert not DocumentJob.objects.exists()


def test_the_pdf_link_leads_to_the_job_under_way_and_a_second_post_reuses_it(
    client, world, django_capture_on_commit_callbacks
):
    order = _large(_order(world))
    client.force_login(world.curator_a1)
    url = reverse("reports:order_pdf", args=[order.pk])
    with django_capture_on_commit_callbacks(execute=False):
        first = client.post(url)
        again = client.post(url)
    assert first["Location"] == again["Location"]
    assert client.get(url)["Location"] == first["Location"]
    assert DocumentJob.objects.count() == 1


def test_a_ready_pdf_is_offered_again_beside_the_button(client, world, django_capture_on_commit_callbacks):
    order = _large(_order(world))
    client.force_login(world.curator_a1)
    url = reverse("reports:order_pdf", args=[order.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    job = DocumentJob.objects.get()
    page = client.get(url).content.decode()
    assert reverse("reports:job_file", args=[job.pk]) in page
    assert "Сформировать PDF" in page
    assert DocumentJob.objects.count() == 1


def test_a_long_roadmaps_pdf_is_queued_by_the_button_only(client, world, django_capture_on_commit_callbacks):
    roadmap = world.roadmap_a1
    RoadmapItemFactory.create_batch(services.LARGE_ROWS + 1, roadmap=roadmap, kind=ItemKind.ACTIVITY)
    url = reverse("reports:roadmap_pdf", args=[roadmap.pk])
    client.force_login(world.curator_a1)
    assert "Сформировать PDF" in client.get(url).content.decode()
    assert not DocumentJob.objects.exists()
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(url)
    job = DocumentJob.objects.get()
    assert response["Location"] == job.get_absolute_url()
    assert (job.kind, job.object_id, job.requested_by) == (DocumentKind.ROADMAP, roadmap.pk, world.curator_a1)
    client.force_login(world.curator_b1)
    assert client.post(url).status_code == 404


def test_a_document_job_is_only_its_requesters_administrators_included(client, world):
    order = _order(world)
    job = DocumentJob.objects.create(
        requested_by=world.curator_a1, kind=DocumentKind.ORDER, object_id=order.pk, title="Приказ"
    )
    client.force_login(world.curator_a1)
    assert client.get(reverse("reports:job", args=[job.pk])).status_code == 200
    for someone_else in (world.curator_b1, world.superuser):
        client.force_login(someone_else)
        assert client.get(reverse("reports:job", args=[job.pk])).status_code == 404
        assert client.get(reverse("reports:job_file", args=[job.pk])).status_code == 404
        assert job not in client.get(reverse("reports:jobs")).context["object_list"]
