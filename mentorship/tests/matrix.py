"""What the access matrices of every app share: the levels of access, reading a response, an .xlsx's text.

Each app's ``tests/test_access_matrix.py`` writes its expectations out by hand, persona by persona
(see ``mentorship/tests/test_access_matrix.py``); these helpers only read what the pages answered.
"""

from __future__ import annotations

import io
import uuid
from typing import Any

from django.urls import reverse

HIDDEN, READ, CHANGE, LOGIN = "hidden", "read", "change", "login"

# What a page answers for each level of access, by kind of page.
VIEW_PAGE = {HIDDEN: 404, READ: 200, CHANGE: 200, LOGIN: LOGIN}
CHANGE_PAGE = {HIDDEN: 404, READ: 403, CHANGE: 200, LOGIN: LOGIN}
# A POST: refused ones must leave the row as it was; an allowed one redirects having written.
DONE = "done"
CHANGE_POST = {HIDDEN: 404, READ: 403, CHANGE: DONE, LOGIN: LOGIN}

SIGNED_IN = (
    "regional_coordinator",
    "regional_observer",
    "officer_a",
    "officer_b",
    "observer_a",
    "director_a1",
    "curator_a1",
    "curator_b1",
    "coordinator_a1",
    "mentor_a1",
    "outsider",
    "superuser",
)


def answer(response: Any) -> Any:
    """What a response amounts to: a status code, or LOGIN for a redirect to the login page."""
    if response.status_code == 302 and response["Location"].startswith(reverse("login")):
        return LOGIN
    return response.status_code


def token() -> str:
    """A fresh one-time form token (``_submission``)."""
    return str(uuid.uuid4())


def posted(response: Any, changed: bool) -> Any:
    """A POST's outcome: DONE for a redirect that wrote, else the status (flagged if it wrote anyway)."""
    result = answer(response)
    if result == 302:
        return DONE if changed else "302 without the change"
    if changed:
        return f"{result} but it changed"
    return result


def xlsx_text(content: bytes) -> str:
    """Every cell of every sheet of an .xlsx, as one text to look names up in."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(
        str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value
    )


def sign_in(client: Any, user: Any) -> Any:
    """The test client signed in as ``user`` (left anonymous for an ``AnonymousUser``)."""
    client.logout()
    if user.is_authenticated:
        client.force_login(user)
    return client
