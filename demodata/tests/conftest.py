"""What the demo and scale tests share: the clock the apps' tests run on, and an empty cache.

The tests of the participants', monitoring's and the orders' demo data and scale steps were
written under their apps' pinned clock (23.11.2026 at noon in Moscow: school year 2026/2027, the
latest period begun is September's); they ask for it by ``pytestmark``, and monitoring's for
the empty cache too. The directory's and the roadmaps' ran on the real clock and still do.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mentorship.tests.clock import pinned_clock as clock


@pytest.fixture(scope="module")
def pinned_clock() -> Iterator[None]:
    """The module runs on 23.11.2026 at noon in Moscow; the clock ticks on from there."""
    with clock():
        yield


@pytest.fixture
def empty_cache() -> Iterator[None]:
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
