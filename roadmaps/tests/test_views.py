"""Roadmap pages: who sees and does what, the approval through posts, fixed query counts, bad input."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from roadmaps import services
from roadmaps.choices import ItemKind, ItemStatus, RoadmapEventKind, RoadmapStatus
from roadmaps.models import ItemEvidence, Roadmap, RoadmapEvent, RoadmapItem

from .factories import ResponsiblePartyFactory, RoadmapFactory, RoadmapItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_as(client: Any) -> Any:
    """``client_as(user)``: the test client signed in as ``user``."""

    def sign_in(user: Any) -> Any:
        client.force_login(user)
        return client

    return sign_in


def token() -> str:
    return str(uuid.uuid4())


def text(response: Any) -> str:
    return response.content.decode()


def detail(roadmap: Roadmap) -> str:
    return reverse("roadmaps:detail", args=[roadmap.pk])


def step(action: str, roadmap: Roadmap) -> str:
    return reverse(f"roadmaps:{action}", args=[roadmap.pk])


def item_data(**changes: Any) -> dict[str, Any]:
    data = {
        "number": "2.",
        "kind": ItemKind.ACTIVITY,
        "title": "Разработка положения о наставничестве",
        "content": "Проект положения\nСогласование с советом",
        "deadline_text": "до 1 сентября 2024 г.",
        "responsible_text": "Куратор внедрения ЦМН",
        "expected_result": "Положение утверждено",
        "document_type": "приказ",
        "inform_whom": "",
        "inform_when_text": "",
        "plan_start": "",
        "plan_end": "",
        "_submission": token(),
    }
    return data | changes


# --- pages render for the personas in scope -------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "roadmap"),
    [
        ("curator_a1", "roadmap_a1"),
        ("director_a1", "roadmap_a1"),
        ("mentor_a1", "roadmap_a1"),
        ("curator_a1", "roadmap_a"),
        ("officer_a", "roadmap_a1"),
        ("observer_a", "roadmap_a2"),
        ("regional_coordinator", "roadmap_b1"),
        ("superuser", "roadmap_c1"),
    ],
)
def test_roadmap_pages_render_for_personas_in_scope(world, client_as, persona, roadmap):
    client = client_as(world.persona(persona))
    target = world.objects[roadmap]
    for url in (
        reverse("roadmaps:list"),
        detail(target),
        reverse("roadmaps:timeline", args=[target.pk]),
        reverse("roadmaps:my_tasks"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    page = text(client.get(detail(target)))
    assert target.title in page
    assert "История согласования" in page


def test_the_list_shows_only_roadmaps_in_scope_with_status_and_progress(world, client_as):
    page = text(client_as(world.curator_a1).get(reverse("roadmaps:list")))
    assert world.roadmap_a1.title in page
    assert world.roadmap_b1.title not in page
    assert "Черновик" in page
    assert "0 из 1" in page


def test_the_list_filters_by_status_and_searches_titles(world, client_as):
    Roadmap.objects.filter(pk=world.roadmap_a2.pk).update(status=RoadmapStatus.APPROVED)
    client = client_as(world.officer_a)
    approved = text(client.get(reverse("roadmaps:list"), {"status": "approved"}))
    assert world.roadmap_a2.title in approved
    assert world.roadmap_a1.title not in approved
    found = text(client.get(reverse("roadmaps:list"), {"q": "ROADMAP_A1"}))
    assert world.roadmap_a1.title in found
    assert world.roadmap_a2.title not in found


def test_keepers_are_offered_to_create_a_roadmap_and_observers_are_not(world, client_as):
    assert "Создать дорожную карту" in text(client_as(world.curator_a1).get(reverse("roadmaps:list")))
    assert "Создать дорожную карту" not in text(client_as(world.observer_a).get(reverse("roadmaps:list")))


def test_anonymous_users_are_sent_to_sign_in(world, client):
    response = client.get(detail(world.roadmap_a1))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# --- 404 outside the scope, 403 for the wrong level -----------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        lambda w: detail(w.roadmap_b1),
        lambda w: reverse("roadmaps:timeline", args=[w.roadmap_b1.pk]),
        lambda w: reverse("roadmaps:edit", args=[w.roadmap_b1.pk]),
        lambda w: reverse("roadmaps:item_add", args=[w.roadmap_b1.pk]),
        lambda w: reverse("roadmaps:item_edit", args=[w.roadmap_b1_item.pk]),
        lambda w: reverse("roadmaps:item_delete", args=[w.roadmap_b1_item.pk]),
        lambda w: reverse("roadmaps:item_complete", args=[w.roadmap_b1_item.pk]),
        lambda w: step("submit", w.roadmap_b1),
    ],
)
def test_curator_opening_another_schools_roadmap_gets_404(world, client_as, url):
    assert client_as(world.curator_a1).get(url(world)).status_code == 404


def test_curator_posting_to_another_schools_roadmap_gets_404_and_nothing_changes(world, client_as):
    response = client_as(world.curator_a1).post(step("submit", world.roadmap_b1), {"_submission": token()})
    assert response.status_code == 404
    assert not RoadmapEvent.objects.filter(roadmap=world.roadmap_b1).exists()


def test_municipal_officer_cannot_edit_a_schools_item(world, client_as):
    client = client_as(world.officer_a)
    url = reverse("roadmaps:item_edit", args=[world.roadmap_a1_item.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, item_data(number="1.1", title="Чужая правка")).status_code == 403
    world.roadmap_a1_item.refresh_from_db()
    assert world.roadmap_a1_item.title == "Положение о наставничестве"


@pytest.mark.parametrize("persona", ["observer_a", "mentor_a1"])
def test_read_only_users_cannot_change_items(world, client_as, persona):
    client = client_as(world.persona(persona))
    assert client.get(reverse("roadmaps:item_edit", args=[world.roadmap_a1_item.pk])).status_code == 403
    assert client.get(reverse("roadmaps:item_add", args=[world.roadmap_a1.pk])).status_code == 403
    assert client.get(reverse("roadmaps:add")).status_code == 403


def test_curator_cannot_approve_or_return_a_roadmap(world, client_as):
    services.roadmap_submit(actor=world.curator_a1, roadmap=world.roadmap_a1)
    client = client_as(world.curator_a1)
    assert client.post(step("approve", world.roadmap_a1), {"_submission": token()}).status_code == 403
    assert client.post(step("return", world.roadmap_a1), {"comment": "x", "_submission": token()}).status_code == 403
    assert Roadmap.objects.get(pk=world.roadmap_a1.pk).status == RoadmapStatus.SUBMITTED


def test_regional_coordinator_does_not_approve_a_schools_roadmap(world, client_as):
    services.roadmap_submit(actor=world.curator_a1, roadmap=world.roadmap_a1)
    response = client_as(world.regional_coordinator).post(step("approve", world.roadmap_a1), {"_submission": token()})
    assert response.status_code == 403


def test_buttons_follow_the_permissions(world, client_as):
    services.roadmap_submit(actor=world.curator_a1, roadmap=world.roadmap_a1)
    officer_page = text(client_as(world.officer_a).get(detail(world.roadmap_a1)))
    assert "Согласовать" in officer_page
    assert "Вернуть на доработку" in officer_page
    assert "Добавить пункт" not in officer_page
    curator_page = text(client_as(world.curator_a1).get(detail(world.roadmap_a1)))
    assert "Согласовать</button>" not in curator_page
    assert "Отправить на согласование</button>" not in curator_page
    assert "Добавить пункт" not in curator_page  # frozen while submitted


# --- the approval flow through posts --------------------------------------------------------------------


def test_the_approval_flow_through_the_pages(world, client_as, client):
    roadmap, item = world.roadmap_a1, world.roadmap_a1_item
    client.force_login(world.curator_a1)
    assert "Отправить на согласование</button>" in text(client.get(detail(roadmap)))
    response = client.post(step("submit", roadmap), {"_submission": token()}, follow=True)
    assert "отправлена на согласование" in text(response)
    assert Roadmap.objects.get(pk=roadmap.pk).status == RoadmapStatus.SUBMITTED

    client.force_login(world.officer_a)
    assert roadmap.title in text(client.get(reverse("roadmaps:awaiting")))
    comment = "Уточните сроки пункта 1.1 и ответственного."
    client.post(step("return", roadmap), {"comment": comment, "_submission": token()})
    assert Roadmap.objects.get(pk=roadmap.pk).status == RoadmapStatus.RETURNED
    assert roadmap.title not in text(client.get(reverse("roadmaps:awaiting")))

    client.force_login(world.curator_a1)
    page = text(client.get(detail(roadmap)))
    assert comment in page
    assert "Возвращена на доработку" in page
    edit = reverse("roadmaps:item_edit", args=[item.pk])
    response = client.post(
        edit, item_data(number="1.1", title="Положение о наставничестве", deadline_text="до 1 октября 2024 г.")
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.deadline_text == "до 1 октября 2024 г."
    client.post(step("submit", roadmap), {"_submission": token()})

    client.force_login(world.officer_a)
    client.post(step("approve", roadmap), {"comment": "", "_submission": token()})
    roadmap.refresh_from_db()
    assert roadmap.status == RoadmapStatus.APPROVED
    kinds = list(RoadmapEvent.objects.filter(roadmap=roadmap).order_by("pk").values_list("kind", flat=True))
    assert kinds == ["submitted", "returned", "submitted", "approved"]

    # Frozen: the item form now refuses in Russian; a new revision reopens it.
    client.force_login(world.curator_a1)
    response = client.post(edit, item_data(number="1.1", title="После согласования"))
    assert response.status_code == 200
    assert "Согласованную дорожную карту нельзя изменить" in text(response)
    client.post(step("revise", roadmap), {"_submission": token()})
    assert Roadmap.objects.get(pk=roadmap.pk).status == RoadmapStatus.DRAFT
    assert RoadmapEvent.objects.filter(roadmap=roadmap, kind=RoadmapEventKind.REVISED).count() == 1


def test_returning_without_a_comment_is_a_form_error(world, client_as):
    services.roadmap_submit(actor=world.curator_a1, roadmap=world.roadmap_a1)
    response = client_as(world.officer_a).post(
        step("return", world.roadmap_a1), {"comment": "  ", "_submission": token()}
    )
    assert response.status_code == 200
    assert "без комментария вернуть дорожную карту нельзя" in text(response)
    assert Roadmap.objects.get(pk=world.roadmap_a1.pk).status == RoadmapStatus.SUBMITTED
    assert RoadmapEvent.objects.filter(roadmap=world.roadmap_a1).count() == 1


def test_a_double_post_makes_one_event(world, client_as):
    client = client_as(world.curator_a1)
    data = {"_submission": token()}
    first = client.post(step("submit", world.roadmap_a1), data)
    second = client.post(step("submit", world.roadmap_a1), data, follow=True)
    assert first.status_code == 302
    assert "повторная отправка ничего не изменила" in text(second)
    assert RoadmapEvent.objects.filter(roadmap=world.roadmap_a1).count() == 1


def test_approving_twice_with_two_forms_says_it_is_already_approved(world, client_as):
    services.roadmap_submit(actor=world.curator_a1, roadmap=world.roadmap_a1)
    client = client_as(world.officer_a)
    client.post(step("approve", world.roadmap_a1), {"_submission": token()})
    response = client.post(step("approve", world.roadmap_a1), {"_submission": token()})
    assert response.status_code == 200
    assert "уже согласована" in text(response)
    assert RoadmapEvent.objects.filter(roadmap=world.roadmap_a1, kind=RoadmapEventKind.APPROVED).count() == 1


# --- the table: what it shows, filters, fixed queries ------------------------------------------------------


def test_the_table_marks_overdue_and_unclear_deadlines_in_words(world, client_as):
    roadmap = world.roadmap_a1
    services.roadmap_item_create(
        actor=world.curator_a1,
        roadmap=roadmap,
        data={"number": "2.", "title": "Просроченное", "deadline_text": "до 1 марта 2024 г."},
    )
    services.roadmap_item_create(
        actor=world.curator_a1,
        roadmap=roadmap,
        data={"number": "3.", "title": "Неясное", "deadline_text": "когда-нибудь потом"},
    )
    page = text(client_as(world.curator_a1).get(detail(roadmap)))
    assert "просрочено" in page
    assert "срок требует уточнения" in page
    assert 'colspan="6"' in page  # the section row spans the table


def test_the_table_escapes_every_value_of_an_item(world, client_as):
    roadmap = world.roadmap_a1
    item = services.roadmap_item_create(
        actor=world.curator_a1,
        roadmap=roadmap,
        data={
            "number": "2.",
            "title": "<script>alert(1)</script>",
            "content": "строка <b>жирная</b>\nвторая",
            "deadline_text": "до 1 марта 2024 г.",
            "responsible_text": "ГАУ ДПО <i>ИРО</i>",
            "expected_result": 'Отчёт "в срок"',
            "document_type": "<img src=x>",
        },
    )
    ItemEvidence.objects.create(item=item, url='https://school.example.ru/?a=1&b="2"', description="<u>фото</u>")
    page = text(client_as(world.curator_a1).get(detail(roadmap)))
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "строка &lt;b&gt;жирная&lt;/b&gt;<br>вторая" in page
    assert "ГАУ ДПО &lt;i&gt;ИРО&lt;/i&gt;" in page
    assert "Отчёт &quot;в срок&quot;" in page
    assert "&lt;img src=x&gt;" in page
    assert 'href="https://school.example.ru/?a=1&amp;b=&quot;2&quot;"' in page
    assert 'title="&lt;u&gt;фото&lt;/u&gt;"' in page


def test_the_table_filters_by_status_responsible_and_overdue(world, client_as):
    roadmap = world.roadmap_a1
    late = services.roadmap_item_create(
        actor=world.curator_a1,
        roadmap=roadmap,
        data={
            "number": "2.",
            "title": "Отчёт в ИРО",
            "deadline_text": "до 1 марта 2024 г.",
            "responsible_text": "ГАУ ДПО ИРО РБ",
        },
    )
    client = client_as(world.curator_a1)
    overdue = text(client.get(detail(roadmap), {"overdue": "on"}))
    assert late.title in overdue
    assert "Положение о наставничестве" not in overdue
    by_responsible = text(client.get(detail(roadmap), {"responsible": "иро"}))
    assert late.title in by_responsible
    assert "Положение о наставничестве" not in by_responsible
    done = text(client.get(detail(roadmap), {"status": "done"}))
    assert "Под отбор не подошёл ни один пункт" in done
    bad = client.get(detail(roadmap), {"status": "nonsense"})
    assert bad.status_code == 200


def fill(roadmap: Roadmap, count: int, start: int) -> None:
    section = RoadmapItemFactory(roadmap=roadmap, kind=ItemKind.SECTION, number=f"{start}.", title="Раздел")
    for n in range(1, count):
        item = RoadmapItemFactory(roadmap=roadmap, parent=section, number=f"{start}.{n}", deadline_due="2024-03-01")
        ResponsiblePartyFactory(item=item)
        ItemEvidence.objects.create(item=item, url="https://school.example.ru/news/1", description="Новость")


@pytest.mark.parametrize("page", ["detail", "timeline"])
def test_the_table_runs_a_fixed_number_of_queries(world, client_as, django_assert_num_queries, page):
    client = client_as(world.curator_a1)
    roadmap = world.roadmap_a1
    url = reverse(f"roadmaps:{page}", args=[roadmap.pk])
    fill(roadmap, 10, 10)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        first = client.get(url)
    assert first.status_code == 200
    assert len(small) <= 22, "\n".join(q["sql"] for q in small.captured_queries)
    fill(roadmap, 50, 20)
    with django_assert_num_queries(len(small)):
        second = client.get(url)
    assert len(second.content) > len(first.content)


def test_the_list_runs_a_fixed_number_of_queries(world, client_as, django_assert_num_queries):
    client = client_as(world.officer_a)
    url = reverse("roadmaps:list")
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for _ in range(9):
        fill(RoadmapFactory(organisation=world.organisation_a2), 3, 1)
    with django_assert_num_queries(len(small)):
        response = client.get(url)
    assert response.status_code == 200


def test_my_tasks_lists_the_users_items_soonest_first_with_overdue_marked(world, client_as):
    roadmap = world.roadmap_a1
    for number, deadline in (("3.", "до 1 мая 2024 г."), ("2.", "до 1 марта 2024 г."), ("4.", "постоянно")):
        services.roadmap_item_create(
            actor=world.curator_a1,
            roadmap=roadmap,
            data={
                "number": number,
                "title": f"Задача {number}",
                "deadline_text": deadline,
                "responsible_text": "Кураторы внедрения ЦМН в ОО",
            },
        )
    page = text(client_as(world.curator_a1).get(reverse("roadmaps:my_tasks")))
    assert page.index("Задача 2.") < page.index("Задача 3.") < page.index("Задача 4.")
    assert "просрочено" in page
    assert "Задача 2." not in text(client_as(world.curator_b1).get(reverse("roadmaps:my_tasks")))


# --- forms -------------------------------------------------------------------------------------------------


def test_curator_creates_a_roadmap_for_their_own_school(world, client_as):
    client = client_as(world.curator_a1)
    form = client.get(reverse("roadmaps:add")).context["form"]
    assert [key for key, _ in form.fields["place"].choices][1:] == [f"organisation:{world.organisation_a1.pk}"]
    data = {
        "place": f"organisation:{world.organisation_a1.pk}",
        "title": "Дорожная карта на 2026 год",
        "period_start": "2026-01-01",
        "period_end": "2026-12-31",
        "goal": "",
        "tasks": "",
        "_submission": token(),
    }
    response = client.post(reverse("roadmaps:add"), data)
    created = Roadmap.objects.get(title="Дорожная карта на 2026 год")
    assert response["Location"] == detail(created)
    assert created.organisation == world.organisation_a1
    assert created.created_by == world.curator_a1


def test_a_foreign_place_in_the_roadmap_form_is_refused(world, client_as):
    data = {
        "place": f"organisation:{world.organisation_b1.pk}",
        "title": "Чужая дорожная карта",
        "period_start": "2026-01-01",
        "period_end": "2026-12-31",
        "_submission": token(),
    }
    response = client_as(world.curator_a1).post(reverse("roadmaps:add"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["place"]
    assert not Roadmap.objects.filter(title="Чужая дорожная карта").exists()


def test_a_period_ending_before_it_starts_is_a_russian_form_error(world, client_as):
    data = {
        "place": f"organisation:{world.organisation_a1.pk}",
        "title": "Наоборот",
        "period_start": "2026-12-31",
        "period_end": "2026-01-01",
        "_submission": token(),
    }
    response = client_as(world.curator_a1).post(reverse("roadmaps:add"), data)
    assert "Окончание периода не может быть раньше его начала" in text(response)
    assert not Roadmap.objects.filter(title="Наоборот").exists()


def test_adding_an_item_shows_its_parsed_deadline(world, client_as):
    client = client_as(world.curator_a1)
    response = client.post(reverse("roadmaps:item_add", args=[world.roadmap_a1.pk]), item_data(), follow=True)
    item = RoadmapItem.objects.get(roadmap=world.roadmap_a1, number="2.")
    assert str(item.deadline_due) == "2024-09-01"
    assert "понят как" in text(response)
    assert "01.09.2024" in text(response)
    assert item.responsible.exists()


def test_a_bad_deadline_is_saved_and_flagged(world, client_as):
    client = client_as(world.curator_a1)
    response = client.post(
        reverse("roadmaps:item_add", args=[world.roadmap_a1.pk]), item_data(deadline_text="как получится"), follow=True
    )
    item = RoadmapItem.objects.get(roadmap=world.roadmap_a1, number="2.")
    assert item.deadline_needs_review
    assert item.deadline_due is None
    assert "требует уточнения" in text(response)


def test_a_duplicate_number_is_a_russian_form_error(world, client_as):
    response = client_as(world.curator_a1).post(
        reverse("roadmaps:item_add", args=[world.roadmap_a1.pk]), item_data(number="1.1")
    )
    assert response.status_code == 200
    assert "уже есть" in text(response)
    assert RoadmapItem.objects.filter(roadmap=world.roadmap_a1, number="1.1").count() == 1


def test_a_double_posted_item_form_adds_one_item(world, client_as):
    client = client_as(world.curator_a1)
    data = item_data()
    client.post(reverse("roadmaps:item_add", args=[world.roadmap_a1.pk]), data)
    client.post(reverse("roadmaps:item_add", args=[world.roadmap_a1.pk]), data)
    assert RoadmapItem.objects.filter(roadmap=world.roadmap_a1, number="2.").count() == 1


def test_deleting_an_item_asks_first_then_deletes(world, client_as):
    client = client_as(world.curator_a1)
    url = reverse("roadmaps:item_delete", args=[world.roadmap_a1_item.pk])
    assert "Удалить пункт" in text(client.get(url))
    response = client.post(url, {"_submission": token()})
    assert response["Location"] == detail(world.roadmap_a1)
    assert not RoadmapItem.objects.filter(pk=world.roadmap_a1_item.pk).exists()


@pytest.mark.parametrize(
    "path", ["/roadmaps/abc/", "/roadmaps/999999/", "/roadmaps/items/-1/edit/", "/roadmaps/0x1/timeline/"]
)
def test_malformed_or_unknown_ids_are_404(world, client_as, path):
    assert client_as(world.curator_a1).get(path).status_code == 404


# --- completion with evidence ---------------------------------------------------------------------------


def complete(client: Any, item: RoadmapItem, **changes: Any) -> Any:
    data = {"fact_end": "2024-05-20", "fact_start": "", "links": "", "description": "Приказ", "_submission": token()}
    return client.post(reverse("roadmaps:item_complete", args=[item.pk]), data | changes)


def test_completing_an_item_with_files_and_links(world, client_as):
    item = world.roadmap_a1_item
    files = [
        SimpleUploadedFile("prikaz.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
        SimpleUploadedFile("foto.jpg", b"\xff\xd8\xff test", content_type="image/jpeg"),
    ]
    response = complete(client_as(world.curator_a1), item, files=files, links="https://school.example.ru/news/7")
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ItemStatus.DONE
    assert item.evidence.count() == 3


def test_completing_without_evidence_is_refused_in_russian(world, client_as):
    response = complete(client_as(world.curator_a1), world.roadmap_a1_item)
    assert "приложите хотя бы одно подтверждение" in text(response)
    assert RoadmapItem.objects.get(pk=world.roadmap_a1_item.pk).status == ItemStatus.NOT_STARTED


def test_an_evidence_file_of_a_wrong_type_writes_nothing(world, client_as):
    bad = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
    good = SimpleUploadedFile("prikaz.pdf", b"%PDF", content_type="application/pdf")
    response = complete(client_as(world.curator_a1), world.roadmap_a1_item, files=[good, bad])
    assert "такой тип файла не принимается" in text(response)
    assert not ItemEvidence.objects.filter(item=world.roadmap_a1_item).exists()
    assert RoadmapItem.objects.get(pk=world.roadmap_a1_item.pk).status == ItemStatus.NOT_STARTED


def test_an_evidence_file_too_big_writes_nothing(world, client_as, monkeypatch):
    monkeypatch.setattr(services, "EVIDENCE_MAX_BYTES", 10)
    big = SimpleUploadedFile("prikaz.pdf", b"%PDF" + b"0" * 100, content_type="application/pdf")
    response = complete(client_as(world.curator_a1), world.roadmap_a1_item, files=[big])
    assert "больше" in text(response)
    assert not ItemEvidence.objects.filter(item=world.roadmap_a1_item).exists()


def test_a_bad_link_is_a_russian_error(world, client_as):
    response = complete(client_as(world.curator_a1), world.roadmap_a1_item, links="javascript:alert(1)")
    assert "не похожа на адрес страницы" in text(response)
    assert not ItemEvidence.objects.filter(item=world.roadmap_a1_item).exists()


def test_progress_is_kept_after_approval(world, client_as):
    Roadmap.objects.filter(pk=world.roadmap_a1.pk).update(status=RoadmapStatus.APPROVED)
    client = client_as(world.curator_a1)
    url = reverse("roadmaps:item_progress", args=[world.roadmap_a1_item.pk])
    response = client.post(url, {"status": ItemStatus.IN_PROGRESS, "fact_start": "2024-05-01", "_submission": token()})
    assert response.status_code == 302
    assert RoadmapItem.objects.get(pk=world.roadmap_a1_item.pk).status == ItemStatus.IN_PROGRESS


def test_the_officer_cannot_mark_a_schools_item_done(world, client_as):
    response = complete(client_as(world.officer_a), world.roadmap_a1_item, links="https://example.ru/")
    assert response.status_code == 403
