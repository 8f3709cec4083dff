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


def test_only_a_main_menu_link_goes_under_more():
    with pytest.raises(ValueError, match="Ещё"):
        menu.register("elsewhere-more", "Где-то", "home", order=0, section=menu.ACCOUNT, more=True)


def test_the_administrators_longer_menu_puts_the_less_used_links_under_more(world, superuser):
    links = menu.build(superuser)[menu.MAIN]
    assert [link.key for link in links.more] == ["imports", "documents", "users", "security-log", "admin"]
    assert {"home", "participants", "roadmaps", "my-tasks", "awaiting", "monitoring", "directory"} <= {
        link.key for link in links.first_row
    }
    # an officer who grants roles keeps «Пользователи» in the row; the upload still goes under «Ещё»
    officer = menu.build(world.officer_a)[menu.MAIN]
    assert "users" in {link.key for link in officer.first_row}
    assert "imports" in {link.key for link in officer.more}


def test_the_menu_shows_the_more_links_in_a_dropdown_and_the_rest_in_the_row(client_as, superuser):
    body = client_as(superuser).get(reverse("home")).content.decode()
    row, more = body.split('id="more-menu"', 1)
    assert f'href="{reverse("participants:index")}">Участники</a>' in row
    more = more.split("</ul>", 1)[0]
    assert f'href="{reverse("admin:index")}">Администрирование</a>' in more
    assert f'href="{reverse("participants:index")}"' not in more
