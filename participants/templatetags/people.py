"""How a participant is named on a page.

A simple tag rather than an included template: the pair and people lists name a few hundred
people per page, and an ``{% include %}`` per name was the larger part of their rendering time.
"""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html

from participants.models import Person

register = template.Library()


@register.simple_tag
def person_label(person: Person, link: bool = False) -> str:
    """The person's full name (a link to their card when ``link``); «Участник № N (данные скрыты)» once anonymised."""
    if person.anonymised_at:
        return format_html('<span class="text-body-secondary">Участник № {} (данные скрыты)</span>', person.pk)
    if link:
        return format_html('<a href="{}">{}</a>', reverse("participants:person", args=[person.pk]), person.full_name)
    return format_html("{}", person.full_name)
