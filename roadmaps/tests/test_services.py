"""Roadmap services: creating and editing, items, evidence, approval, cascade, target indicators."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from mentorship.choices import Role
from mentorship.errors import DomainError
from mentorship.tests.factories import OrganisationFactory, UserFactory, assign_role
from roadmaps import services
from roadmaps.choices import ItemKind, ItemStatus, ResponsibleKind, RoadmapEventKind, RoadmapStatus
from roadmaps.models import ItemEvidence, ResponsibleParty, Roadmap, RoadmapEvent, RoadmapItem, TargetValue
from roadmaps.responsible import ParsedResponsible, responsible_parse

from .factories import PERIOD, add_item

pytestmark = pytest.mark.django_db

P, R, B = ResponsibleKind.PERSON, ResponsibleKind.ROLE, ResponsibleKind.BODY


def events(roadmap) -> list[str]:
    return list(RoadmapEvent.objects.filter(roadmap=roadmap).order_by("pk").values_list("kind", flat=True))


def status_of(roadmap) -> str:
    return Roadmap.objects.get(pk=roadmap.pk).status


def submitted(world, key: str = "roadmap_a1", by: str = "curator_a1") -> Roadmap:
    return services.roadmap_submit(actor=world.persona(by), roadmap=world.objects[key])


def approved(world) -> Roadmap:
    return services.roadmap_approve(actor=world.officer_a, roadmap=submitted(world))


def pdf(name: str = "приказ.pdf", content: bytes = b"%PDF-1.4 test") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


# --- responsible_parse: the seeds' cells --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ростовская Е.В.\nМалинина Я.Н.", [("Ростовская Е.В.", P, ""), ("Малинина Я.Н.", P, "")]),
        ("С.Г. Максименко", [("С.Г. Максименко", P, "")]),
        ("Иванова Мария Петровна", [("Иванова Мария Петровна", P, "")]),
        ("Руководители ОО", [("Руководители ОО", R, Role.DIRECTOR)]),
        ("Руководители образовательных организаций", [("Руководители образовательных организаций", R, Role.DIRECTOR)]),
        (
            "Руководители ОО, кураторы внедрения ЦМН в ОО",
            [("Руководители ОО", R, Role.DIRECTOR), ("кураторы внедрения ЦМН в ОО", R, Role.CURATOR)],
        ),
        ("ОО", [("ОО", R, Role.DIRECTOR)]),
        ("УО, ОО", [("УО", B, Role.MUNICIPAL_OFFICER), ("ОО", R, Role.DIRECTOR)]),
        ("ГАУ ДПО ИРО РБ", [("ГАУ ДПО ИРО РБ", B, Role.REGIONAL_COORDINATOR)]),
        (
            "МКУ «ИМЦ», образовательные организации",
            [("МКУ «ИМЦ»", B, Role.MUNICIPAL_OFFICER), ("образовательные организации", R, Role.DIRECTOR)],
        ),
        (
            "Департамент образования МКУ «ИМЦ», образовательные организации",
            [
                ("Департамент образования", B, Role.MUNICIPAL_OFFICER),
                ("МКУ «ИМЦ»", B, Role.MUNICIPAL_OFFICER),
                ("образовательные организации", R, Role.DIRECTOR),
            ],
        ),
        (
            "Руководители ОО МКУ «ИМЦ»",
            [("Руководители ОО", R, Role.DIRECTOR), ("МКУ «ИМЦ»", B, Role.MUNICIPAL_OFFICER)],
        ),
        (
            "Руководители органов местного самоуправления, осуществляющих управление в сфере образования",
            [
                (
                    "Руководители органов местного самоуправления, осуществляющих управление в сфере образования",
                    R,
                    Role.MUNICIPAL_OFFICER,
                )
            ],
        ),
        (
            "Министерство образования и науки РБ,\n\nГАУ ДПО ИРО РБ",
            [
                ("Министерство образования и науки РБ", B, Role.REGIONAL_COORDINATOR),
                ("ГАУ ДПО ИРО РБ", B, Role.REGIONAL_COORDINATOR),
            ],
        ),
        (
            "Кураторы внедрения ЦМН в ОО, организации – партнеры",
            [("Кураторы внедрения ЦМН в ОО", R, Role.CURATOR), ("организации – партнеры", B, "")],
        ),
        (
            "МКУ «ИМЦ», творческая лаборатория «Повышение, развитие»",
            [
                ("МКУ «ИМЦ»", B, Role.MUNICIPAL_OFFICER),
                ("творческая лаборатория «Повышение, развитие»", B, ""),
            ],
        ),
        ("руководители профессиональных сообществ", [("руководители профессиональных сообществ", R, "")]),
        (
            "кураторы внедрения целевой модели наставничества в ОО",
            [("кураторы внедрения целевой модели наставничества в ОО", R, Role.CURATOR)],
        ),
        ("БУ «СурГПУ»", [("БУ «СурГПУ»", B, "")]),
        ("Наставники; координатор", [("Наставники", R, Role.MENTOR), ("координатор", R, Role.COORDINATOR)]),
        ("", []),
        (" ,\n ; ", []),
    ],
)
def test_responsible_parse_splits_and_classifies_the_seeds_cells(text, expected):
    assert [(p.name, p.kind, p.role) for p in responsible_parse(text)] == expected


def test_responsible_parse_keeps_each_name_exactly_as_written():
    parsed = responsible_parse("Ростовская  Е.В.")
    assert parsed == [ParsedResponsible("Ростовская  Е.В.", P, surname="Ростовская", initials="Е.В.")]


def test_responsible_parse_does_not_take_a_word_containing_an_abbreviation_for_a_body():
    # «иро» inside «широкий» is not the institute (ИРО).
    assert responsible_parse("широкий круг педагогов")[0].body_kind == ""


# --- roadmap_create / roadmap_update ------------------------------------------------------------


def test_curator_creates_a_draft_roadmap_of_own_school(world):
    roadmap = services.roadmap_create(
        actor=world.curator_a1, place=world.organisation_a1, title="Дорожная карта 2026", **PERIOD
    )
    assert roadmap.organisation == world.organisation_a1
    assert roadmap.status == RoadmapStatus.DRAFT
    assert roadmap.created_by == world.curator_a1


def test_curator_cannot_create_a_roadmap_for_another_school(world):
    with pytest.raises(PermissionDenied):
        services.roadmap_create(actor=world.curator_a1, place=world.organisation_b1, title="Чужая", **PERIOD)
    assert not Roadmap.objects.filter(title="Чужая").exists()


def test_municipal_officer_cannot_create_a_roadmap_of_the_region(world):
    with pytest.raises(PermissionDenied):
        services.roadmap_create(actor=world.officer_a, place=world.region_r, title="Региональная", **PERIOD)
    assert not Roadmap.objects.filter(title="Региональная").exists()


def test_roadmap_period_must_not_end_before_it_starts(world):
    with pytest.raises(ValidationError):
        services.roadmap_create(
            actor=world.curator_a1,
            place=world.organisation_a1,
            title="Наоборот",
            period_start=date(2025, 1, 1),
            period_end=date(2024, 1, 1),
        )


def test_curator_updates_the_goal_of_a_draft_roadmap(world):
    services.roadmap_update(actor=world.curator_a1, roadmap=world.roadmap_a1, data={"goal": "Охват 70 %"})
    assert Roadmap.objects.get(pk=world.roadmap_a1.pk).goal == "Охват 70 %"


def test_an_approved_roadmap_is_frozen(world):
    roadmap = approved(world)
    with pytest.raises(DomainError, match="Согласованную дорожную карту нельзя изменить; "):
        services.roadmap_update(actor=world.curator_a1, roadmap=roadmap, data={"title": "Новое"})
    with pytest.raises(DomainError, match="Согласованную"):
        add_item(world.curator_a1, roadmap, "2.")
    with pytest.raises(DomainError, match="Согласованную"):
        services.roadmap_item_update(actor=world.curator_a1, item=world.roadmap_a1_item, data={"title": "Другое"})
    with pytest.raises(DomainError, match="Согласованную"):
        services.roadmap_item_delete(actor=world.curator_a1, item=world.roadmap_a1_item)
    assert Roadmap.objects.get(pk=roadmap.pk).title == world.roadmap_a1.title


def test_a_submitted_roadmap_waits_for_the_decision_before_edits(world):
    roadmap = submitted(world)
    with pytest.raises(DomainError, match="на согласовании"):
        services.roadmap_update(actor=world.curator_a1, roadmap=roadmap, data={"title": "Новое"})


def test_a_returned_roadmap_can_be_edited_again(world):
    roadmap = services.roadmap_return(actor=world.officer_a, roadmap=submitted(world), comment="Добавьте сроки")
    services.roadmap_update(actor=world.curator_a1, roadmap=roadmap, data={"title": "Исправленная"})
    assert Roadmap.objects.get(pk=roadmap.pk).title == "Исправленная"


def test_changing_the_period_reparses_the_items_deadlines(world):
    item = add_item(world.curator_a1, world.roadmap_a1, "2.", deadline="март")
    assert item.deadline_due == date(2024, 3, 31)
    services.roadmap_update(
        actor=world.curator_a1,
        roadmap=world.roadmap_a1,
        data={"period_start": date(2026, 1, 1), "period_end": date(2026, 12, 31)},
    )
    assert RoadmapItem.objects.get(pk=item.pk).deadline_due == date(2026, 3, 31)


def test_roadmap_update_refuses_fields_it_does_not_own(world):
    with pytest.raises(ValueError, match="status"):
        services.roadmap_update(actor=world.curator_a1, roadmap=world.roadmap_a1, data={"status": "approved"})


# --- items --------------------------------------------------------------------------------------


def test_item_deadline_is_parsed_with_the_roadmaps_period(world):
    item = add_item(world.curator_a1, world.roadmap_a1, "2.", deadline="до 15.03.2024 г.")
    assert (item.deadline_kind, item.deadline_due, item.deadline_needs_review) == ("by_date", date(2024, 3, 15), False)
    months = add_item(world.curator_a1, world.roadmap_a1, "3.", deadline="март-апрель")
    assert (months.deadline_start, months.deadline_due) == (date(2024, 3, 1), date(2024, 4, 30))


def test_a_recurring_deadline_is_due_at_its_last_repetition_in_the_period(world):
    item = add_item(world.curator_a1, world.roadmap_a1, "2.", deadline="ежеквартально")
    assert (item.deadline_recurrence, item.deadline_due) == ("quarterly", date(2025, 12, 31))


def test_an_unclear_deadline_is_kept_and_flagged_without_a_guessed_date(world):
    item = add_item(world.curator_a1, world.roadmap_a1, "2.", deadline="после дождичка в четверг")
    assert item.deadline_text == "после дождичка в четверг"
    assert item.deadline_needs_review
    assert item.deadline_problem
    assert item.deadline_due is None
    assert item.deadline_start is None


def test_an_item_without_a_deadline_is_not_flagged(world):
    item = add_item(world.curator_a1, world.roadmap_a1, "2.")
    assert not item.deadline_needs_review
    assert item.deadline_kind == ""


def test_an_item_goes_under_its_section_by_number(world):
    item = add_item(world.curator_a1, world.roadmap_a1, "1.2")
    assert item.parent.number == "1."
    deep = add_item(world.curator_a1, world.roadmap_a1, "1.2.1")
    assert deep.parent == item


def test_a_section_added_after_its_items_adopts_them(world):
    early = add_item(world.curator_a1, world.roadmap_a1, "2.1")
    assert early.parent is None
    section = add_item(world.curator_a1, world.roadmap_a1, "2", kind=ItemKind.SECTION)
    assert RoadmapItem.objects.get(pk=early.pk).parent == section


def test_duplicate_numbers_are_refused(world):
    with pytest.raises(ValidationError):
        add_item(world.curator_a1, world.roadmap_a1, "1.1")


def test_municipal_officer_cannot_edit_a_schools_items(world):
    with pytest.raises(PermissionDenied, match="только этот уровень"):
        add_item(world.officer_a, world.roadmap_a1, "2.")
    with pytest.raises(PermissionDenied):
        services.roadmap_item_update(actor=world.officer_a, item=world.roadmap_a1_item, data={"title": "Иначе"})
    with pytest.raises(PermissionDenied):
        services.roadmap_item_delete(actor=world.officer_a, item=world.roadmap_a1_item)
    assert RoadmapItem.objects.get(pk=world.roadmap_a1_item.pk).title == "Положение о наставничестве"


def test_curator_of_another_school_cannot_add_items(world):
    with pytest.raises(PermissionDenied):
        add_item(world.curator_b1, world.roadmap_a1, "2.")
    assert not RoadmapItem.objects.filter(roadmap=world.roadmap_a1, number="2.").exists()


def test_a_mentor_sees_but_cannot_edit_the_schools_roadmap(world):
    with pytest.raises(PermissionDenied):
        add_item(world.mentor_a1, world.roadmap_a1, "2.")


def test_municipal_officer_edits_own_municipal_roadmap(world):
    item = add_item(world.officer_a, world.roadmap_a, "1.", deadline="до 01.09.2024", responsible="УО")
    assert item.roadmap == world.roadmap_a


def test_item_update_reparses_the_deadline_and_responsible(world):
    item = add_item(world.curator_a1, world.roadmap_a1, "2.", deadline="март", responsible="Руководители ОО")
    services.roadmap_item_update(
        actor=world.curator_a1, item=item, data={"deadline_text": "до 01.10.2024", "responsible_text": "Кураторы ЦМН"}
    )
    item.refresh_from_db()
    assert item.deadline_due == date(2024, 10, 1)
    assert list(item.responsible.values_list("name", "role")) == [("Кураторы ЦМН", Role.CURATOR)]


def test_renumbering_an_item_moves_it_under_its_new_section(world):
    section = add_item(world.curator_a1, world.roadmap_a1, "2.", kind=ItemKind.SECTION)
    services.roadmap_item_update(actor=world.curator_a1, item=world.roadmap_a1_item, data={"number": "2.1"})
    assert RoadmapItem.objects.get(pk=world.roadmap_a1_item.pk).parent == section


def test_deleting_a_section_deletes_its_items(world):
    section = world.roadmap_a1_item.parent
    services.roadmap_item_delete(actor=world.curator_a1, item=section)
    assert not RoadmapItem.objects.filter(roadmap=world.roadmap_a1).exists()


# --- responsible parties ------------------------------------------------------------------------


def malinina(username: str, place):
    user = UserFactory(username=username, last_name="Малинина", first_name="Яна", patronymic="Николаевна")
    assign_role(user, Role.CURATOR, place)
    return user


def test_a_responsible_person_becomes_the_portal_user_with_that_short_name(world):
    user = malinina("malinina", world.organisation_a2)
    item = add_item(world.curator_a1, world.roadmap_a1, "2.", responsible="Малинина Я.Н.\nПетров П.П.")
    parties = list(item.responsible.order_by("position"))
    assert [(p.kind, p.name, p.user) for p in parties] == [
        (ResponsibleKind.USER, "Малинина Я.Н.", user),
        (ResponsibleKind.PERSON, "Петров П.П.", None),
    ]


def test_a_short_name_shared_by_two_users_stays_a_named_person(world):
    # Every persona of the world is «Ростовская Е.В.» (the factories' default name).
    item = add_item(world.curator_a1, world.roadmap_a1, "2.", responsible="Ростовская Е.В.")
    party = ResponsibleParty.objects.get(item=item)
    assert (party.kind, party.user) == (ResponsibleKind.PERSON, None)


def test_a_user_of_another_region_is_not_matched(world):
    malinina("stranger", world.organisation_c1)
    item = add_item(world.curator_a1, world.roadmap_a1, "2.", responsible="Малинина Я.Н.")
    assert item.responsible.get().user is None


def test_bodies_are_matched_by_short_name_and_by_kind_in_the_municipality(world):
    item = add_item(world.officer_a, world.roadmap_a, "1.", responsible="ГАУ ДПО ИРО РБ, УО, Руководители ОО")
    parties = list(item.responsible.order_by("position"))
    assert [(p.kind, p.body, p.role) for p in parties] == [
        (ResponsibleKind.BODY, world.body_r, Role.REGIONAL_COORDINATOR),
        (ResponsibleKind.BODY, world.body_a, Role.MUNICIPAL_OFFICER),
        (ResponsibleKind.ROLE, None, Role.DIRECTOR),
    ]


def test_a_confirmed_list_of_parties_is_stored_as_given(world):
    given = [ParsedResponsible("Завуч", ResponsibleKind.ROLE, role=Role.COORDINATOR)]
    item = services.roadmap_item_create(
        actor=world.curator_a1, roadmap=world.roadmap_a1, data={"number": "2.", "title": "Т"}, responsible=given
    )
    assert item.responsible_text == "Завуч"
    assert list(item.responsible.values_list("name", "role")) == [("Завуч", Role.COORDINATOR)]


# --- status and evidence ------------------------------------------------------------------------


def test_marking_done_without_evidence_is_refused(world):
    with pytest.raises(DomainError, match="приложите хотя бы одно подтверждение"):
        services.roadmap_item_complete(
            actor=world.curator_a1, item=world.roadmap_a1_item, evidence=[], fact_end=date(2024, 5, 1)
        )
    with pytest.raises(DomainError, match="приложите хотя бы одно подтверждение"):
        services.roadmap_item_set_status(actor=world.curator_a1, item=world.roadmap_a1_item, status=ItemStatus.DONE)
    assert RoadmapItem.objects.get(pk=world.roadmap_a1_item.pk).status == ItemStatus.NOT_STARTED


def test_completing_with_a_link_marks_the_item_done(world):
    item = services.roadmap_item_complete(
        actor=world.curator_a1,
        item=world.roadmap_a1_item,
        evidence=[("https://school.example.ru/nastavnichestvo", "Положение на сайте")],
        fact_end=date(2024, 5, 1),
    )
    assert (item.status, item.fact_end, item.fact_start) == (ItemStatus.DONE, date(2024, 5, 1), date(2024, 5, 1))
    assert item.evidence.get().url == "https://school.example.ru/nastavnichestvo"


def test_completing_with_a_file_stores_it_with_its_author(world):
    services.roadmap_item_complete(
        actor=world.curator_a1,
        item=world.roadmap_a1_item,
        evidence=[(pdf(), "Приказ № 12")],
        fact_end=date(2024, 5, 1),
    )
    evidence = ItemEvidence.objects.get(item=world.roadmap_a1_item)
    assert evidence.file.name.endswith(".pdf")
    assert (evidence.description, evidence.added_by) == ("Приказ № 12", world.curator_a1)


def test_an_evidence_file_of_a_forbidden_type_is_refused(world):
    with pytest.raises(DomainError, match="такой тип файла не принимается"):
        services.roadmap_item_complete(
            actor=world.curator_a1,
            item=world.roadmap_a1_item,
            evidence=[(SimpleUploadedFile("virus.exe", b"MZ"), "")],
            fact_end=date(2024, 5, 1),
        )
    assert not ItemEvidence.objects.exists()


def test_an_evidence_file_over_20_mb_is_refused(world):
    big = pdf()
    big.size = 20 * 1024 * 1024 + 1
    with pytest.raises(DomainError, match="больше 20 МБ"):
        services.roadmap_item_complete(
            actor=world.curator_a1, item=world.roadmap_a1_item, evidence=[(big, "")], fact_end=date(2024, 5, 1)
        )
    assert RoadmapItem.objects.get(pk=world.roadmap_a1_item.pk).status == ItemStatus.NOT_STARTED


def test_an_evidence_link_must_be_a_web_address(world):
    with pytest.raises(DomainError, match="не похожа на адрес"):
        services.roadmap_item_complete(
            actor=world.curator_a1,
            item=world.roadmap_a1_item,
            evidence=[("javascript:alert(1)", "")],
            fact_end=date(2024, 5, 1),
        )


def test_a_fact_date_in_the_future_is_refused(world):
    with pytest.raises(DomainError, match="ещё не наступила"):
        services.roadmap_item_complete(
            actor=world.curator_a1,
            item=world.roadmap_a1_item,
            evidence=[("https://example.ru/a", "")],
            fact_end=date(2999, 1, 1),
        )


def test_completing_twice_is_refused(world):
    args = {"actor": world.curator_a1, "item": world.roadmap_a1_item, "fact_end": date(2024, 5, 1)}
    services.roadmap_item_complete(evidence=[("https://example.ru/a", "")], **args)
    with pytest.raises(DomainError, match="уже отмечен выполненным"):
        services.roadmap_item_complete(evidence=[("https://example.ru/b", "")], **args)
    assert ItemEvidence.objects.count() == 1


def test_evidence_attached_earlier_lets_the_item_be_marked_done_again(world):
    item = services.roadmap_item_complete(
        actor=world.curator_a1,
        item=world.roadmap_a1_item,
        evidence=[("https://example.ru/a", "")],
        fact_end=date(2024, 5, 1),
    )
    services.roadmap_item_set_status(actor=world.curator_a1, item=item, status=ItemStatus.IN_PROGRESS)
    item = services.roadmap_item_set_status(
        actor=world.curator_a1, item=item, status=ItemStatus.DONE, fact_end=date(2024, 5, 2)
    )
    assert (item.status, item.fact_end) == (ItemStatus.DONE, date(2024, 5, 2))


def test_in_progress_records_the_start_and_not_started_clears_the_dates(world):
    item = services.roadmap_item_set_status(
        actor=world.curator_a1, item=world.roadmap_a1_item, status=ItemStatus.IN_PROGRESS, fact_start=date(2024, 2, 1)
    )
    assert (item.status, item.fact_start) == (ItemStatus.IN_PROGRESS, date(2024, 2, 1))
    item = services.roadmap_item_set_status(actor=world.curator_a1, item=item, status=ItemStatus.NOT_STARTED)
    assert (item.fact_start, item.fact_end) == (None, None)


def test_a_section_is_never_marked_done_itself(world):
    with pytest.raises(DomainError, match="раздел"):
        services.roadmap_item_complete(
            actor=world.curator_a1,
            item=world.roadmap_a1_item.parent,
            evidence=[("https://example.ru/a", "")],
            fact_end=date(2024, 5, 1),
        )


def test_progress_is_recorded_on_an_approved_roadmap(world):
    approved(world)
    item = services.roadmap_item_set_status(
        actor=world.curator_a1, item=world.roadmap_a1_item, status=ItemStatus.IN_PROGRESS
    )
    assert item.status == ItemStatus.IN_PROGRESS


def test_the_officer_above_does_not_record_a_schools_progress(world):
    with pytest.raises(PermissionDenied):
        services.roadmap_item_set_status(
            actor=world.officer_a, item=world.roadmap_a1_item, status=ItemStatus.IN_PROGRESS
        )


# --- approval -----------------------------------------------------------------------------------


def test_curator_submits_the_schools_roadmap_and_an_event_is_written(world):
    roadmap = submitted(world)
    assert roadmap.status == RoadmapStatus.SUBMITTED
    assert roadmap.submitted_at is not None
    event = RoadmapEvent.objects.get(roadmap=roadmap)
    assert (event.kind, event.actor) == (RoadmapEventKind.SUBMITTED, world.curator_a1)


def test_a_roadmap_without_activities_cannot_be_submitted(world):
    with pytest.raises(DomainError, match="нет ни одного мероприятия"):
        services.roadmap_submit(actor=world.officer_a, roadmap=world.roadmap_a)
    assert status_of(world.roadmap_a) == RoadmapStatus.DRAFT


def test_a_submission_lists_the_deadlines_still_to_fix(world):
    add_item(world.curator_a1, world.roadmap_a1, "2.", deadline="когда-нибудь")
    submitted(world)
    assert "Сроки требуют уточнения: 2." in RoadmapEvent.objects.get(roadmap=world.roadmap_a1).comment


def test_the_officer_above_cannot_submit_a_schools_roadmap(world):
    with pytest.raises(PermissionDenied):
        services.roadmap_submit(actor=world.officer_a, roadmap=world.roadmap_a1)
    assert status_of(world.roadmap_a1) == RoadmapStatus.DRAFT


def test_municipal_officer_approves_their_schools_roadmap(world):
    roadmap = services.roadmap_approve(actor=world.officer_a, roadmap=submitted(world), comment="Согласовано")
    assert roadmap.status == RoadmapStatus.APPROVED
    assert roadmap.approved_at is not None
    assert events(roadmap) == [RoadmapEventKind.SUBMITTED, RoadmapEventKind.APPROVED]
    assert RoadmapEvent.objects.filter(roadmap=roadmap).last().actor == world.officer_a


def test_officer_of_b_cannot_approve_a_school_of_a(world):
    roadmap = submitted(world)
    with pytest.raises(PermissionDenied):
        services.roadmap_approve(actor=world.officer_b, roadmap=roadmap)
    assert status_of(roadmap) == RoadmapStatus.SUBMITTED


def test_curator_cannot_approve_own_roadmap(world):
    roadmap = submitted(world)
    for persona in ("curator_a1", "director_a1"):
        with pytest.raises(PermissionDenied):
            services.roadmap_approve(actor=world.persona(persona), roadmap=roadmap)
    assert status_of(roadmap) == RoadmapStatus.SUBMITTED


def test_curator_cannot_approve_another_schools_roadmap(world):
    with pytest.raises(PermissionDenied):
        services.roadmap_approve(actor=world.curator_b1, roadmap=submitted(world))


def test_municipal_officer_cannot_approve_own_municipal_roadmap(world):
    add_item(world.officer_a, world.roadmap_a, "1.")
    roadmap = submitted(world, "roadmap_a", by="officer_a")
    with pytest.raises(DomainError, match="Свою дорожную карту согласовать нельзя"):
        services.roadmap_approve(actor=world.officer_a, roadmap=roadmap)
    assert status_of(roadmap) == RoadmapStatus.SUBMITTED


def test_regional_coordinator_approves_a_municipal_roadmap(world):
    add_item(world.officer_a, world.roadmap_a, "1.")
    roadmap = services.roadmap_approve(
        actor=world.regional_coordinator, roadmap=submitted(world, "roadmap_a", by="officer_a")
    )
    assert roadmap.status == RoadmapStatus.APPROVED


def test_regional_coordinator_leaves_a_schools_roadmap_to_its_municipality(world):
    with pytest.raises(DomainError, match="согласует Уфимский район"):
        services.roadmap_approve(actor=world.regional_coordinator, roadmap=submitted(world))


def test_regional_coordinator_cannot_approve_the_regions_own_roadmap(world):
    add_item(world.regional_coordinator, world.roadmap_r, "1.")
    roadmap = submitted(world, "roadmap_r", by="regional_coordinator")
    with pytest.raises(DomainError, match="Свою дорожную карту"):
        services.roadmap_approve(actor=world.regional_coordinator, roadmap=roadmap)


def test_returning_requires_a_comment(world):
    roadmap = submitted(world)
    with pytest.raises(DomainError, match="без комментария вернуть дорожную карту нельзя"):
        services.roadmap_return(actor=world.officer_a, roadmap=roadmap, comment="   ")
    assert status_of(roadmap) == RoadmapStatus.SUBMITTED


def test_a_draft_cannot_be_approved(world):
    with pytest.raises(DomainError, match="«черновик»"):
        services.roadmap_approve(actor=world.officer_a, roadmap=world.roadmap_a1)
    assert events(world.roadmap_a1) == []


def test_double_approve_makes_one_transition_and_one_event(world):
    roadmap = submitted(world)
    services.roadmap_approve(actor=world.officer_a, roadmap=roadmap)
    stale = Roadmap.objects.get(pk=roadmap.pk)
    stale.status = RoadmapStatus.SUBMITTED  # what a second browser tab still shows
    with pytest.raises(DomainError, match="Дорожная карта уже согласована"):
        services.roadmap_approve(actor=world.officer_a, roadmap=stale)
    assert events(roadmap).count(RoadmapEventKind.APPROVED) == 1


def test_return_after_approval_is_refused(world):
    roadmap = approved(world)
    with pytest.raises(DomainError, match="«согласована»"):
        services.roadmap_return(actor=world.officer_a, roadmap=roadmap, comment="Поздно")


def test_the_journey_submit_return_fix_resubmit_approve(world):
    roadmap = submitted(world)
    services.roadmap_return(actor=world.officer_a, roadmap=roadmap, comment="Укажите ответственных в п. 1.1")
    services.roadmap_item_update(
        actor=world.curator_a1, item=world.roadmap_a1_item, data={"responsible_text": "Руководители ОО"}
    )
    services.roadmap_submit(actor=world.curator_a1, roadmap=roadmap)
    services.roadmap_approve(actor=world.officer_a, roadmap=roadmap)
    assert status_of(roadmap) == RoadmapStatus.APPROVED
    assert events(roadmap) == ["submitted", "returned", "submitted", "approved"]
    assert RoadmapEvent.objects.get(roadmap=roadmap, kind="returned").comment == "Укажите ответственных в п. 1.1"


def test_a_new_revision_makes_an_approved_roadmap_a_draft_again(world):
    roadmap = services.roadmap_revise(actor=world.curator_a1, roadmap=approved(world))
    assert (roadmap.status, roadmap.approved_at) == (RoadmapStatus.DRAFT, None)
    assert events(roadmap)[-1] == RoadmapEventKind.REVISED
    services.roadmap_update(actor=world.curator_a1, roadmap=roadmap, data={"title": "Редакция 2"})


def test_only_an_approved_roadmap_is_revised(world):
    with pytest.raises(DomainError):
        services.roadmap_revise(actor=world.curator_a1, roadmap=world.roadmap_a1)


def test_the_approver_does_not_start_a_revision_of_a_schools_roadmap(world):
    with pytest.raises(PermissionDenied):
        services.roadmap_revise(actor=world.officer_a, roadmap=approved(world))


# --- cascade ------------------------------------------------------------------------------------


@pytest.fixture
def municipal_item(world) -> RoadmapItem:
    return add_item(
        world.officer_a,
        world.roadmap_a,
        "1.9",
        deadline="до 12.04.2024",
        responsible="Руководители ОО",
        expected_result="Приказы ОО",
    )


def test_officer_passes_an_item_to_every_school_of_the_municipality(world, municipal_item):
    created = services.roadmap_item_cascade(actor=world.officer_a, item=municipal_item)
    assert {child.roadmap for child in created} == {world.roadmap_a1, world.roadmap_a2}
    child = next(c for c in created if c.roadmap == world.roadmap_a1)
    assert (child.title, child.expected_result, child.deadline_due) == (
        municipal_item.title,
        "Приказы ОО",
        date(2024, 4, 12),
    )
    assert list(child.responsible.values_list("name", "role")) == [("Руководители ОО", Role.DIRECTOR)]


def test_passing_an_item_down_again_creates_nothing_new(world, municipal_item):
    services.roadmap_item_cascade(actor=world.officer_a, item=municipal_item)
    assert services.roadmap_item_cascade(actor=world.officer_a, item=municipal_item) == []
    assert RoadmapItem.objects.filter(cascaded_from=municipal_item).count() == 2


def test_an_item_passed_to_selected_schools_reaches_only_them(world, municipal_item):
    created = services.roadmap_item_cascade(
        actor=world.officer_a, item=municipal_item, organisations=[world.organisation_a2]
    )
    assert [child.roadmap for child in created] == [world.roadmap_a2]
    # Adding the rest later tops it up without duplicates.
    services.roadmap_item_cascade(actor=world.officer_a, item=municipal_item)
    assert RoadmapItem.objects.filter(cascaded_from=municipal_item).count() == 2


def test_a_school_without_a_roadmap_for_the_period_gets_a_draft_one(world, municipal_item):
    school = OrganisationFactory(municipality=world.municipality_a, code="A3", short_name="МОБУ СОШ с. Чесноковка")
    created = services.roadmap_item_cascade(actor=world.officer_a, item=municipal_item, organisations=[school])
    roadmap = created[0].roadmap
    assert (roadmap.organisation, roadmap.status, roadmap.period_start) == (
        school,
        RoadmapStatus.DRAFT,
        world.roadmap_a.period_start,
    )


def test_an_item_is_not_passed_to_a_school_of_another_municipality(world, municipal_item):
    with pytest.raises(DomainError, match=re.escape("МОБУ СОШ № 1 г. Белорецк")):
        services.roadmap_item_cascade(actor=world.officer_a, item=municipal_item, organisations=[world.organisation_b1])
    assert not RoadmapItem.objects.filter(cascaded_from=municipal_item).exists()


def test_a_schools_item_has_nobody_below_to_pass_to(world):
    with pytest.raises(DomainError, match="нет подчинённых"):
        services.roadmap_item_cascade(actor=world.curator_a1, item=world.roadmap_a1_item)


def test_a_school_cannot_pass_down_a_municipal_item(world, municipal_item):
    with pytest.raises(PermissionDenied):
        services.roadmap_item_cascade(actor=world.curator_a1, item=municipal_item)


def test_regional_item_reaches_the_schools_of_the_whole_region(world):
    item = add_item(world.regional_coordinator, world.roadmap_r, "12.", responsible="Руководители ОО")
    created = services.roadmap_item_cascade(actor=world.regional_coordinator, item=item)
    assert {child.roadmap.organisation for child in created} == {
        world.organisation_a1,
        world.organisation_a2,
        world.organisation_b1,
    }


def test_a_passed_down_item_is_added_even_to_an_approved_school_roadmap(world, municipal_item):
    approved(world)
    created = services.roadmap_item_cascade(
        actor=world.officer_a, item=municipal_item, organisations=[world.organisation_a1]
    )
    assert created[0].roadmap == world.roadmap_a1


def test_a_passed_down_item_cannot_be_deleted_at_the_source(world, municipal_item):
    services.roadmap_item_cascade(actor=world.officer_a, item=municipal_item)
    with pytest.raises(DomainError, match="передан в подчинённые организации"):
        services.roadmap_item_delete(actor=world.officer_a, item=municipal_item)


# --- target indicators --------------------------------------------------------------------------


def test_target_indicator_is_created_then_updated_in_place(world):
    indicator = services.target_indicator_set(
        actor=world.officer_a,
        roadmap=world.roadmap_a,
        code="programmes",
        name="Количество программ наставничества",
        unit="count",
        values={2024: Decimal(25), 2025: Decimal(35)},
    )
    again = services.target_indicator_set(
        actor=world.officer_a,
        roadmap=world.roadmap_a,
        code="programmes",
        name="Количество программ наставничества, не менее",
        unit="count",
        values={2025: Decimal(40)},
    )
    assert again.pk == indicator.pk
    assert again.name.endswith("не менее")
    assert list(TargetValue.objects.filter(indicator=indicator).values_list("year", "value")) == [(2025, Decimal(40))]


def test_target_values_are_validated(world):
    with pytest.raises(ValidationError):
        services.target_indicator_set(
            actor=world.curator_a1,
            roadmap=world.roadmap_a1,
            code="share",
            name="Доля",
            unit="percent",
            values={2024: Decimal(-1)},
        )


def test_target_indicators_of_an_approved_roadmap_are_frozen(world):
    with pytest.raises(DomainError, match="Согласованную"):
        services.target_indicator_set(
            actor=world.curator_a1, roadmap=approved(world), code="share", name="Доля", unit="percent", values={}
        )


def test_the_officer_above_does_not_set_a_schools_indicators(world):
    with pytest.raises(PermissionDenied):
        services.target_indicator_set(
            actor=world.officer_a, roadmap=world.roadmap_a1, code="share", name="Доля", unit="percent", values={}
        )
