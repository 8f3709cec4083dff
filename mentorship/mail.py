"""Sending a batch of letters over one SMTP connection, for the tasks that send many at once."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping

from django.core.mail import EmailMessage, get_connection


def send_each(
    letters: Mapping[Hashable, Callable[[], EmailMessage]],
) -> tuple[set[Hashable], Exception | None]:
    """Build and send every letter over one connection; the keys of those sent, and the first error met.

    ``letters`` maps a key to a function making its letter, so a letter that fails to build counts as
    unsent like one the server refused. One failure does not stop the others; a mail server that
    cannot be reached at all sends none. The caller marks the unsent ones to be sent again and
    re-raises the error, so Celery retries.
    """
    sent: set[Hashable] = set()
    error: Exception | None = None
    try:
        with get_connection() as connection:
            for key, build in letters.items():
                try:
                    message = build()
                    message.connection = connection
                    message.send()
                except Exception as exc:  # reported to the caller once the other letters are sent
                    error = error or exc
                else:
                    sent.add(key)
    except Exception as exc:  # the mail server could not be reached at all
        error = error or exc
    return sent, error
