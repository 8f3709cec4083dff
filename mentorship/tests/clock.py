"""The clock the suite's dated tests run on: 23.11.2026 at noon in Moscow.

School year 2026/2027; the latest monitoring period begun is September's. The rules compare dates
with today (a consent signed tomorrow, a meeting held in the future, the current school year), so
without the pin those tests would start failing as the real date moves, or at midnight in Moscow
while the machine's UTC day is still the 23rd. The clock ticks on from there, so timeouts work.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine

TEST_NOW = datetime(2026, 11, 23, 12, 0, tzinfo=ZoneInfo("Europe/Moscow"))


@contextmanager
def pinned_clock() -> Iterator[None]:
    """Run the block on ``TEST_NOW``, the clock ticking on from there."""
    with time_machine.travel(TEST_NOW, tick=True):
        yield
