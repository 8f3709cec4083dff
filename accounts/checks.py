"""System checks of the accounts app."""

from __future__ import annotations

from ipaddress import ip_address
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register

OIDC_ENDPOINTS = (
    "OIDC_OP_AUTHORIZATION_ENDPOINT",
    "OIDC_OP_TOKEN_ENDPOINT",
    "OIDC_OP_USER_ENDPOINT",
    "OIDC_OP_JWKS_ENDPOINT",
)


def _on_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


@register(Tags.security, deploy=True)
def oidc_endpoints_use_https(app_configs, **kwargs):
    """The client secret and the tokens travel to these endpoints: plain HTTP only on this machine."""
    if not settings.OIDC_ENABLED:
        return []
    warnings = []
    for name in OIDC_ENDPOINTS:
        url = urlsplit(getattr(settings, name))
        if url.scheme != "https" and not _on_loopback(url.hostname or ""):
            warnings.append(
                Warning(
                    f"{name} указывает на адрес без HTTPS: {url.scheme}://{url.netloc}",
                    hint="Укажите адрес провайдера OpenID Connect, начинающийся с https://.",
                    id="accounts.W001",
                )
            )
    return warnings
