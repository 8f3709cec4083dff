"""The change log: every write of a domain model, single or bulk, leaves a history row with its author."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from simple_history.middleware import HistoryRequestMiddleware

from mentorship import services
from mentorship.choices import OrganisationKind, Role
from mentorship.history import history_entries
from mentorship.models import Municipality, Organisation, Partner, Region, RoleAssignment, ScopedModel, User

from .factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def in_request_of(user: Any, write: Callable[[], Any]) -> Any:
    """Run ``write`` the way a view does: inside the history middleware, with ``user`` signed in."""
    request = RequestFactory().post("/")
    request.user = user
    result = {}

    def view(req):
        result["value"] = write()
        return HttpResponse()

    HistoryRequestMiddleware(view)(request)
    return result.get("value")


def latest(obj) -> Any:
    return type(obj).history.filter(id=obj.pk).order_by("-history_date", "-history_id").first()


def test_every_scoped_domain_model_keeps_a_history():
    domain_models = [m for m in apps.get_models() if issubclass(m, ScopedModel)]
    assert domain_models, "no domain models found"
    untracked = [m.__name__ for m in domain_models if not (m.derived or m.append_only) and not hasattr(m, "history")]
    assert untracked == []


def test_every_scoped_domain_model_uses_the_history_recording_queryset():
    for model in [m for m in apps.get_models() if issubclass(m, ScopedModel)]:
        assert hasattr(model._default_manager, "restrict"), model.__name__
        assert hasattr(model._default_manager.all(), "restrict"), model.__name__


# --- save() and delete() -----------------------------------------------------------------------------


def test_saving_outside_a_request_writes_a_row_without_an_author(world):
    school = world.organisation_a1
    school.students_count = 700
    school.save()
    row = latest(school)
    assert (row.history_type, row.students_count, row.history_user) == ("~", 700, None)


def test_saving_in_a_request_records_who_did_it(world):
    school = world.organisation_a1

    def write():
        school.teachers_count = 61
        school.save()

    in_request_of(world.curator_a1, write)
    row = latest(school)
    assert (row.history_type, row.teachers_count, row.history_user) == ("~", 61, world.curator_a1)


def test_deleting_in_a_request_records_who_did_it(world):
    partner = world.partner_a
    pk = partner.pk
    in_request_of(world.officer_a, partner.delete)
    row = Partner.history.filter(id=pk).latest()
    assert (row.history_type, row.history_user) == ("-", world.officer_a)


def test_queryset_delete_writes_a_row_per_deleted_record(world):
    pks = list(Partner.objects.filter(region=world.region_r).values_list("pk", flat=True))
    in_request_of(world.regional_coordinator, lambda: Partner.objects.filter(pk__in=pks).delete())
    rows = Partner.history.filter(id__in=pks, history_type="-")
    assert sorted(rows.values_list("id", flat=True)) == sorted(pks)
    assert {row.history_user for row in rows} == {world.regional_coordinator}


def test_cascading_deletes_are_recorded_with_the_author(world):
    user = world.curator_b1
    assignment_pks = list(user.role_assignments.values_list("pk", flat=True))
    user_pk = user.pk
    in_request_of(world.superuser, user.delete)
    rows = RoleAssignment.history.filter(id__in=assignment_pks, history_type="-")
    assert rows.count() == len(assignment_pks) == 1
    assert rows.get().history_user == world.superuser
    assert User.history.filter(id=user_pk, history_type="-").exists()


# --- bulk operations ---------------------------------------------------------------------------------


def test_bulk_create_writes_a_creation_row_per_record_with_the_author(world):
    schools = [
        Organisation(
            municipality=world.municipality_b,
            code=f"B-BULK-{n}",
            short_name=f"МОБУ ООШ № {n}",
            full_name=f"МОБУ ООШ № {n}",
            kind=OrganisationKind.SCHOOL,
        )
        for n in range(3)
    ]
    created = in_request_of(world.officer_b, lambda: Organisation.objects.bulk_create(schools))
    rows = Organisation.history.filter(id__in=[s.pk for s in created])
    assert rows.count() == 3
    assert set(rows.values_list("history_type", flat=True)) == {"+"}
    assert {row.history_user for row in rows} == {world.officer_b}
    assert set(rows.values_list("code", flat=True)) == {"B-BULK-0", "B-BULK-1", "B-BULK-2"}


def test_bulk_update_writes_a_change_row_per_record_with_the_new_values(world):
    schools = [world.organisation_a1, world.organisation_a2]
    before = {school.pk: school.history.count() for school in schools}
    for school in schools:
        school.students_count = 999
    in_request_of(world.officer_a, lambda: Organisation.objects.bulk_update(schools, ["students_count"]))
    # One row each: bulk_update's own update() per batch writes none of its own.
    assert {school.pk: school.history.count() for school in schools} == {pk: n + 1 for pk, n in before.items()}
    for school in schools:
        row = latest(school)
        assert (row.history_type, row.students_count, row.history_user) == ("~", 999, world.officer_a)


def test_queryset_update_writes_a_change_row_for_exactly_the_updated_records(world):
    before = Organisation.history.count()
    updated = in_request_of(
        world.regional_coordinator,
        lambda: Organisation.objects.filter(municipality=world.municipality_a).update(is_active=False),
    )
    assert updated == 2
    assert Organisation.history.count() == before + 2
    for school in (world.organisation_a1, world.organisation_a2):
        row = latest(school)
        assert (row.history_type, row.is_active, row.history_user) == ("~", False, world.regional_coordinator)
    assert latest(world.organisation_b1).history_type == "+"


def test_update_of_a_restricted_queryset_touches_and_records_only_the_scope(world):
    in_request_of(
        world.officer_b, lambda: Organisation.objects.restrict(world.officer_b, "change").update(teachers_count=1)
    )
    assert set(Organisation.objects.filter(teachers_count=1).values_list("code", flat=True)) == {"B1"}
    assert set(Organisation.history.filter(teachers_count=1).values_list("code", flat=True)) == {"B1"}


def test_update_through_a_related_manager_records_history(world):
    in_request_of(world.regional_coordinator, lambda: world.municipality_b.organisations.update(students_count=5))
    row = latest(world.organisation_b1)
    assert (row.history_type, row.students_count, row.history_user) == ("~", 5, world.regional_coordinator)


def test_update_of_nothing_writes_nothing(world):
    before = Organisation.history.count()
    assert Organisation.objects.filter(code="нет такого").update(is_active=False) == 0
    assert Organisation.history.count() == before


def test_queryset_update_of_users_records_history(world):
    """Deactivating accounts in bulk (an admin action, a sync) must stay in the change log too."""
    user = world.mentor_a1
    in_request_of(world.superuser, lambda: User.objects.filter(pk=user.pk).update(is_active=False))
    row = User.history.filter(id=user.pk).order_by("-history_date", "-history_id").first()
    assert (row.history_type, row.is_active, row.history_user) == ("~", False, world.superuser)


# --- writes through services and views ----------------------------------------------------------------


def test_role_assignment_is_recorded(world):
    user = UserFactory(username="new_mentor")
    assignment = in_request_of(
        world.superuser,
        lambda: services.role_assign(actor=world.superuser, user=user, role=Role.MENTOR, place=world.organisation_b1),
    )
    row = RoleAssignment.history.get(id=assignment.pk)
    assert (row.history_type, row.role, row.history_user) == ("+", Role.MENTOR, world.superuser)


def organisation_form(school: Organisation, **changes: Any) -> dict[str, Any]:
    data = {
        "municipality": school.municipality_id,
        "kind": school.kind,
        "full_name": school.full_name,
        "short_name": school.short_name,
        "code": school.code,
        "inn": school.inn,
        "ogrn": school.ogrn,
        "address": school.address,
        "students_count": school.students_count,
        "teachers_count": school.teachers_count,
        "is_active": "on" if school.is_active else "",
        "_submission": str(uuid.uuid4()),
    }
    return data | changes


def test_editing_a_school_in_the_portal_records_the_editor(world, client):
    client.force_login(world.curator_a1)
    school = world.organisation_a1
    response = client.post(
        reverse("directory:organisation_edit", args=[school.pk]), organisation_form(school, students_count=777)
    )
    assert response.status_code == 302
    row = latest(school)
    assert (row.history_type, row.students_count, row.history_user) == ("~", 777, world.curator_a1)


def test_adding_a_school_in_the_portal_records_the_author(world, client):
    client.force_login(world.officer_a)
    new = Organisation(
        municipality=world.municipality_a, code="A9", short_name="МОБУ СОШ № 9", full_name="МОБУ СОШ № 9"
    )
    response = client.post(reverse("directory:organisation_add"), organisation_form(new))
    assert response.status_code == 302
    created = Organisation.objects.get(code="A9")
    row = Organisation.history.get(id=created.pk)
    assert (row.history_type, row.history_user) == ("+", world.officer_a)


def test_deleting_a_partner_in_the_portal_records_who_deleted_it(world, client):
    client.force_login(world.officer_b)
    pk = world.partner_b.pk
    response = client.post(reverse("directory:partner_delete", args=[pk]), {"_submission": str(uuid.uuid4())})
    assert response.status_code == 302
    row = Partner.history.filter(id=pk).latest()
    assert (row.history_type, row.history_user) == ("-", world.officer_b)


# --- reading the log -----------------------------------------------------------------------------------


def test_history_entries_list_changed_fields_in_russian_newest_first(world):
    school = OrganisationFactory(municipality=world.municipality_a, code="A5", students_count=100)
    services.object_update(
        actor=world.superuser,
        obj=school,
        data={"students_count": 120, "kind": OrganisationKind.COLLEGE, "is_active": False},
    )
    entries = history_entries(school)
    assert [e.kind for e in entries] == ["Изменение", "Создание"]
    changes = {c.label: (c.old, c.new) for c in entries[0].changes}
    assert changes == {
        "число обучающихся": (100, 120),
        "тип": (
            "Общеобразовательная организация (школа)",
            "Профессиональная образовательная организация (колледж)",
        ),
        "действует": ("да", "нет"),
    }
    assert entries[1].changes == []


def test_history_entries_show_the_author_and_the_reason(world):
    services.object_upsert_by_code(model=Region, code="02", data={"name": "Башкортостан"}, reason="Сверка с ОКАТО")
    in_request_of(
        world.regional_coordinator,
        lambda: services.object_update(
            actor=world.regional_coordinator,
            obj=Region.objects.get(code="02"),
            data={"name": "Республика Башкортостан"},
        ),
    )
    newest, by_import, created = history_entries(Region.objects.get(code="02"))
    assert newest.user == world.regional_coordinator
    assert by_import.reason == "Сверка с ОКАТО"
    assert by_import.user is None
    assert created.kind == "Создание"


def test_history_names_the_places_a_school_moved_between_not_their_ids(world):
    school = world.organisation_b1
    services.object_update(actor=world.superuser, obj=school, data={"municipality": world.municipality_a})
    (change,) = history_entries(school)[0].changes
    assert (change.label, str(change.old), str(change.new)) == ("муниципалитет", "Белорецкий район", "Уфимский район")


def test_history_entries_are_capped(world):
    municipality = world.municipality_a
    for n in range(5):
        Municipality.objects.filter(pk=municipality.pk).update(name=f"Уфимский район ({n})")
    assert len(history_entries(municipality, limit=3)) == 3
    assert len(history_entries(municipality)) == 6
