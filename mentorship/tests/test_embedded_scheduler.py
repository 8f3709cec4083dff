"""The embedded default's in-process beat (mentorship/scheduler.py)."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from celery import shared_task
from django.conf import settings

from mentorship import scheduler
from mentorship.celery import app
from mentorship.scheduler import EmbeddedScheduler, serving_process, start_if_serving

ROOT = Path(__file__).resolve().parents[2]

_probe_runs: list[int] = []
_probe_ran = threading.Event()


@shared_task(name="tests.scheduler_probe")
def scheduler_probe(value: int) -> None:
    _probe_runs.append(value)
    _probe_ran.set()


class Recorder:
    """Records each run; ``done`` is set once every task named in ``wanted`` ran that many times."""

    def __init__(self, wanted: dict[str, int], failing: frozenset[str] = frozenset()) -> None:
        self.wanted = wanted
        self.failing = failing
        self.runs: Counter[str] = Counter()
        self.done = threading.Event()

    def __call__(self, task: str, args: tuple, kwargs: dict) -> None:
        self.runs[task] += 1
        if all(self.runs[name] >= count for name, count in self.wanted.items()):
            self.done.set()
        if task in self.failing:
            raise RuntimeError(f"{task} broke")


def test_the_scheduler_runs_every_scheduled_task_at_its_interval():
    recorder = Recorder({"fast": 6})
    schedule = {"a": {"task": "fast", "schedule": 0.05}, "b": {"task": "slow", "schedule": 0.15}}
    runner = EmbeddedScheduler(schedule, first_run_delay=0, run=recorder)
    runner.start()
    try:
        assert recorder.done.wait(1.0)
    finally:
        runner.stop()
    assert not runner.running
    # Six runs of the 50 ms task took about 250 ms: the 150 ms task ran about twice in that time.
    assert 1 <= recorder.runs["slow"] <= 3
    assert recorder.runs["fast"] >= 6


def test_the_first_run_waits_for_the_delay_and_stop_ends_the_wait_at_once():
    recorder = Recorder({"job": 1})
    runner = EmbeddedScheduler({"a": {"task": "job", "schedule": 0.01}}, first_run_delay=60, run=recorder)
    runner.start()
    assert not recorder.done.wait(0.2)
    began = time.monotonic()
    runner.stop()
    assert time.monotonic() - began < 1.0
    assert not runner.running
    assert recorder.runs["job"] == 0


def test_a_failing_task_is_logged_and_the_others_keep_running(caplog):
    recorder = Recorder({"good": 4, "bad": 4}, failing=frozenset({"bad"}))
    schedule = {"breaks": {"task": "bad", "schedule": 0.02}, "works": {"task": "good", "schedule": 0.02}}
    runner = EmbeddedScheduler(schedule, first_run_delay=0, run=recorder)
    with caplog.at_level(logging.INFO, logger="mentorship.scheduler"):
        runner.start()
        try:
            assert recorder.done.wait(1.0)
        finally:
            runner.stop()
    failures = [record for record in caplog.records if record.levelno == logging.ERROR]
    assert failures, "the failure was not logged"
    assert "breaks (bad) failed" in failures[0].getMessage()
    assert failures[0].exc_info[0] is RuntimeError
    assert any("works (good) done" in record.getMessage() for record in caplog.records)


def test_the_default_runner_runs_the_registered_celery_task_with_its_arguments():
    _probe_runs.clear()
    _probe_ran.clear()
    app.loader.import_default_modules()  # the loop's first step; it can take over a second at first
    schedule = {"probe": {"task": "tests.scheduler_probe", "schedule": 60.0, "args": (7,)}}
    runner = EmbeddedScheduler(schedule, first_run_delay=0)
    runner.start()
    try:
        assert _probe_ran.wait(1.0)
    finally:
        runner.stop()
    assert _probe_runs == [7]


def test_a_schedule_the_scheduler_cannot_keep_is_refused():
    from celery.schedules import crontab
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="fixed intervals"):
        EmbeddedScheduler({"nightly": {"task": "x", "schedule": crontab(hour=3)}})


def test_the_real_schedule_names_registered_tasks_at_positive_intervals():
    app.loader.import_default_modules()
    runner = EmbeddedScheduler(settings.CELERY_BEAT_SCHEDULE)
    assert {entry.task for entry in runner.entries} == {
        "notifications.reminders_run",
        "monitoring.figures_refresh",
        "accounts.login_records_prune",
    }
    for entry in runner.entries:
        assert entry.task in app.tasks, entry.task
    assert {entry.task: entry.interval for entry in runner.entries}["notifications.reminders_run"] == 15 * 60


@pytest.mark.parametrize(
    ("argv", "environ", "serves"),
    [
        (["manage.py", "runserver", "--noreload"], {}, True),
        (["manage.py", "runserver", "0.0.0.0:8000"], {"RUN_MAIN": "true"}, True),
        # The autoreloader's parent only watches files; its child (RUN_MAIN) serves.
        (["manage.py", "runserver"], {}, False),
        (["manage.py", "migrate", "--noinput"], {}, False),
        (["manage.py", "load_demo"], {"RUN_MAIN": "true"}, False),
        (["manage.py", "shell"], {}, False),
        ([sys.argv[0], "-q"], {}, False),
    ],
)
def test_only_the_serving_runserver_process_counts_as_serving(argv, environ, serves):
    assert serving_process(argv, environ) is serves


def test_it_is_not_started_under_tests_or_management_commands(settings, monkeypatch):
    monkeypatch.setattr(scheduler, "_started", None)
    settings.EMBEDDED_SCHEDULER = True
    assert start_if_serving() is None  # this pytest process
    assert start_if_serving(["manage.py", "migrate"], {}) is None
    assert start_if_serving(["manage.py", "runserver"], {}) is None
    assert all(thread.name != scheduler.THREAD_NAME for thread in threading.enumerate())


def test_it_is_not_started_when_the_setting_is_off(settings, monkeypatch):
    monkeypatch.setattr(scheduler, "_started", None)
    settings.EMBEDDED_SCHEDULER = False
    assert start_if_serving(["manage.py", "runserver", "--noreload"], {}) is None


def _embedded_scheduler_setting(**environ: str) -> str:
    env = {key: value for key, value in os.environ.items() if key not in ("REDIS_URL", "EMBEDDED_SCHEDULER")}
    env.update(environ, DJANGO_SETTINGS_MODULE="mentorship.settings.local")
    code = "import django; django.setup(); from django.conf import settings; print(settings.EMBEDDED_SCHEDULER)"
    result = subprocess.run(  # noqa: S603 - this interpreter, fixed arguments
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=True
    )
    return result.stdout.strip()


def test_the_setting_is_on_for_the_embedded_default_and_off_with_redis():
    assert _embedded_scheduler_setting() == "True"
    assert _embedded_scheduler_setting(REDIS_URL="redis://127.0.0.1:6379/8") == "False"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_runserver_on_the_embedded_default_starts_the_scheduler(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("REDIS_URL", "EMBEDDED_SCHEDULER", "DATABASE_URL", "PYTEST_XDIST_WORKER")
    }
    env.update(DJANGO_SETTINGS_MODULE="mentorship.settings.local", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    server = subprocess.Popen(  # noqa: S603 - this interpreter, fixed arguments
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{_free_port()}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: list[str] = []
    started = threading.Event()

    def read() -> None:
        for line in server.stderr:
            lines.append(line)
            if "embedded scheduler started" in line:
                started.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert started.wait(60), "".join(lines)[-3000:]
    finally:
        server.terminate()
        server.wait(10)
    line = next(line for line in lines if "embedded scheduler started" in line)
    assert "notifications.reminders_run every 900 s" in line
    assert "monitoring.figures_refresh every 900 s" in line
    assert "accounts.login_records_prune every 86400 s" in line
