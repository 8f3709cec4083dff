"""The kinds of import, registered from the apps' ``resources.py`` (autodiscovered at start-up)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .engine import ImportKind

_kinds: dict[str, type[ImportKind]] = {}


def register(kind: type[ImportKind]) -> type[ImportKind]:
    """Class decorator: make ``kind`` available to the import pages and commands under ``kind.key``."""
    _kinds[kind.key] = kind
    return kind


def kind_for(key: str) -> ImportKind:
    """A fresh instance of the kind registered as ``key``; ``KeyError`` if there is none."""
    return _kinds[key]()


def all_kinds() -> list[ImportKind]:
    return [kind() for kind in _kinds.values()]


def kinds_for(user: Any) -> list[ImportKind]:
    """The kinds ``user`` may import somewhere."""
    from mentorship import access

    return [kind for kind in all_kinds() if access.holds(user, kind.permission)]
