"""The security event log's rows: where they are filed and that nobody changes them."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from mentorship import security
from mentorship.choices import SecurityEventKind
from mentorship.models import SecurityEvent

pytestmark = pytest.mark.django_db


def test_an_event_is_filed_under_the_region_of_its_place(world):
    event = security.record(SecurityEventKind.ROLE_GRANTED, actor=world.superuser, place=world.organisation_c1)
    assert event.region == world.region_r2


def test_an_event_without_a_place_goes_to_the_region_where_the_person_holds_a_role(world):
    event = security.record(SecurityEventKind.LOGIN, subject=world.curator_b1)
    assert event.region == world.region_r
    assert event.subject_name.endswith("(curator_b1)")


def test_an_event_of_someone_without_a_role_has_no_region_and_only_administrators_see_it(world):
    event = security.record(SecurityEventKind.LOGIN_FAILED, username="nobody")
    assert event.region is None
    assert list(SecurityEvent.objects.restrict(world.superuser)) == [event]
    assert not SecurityEvent.objects.restrict(world.regional_coordinator).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the append-only trigger is PostgreSQL's")
def test_postgresql_refuses_to_change_or_delete_a_row(world):
    event = security.record(SecurityEventKind.LOGIN, subject=world.curator_a1)
    for write in (
        lambda: SecurityEvent.objects.filter(pk=event.pk).update(what="подделка"),
        lambda: SecurityEvent.objects.filter(pk=event.pk).update(subject=world.curator_b1),
        lambda: SecurityEvent.objects.filter(pk=event.pk).delete(),
    ):
        with pytest.raises(DatabaseError, match="нельзя изменить или удалить"), transaction.atomic():
            write()
    event.refresh_from_db()
    assert (event.what, event.subject) == ("", world.curator_a1)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the append-only trigger is PostgreSQL's")
def test_deleting_an_account_keeps_its_events_with_the_name(world):
    from .factories import UserFactory

    gone = UserFactory(username="gone", last_name="Удалённый")
    event = security.record(SecurityEventKind.LOGIN, subject=gone)
    gone.delete()
    event.refresh_from_db()
    assert event.subject is None
    assert "(gone)" in event.subject_name


def test_the_admin_shows_the_log_read_only(client, world):
    event = security.record(SecurityEventKind.LOGIN, subject=world.curator_a1)
    client.force_login(world.superuser)
    assert client.get("/admin/mentorship/securityevent/").status_code == 200
    assert client.get("/admin/mentorship/securityevent/add/").status_code == 403
    page = client.get(f"/admin/mentorship/securityevent/{event.pk}/change/")
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert client.post(f"/admin/mentorship/securityevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert SecurityEvent.objects.filter(pk=event.pk).exists()


def test_the_admin_names_each_school_with_its_municipality_and_region(client, world):
    client.force_login(world.superuser)
    answer = client.get(
        "/admin/autocomplete/",
        {
            "term": "СОШ",
            "app_label": "mentorship",
            "model_name": "roleassignment",
            "field_name": "organisation",
        },
    ).json()
    labels = {result["text"] for result in answer["results"]}
    assert "МОБУ СОШ № 1 г. Белорецк — Белорецкий район, Республика Башкортостан" in labels
    assert "МБОУ Большемуртинская СОШ № 1 — Большемуртинский район, Красноярский край" in labels
