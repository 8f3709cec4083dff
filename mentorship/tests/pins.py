"""A page's query count pinned against the data: the same count for a few rows and for many."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(client: Any, address: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200
    return len(queries)


def assert_queries_do_not_grow(client: Any, address: str, more: Callable[[], None], assert_num_queries: Any) -> Any:
    """Count ``address``'s queries, call ``more()`` to add rows, and require the same count again.

    The first request warms the session and the content types; the page's answer to the last one
    is returned for the test to check that the new rows are there.
    """
    client.get(address)
    few = count_queries(client, address)
    more()
    with assert_num_queries(few):
        response = client.get(address)
    assert response.status_code == 200
    return response
