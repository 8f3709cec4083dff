from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from . import menu


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The menu by role (``mentorship.menu``): the user's own places first, then the sections they may open."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "nav_buttons": [], "account_items": []}
    # Lazy: pages that do not render the menu (redirects, files) cost no query; built once per request.
    links = SimpleLazyObject(lambda: menu.build(user))
    return {
        "nav_items": SimpleLazyObject(lambda: links[menu.MAIN]),
        "nav_buttons": SimpleLazyObject(lambda: links[menu.BAR]),
        "account_items": SimpleLazyObject(lambda: links[menu.ACCOUNT]),
    }
