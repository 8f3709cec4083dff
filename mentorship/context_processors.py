from collections import Counter
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from . import access
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
    assignments = list(access.assignments_of(user))
    administrator = access.is_administrator(user)
    places = {(a.level, a.place.pk): (a.level, a.place) for a in assignments}
    per_level = Counter(level for level, _ in places.values())
    items = [("home", "Главная", reverse("home"))]
    for level, place in places.values():
        label = PLACE_LINK_LABELS[level]
        if per_level[level] > 1:
            label = f"{label}: {place}"
        items.append((f"place-{level}-{place.pk}", label, place.get_absolute_url()))
    # Roadmaps are an app to the right of mentorship: linked by URL name only, never imported.
    # Participants likewise: «Участники» for everyone who holds a place.
    if places or administrator:
        items.append(("participants", "Участники", reverse("participants:index")))
        items.append(("imports", "Загрузка из Excel", reverse("imports:index")))
    items.append(("roadmaps", "Дорожные карты", reverse("roadmaps:list")))
    items.append(("my-tasks", "Мои задачи", reverse("roadmaps:my_tasks")))
    if access.holds(user, "roadmaps.approve_roadmap", among=assignments):
        items.append(("awaiting", "На согласовании", reverse("roadmaps:awaiting")))
    if access.holds(user, "monitoring.view_organisationfigures", among=assignments):
        items.append(("monitoring", "Мониторинг", reverse("monitoring:index")))
    if places or administrator:
        items.append(("documents", "Документы", reverse("reports:orders")))
    items.append(("directory", "Справочник организаций", reverse("directory:index")))
    if administrator:
        items.append(("admin", "Администрирование", reverse("admin:index")))
    return items
