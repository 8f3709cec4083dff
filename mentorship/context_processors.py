from typing import Any

from django.http import HttpRequest
from django.urls import reverse


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The main menu: what a signed-in user may open, in the order they work."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [
        ("home", "Главная", reverse("home")),
        ("directory", "Справочник организаций", reverse("directory:index")),
    ]
    if user.is_superuser:
        items.append(("admin", "Администрирование", reverse("admin:index")))
    return {"nav_items": items}
