"""Secret link tokens (invitations, questionnaire links, calendar feeds): unguessable, stored hashed.

A link carries ``secrets.token_urlsafe(32)``; the database keeps only its SHA-256, so a leaked table
opens no link. A plain hash suffices (no salt, no slow hash): the token has 256 bits of entropy,
nothing a dictionary could guess.
"""

from __future__ import annotations

import hashlib
import secrets


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """The SHA-256 (hex) a token is stored and looked up by."""
    return hashlib.sha256(token.encode()).hexdigest()
