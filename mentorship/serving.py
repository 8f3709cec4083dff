"""What a web process does once, after Django is set up and before its first request."""

from __future__ import annotations

import gc

from django.urls import get_resolver


def ready_for_requests() -> None:
    """Import every view through the URLconf, then freeze the objects of start-up out of the collector.

    A web process keeps about 240 000 long-lived objects (Django, the apps, matplotlib,
    WeasyPrint and SciPy). CPython's full collection walks all of them, and it came
    about once in twenty list pages, adding 100 ms to that request (bench/participants.py).
    ``gc.freeze()`` moves what exists now to the permanent generation, so a full collection
    walks only what requests leave behind; it is the CPython documentation's advice for
    pre-loaded servers.
    """
    get_resolver().url_patterns  # noqa: B018 - imports the URLconf and the views it names
    gc.collect()
    gc.freeze()
