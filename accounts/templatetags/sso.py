"""``{% sso_login next as sso %}``: the single sign-on link for the log-in page, or None when it is off."""

from __future__ import annotations

from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, reverse

register = template.Library()


@register.simple_tag
def sso_login(next_url: str = "") -> dict[str, str] | None:
    if not settings.OIDC_ENABLED:
        return None
    try:
        url = reverse("oidc_authentication_init")
    except NoReverseMatch:  # configured, but the URLconf was built without it
        return None
    if next_url:
        url = f"{url}?{urlencode({'next': next_url})}"
    return {"url": url, "provider": settings.OIDC_PROVIDER_NAME}
