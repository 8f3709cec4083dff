"""The two-factor pages: set-up, the log-in's second step, the recovery codes and «Безопасность входа»."""

from __future__ import annotations

from base64 import b32encode
from typing import Any
from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views import View
from django.views.generic import TemplateView

from mentorship.errors import DomainError

from .. import two_factor
from ..forms_two_factor import AppCodeForm, CodeForm

TEMPLATES = "accounts/two_factor/"


def _next(request: HttpRequest) -> str:
    """The page asked for before the second step, if it is one of the portal's own."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return ""


def _next_query(request: HttpRequest) -> str:
    """``?next=…`` carried from one two-factor page to the next, or nothing."""
    target = _next(request)
    return "?" + urlencode({"next": target}) if target else ""


def _menu_while_pending(request: HttpRequest) -> dict[str, Any]:
    """A session owing the second factor opens no section: its menu shows none (log-out stays)."""
    return {"nav_items": [], "nav_buttons": [], "account_items": []} if two_factor.is_pending(request) else {}


def _qr_svg(url: str) -> str:
    """The pairing URL as an inline SVG QR code, drawn on the server (no script, nothing fetched)."""
    svg = segno.make(url, error="m").svg_inline(
        scale=4, svgclass="two-factor-qr", title="QR-код для приложения-аутентификатора", omitsize=False
    )
    return mark_safe(svg)  # noqa: S308 — segno's own markup; the title is ours, nothing typed by a user


def _secret(device: Any) -> str:
    """The key as the apps' manual entry asks for it: base32, in groups of four."""
    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


class SetupView(LoginRequiredMixin, View):
    """«Настройка двухфакторной аутентификации»: pair an app by QR code or key, confirm with its code."""

    template_name = TEMPLATES + "setup.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and two_factor.has_two_factor(request.user):
            if two_factor.is_pending(request):
                return redirect(reverse("accounts:two_factor_verify") + _next_query(request))
            messages.info(request, "Двухфакторная аутентификация уже настроена.")
            return redirect("accounts:two_factor")
        return super().dispatch(request, *args, **kwargs)

    def render_page(self, form: AppCodeForm) -> HttpResponse:
        device = two_factor.totp_setup_start(actor=self.request.user)
        context = {
            "form": form,
            "qr": _qr_svg(device.config_url),
            "secret": _secret(device),
            "required": two_factor.is_pending(self.request),
            "next": _next(self.request),
            **_menu_while_pending(self.request),
        }
        return render(self.request, self.template_name, context)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_page(AppCodeForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = AppCodeForm(request.POST)
        if form.is_valid():
            try:
                codes = two_factor.totp_setup_confirm(
                    actor=request.user, code=form.cleaned_data["code"], request=request
                )
            except DomainError as exc:
                form.add_error("code", exc.message)
            else:
                two_factor.codes_keep(request, codes)
                messages.success(request, "Двухфакторная аутентификация включена.")
                return redirect(reverse("accounts:two_factor_codes") + _next_query(request))
        return self.render_page(form)


class VerifyView(LoginRequiredMixin, View):
    """«Подтверждение входа»: the log-in's second step, a code from the app or a recovery code."""

    template_name = TEMPLATES + "verify.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            if not two_factor.is_pending(request):
                return redirect(_next(request) or "home")
            if not two_factor.has_two_factor(request.user):
                return redirect(reverse("accounts:two_factor_setup") + _next_query(request))
        return super().dispatch(request, *args, **kwargs)

    def render_page(self, form: CodeForm) -> HttpResponse:
        context = {"form": form, "next": _next(self.request), **_menu_while_pending(self.request)}
        return render(self.request, self.template_name, context)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_page(CodeForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = CodeForm(request.POST)
        if form.is_valid():
            try:
                device = two_factor.second_factor_verify(
                    actor=request.user, code=form.cleaned_data["code"], request=request
                )
            except DomainError as exc:
                form.add_error("code", exc.message)
            else:
                if device.persistent_id.startswith("otp_static."):
                    left = two_factor.recovery_codes_left(request.user)
                    messages.warning(
                        request,
                        f"Вход подтверждён резервным кодом; он больше не действует. Осталось кодов: {left}. "
                        "Новые коды можно создать на странице «Безопасность входа».",
                    )
                return redirect(_next(request) or "home")
        return self.render_page(form)


class CodesView(LoginRequiredMixin, TemplateView):
    """The recovery codes just made, shown once, with a printable layout."""

    template_name = TEMPLATES + "codes.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        codes = two_factor.codes_take(request)
        if not codes:
            messages.info(request, "Резервные коды показываются один раз. Если они утеряны, создайте новые.")
            return redirect("accounts:two_factor")
        return self.render_to_response({"codes": codes, "next": _next(request) or reverse("home")})


class SecurityView(LoginRequiredMixin, TemplateView):
    """«Безопасность входа»: turn two-factor log-in on, make new recovery codes, remove the app."""

    template_name = TEMPLATES + "security.html"
    ACTIONS = ("codes", "remove")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        context = super().get_context_data(**kwargs)
        enabled = two_factor.has_two_factor(user)
        context |= {
            "enabled": enabled,
            "required": two_factor.two_factor_required(user),
            "exempt": two_factor.is_exempt(user),
            "codes_left": two_factor.recovery_codes_left(user) if enabled else 0,
        }
        for action in self.ACTIONS:
            context.setdefault(f"{action}_form", CodeForm(prefix=action))
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        action = request.POST.get("action")
        if action not in self.ACTIONS:
            return redirect("accounts:two_factor")
        form = CodeForm(request.POST, prefix=action)
        if form.is_valid():
            code = form.cleaned_data["code"]
            try:
                if action == "codes":
                    codes = two_factor.recovery_codes_regenerate(actor=request.user, code=code, request=request)
                    two_factor.codes_keep(request, codes)
                    messages.success(request, "Созданы новые резервные коды; прежние больше не действуют.")
                    return redirect("accounts:two_factor_codes")
                two_factor.two_factor_remove(actor=request.user, code=code, request=request)
            except DomainError as exc:
                form.add_error("code", exc.message)
            else:
                messages.success(request, "Приложение-аутентификатор и резервные коды удалены.")
                return redirect("accounts:two_factor")
        return self.render_to_response(self.get_context_data(**{f"{action}_form": form}))
