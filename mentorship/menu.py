"""The portal's menu: links each app registers from its ``AppConfig.ready()``, as it grants roles.

The core names no app to its right (the import contract in pyproject.toml): participants, roadmaps,
monitoring, reports and notifications each add their own sections here, and say who sees them.
There are three places a link can go: the main menu (``MAIN``, also listed on the home page when it
has a ``hint``), the icon buttons beside it (``BAR``, with an optional count for a badge) and the
user's drop-down menu (``ACCOUNT``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from . import access
from .choices import Level

MAIN, BAR, ACCOUNT = "main", "bar", "account"
SECTIONS = (MAIN, BAR, ACCOUNT)


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who the menu is built for: the user, the roles they hold anywhere, whether they hold a place."""

    user: Any
    roles: frozenset[str]

    @property
    def administrator(self) -> bool:
        return access.is_administrator(self.user)

    @property
    def placed(self) -> bool:
        """Holds a role somewhere (or administers the portal): the sections of a place's work."""
        return bool(self.roles) or access.is_administrator(self.user)

    def holds(self, permission: str) -> bool:
        """Holds, somewhere, a role granting ``permission`` (``roadmaps.approve_roadmap``…)."""
        return access.is_administrator(self.user) or any(role in self.roles for role in access.roles_with(permission))


def everyone(viewer: Viewer) -> bool:
    return True


@dataclass(frozen=True, slots=True)
class Item:
    key: str
    label: str
    url_name: str
    order: int
    section: str
    shown: Callable[[Viewer], bool]
    hint: str
    icon: str
    count: Callable[[Any], int] | None


class Link(NamedTuple):
    """One rendered link: what the templates iterate over."""

    key: str
    label: str
    url: str
    hint: str = ""
    icon: str = ""
    count: Any = 0


_items: dict[str, Item] = {}


def register(
    key: str,
    label: str,
    url_name: str,
    *,
    order: int,
    section: str = MAIN,
    shown: Callable[[Viewer], bool] = everyone,
    hint: str = "",
    icon: str = "",
    count: Callable[[Any], int] | None = None,
) -> None:
    """Add a link: ``url_name`` is reversed per request, ``shown(viewer)`` decides who sees it.

    ``hint`` (Russian) lists a main-menu link on the home page with that explanation; ``count(user)``
    gives a ``BAR`` button its badge and runs only when the page renders it.
    """
    if section not in SECTIONS:
        raise ValueError(f"Unknown menu section {section!r}")
    item = Item(key, label, url_name, order, section, shown, hint, icon, count)
    if key in _items and _items[key] != item:
        raise ValueError(f"Menu item {key!r} is registered twice")
    _items[key] = item


def registered() -> list[Item]:
    return sorted(_items.values(), key=lambda item: (item.order, item.key))


PLACE_LINK_LABELS = {
    Level.REGION: "Мой регион",
    Level.MUNICIPALITY: "Мой муниципалитет",
    Level.ORGANISATION: "Моя организация",
}
#: the user's own places come right after «Главная» in the main menu
PLACES_ORDER = 10


def build(user: Any) -> dict[str, list[Link]]:
    """Every section's links for ``user``: one query (the user's role assignments)."""
    assignments = list(access.assignments_of(user))
    viewer = Viewer(user=user, roles=frozenset(a.role for a in assignments))
    sections: dict[str, list[tuple[int, Link]]] = {section: [] for section in SECTIONS}
    places = {(a.level, a.place.pk): (a.level, a.place) for a in assignments}
    per_level = Counter(level for level, _ in places.values())
    for level, place in places.values():
        label = PLACE_LINK_LABELS[level]
        if per_level[level] > 1:
            label = f"{label}: {place}"
        sections[MAIN].append((PLACES_ORDER, Link(f"place-{level}-{place.pk}", label, place.get_absolute_url())))
    for item in registered():
        if not item.shown(viewer):
            continue
        count = SimpleLazyObject(lambda item=item: item.count(user)) if item.count else 0
        link = Link(item.key, item.label, reverse(item.url_name), item.hint, item.icon, count)
        sections[item.section].append((item.order, link))
    # sorted() is stable: the places keep the order of the user's assignments.
    return {
        section: [link for _order, link in sorted(links, key=lambda pair: pair[0])]
        for section, links in sections.items()
    }
