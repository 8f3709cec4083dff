"""Long lists page through their keys first, then build the rows of one page only."""

from __future__ import annotations

import pytest
from django.core.paginator import EmptyPage, Paginator
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from mentorship.models import Organisation
from mentorship.pagination import KeysFirstPaginator, stable_ordering

from .factories import MunicipalityFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed() -> list[Organisation]:
    """Seven organisations, three of them sharing a name, so only the key orders them."""
    municipality = MunicipalityFactory()
    names = ["Гимназия", "Лицей", "Школа", "Школа", "Школа", "Колледж", "Ясли"]
    return [OrganisationFactory(municipality=municipality, short_name=name) for name in names]


def organisations() -> object:
    """An annotated, joined, filtered list, as the list pages build them."""
    return (
        Organisation.objects.select_related("municipality")
        .annotate(bodies_count=Count("municipality__bodies"))
        .exclude(short_name="Ясли")
        .order_by("short_name")
    )


def test_every_page_holds_what_djangos_paginator_gives_with_the_key_as_tie_break(listed) -> None:
    reference = Paginator(organisations().order_by("short_name", "pk"), 2)
    keys_first = KeysFirstPaginator(organisations(), 2)
    assert keys_first.count == reference.count == 6
    assert keys_first.num_pages == 3
    pages = [[o.pk for o in keys_first.page(n).object_list] for n in keys_first.page_range]
    assert pages == [[o.pk for o in reference.page(n).object_list] for n in reference.page_range]
    # No row twice, none left out, the excluded one absent.
    assert sorted(pk for page in pages for pk in page) == sorted(o.pk for o in listed[:6])


def test_rows_keep_their_joins_and_annotations(listed) -> None:
    [first, *_] = KeysFirstPaginator(organisations(), 3).page(1).object_list
    assert first.short_name == "Гимназия"
    assert first.bodies_count == 0
    with CaptureQueriesContext(connection) as queries:
        assert first.municipality.name
    assert len(queries) == 0


def test_a_deep_page_costs_the_same_queries_as_the_first(listed) -> None:
    paginator = KeysFirstPaginator(organisations(), 2)
    paginator.count  # noqa: B018 - counted once per paginator
    for number in (1, 3):
        with CaptureQueriesContext(connection) as queries:
            list(paginator.page(number).object_list)
        assert len(queries) == 2, [q["sql"] for q in queries]


def test_a_page_past_the_end_is_refused_as_django_does(listed) -> None:
    with pytest.raises(EmptyPage):
        KeysFirstPaginator(organisations(), 2).page(4)


def test_a_row_deleted_between_the_keys_and_the_rows_is_left_out(listed, monkeypatch) -> None:
    paginator = KeysFirstPaginator(organisations(), 3)
    gone = listed[0]
    real_values_list = type(paginator.object_list).values_list

    def keys_then_delete(self, *fields, **kwargs):
        keys = list(real_values_list(self, *fields, **kwargs))
        Organisation.objects.filter(pk=gone.pk).delete()
        return keys

    monkeypatch.setattr(type(paginator.object_list), "values_list", keys_then_delete)
    rows = paginator.page(1).object_list
    assert gone.pk not in [o.pk for o in rows]
    assert len(rows) == 2


def test_a_list_that_is_not_a_queryset_is_paged_as_django_does() -> None:
    assert list(KeysFirstPaginator(list(range(7)), 3).page(3).object_list) == [6]


def test_the_ordering_ends_on_the_key_unless_it_already_does() -> None:
    assert stable_ordering(Organisation.objects.order_by("short_name")) == ["short_name", "pk"]
    assert stable_ordering(Organisation.objects.order_by("-pk")) == ["-pk"]
    assert stable_ordering(Organisation.objects.all()) == [*Organisation._meta.ordering, "pk"]
