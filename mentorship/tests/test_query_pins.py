"""The imports index costs the same queries for a few jobs in the log and for many (issue 18, point 16)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from mentorship.models import ImportJob
from mentorship.models.imports import ImportStatus
from mentorship.tests.pins import assert_queries_do_not_grow


def upload(user: Any, n: int, start: int) -> None:
    for i in range(start, start + n):
        ImportJob.objects.create(
            kind="people",
            user=user,
            file_name=f"список-{i}.xlsx",
            sha256=f"{i:064x}",
            status=ImportStatus.DONE if i % 2 else ImportStatus.INVALID,
        )


def test_the_imports_index_costs_the_same_queries_for_2_and_14_jobs(world, client_as, django_assert_num_queries):
    user = world.persona("curator_a1")
    client = client_as(user)
    address = reverse("imports:index")
    upload(user, 2, 0)

    def more() -> None:
        upload(user, 12, 2)

    response = assert_queries_do_not_grow(client, address, more, django_assert_num_queries)
    assert response.content.decode().count("список-") >= 14
