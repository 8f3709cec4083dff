"""End to end with a REAL Redis broker and a REAL Celery worker process.

``manage.py send_reminders`` runs as its own process with ``REDIS_URL`` set: it records the
reminders and publishes one digest task per user to Redis; a ``celery -A mentorship worker``
started here consumes it and sends the letter through the file-based e-mail backend (the
locmem mailbox cannot cross processes), then the row shows ``sent``. Both processes use the
test database, so this runs on PostgreSQL only; it skips when Redis is not reachable.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from mentorship.choices import Role
from mentorship.tests.factories import MunicipalityFactory, OrganisationFactory, RegionFactory, user_with_role
from notifications.choices import EmailState
from notifications.models import Reminder
from roadmaps.tests.factories import RoadmapFactory

from .helpers import dated_item

REDIS_URL = os.environ.get("NOTIFICATIONS_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
BASE_DIR = Path(settings.BASE_DIR)


def _redis_reachable() -> str:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except Exception as error:
        return f"{type(error).__name__}: {error}"
    return ""


pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the worker is a separate process: it cannot see the in-memory SQLite test database",
    ),
]


def _environment(tmp_path: Path, redis_url: str) -> dict[str, str]:
    db = connection.settings_dict
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="mentorship.settings.local",
        DATABASE_URL=f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{host}:{port}/{db['NAME']}",
        REDIS_URL=redis_url,
        CELERY_TASK_ALWAYS_EAGER="false",
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(tmp_path / "mail"),
        SITE_URL="https://portal.example.ru",
        LOG_LEVEL="WARNING",
    )
    return env


def _bin(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


@pytest.fixture
def due_item():
    organisation = OrganisationFactory(municipality=MunicipalityFactory(region=RegionFactory()))
    curator = user_with_role("worker_curator", Role.CURATOR, organisation)
    item = dated_item(RoadmapFactory(organisation=organisation), "до 15.03.2025", number="1.1")
    return curator, item


@pytest.mark.skipif(bool(_redis_reachable()), reason=f"Redis is not reachable at {REDIS_URL}: {_redis_reachable()}")
def test_a_real_worker_delivers_the_digest_through_redis(due_item, tmp_path):
    import redis

    curator, item = due_item
    redis.Redis.from_url(REDIS_URL).flushdb()  # database 14: the test's own
    env = _environment(tmp_path, REDIS_URL)
    job = subprocess.run(
        [sys.executable, "manage.py", "send_reminders", "--date", "2025-03-15"],
        cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert job.returncode == 0, job.stderr
    assert "писем со сводкой поставлено в отправку 1" in job.stdout
    assert Reminder.objects.get().email_state == EmailState.PENDING  # queued, not sent by the command

    worker = subprocess.Popen(  # noqa: S603 (our own virtualenv's celery)
        [_bin("celery"), "-A", "mentorship", "worker", "--pool", "solo", "--without-mingle", "--without-gossip",
         "--loglevel", "WARNING"],
        cwd=BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and Reminder.objects.get().email_state != EmailState.SENT:
            assert worker.poll() is None, worker.stdout.read()
            time.sleep(0.5)
    finally:
        worker.terminate()
        output = worker.communicate(timeout=30)[0]
    reminder = Reminder.objects.get()
    assert reminder.email_state == EmailState.SENT, output
    assert reminder.sent_at is not None
    assert reminder.attempts == 1
    [letter] = list((tmp_path / "mail").iterdir())
    text = letter.read_text()
    assert f"To: {curator.email}" in text
    assert f"https://portal.example.ru/roadmaps/{item.roadmap_id}/#item-{item.pk}" in text


def test_the_job_with_redis_down_fails_clearly_and_keeps_the_reminders(due_item, tmp_path):
    env = _environment(tmp_path, "redis://127.0.0.1:1/0")  # nothing listens on port 1
    started = time.monotonic()
    job = subprocess.run(
        [sys.executable, "manage.py", "send_reminders", "--date", "2025-03-15"],
        cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert job.returncode != 0
    assert "Не удалось поставить письма в очередь: брокер Redis недоступен" in job.stderr
    assert "письма будут отправлены при следующем запуске" in job.stderr
    assert time.monotonic() - started < 60
    reminder = Reminder.objects.get()
    assert reminder.email_state == EmailState.PENDING
    assert reminder.notification.user == due_item[0]
