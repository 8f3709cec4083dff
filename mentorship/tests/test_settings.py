"""Settings: the embedded default needs no environment, production passes Django's deploy checks.

Settings are read once per process, so each case imports them in a fresh
interpreter with exactly the environment it describes.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json
from django.conf import settings
import django
django.setup()
print(json.dumps({
    "engine": settings.DATABASES["default"]["ENGINE"],
    "name": str(settings.DATABASES["default"]["NAME"]),
    "eager": settings.CELERY_TASK_ALWAYS_EAGER,
    "broker": settings.CELERY_BROKER_URL,
    "email": settings.EMAIL_BACKEND,
    "cache": settings.CACHES["default"]["BACKEND"],
    "debug": settings.DEBUG,
    "language": settings.LANGUAGE_CODE,
    "time_zone": settings.TIME_ZONE,
    "secure_cookies": settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE,
    "conn_max_age": settings.DATABASES["default"]["CONN_MAX_AGE"],
    "conn_health_checks": settings.DATABASES["default"].get("CONN_HEALTH_CHECKS", False),
    "server_side_cursors": not settings.DATABASES["default"].get("DISABLE_SERVER_SIDE_CURSORS", False),
}))
"""


def clean_env(**variables: str) -> dict[str, str]:
    """Only what an interpreter needs to start, plus ``variables``: no DATABASE_URL, REDIS_URL, …"""
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG", "SYSTEMROOT") if key in os.environ}
    env["PYTHONPATH"] = str(ROOT)
    env.update(variables)
    return env


def run(args: list[str], **variables: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 (our own interpreter and manage.py)
        [sys.executable, *args], cwd=ROOT, env=clean_env(**variables), capture_output=True, text=True, timeout=120
    )


def probe(settings_module: str, **variables: str) -> dict:
    result = run(["-c", PROBE], **{"DJANGO_SETTINGS_MODULE": settings_module, **variables})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def no_dotenv():
    if (ROOT / ".env").exists():
        pytest.skip("a developer's .env is present; the embedded default is defined for no environment at all")


@pytest.mark.usefixtures("no_dotenv")
@pytest.mark.parametrize("module", ["mentorship.settings.base", "mentorship.settings.local"])
def test_with_no_environment_the_portal_runs_on_the_embedded_default(module):
    found = probe(module)
    assert found["engine"] == "django.db.backends.sqlite3"
    assert found["name"] == str(ROOT / "db.sqlite3")
    assert found["eager"] is True
    assert found["broker"] == "memory://"
    assert found["email"] == "django.core.mail.backends.console.EmailBackend"
    assert found["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert (found["language"], found["time_zone"]) == ("ru", "Europe/Moscow")
    assert found["secure_cookies"] is False


@pytest.mark.usefixtures("no_dotenv")
def test_local_settings_turn_debug_on_and_base_leaves_it_off():
    assert probe("mentorship.settings.local")["debug"] is True
    assert probe("mentorship.settings.base")["debug"] is False


@pytest.mark.usefixtures("no_dotenv")
def test_database_and_redis_come_from_the_environment():
    found = probe(
        "mentorship.settings.local",
        DATABASE_URL="postgres://portal:secret@db.example.ru:5432/mentorship",
        REDIS_URL="redis://cache.example.ru:6379/0",
    )
    assert found["engine"] == "django.db.backends.postgresql"
    assert found["name"] == "mentorship"
    assert found["eager"] is False
    assert found["broker"] == "redis://cache.example.ru:6379/0"
    assert found["cache"] == "django_redis.cache.RedisCache"


def production_env(**overrides: str) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "mentorship.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "portal.example.ru",
        "DATABASE_URL": "sqlite:////tmp/x.sqlite3",  # never opened by the checks
        **overrides,
    }


def test_production_settings_pass_the_deploy_checks():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **production_env())
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_keeps_database_connections_open_and_checks_them_before_reuse():
    found = probe("mentorship.settings.production", **production_env())
    assert (found["conn_max_age"], found["conn_health_checks"], found["server_side_cursors"]) == (60, True, True)
    behind_pgbouncer = probe(
        "mentorship.settings.production",
        **production_env(CONN_MAX_AGE="0", DISABLE_SERVER_SIDE_CURSORS="true"),
    )
    assert (behind_pgbouncer["conn_max_age"], behind_pgbouncer["server_side_cursors"]) == (0, False)


@pytest.mark.usefixtures("no_dotenv")
def test_development_opens_a_connection_per_request():
    assert probe("mentorship.settings.local")["conn_max_age"] == 0


def test_production_settings_send_real_mail_and_keep_cookies_secure():
    found = probe("mentorship.settings.production", **production_env())
    assert found["email"] == "django.core.mail.backends.smtp.EmailBackend"
    assert found["debug"] is False
    assert found["secure_cookies"] is True


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_its_secrets_and_hosts(missing):
    env = production_env()
    del env[missing]
    result = run(["manage.py", "check"], **env)
    assert result.returncode != 0
    assert missing in result.stderr


def test_production_deploy_check_catches_a_weak_secret_key():
    """Proves the deploy check above can fail: a short key is a security warning."""
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **production_env(SECRET_KEY="short"))
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


def test_test_settings_hash_fast_run_tasks_eagerly_and_keep_mail_in_memory():
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]
    assert settings.CELERY_TASK_ALWAYS_EAGER is True
    assert settings.EMAIL_BACKEND == "django.core.mail.backends.locmem.EmailBackend"
    assert settings.DEBUG is False


@pytest.mark.parametrize("seed", ["0", "1", "2", "3"])
def test_models_and_migrations_agree_whatever_the_hash_seed(seed, tmp_path):
    """A set turned into a list in a constraint reorders with PYTHONHASHSEED and makes phantom migrations."""
    result = run(
        ["manage.py", "makemigrations", "--check", "--dry-run"],
        DJANGO_SETTINGS_MODULE="mentorship.settings.test",
        DATABASE_URL=f"sqlite:///{tmp_path / 'check.sqlite3'}",
        PYTHONHASHSEED=seed,
    )
    assert result.returncode == 0, result.stdout + result.stderr
