"""Excel imports: a safe reader, an all-or-nothing engine, kinds registered by the apps' ``resources.py``.

``tasks`` is imported here so that the Celery worker, which autodiscovers only ``<app>.tasks``,
knows the import tasks (the apps' ``resources.py`` import this package at start-up).
"""

from . import tasks  # noqa: F401
