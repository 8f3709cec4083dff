"""Options for the whole suite: which backend a run talks to, and what counts as a browser test.

Personas, factories and the shared world live in ``mentorship/tests/conftest.py``;
the browser harness lives in ``e2e/conftest.py``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

E2E_DIR = Path(__file__).resolve().parent / "e2e"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Everything under e2e/ is a browser journey, whether or not its author marked it.
    for item in items:
        if E2E_DIR in item.path.parents:
            item.add_marker(pytest.mark.e2e)
    # Browser journeys run last: once Playwright's sync API has started, an event loop
    # is running in the test thread until the session ends, which Django's async
    # machinery (async_to_sync, the async-unsafe guard) would trip over in later tests.
    items.sort(key=lambda item: item.get_closest_marker("e2e") is not None)


def pytest_report_header(config: pytest.Config) -> list[str]:
    # Say which backend this run is on: bin/test runs the suite on PostgreSQL and SQLite.
    from django.conf import settings

    database = settings.DATABASES["default"]
    cache = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    engine = database["ENGINE"].rsplit(".", 1)[-1]
    where = " ".join(str(part) for part in (database.get("HOST"), database.get("PORT"), database["NAME"]) if part)
    return [f"database: {engine} {where}", f"cache: {cache}; celery broker: {settings.CELERY_BROKER_URL}"]


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """Suffix the server-side test database with ``TEST_DB_SUFFIX`` when it is set.

    bin/test sets it per checkout, so that two checkouts testing against one PostgreSQL
    at the same time (a developer and CI on one machine) do not drop each other's
    ``test_mentorship``. The in-memory SQLite test database needs no suffix.
    """
    suffix = os.environ.get("TEST_DB_SUFFIX", "")
    if not suffix:
        return
    from django.conf import settings

    for database in settings.DATABASES.values():
        if database["ENGINE"] == "django.db.backends.sqlite3":
            continue
        test = database.setdefault("TEST", {})
        test["NAME"] = f"{test.get('NAME') or 'test_' + database['NAME']}_{suffix}"
