"""Building a test world once per module, the way Django's ``TestCase.setUpTestData`` does.

The world is built inside a transaction that is rolled back at the module's end;
each test runs in a savepoint nested in it (pytest-django's ``db``), so what one
test writes is gone before the next starts. Apps' conftests pass their own builder.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from django.db import transaction

W = TypeVar("W")


def world_for_module(django_db_blocker: Any, build: Callable[[], W]) -> Iterator[W]:
    """Yield ``build()``'s world for a module-scoped fixture; roll it back afterwards."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            world = build()
        except BaseException:
            outer.__exit__(*sys.exc_info())
            raise
    yield world
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)
