"""Tests: the environment's PostgreSQL and Redis where given, else the embedded default."""

import os

from .base import *  # noqa: F403
from .base import CACHES, REDIS_URL

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = ["*"]

# Under pytest-xdist each worker gets a Redis database of its own for the cache: a test's
# cache.clear() is a FLUSHDB, which would empty the cache under another worker's test.
# gw0 keeps the URL's database (15 from bin/test); gw1, gw2… take 13, 12… (14 belongs to
# notifications/tests/test_worker.py's real broker).
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if REDIS_URL and _WORKER.startswith("gw") and _WORKER != "gw0":
    _base, _, _database = REDIS_URL.rstrip("/").rpartition("/")
    if _database.isdigit():
        CACHES["default"]["LOCATION"] = f"{_base}/{int(_database) - 1 - int(_WORKER[2:])}"
