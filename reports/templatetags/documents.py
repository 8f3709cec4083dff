"""Template helpers of the PDF documents: static URLs the restricted fetcher serves, Russian dates."""

from __future__ import annotations

from datetime import date

from django import template

from .. import dates, rendering

register = template.Library()


@register.simple_tag
def pdf_static(path: str) -> str:
    """``{% pdf_static "reports/documents.css" %}``: a static file, as the PDF renderer fetches it."""
    return rendering.static_url(path)


@register.filter
def date_quoted(value: date | None) -> str:
    """«24» февраля 2021 г."""
    return dates.date_quoted(value) if value else ""


@register.filter
def date_words(value: date | None) -> str:
    """24 февраля 2021 года"""
    return dates.date_words(value) if value else ""
