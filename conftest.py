"""Options for the whole suite: which backend a run talks to, and what counts as a browser test.

Personas, factories and the shared world live in ``mentorship/tests/conftest.py``;
the browser harness lives in ``e2e/conftest.py``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
E2E_DIR = ROOT / "e2e"

#: The tests whose outcome can depend on the backend: bin/test runs the whole suite on
#: PostgreSQL and only these again on the embedded SQLite default (``--sqlite-subset``).
#: Everything else (access rules, forms, services' checks, most pages) is plain ORM that
#: Django translates alike for both.
SQLITE_SUBSET = (
    # the embedded default's start-up: settings, cache, no Redis
    "mentorship/tests/test_settings.py",
    # search: Lower()/LIKE on SQLite, trigram index on PostgreSQL (mentorship/search.py)
    "mentorship/tests/test_views.py",
    "mentorship/tests/test_filters.py",
    "mentorship/tests/test_pagination.py",
    "participants/tests/test_scope.py",
    "participants/tests/test_lists_at_scale.py",
    # the access layer's subqueries (Cast of object_pk, InSubquery)
    "mentorship/tests/test_access_places.py",
    # imports and generators with a PostgreSQL-only bulk path
    "mentorship/tests/test_imports.py",
    "demodata/tests/test_generate_scale.py",
    "participants/tests/test_resources.py",
    # aggregates, annotations and date arithmetic in SQL
    "participants/tests/test_selectors.py",
    "participants/tests/test_matching.py",
    "roadmaps/tests/test_selectors.py",
    "monitoring/tests/test_dashboards.py",
    "monitoring/tests/test_indicators.py",
    "monitoring/tests/test_services.py",
    "monitoring/tests/test_views.py",
    "reports/tests/test_monitoring_report.py",
    "reports/tests/test_dates.py",
    "notifications/tests/test_roadmap_sources.py",
    "notifications/tests/test_participants_sources.py",
    # one browser journey through the embedded default
    "e2e/test_participants_journey.py",
)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--sqlite-subset",
        action="store_true",
        help="run only the tests marked sqlite (those whose outcome can depend on the backend)",
    )


def pytest_configure(config: pytest.Config) -> None:
    missing = [path for path in SQLITE_SUBSET if not (ROOT / path).is_file()]
    if missing:  # a renamed test file must not drop out of the SQLite run unnoticed
        raise pytest.UsageError(f"conftest.SQLITE_SUBSET names missing files: {missing}")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    subset = {ROOT / path for path in SQLITE_SUBSET}
    for item in items:
        # Everything under e2e/ is a browser journey, whether or not its author marked it.
        if E2E_DIR in item.path.parents:
            item.add_marker(pytest.mark.e2e)
        if item.path in subset:
            item.add_marker(pytest.mark.sqlite)
    if config.getoption("sqlite_subset"):
        kept = [item for item in items if item.get_closest_marker("sqlite")]
        config.hook.pytest_deselected(items=[item for item in items if not item.get_closest_marker("sqlite")])
        items[:] = kept
    # Browser journeys run last: once Playwright's sync API has started, an event loop
    # is running in the test thread until the session ends, which Django's async
    # machinery (async_to_sync, the async-unsafe guard) would trip over in later tests.
    # Under pytest-xdist this holds per worker too: its load scheduler hands the tests out
    # in this order, so a worker is given no ordinary test after its first journey.
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


@pytest.fixture(autouse=True)
def _force_login_includes_the_second_factor(monkeypatch: pytest.MonkeyPatch) -> None:
    """``client.force_login(user)`` stands for a finished log-in: the password and, where owed, the second factor.

    Two-factor log-in stays enforced in every test: the password step still marks the session
    as owing the second factor (accounts/two_factor.py), and a log-in through the form is held
    at the two-factor pages (accounts/tests/test_two_factor.py, e2e's ``login`` gives the code).
    Only the shortcut that skips the password skips the code too, as a session that gave both
    would be; it adds no device and no query to the pages the tests count.
    """
    from django.test import Client

    from accounts import two_factor

    force_login = Client.force_login

    def signed_in(self: Client, user: object, backend: str | None = None) -> None:
        force_login(self, user, backend)
        session = self.session
        if session.get(two_factor.SESSION_KEY) == two_factor.PENDING:
            session[two_factor.SESSION_KEY] = two_factor.PASSED
            session.save()

    monkeypatch.setattr(Client, "force_login", signed_in)
