"""The menu registry: apps add their links from ``ready()``, the core builds them per user and names no app."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from mentorship import menu

ROOT = Path(__file__).resolve().parents[2]
APPS_TO_THE_RIGHT = ("participants", "roadmaps", "monitoring", "reports", "notifications")


def test_the_core_and_its_templates_name_no_app_url():
    core = [ROOT / "mentorship" / "context_processors.py", ROOT / "mentorship" / "menu.py"]
    core += [ROOT / "templates" / "base.html", ROOT / "templates" / "home.html"]
    for path in core:
        text = path.read_text()
        assert not [app for app in APPS_TO_THE_RIGHT if f"{app}:" in text], path


def test_every_app_registers_its_sections():
    keys = {item.key for item in menu.registered()}
    assert {"home", "imports", "directory", "admin"} <= keys  # the core's own
    assert {"participants", "roadmaps", "my-tasks", "awaiting", "monitoring", "documents"} <= keys
    assert {"notifications-bell", "notifications", "notification-preferences"} <= keys


def test_a_key_registered_twice_with_another_link_is_refused():
    with pytest.raises(ValueError, match="registered twice"):
        menu.register("home", "Домой", "home", order=0)


def test_an_unknown_section_is_refused():
    with pytest.raises(ValueError, match="Unknown menu section"):
        menu.register("elsewhere", "Где-то", "home", order=0, section="footer")


def test_the_home_page_lists_the_approval_queue_only_to_those_who_approve(world, client_as):
    body = client_as(world.officer_a).get(reverse("home")).content.decode()
    assert f'<a href="{reverse("roadmaps:awaiting")}">На согласовании</a> — дорожные карты' in body
    body = client_as(world.mentor_a1).get(reverse("home")).content.decode()
    assert "На согласовании" not in body
    assert f'<a href="{reverse("roadmaps:my_tasks")}">Мои задачи</a> — пункты дорожных карт' in body


def test_the_menu_costs_one_query_and_the_bell_one_more_when_it_is_rendered(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        links = menu.build(world.curator_a1)
    assert [link.key for link in links[menu.ACCOUNT]] == ["notifications", "notification-preferences", "two-factor"]
    [bell] = links[menu.BAR]
    with django_assert_num_queries(1):
        assert bell.count == 0
