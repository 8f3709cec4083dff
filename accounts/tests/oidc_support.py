"""Helpers for the SSO tests: the real OpenID Connect provider, and the portal configured for it.

``OIDCProvider`` runs ``e2e/oidc/provider.mjs`` (the npm package oidc-provider) on loopback.
``configured_for(env)`` turns the portal's SSO on inside the running test process exactly as
``mentorship/settings/base.py`` would for that environment: the settings are read in a fresh
interpreter (settings are read once per process), laid over the live ones, and the root URLconf,
which adds /oidc/ only when SSO is on, is rebuilt — and rebuilt again without it afterwards.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import selectors
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.test import override_settings
from django.urls import clear_url_caches

ROOT = Path(__file__).resolve().parents[2]
PROVIDER_SCRIPT = ROOT / "e2e" / "oidc" / "provider.mjs"
CLIENT_ID = "mentorship-portal"
CLIENT_SECRET = "loopback-test-secret"
PROVIDER_NAME = "Тестовый шлюз"

# What the fresh interpreter reports; INSTALLED_APPS is checked, not laid over: the app
# (mozilla_django_oidc) has no models or templates, and reloading the app registry in the
# middle of the suite would be costlier than what it proves.
PROBE = """
import json
from django.conf import settings
names = [name for name in dir(settings) if name.startswith("OIDC_")]
names += ["AUTHENTICATION_BACKENDS", "LOGIN_REDIRECT_URL_FAILURE", "INSTALLED_APPS"]
print(json.dumps({name: getattr(settings, name) for name in names if hasattr(settings, name)}))
"""


def provider_env(issuer: str, **overrides: str) -> dict[str, str]:
    """The environment that turns SSO on for the provider at ``issuer`` (oidc-provider's paths)."""
    return {
        "OIDC_RP_CLIENT_ID": CLIENT_ID,
        "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{issuer}/auth",
        "OIDC_OP_TOKEN_ENDPOINT": f"{issuer}/token",
        "OIDC_OP_USER_ENDPOINT": f"{issuer}/me",
        "OIDC_OP_JWKS_ENDPOINT": f"{issuer}/jwks",
        "OIDC_RP_SIGN_ALGO": "RS256",
        "OIDC_PROVIDER_NAME": PROVIDER_NAME,
        **overrides,
    }


def read_settings(env: dict[str, str], module: str = "mentorship.settings.test") -> subprocess.CompletedProcess:
    """Reads ``module`` in a fresh interpreter with ``env`` (plus only what an interpreter needs to start)."""
    base = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    return subprocess.run(  # noqa: S603 (our own interpreter)
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={**base, "PYTHONPATH": str(ROOT), "DJANGO_SETTINGS_MODULE": module, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def settings_for(env: dict[str, str], module: str = "mentorship.settings.test") -> dict:
    """The settings ``module`` makes of ``env``."""
    result = read_settings(env, module)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def rebuild_urlconf() -> None:
    clear_url_caches()
    for name in ("mozilla_django_oidc.urls", settings.ROOT_URLCONF):
        if name in sys.modules:
            importlib.reload(sys.modules[name])
    clear_url_caches()


@contextlib.contextmanager
def configured_for(env: dict[str, str]) -> Iterator[dict]:
    """SSO on, as ``env`` configures it, for the duration of the block; yields those settings."""
    found = settings_for(env)
    assert "mozilla_django_oidc" in found["INSTALLED_APPS"]
    with override_settings(**{name: value for name, value in found.items() if name != "INSTALLED_APPS"}):
        rebuild_urlconf()
        try:
            yield found
        finally:
            clear_url_caches()
    rebuild_urlconf()


class OIDCProvider:
    """oidc-provider in a node process on 127.0.0.1, with one client redirecting to ``redirect_uri``."""

    def __init__(self, redirect_uri: str, accounts: dict[str, dict] | None = None) -> None:
        self.redirect_uri = redirect_uri
        self.accounts = accounts or {}
        self.process: subprocess.Popen[str] | None = None
        self.issuer = ""

    def start(self, timeout: float = 20.0) -> OIDCProvider:
        node = shutil.which("node")
        if node is None:
            raise RuntimeError("node is not on PATH: the SSO tests run oidc-provider (npm) with it")
        self.process = subprocess.Popen(  # noqa: S603 (node runs our own script)
            [
                node,
                str(PROVIDER_SCRIPT),
                "--port=0",
                f"--redirect-uri={self.redirect_uri}",
                f"--client-id={CLIENT_ID}",
                f"--client-secret={CLIENT_SECRET}",
                f"--accounts={json.dumps(self.accounts)}",
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        waiting = selectors.DefaultSelector()
        waiting.register(self.process.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + timeout
        while not self.issuer:
            remaining = deadline - time.monotonic()
            if self.process.poll() is not None or remaining <= 0 or not waiting.select(remaining):
                self.stop()
                raise RuntimeError(f"the OIDC provider did not start ({PROVIDER_SCRIPT})")
            line = self.process.stdout.readline()
            if line.startswith("{"):
                self.issuer = json.loads(line)["issuer"]
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process is not None and self.process.stdout is not None:
            self.process.stdout.close()
