"""The participants' lists and their .xlsx exports: the file holds exactly the page's rows for the same filters."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mentorship.tests.lists import exported_rows, filter_error, page_objects
from participants.choices import MentorshipForm, PairStatus, PersonKind

from .factories import PairFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pairs(world):
    PairFactory(programme=world.programme_a1, mentors=[world.mentor_a1_person], mentees=[world.mentee_a1_person])
    PairFactory(programme=world.programme_b1, mentees=[world.student_b1_person], status=PairStatus.ACTIVE)


@pytest.mark.parametrize(
    ("page", "key", "query", "column", "label"),
    [
        ("participants:people", "people", lambda w: {"kind": PersonKind.STUDENT}, 3, lambda o: o.surname),
        (
            "participants:people",
            "people",
            lambda w: {"organisation": w.organisation_a1.pk, "q": "ов"},
            3,
            lambda o: o.surname,
        ),
        (
            "participants:mentees",
            "mentees",
            lambda w: {"year": 2026, "organisation": w.organisation_b1.pk},
            3,
            lambda o: o.person.surname,
        ),
        ("participants:pairs", "pairs", lambda w: {"status": PairStatus.ACTIVE}, 2, str),
        ("participants:pairs", "pairs", lambda w: {"q": "Сидоров"}, 2, str),
        (
            "participants:programmes",
            "programmes",
            lambda w: {"form": MentorshipForm.STUDENT_STUDENT},
            2,
            lambda o: o.title,
        ),
    ],
)
def test_the_export_of_a_filtered_list_holds_exactly_the_pages_rows(
    client, world, pairs, page, key, query, column, label
):
    client.force_login(world.regional_coordinator)
    params = query(world)
    listed = [label(obj) for obj in page_objects(client, reverse(page), params)]
    everything = page_objects(client, reverse(page), {"year": 2026} if key == "mentees" else {})
    assert 0 < len(listed) < len(everything)
    assert [row[column] for row in exported_rows(client, key, params)] == listed


@pytest.mark.parametrize(
    ("page", "field"),
    [
        ("participants:people", "kind"),
        ("participants:people", "organisation"),
        ("participants:mentors", "mentor_kind"),
        ("participants:mentees", "mentee_category"),
        ("participants:unpaired", "form"),
        ("participants:pairs", "status"),
        ("participants:pairs", "school_year"),
        ("participants:programmes", "form"),
        ("participants:bank", "form"),
    ],
)
def test_an_invalid_filter_value_is_a_russian_error_on_the_page(client, world, page, field):
    client.force_login(world.regional_coordinator)
    assert "Выберите корректный вариант" in filter_error(client, reverse(page), {field: "нет-такого"}, field)
