"""The embedded default's beat: CELERY_BEAT_SCHEDULE's periodic tasks run in the web process.

Without ``REDIS_URL`` there is no broker and no ``celery beat``, so nothing would run the reminders,
the monitoring refresh or the log-in records' pruning after ``bin/start``. ``EMBEDDED_SCHEDULER``
(on by default exactly then) starts one daemon thread in the ``runserver`` process that runs each
entry of the same schedule at its interval, in-process.

Why a loop of our own rather than Celery's: ``celery beat`` only *publishes* due tasks to a broker,
and a worker has to consume them. With the in-memory transport both would have to live in the web
process (``worker -B`` in a thread), which means Celery's worker bootsteps, its signal handlers
(they only install from the main thread) and a second copy of every task's message path, all to
call three functions at fixed intervals. The thread below calls the registered tasks themselves
(``Task.apply``: the task's own code, eagerly, as a worker would run it) on the schedule's
intervals, and nothing else.
"""

from __future__ import annotations

import atexit
import logging
import os
import sys
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections

logger = logging.getLogger(__name__)

# The first run of every entry comes this long after the start: the server is up and answering first.
FIRST_RUN_DELAY = 30.0
THREAD_NAME = "embedded-scheduler"

_started: EmbeddedScheduler | None = None
_start_lock = threading.Lock()


@dataclass
class _Entry:
    name: str
    task: str
    interval: float
    args: tuple
    kwargs: dict
    due: float


def _interval_seconds(name: str, value: Any) -> float:
    """An entry's ``schedule`` as seconds: a number, a ``timedelta`` or ``celery.schedules.schedule``."""
    if isinstance(value, timedelta):
        seconds = value.total_seconds()
    elif isinstance(value, int | float):
        seconds = float(value)
    elif isinstance(getattr(value, "run_every", None), timedelta):
        seconds = value.run_every.total_seconds()
    else:
        raise ImproperlyConfigured(
            f"CELERY_BEAT_SCHEDULE[{name!r}]: the embedded scheduler runs fixed intervals only, not {value!r}."
        )
    if seconds <= 0:
        raise ImproperlyConfigured(f"CELERY_BEAT_SCHEDULE[{name!r}]: the interval must be positive.")
    return seconds


def run_registered_task(task: str, args: tuple, kwargs: dict) -> None:
    """Run a task of the Celery app in this thread, raising what it raises (``Task.apply``)."""
    from .celery import app

    app.tasks[task].apply(args=args, kwargs=kwargs, throw=True)


class EmbeddedScheduler:
    """Runs each entry of a beat schedule at its interval on a thread of its own until stopped.

    ``run`` calls one task (by its registered name); ``clock`` gives monotonic seconds. A task that
    raises is logged with its traceback and scheduled again as usual: the others keep running.
    """

    def __init__(
        self,
        schedule: Mapping[str, Mapping[str, Any]],
        *,
        first_run_delay: float = FIRST_RUN_DELAY,
        run: Callable[[str, tuple, dict], None] = run_registered_task,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._run = run
        self._clock = clock
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        start = clock() + first_run_delay
        self.entries = [
            _Entry(
                name=name,
                task=entry["task"],
                interval=_interval_seconds(name, entry["schedule"]),
                args=tuple(entry.get("args", ())),
                kwargs=dict(entry.get("kwargs", {})),
                due=start,
            )
            for name, entry in schedule.items()
        ]

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name=THREAD_NAME, daemon=True)
        self._thread.start()
        logger.info(
            "embedded scheduler started: %s",
            ", ".join(f"{entry.task} every {entry.interval:g} s" for entry in self.entries) or "nothing scheduled",
        )

    def stop(self, timeout: float = 5.0) -> None:
        """Ask the loop to end and wait for it (a task under way finishes first, up to ``timeout``)."""
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _loop(self) -> None:
        if self._run is run_registered_task:
            from .celery import app

            app.loader.import_default_modules()  # every app's tasks.py, as a worker does at start
        while self.entries and not self._stop.is_set():
            now = self._clock()
            due = [entry for entry in self.entries if entry.due <= now]
            if not due:
                self._stop.wait(min(entry.due for entry in self.entries) - now)
                continue
            for entry in due:
                if self._stop.is_set():
                    break
                self._run_one(entry)
                # The next run an interval after this one was due; a long run does not pile up catch-ups.
                entry.due = max(entry.due + entry.interval, self._clock())
        logger.info("embedded scheduler stopped")

    def _run_one(self, entry: _Entry) -> None:
        try:
            self._run(entry.task, entry.args, entry.kwargs)
        except Exception:
            logger.exception("embedded scheduler: %s (%s) failed", entry.name, entry.task)
        else:
            logger.info("embedded scheduler: %s (%s) done", entry.name, entry.task)
        finally:
            connections.close_all()  # this thread's connections only; the next run opens fresh ones


def serving_process(argv: list[str], environ: Mapping[str, str]) -> bool:
    """Whether this process is the one that serves requests under ``manage.py runserver``.

    With the autoreloader, ``runserver`` is two processes: the parent only watches the files and
    restarts the child, which serves and has ``RUN_MAIN=true``. Any other command (``migrate``,
    ``load_demo``, ``shell``…) and pytest are not serving processes.
    """
    if len(argv) < 2 or os.path.basename(argv[0]) not in ("manage.py", "django-admin") or argv[1] != "runserver":
        return False
    return "--noreload" in argv[2:] or environ.get("RUN_MAIN") == "true"


def start_if_serving(
    argv: list[str] | None = None, environ: Mapping[str, str] | None = None
) -> EmbeddedScheduler | None:
    """Start the process's scheduler once, if ``EMBEDDED_SCHEDULER`` is on and this process serves."""
    global _started
    argv = sys.argv if argv is None else argv
    environ = os.environ if environ is None else environ
    if not getattr(settings, "EMBEDDED_SCHEDULER", False) or not serving_process(argv, environ):
        return None
    with _start_lock:
        if _started is None:
            _started = EmbeddedScheduler(settings.CELERY_BEAT_SCHEDULE)
            _started.start()
            atexit.register(_started.stop)
    return _started
