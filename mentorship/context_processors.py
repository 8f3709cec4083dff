from collections import Counter
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from . import selectors
from .choices import Level

PLACE_LINK_LABELS = {
    Level.REGION: "Мой регион",
    Level.MUNICIPALITY: "Мой муниципалитет",
    Level.ORGANISATION: "Моя организация",
}


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The main menu by role: the user's own places first, then the sections they may open."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    # Lazy: pages that do not render the menu (redirects, files) cost no query.
    return {"nav_items": SimpleLazyObject(lambda: _items(user))}


def _items(user: Any) -> list[tuple[str, str, str]]:
    places = {(a.level, a.place.pk): (a.level, a.place) for a in selectors.user_places(user=user)}
    per_level = Counter(level for level, _ in places.values())
    items = [("home", "Главная", reverse("home"))]
    for level, place in places.values():
        label = PLACE_LINK_LABELS[level]
        if per_level[level] > 1:
            label = f"{label}: {place}"
        items.append((f"place-{level}-{place.pk}", label, place.get_absolute_url()))
    items.append(("directory", "Справочник организаций", reverse("directory:index")))
    if user.is_superuser:
        items.append(("admin", "Администрирование", reverse("admin:index")))
    return items
