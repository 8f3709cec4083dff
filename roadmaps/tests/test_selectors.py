"""Roadmap selectors: the item table, overdue, «Мои задачи», the approval queue, cascade progress."""

from __future__ import annotations

from datetime import date

import pytest

from mentorship.choices import Role
from mentorship.tests.factories import UserFactory, assign_role
from roadmaps import selectors, services
from roadmaps.choices import ItemKind, ItemStatus, ResponsibleKind, RoadmapEventKind
from roadmaps.models import ItemEvidence, Roadmap

from .factories import ResponsiblePartyFactory, RoadmapItemFactory, add_item

pytestmark = pytest.mark.django_db


def numbers(items) -> list[str]:
    return [item.number for item in items]


# --- overdue ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "overdue"),
    [
        ({"deadline_due": date(2024, 5, 31)}, True),
        ({"deadline_due": date(2024, 6, 1)}, False),  # due today is not late yet
        ({"deadline_due": date(2024, 5, 31), "status": ItemStatus.IN_PROGRESS}, True),
        ({"deadline_due": date(2024, 5, 31), "status": ItemStatus.DONE}, False),
        ({"deadline_due": date(2024, 5, 31), "deadline_needs_review": True}, False),
        ({"deadline_due": date(2024, 5, 31), "kind": ItemKind.SECTION}, False),
        ({"deadline_due": None}, False),
    ],
)
def test_overdue_is_computed_the_same_in_the_database_and_in_memory(world, today, fields, overdue):
    item = RoadmapItemFactory(roadmap=world.roadmap_a1, number="9.", **fields)
    annotated = selectors.roadmap_items(user=world.curator_a1, roadmap=world.roadmap_a1, today=today).get(pk=item.pk)
    assert annotated.is_overdue is overdue
    assert selectors.item_is_overdue(item, today) is overdue


# --- the item table -----------------------------------------------------------------------------


def test_roadmap_items_come_in_document_order_with_their_counts(world, today):
    for number in ("10.", "2.", "2.10", "2.9"):
        add_item(world.curator_a1, world.roadmap_a1, number)
    items = list(selectors.roadmap_items(user=world.curator_a1, roadmap=world.roadmap_a1, today=today))
    assert numbers(items) == ["1.", "1.1", "2.", "2.9", "2.10", "10."]
    by_number = {item.number: item for item in items}
    assert (by_number["1."].children_count, by_number["2."].children_count, by_number["2.9"].children_count) == (
        1,
        2,
        0,
    )


def test_roadmap_items_are_empty_for_a_user_who_may_not_see_the_roadmap(world, today):
    assert not selectors.roadmap_items(user=world.curator_b1, roadmap=world.roadmap_a1, today=today).exists()


def fill(roadmap, count: int) -> None:
    """``count`` items, each with two responsible parties (one a user) and a piece of evidence."""
    user = UserFactory(username=f"resp{count}")
    for n in range(count):
        item = RoadmapItemFactory(roadmap=roadmap, number=f"5.{n + 1}", deadline_due=date(2024, 5, 1))
        ResponsiblePartyFactory(item=item, kind=ResponsibleKind.USER, name=str(user), user=user)
        ResponsiblePartyFactory(item=item, role=Role.DIRECTOR)
        ItemEvidence.objects.create(item=item, url="https://example.ru/report", added_by=user)


def render(user, roadmap, today) -> list[tuple]:
    """What the table shows of each item; touching every relation it displays."""
    return [
        (
            item.number,
            item.is_overdue,
            item.children_count,
            item.cascaded_count,
            [(party.name, party.user and party.user.get_short_name(), party.body) for party in item.responsible.all()],
            [(evidence.url, str(evidence.added_by)) for evidence in item.evidence.all()],
            item.cascaded_from and item.cascaded_from.roadmap.title,
        )
        for item in selectors.roadmap_items(user=user, roadmap=roadmap, today=today)
    ]


@pytest.mark.parametrize("count", [10, 50])
def test_the_item_table_takes_the_same_queries_for_10_and_50_items(world, today, count, django_assert_num_queries):
    fill(world.roadmap_a1, count)
    # The items with their counts and overdue flag; their responsible parties; their evidence.
    with django_assert_num_queries(3):
        rows = render(world.curator_a1, world.roadmap_a1, today)
    assert len(rows) == count + 2
    assert all(row[1] for row in rows if row[0].startswith("5."))


# --- my tasks -----------------------------------------------------------------------------------


def test_my_tasks_are_the_users_items_soonest_deadline_first(world, today):
    curator = world.curator_a1
    add_item(curator, world.roadmap_a1, "2.", deadline="до 15.03.2024", responsible="Кураторы ЦМН")
    add_item(curator, world.roadmap_a1, "3.", deadline="по запросу", responsible="куратор внедрения ЦМН")
    add_item(curator, world.roadmap_a1, "4.", deadline="до 01.02.2024", responsible="Кураторы ЦМН")
    add_item(curator, world.roadmap_a1, "5.", deadline="до 01.09.2024", responsible="Руководители ОО")
    add_item(curator, world.roadmap_a1, "6.", deadline="до 01.10.2024", responsible="Кураторы ЦМН")
    tasks = list(selectors.my_tasks(user=curator, today=today))
    assert numbers(tasks) == ["4.", "2.", "6.", "3."]
    assert [task.is_overdue for task in tasks] == [True, True, False, False]


def test_my_tasks_leave_out_done_items_and_other_schools(world, today):
    item = add_item(world.curator_a1, world.roadmap_a1, "2.", deadline="до 01.02.2024", responsible="Кураторы")
    services.roadmap_item_complete(
        actor=world.curator_a1, item=item, evidence=[("https://example.ru/a", "")], fact_end=date(2024, 1, 30)
    )
    add_item(world.curator_b1, world.roadmap_b1, "2.", deadline="до 01.02.2024", responsible="Кураторы")
    assert list(selectors.my_tasks(user=world.curator_a1, today=today)) == []


def test_a_portal_user_named_responsible_has_the_item_in_their_tasks(world, today):
    user = UserFactory(username="malinina", last_name="Малинина", first_name="Яна", patronymic="Николаевна")
    assign_role(user, Role.MENTOR, world.organisation_a1)
    add_item(world.curator_a1, world.roadmap_a1, "2.", deadline="до 01.09.2024", responsible="Малинина Я.Н.")
    assert numbers(selectors.my_tasks(user=user, today=today)) == ["2."]
    assert numbers(selectors.my_tasks(user=world.coordinator_a1, today=today)) == []


def test_directors_of_the_municipality_have_its_items_for_school_heads(world, today):
    add_item(world.officer_a, world.roadmap_a, "1.5", deadline="до 15.03.2024", responsible="Руководители ОО")
    assert numbers(selectors.my_tasks(user=world.director_a1, today=today)) == ["1.5"]
    assert numbers(selectors.my_tasks(user=world.curator_a1, today=today)) == []
    # A director of another municipality's school does not.
    director_b1 = UserFactory(username="director_b1")
    assign_role(director_b1, Role.DIRECTOR, world.organisation_b1)
    assert numbers(selectors.my_tasks(user=director_b1, today=today)) == []


def test_the_municipal_officer_has_the_items_of_the_education_authority(world, today):
    add_item(world.officer_a, world.roadmap_a, "2.6", deadline="до 01.09.2024", responsible="УО")
    add_item(world.officer_b, world.roadmap_b, "2.6", deadline="до 01.09.2024", responsible="УО")
    tasks = list(selectors.my_tasks(user=world.officer_a, today=today))
    assert [(task.roadmap, task.number) for task in tasks] == [(world.roadmap_a, "2.6")]


def test_an_item_passed_down_shows_once_as_the_schools_own(world, today):
    source = add_item(world.officer_a, world.roadmap_a, "1.9", deadline="до 12.04.2024", responsible="Руководители ОО")
    services.roadmap_item_cascade(actor=world.officer_a, item=source, organisations=[world.organisation_a1])
    tasks = list(selectors.my_tasks(user=world.director_a1, today=today))
    assert [(task.roadmap, task.cascaded_from) for task in tasks] == [(world.roadmap_a1, source)]


def test_an_anonymous_visitor_has_no_tasks(world, today):
    assert list(selectors.my_tasks(user=world.anonymous, today=today)) == []


def test_my_tasks_take_two_queries_and_one_for_parties(world, today, django_assert_num_queries):
    for n in range(5):
        add_item(world.curator_a1, world.roadmap_a1, f"{n + 2}.", deadline="до 01.09.2024", responsible="Кураторы")
    with django_assert_num_queries(3):  # the user's roles, the items, their responsible parties
        tasks = list(selectors.my_tasks(user=world.curator_a1, today=today))
        assert all(task.responsible.all() for task in tasks)


# --- approval queue and list --------------------------------------------------------------------


def test_the_officer_queue_holds_the_submitted_roadmaps_of_their_schools_only(world):
    for key, by in (("roadmap_a1", "curator_a1"), ("roadmap_b1", "curator_b1")):
        services.roadmap_submit(actor=world.persona(by), roadmap=world.objects[key])
    add_item(world.officer_a, world.roadmap_a, "1.")
    services.roadmap_submit(actor=world.officer_a, roadmap=world.roadmap_a)
    assert list(selectors.roadmaps_awaiting_approval(user=world.officer_a)) == [world.roadmap_a1]
    assert list(selectors.roadmaps_awaiting_approval(user=world.officer_b)) == [world.roadmap_b1]
    assert list(selectors.roadmaps_awaiting_approval(user=world.regional_coordinator)) == [world.roadmap_a]
    assert list(selectors.roadmaps_awaiting_approval(user=world.curator_a1)) == []


def test_a_decided_roadmap_leaves_the_queue(world):
    roadmap = services.roadmap_submit(actor=world.curator_a1, roadmap=world.roadmap_a1)
    services.roadmap_return(actor=world.officer_a, roadmap=roadmap, comment="Доработать")
    assert list(selectors.roadmaps_awaiting_approval(user=world.officer_a)) == []


def test_roadmap_list_counts_activities_done_and_revisions(world):
    roadmap = services.roadmap_submit(actor=world.curator_a1, roadmap=world.roadmap_a1)
    services.roadmap_approve(actor=world.officer_a, roadmap=roadmap)
    services.roadmap_revise(actor=world.curator_a1, roadmap=roadmap)
    services.roadmap_item_complete(
        actor=world.curator_a1,
        item=world.roadmap_a1_item,
        evidence=[("https://example.ru/a", "")],
        fact_end=date(2024, 1, 30),
    )
    row = selectors.roadmap_list(user=world.curator_a1).get(pk=roadmap.pk)
    assert (row.activity_count, row.done_count, row.revision) == (1, 1, 2)


def test_roadmap_events_are_the_history_of_a_visible_roadmap(world):
    services.roadmap_submit(actor=world.curator_a1, roadmap=world.roadmap_a1)
    kinds = [event.kind for event in selectors.roadmap_events(user=world.officer_a, roadmap=world.roadmap_a1)]
    assert kinds == [RoadmapEventKind.SUBMITTED]
    assert not selectors.roadmap_events(user=world.curator_b1, roadmap=world.roadmap_a1).exists()


# --- cascade progress ---------------------------------------------------------------------------


def test_cascade_progress_counts_done_and_lists_the_late(world, today, django_assert_num_queries):
    source = add_item(world.officer_a, world.roadmap_a, "1.9", deadline="до 12.04.2024", responsible="Руководители ОО")
    children = {c.roadmap.organisation: c for c in services.roadmap_item_cascade(actor=world.officer_a, item=source)}
    services.roadmap_item_complete(
        actor=world.curator_a1,
        item=children[world.organisation_a1],
        evidence=[("https://example.ru/a", "")],
        fact_end=date(2024, 4, 10),
    )
    with django_assert_num_queries(2):
        progress = selectors.cascade_progress(user=world.officer_a, item=source, today=today)
    assert (progress.done, progress.total) == (1, 2)
    assert [child.roadmap.organisation for child in progress.late] == [world.organisation_a2]


def test_cascade_progress_before_the_deadline_has_nobody_late(world, today):
    source = add_item(world.officer_a, world.roadmap_a, "1.9", deadline="до 12.04.2024")
    services.roadmap_item_cascade(actor=world.officer_a, item=source)
    progress = selectors.cascade_progress(user=world.officer_a, item=source, today=date(2024, 4, 1))
    assert (progress.done, progress.total, progress.late) == (0, 2, [])


def test_cascade_children_link_to_each_school_as_far_as_the_user_sees(world, today):
    source = add_item(world.officer_a, world.roadmap_a, "1.9", deadline="до 12.04.2024")
    services.roadmap_item_cascade(actor=world.officer_a, item=source)
    seen_by_officer = selectors.cascade_children(user=world.officer_a, item=source, today=today)
    assert {c.roadmap.organisation for c in seen_by_officer} == {world.organisation_a1, world.organisation_a2}
    seen_by_curator = selectors.cascade_children(user=world.curator_a1, item=source, today=today)
    assert [c.roadmap for c in seen_by_curator] == [world.roadmap_a1]
    assert selectors.cascade_progress(user=world.curator_a1, item=source, today=today).total == 1


def test_a_section_counts_its_cascaded_items_separately(world, today):
    source = add_item(world.officer_a, world.roadmap_a, "1.9", deadline="до 12.04.2024")
    services.roadmap_item_cascade(actor=world.officer_a, item=source)
    row = selectors.roadmap_items(user=world.officer_a, roadmap=world.roadmap_a, today=today).get(pk=source.pk)
    assert (row.cascaded_count, row.children_count) == (2, 0)


def test_no_extra_roadmap_appears_for_a_school_that_already_has_one(world):
    source = add_item(world.officer_a, world.roadmap_a, "1.9", deadline="до 12.04.2024")
    before = Roadmap.objects.count()
    services.roadmap_item_cascade(actor=world.officer_a, item=source)
    assert Roadmap.objects.count() == before
