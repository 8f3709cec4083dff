"""Display helpers for templates; permission answers come from access.py."""

from typing import Any

from django import template
from django.apps import apps

from .. import access

register = template.Library()


@register.filter
def may_add(user: Any, model_label: str) -> bool:
    """``{% if user|may_add:"mentorship.organisation" %}`` — whether to offer «Добавить»."""
    return access.may_add_anywhere(user, apps.get_model(model_label))


@register.filter
def headcount(value: Any) -> str:
    """Thousands separated by a narrow space, «—» for nothing."""
    if value in (None, ""):
        return "—"
    return f"{int(value):,}".replace(",", "\u202f")
