"""The directory's lists and their .xlsx exports: the file holds exactly the page's rows for the same filters."""

from __future__ import annotations

import pytest
from django.urls import reverse

from .lists import exported_rows, filter_error, page_objects

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("page", "key", "query", "column"),
    [
        ("directory:organisations", "organisations", lambda w: {"municipality": w.municipality_a.pk}, 4),
        ("directory:organisations", "organisations", lambda w: {"q": "Белорецк"}, 4),
        ("directory:bodies", "bodies", lambda w: {"region": w.region_r.pk}, 2),
        ("directory:partners", "partners", lambda w: {"region": w.region_r2.pk, "kind": "university"}, 2),
    ],
)
def test_the_export_of_a_filtered_directory_list_holds_exactly_the_pages_rows(client, world, page, key, query, column):
    client.force_login(world.superuser)
    params = query(world)
    listed = [obj.code for obj in page_objects(client, reverse(page), params)]
    everything = page_objects(client, reverse(page), {})
    assert 0 < len(listed) < len(everything)
    assert [row[column] for row in exported_rows(client, key, params)] == listed


@pytest.mark.parametrize(
    ("page", "field"),
    [
        ("directory:organisations", "municipality"),
        ("directory:organisations", "kind"),
        ("directory:bodies", "region"),
        ("directory:partners", "kind"),
    ],
)
def test_an_invalid_filter_value_is_a_russian_error_on_the_directory_page(client, world, page, field):
    client.force_login(world.superuser)
    assert "Выберите корректный вариант" in filter_error(client, reverse(page), {field: "нет-такого"}, field)
