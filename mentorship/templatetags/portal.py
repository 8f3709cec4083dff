"""Display helpers for templates; permission answers come from access.py."""

from typing import Any

from django import template
from django.apps import apps

from .. import access
from ..views import files

register = template.Library()


@register.filter
def may_add(user: Any, model_label: str) -> bool:
    """``{% if user|may_add:"mentorship.organisation" %}`` — whether to offer «Добавить»."""
    return access.may_add_anywhere(user, apps.get_model(model_label))


@register.filter
def file_name(field_file: Any) -> str:
    """``{{ consent.document|file_name }}`` — an attachment's own name, without the storage's folders."""
    return files.file_name(field_file)


@register.filter
def headcount(value: Any) -> str:
    """Thousands separated by a narrow space, «—» for nothing."""
    if value in (None, ""):
        return "—"
    return f"{int(value):,}".replace(",", "\u202f")


@register.filter
def form_control(bound_field: Any) -> str:
    """Render a form field with Bootstrap classes and the ARIA links to its help and errors."""
    widget = bound_field.field.widget
    input_type = getattr(widget, "input_type", "")
    if input_type == "checkbox":
        css = "form-check-input"
    elif input_type == "select" or widget.__class__.__name__.endswith("Select"):
        css = "form-select"
    else:
        css = "form-control"
    attrs = {"class": f"{widget.attrs.get('class', '')} {css}".strip()}
    described_by = []
    if bound_field.help_text:
        described_by.append(f"{bound_field.auto_id}_helptext")
    if bound_field.errors:
        attrs["class"] += " is-invalid"
        attrs["aria-invalid"] = "true"
        described_by.append(f"{bound_field.auto_id}_errors")
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return bound_field.as_widget(attrs=attrs)
