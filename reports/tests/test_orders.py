"""Orders: each kind built from the portal's data and rendered; the register; signing; scans; links."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from mentorship.errors import DomainError
from participants.models import Person
from reports import services
from reports.choices import OrderKind, OrderStatus, RenderStatus
from reports.models import Order, OrderCounter

from .factories import ORDER_DAY, normalised, pdf_fonts, pdf_text


def _create(world, kind=OrderKind.PAIRS, actor=None, **kwargs):
    kwargs.setdefault("date", ORDER_DAY)
    kwargs.setdefault("place", "с. Булгаково")
    return services.order_create(
        actor=actor or world.curator_a1, organisation=world.organisation_a1, kind=kind, **kwargs
    )


def _render_text(order: Order) -> str:
    return normalised(pdf_text(services.order_render(order).content))


def test_a_pairs_order_lists_every_pair_of_the_school_with_its_members(world):
    order = _create(world, school_year=2026)
    text = _render_text(order)
    assert "ПРИКАЗ" in text
    assert "ПРИКАЗЫВАЮ:" in text
    assert "Об утверждении наставнических пар/групп" in text
    assert "20 ноября 2026 года" in text
    assert "с. Булгаково" in text
    for name in ("Петрова Анна", "Сидоров Илья", "Гарипова Лилия", "Кузнецова Мария"):
        assert name in text
    assert "Орлов" not in text, "another school's pair stays out"
    assert "Контроль за исполнением приказа оставляю за собой." in text
    assert "Директор" in text
    assert "С.Г. Максименко" in text
    assert order.appendix_rows == 2


@pytest.mark.parametrize(
    ("kind", "phrases"),
    [
        (
            OrderKind.IMPLEMENTATION,
            ["О внедрении целевой модели наставничества", "Р-145", "Ахмедова Зарема Руслановна"],
        ),
        (
            OrderKind.CURATOR,
            [
                "О назначении куратора (координатора) внедрения целевой модели наставничества",
                "Ахмедова Зарема Руслановна, заместитель директора",
            ],
        ),
        (OrderKind.MENTOR_SCHOOL, ["Об организации «Школы наставников»", "Петрова Анна", "Гарипова Лилия"]),
        (OrderKind.AWARDS, ["О поощрении участников наставнической деятельности", "Петрова Анна", "Лучшая пара"]),
        (OrderKind.FINAL_EVENT, ["О проведении итогового мероприятия", "20.05.2027", "Ахмедова З.Р."]),
    ],
)
def test_each_kind_of_order_renders_with_the_schools_people(world, kind, phrases):
    order = _create(world, kind=kind, school_year=2026, event_date=date(2027, 5, 20))
    text = _render_text(order)
    for phrase in phrases:
        assert phrase in text, phrase
    assert "ПРИКАЗЫВАЮ:" in text
    assert "С.Г. Максименко" in text


def test_a_roadmap_order_carries_the_roadmap_as_its_appendix(world):
    order = _create(world, kind=OrderKind.ROADMAP, roadmap=world.roadmap_a1)
    services.order_sign(actor=world.director_a1, order=order)
    order.refresh_from_db()
    text = normalised(pdf_text(order.pdf.read()))
    assert "Об утверждении плана мероприятий (дорожной карты)" in text
    assert "Утвержден приказом" in text
    assert "«20» ноября 2026 г. № 1" in text
    assert "Назначение кураторов внедрения целевой модели наставничества" in text
    assert "до 15.03.2021 г." in text
    assert "Приказы ОО" in text
    assert "Наименование мероприятия" in text
    assert "Результат. Вид документа" in text


def test_a_roadmap_order_needs_the_schools_own_roadmap(world):
    with pytest.raises(DomainError, match="Выберите дорожную карту"):
        _create(world, kind=OrderKind.ROADMAP)


def test_the_pdf_embeds_the_tinos_fonts(world):
    fonts = pdf_fonts(services.order_render(_create(world)).content)
    assert fonts
    assert all("Tinos" in name for name in fonts)
    assert all(fonts.values())


def test_a_draft_has_no_number_and_says_it_is_a_draft(world):
    order = _create(world)
    assert order.number is None
    assert order.status == OrderStatus.DRAFT
    assert "ПРОЕКТ" in _render_text(order)


def test_signing_gives_the_next_numbers_of_the_year_in_order(world):
    first, second, third = (
        _create(world, kind=kind) for kind in (OrderKind.PAIRS, OrderKind.CURATOR, OrderKind.FINAL_EVENT)
    )
    numbers = [services.order_sign(actor=world.director_a1, order=o).number for o in (second, first, third)]
    assert numbers == [1, 2, 3]
    assert OrderCounter.objects.get(organisation=world.organisation_a1, year=2026).last_number == 3


def test_each_year_and_each_school_has_its_own_register(world):
    next_year = _create(world, kind=OrderKind.CURATOR, date=date(2027, 1, 10))
    this_year = _create(world)
    b1 = services.order_create(
        actor=world.curator_b1, organisation=world.organisation_b1, kind=OrderKind.PAIRS, date=ORDER_DAY
    )
    assert b1.signatory_name == "", "school B1 has no director registered"
    b1 = services.order_update(actor=world.curator_b1, order=b1, data={"signatory_name": "Р.Р. Орлова"})
    assert services.order_sign(actor=world.director_a1, order=next_year).number == 1
    assert services.order_sign(actor=world.director_a1, order=this_year).number == 1
    assert services.order_sign(actor=world.curator_b1, order=b1).number == 1


def test_an_order_cannot_be_signed_twice(world):
    order = _create(world)
    services.order_sign(actor=world.director_a1, order=order)
    with pytest.raises(DomainError, match="уже подписан"):
        services.order_sign(actor=world.director_a1, order=order)
    assert OrderCounter.objects.get(organisation=world.organisation_a1, year=2026).last_number == 1


def test_a_coordinator_may_prepare_but_not_sign_an_order(world):
    order = _create(world, actor=world.coordinator_a1)
    with pytest.raises(PermissionDenied):
        services.order_sign(actor=world.coordinator_a1, order=order)
    assert not OrderCounter.objects.exists()


def test_a_failed_rendering_leaves_no_gap_in_the_register(world, monkeypatch):
    order = _create(world)

    def broken(order):
        raise RuntimeError("рендеринг сломался")

    monkeypatch.setattr(services, "order_render", broken)
    with pytest.raises(RuntimeError):
        services.order_sign(actor=world.director_a1, order=order)
    order.refresh_from_db()
    assert order.status == OrderStatus.DRAFT
    assert order.number is None
    assert not OrderCounter.objects.filter(last_number__gt=0).exists()


def test_the_signed_pdf_does_not_change_when_the_records_change(world):
    order = _create(world)
    signed = services.order_sign(actor=world.director_a1, order=order)
    stored = signed.pdf.read()
    assert signed.pdf_status == RenderStatus.READY
    assert signed.pdf_pages >= 1
    text = normalised(pdf_text(stored))
    assert "№ 1" in text
    assert "ПРОЕКТ" not in text
    assert "«20» ноября 2026 г. № 1" in text

    Person.objects.filter(pk=world.mentor_a1_person.pk).update(surname="Переименованная")
    assert services.order_pdf_store(order_id=order.pk) is False
    with pytest.raises(DomainError, match="уже подписан"):
        services.order_update(actor=world.curator_a1, order=order, data={"title": "Другое"})
    with pytest.raises(DomainError, match="уже подписан"):
        services.order_refresh(actor=world.curator_a1, order=order)
    order.refresh_from_db()
    assert order.pdf.read() == stored
    assert "Переименованная" not in _render_text(order), "the frozen text keeps the names of the signing day"


def test_a_drafts_text_can_be_edited_and_its_appendix_refreshed(world):
    order = _create(world)
    services.order_update(
        actor=world.curator_a1,
        order=order,
        data={"points": ["Утвердить пары согласно приложению."], "place": "с. Иглино"},
    )
    world.pair_a1_second.members.all().delete()
    world.pair_a1_second.delete()
    order = services.order_refresh(actor=world.curator_a1, order=order)
    text = _render_text(order)
    assert "с. Иглино" in text
    assert "1. Утвердить пары согласно приложению." in text
    assert "Гарипова" not in text
    assert order.appendix_rows == 1


@pytest.mark.parametrize("points", [[], [""], ["  "], "текст"])
def test_a_draft_needs_real_points(world, points):
    order = _create(world)
    with pytest.raises(DomainError):
        services.order_update(actor=world.curator_a1, order=order, data={"points": points})


def test_a_pairs_order_without_pairs_cannot_be_signed(world):
    order = services.order_create(
        actor=world.curator_a1,
        organisation=world.organisation_a1,
        kind=OrderKind.PAIRS,
        date=ORDER_DAY,
        school_year=2030,
    )
    with pytest.raises(DomainError, match="нет ни одной пары"):
        services.order_sign(actor=world.director_a1, order=order)


def test_a_large_order_is_numbered_at_once_and_its_pdf_stored_by_the_task(world, django_capture_on_commit_callbacks):
    order = _create(world)
    rows = [
        {"cells": [f"{i}.", f"Наставник {i}", f"Наставляемый {i}", "учитель – ученик", "П", "с 01.10.2026"]}
        for i in range(1, services.LARGE_ROWS + 2)
    ]
    Order.objects.filter(pk=order.pk).update(appendix=order.appendix | {"rows": rows})
    order.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        signed = services.order_sign(actor=world.director_a1, order=order)
    assert signed.number == 1
    assert signed.pdf_status == RenderStatus.PENDING
    assert not signed.pdf
    assert len(callbacks) == 1
    callbacks[0]()  # the task, run eagerly in tests
    callbacks[0]()  # a rerun does nothing
    signed.refresh_from_db()
    assert signed.pdf_status == RenderStatus.READY
    assert signed.pdf_pages > 3
    text = normalised(pdf_text(signed.pdf.read()))
    assert f"Наставник {services.LARGE_ROWS + 1}" in text
    assert signed.events.filter(kind="pdf_stored").count() == 1
    told = list(world.director_a1.notifications.values_list("title", "url"))
    assert told == [(f"PDF приказа № {signed.number} готов", signed.get_absolute_url())]


def test_a_small_order_signed_in_the_request_sends_no_notification(world):
    order = _create(world)
    services.order_sign(actor=world.director_a1, order=order)
    assert not world.director_a1.notifications.exists()


# --- scans --------------------------------------------------------------------------------------

PDF_BYTES = b"%PDF-1.4\n%scan\n"


def test_a_scan_of_the_signed_paper_is_kept(world):
    order = services.order_sign(actor=world.director_a1, order=_create(world))
    services.order_scan_attach(
        actor=world.curator_a1, order=order, upload=SimpleUploadedFile("scan.pdf", PDF_BYTES, "application/pdf")
    )
    order.refresh_from_db()
    assert order.scan.read() == PDF_BYTES
    assert order.scan_uploaded_at is not None


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("scan.pdf", b"MZ\x90\x00 not a pdf", "application/pdf"), "PDF, JPEG или PNG"),
        (SimpleUploadedFile("scan.docx", b"PK\x03\x04", "application/msword"), "PDF, JPEG или PNG"),
        (SimpleUploadedFile("scan.pdf", b"", "application/pdf"), "пустой"),
        (SimpleUploadedFile("scan.pdf", b"%PDF-" + b"0" * (services.SCAN_MAX_BYTES + 1)), "больше 10 МБ"),
    ],
)
def test_a_bad_scan_is_refused_with_a_russian_message_and_nothing_changes(world, upload, message):
    order = services.order_sign(actor=world.director_a1, order=_create(world))
    with pytest.raises(DomainError, match=message):
        services.order_scan_attach(actor=world.curator_a1, order=order, upload=upload)
    order.refresh_from_db()
    assert not order.scan


def test_a_draft_takes_no_scan(world):
    with pytest.raises(DomainError, match="подписанному"):
        services.order_scan_attach(
            actor=world.curator_a1, order=_create(world), upload=SimpleUploadedFile("s.pdf", PDF_BYTES)
        )


# --- links to roadmap items ---------------------------------------------------------------------


def test_an_order_is_linked_to_the_roadmap_item_whose_result_it_is(world):
    order = _create(world, kind=OrderKind.CURATOR)
    services.order_link_item(actor=world.curator_a1, order=order, item=world.item_curators)
    assert list(world.item_curators.orders.all()) == [order]
    with pytest.raises(DomainError, match="уже связан"):
        services.order_link_item(actor=world.curator_a1, order=order, item=world.item_curators)


def test_an_item_whose_result_is_not_an_order_refuses_the_link(world):
    with pytest.raises(DomainError, match="приказ не указан"):
        services.order_link_item(actor=world.curator_a1, order=_create(world), item=world.item_no_order)


def test_another_schools_curator_cannot_link_or_sign_this_schools_order(world):
    order = _create(world)
    with pytest.raises(PermissionDenied):
        services.order_link_item(actor=world.curator_b1, order=order, item=world.item_curators)
    with pytest.raises(PermissionDenied):
        services.order_sign(actor=world.curator_b1, order=order)
