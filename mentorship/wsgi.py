"""The WSGI application for gunicorn (``gunicorn mentorship.wsgi``), ready before its first request."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorship.settings.local")

application = get_wsgi_application()

from mentorship.serving import ready_for_requests  # noqa: E402 - needs the apps loaded above

ready_for_requests()
