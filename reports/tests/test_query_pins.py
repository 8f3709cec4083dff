"""«Мои документы» costs the same queries for a few jobs and for many (issue 18, point 16)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from mentorship.tests.pins import assert_queries_do_not_grow
from reports.choices import DocumentKind, RenderStatus
from reports.models import DocumentJob


def request_documents(user: Any, n: int, start: int) -> None:
    for i in range(start, start + n):
        DocumentJob.objects.create(
            kind=DocumentKind.ROADMAP,
            object_id=i + 1,
            title=f"Документ в очереди {i}",
            requested_by=user,
            status=RenderStatus.FAILED if i % 2 else RenderStatus.PENDING,
        )


def test_my_documents_cost_the_same_queries_for_2_and_14_jobs(world, client, django_assert_num_queries):
    user = world.persona("curator_a1")
    client.force_login(user)
    address = reverse("reports:jobs")
    request_documents(user, 2, 0)

    def more() -> None:
        request_documents(user, 12, 2)

    response = assert_queries_do_not_grow(client, address, more, django_assert_num_queries)
    assert response.content.decode().count("Документ в очереди") >= 14
