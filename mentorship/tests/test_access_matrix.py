"""The access matrix: every directory page, every persona, objects inside and outside their scope.

The expectations are written out by hand below, one row per persona, from the
rules in docs/domain.md and ``roles.py`` — never computed with the scoping code
under test. Reading the table: «hidden» answers 404, «read» shows the object
but refuses to change it (403), «change» may edit it, «delete» may also delete
it (only partners have a delete page). Anonymous visitors are sent to log in.
The places above a persona (``ABOVE``) are seen by name only: read, without their change history.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.db import models
from django.urls import reverse

from mentorship.choices import BodyKind, MunicipalityKind, OrganisationKind, PartnerKind
from mentorship.models import Body, Municipality, Organisation, Partner

from .factories import PERSONAS

pytestmark = pytest.mark.django_db

HIDDEN, READ, CHANGE, DELETE, LOGIN = "hidden", "read", "change", "delete", "login"

KINDS: dict[str, list[str]] = {
    "region": ["region_r", "region_r2"],
    "municipality": ["municipality_a", "municipality_b", "municipality_c"],
    "organisation": ["organisation_a1", "organisation_a2", "organisation_b1", "organisation_c1"],
    "body": ["body_r", "body_a", "body_b", "body_r2"],
    "partner": ["partner_r", "partner_a", "partner_b", "partner_r2"],
}

# fmt: off
EXPECTED: dict[str, dict[str, str]] = {
    "regional_coordinator": {
        "region_r": CHANGE, "region_r2": HIDDEN,
        "municipality_a": CHANGE, "municipality_b": CHANGE, "municipality_c": HIDDEN,
        "organisation_a1": CHANGE, "organisation_a2": CHANGE, "organisation_b1": CHANGE, "organisation_c1": HIDDEN,
        "body_r": CHANGE, "body_a": CHANGE, "body_b": CHANGE, "body_r2": HIDDEN,
        "partner_r": DELETE, "partner_a": DELETE, "partner_b": DELETE, "partner_r2": HIDDEN,
    },
    "regional_observer": {
        "region_r": READ, "region_r2": HIDDEN,
        "municipality_a": READ, "municipality_b": READ, "municipality_c": HIDDEN,
        "organisation_a1": READ, "organisation_a2": READ, "organisation_b1": READ, "organisation_c1": HIDDEN,
        "body_r": READ, "body_a": READ, "body_b": READ, "body_r2": HIDDEN,
        "partner_r": READ, "partner_a": READ, "partner_b": READ, "partner_r2": HIDDEN,
    },
    "officer_a": {
        "region_r": READ, "region_r2": HIDDEN,
        "municipality_a": READ, "municipality_b": HIDDEN, "municipality_c": HIDDEN,
        "organisation_a1": CHANGE, "organisation_a2": CHANGE, "organisation_b1": HIDDEN, "organisation_c1": HIDDEN,
        "body_r": READ, "body_a": CHANGE, "body_b": HIDDEN, "body_r2": HIDDEN,
        "partner_r": READ, "partner_a": DELETE, "partner_b": HIDDEN, "partner_r2": HIDDEN,
    },
    "officer_b": {
        "region_r": READ, "region_r2": HIDDEN,
        "municipality_a": HIDDEN, "municipality_b": READ, "municipality_c": HIDDEN,
        "organisation_a1": HIDDEN, "organisation_a2": HIDDEN, "organisation_b1": CHANGE, "organisation_c1": HIDDEN,
        "body_r": READ, "body_a": HIDDEN, "body_b": CHANGE, "body_r2": HIDDEN,
        "partner_r": READ, "partner_a": HIDDEN, "partner_b": DELETE, "partner_r2": HIDDEN,
    },
    "observer_a": {
        "region_r": READ, "region_r2": HIDDEN,
        "municipality_a": READ, "municipality_b": HIDDEN, "municipality_c": HIDDEN,
        "organisation_a1": READ, "organisation_a2": READ, "organisation_b1": HIDDEN, "organisation_c1": HIDDEN,
        "body_r": READ, "body_a": READ, "body_b": HIDDEN, "body_r2": HIDDEN,
        "partner_r": READ, "partner_a": READ, "partner_b": HIDDEN, "partner_r2": HIDDEN,
    },
    "director_a1": {
        "region_r": READ, "region_r2": HIDDEN,
        "municipality_a": READ, "municipality_b": HIDDEN, "municipality_c": HIDDEN,
        "organisation_a1": CHANGE, "organisation_a2": HIDDEN, "organisation_b1": HIDDEN, "organisation_c1": HIDDEN,
        "body_r": READ, "body_a": READ, "body_b": HIDDEN, "body_r2": HIDDEN,
        "partner_r": READ, "partner_a": READ, "partner_b": HIDDEN, "partner_r2": HIDDEN,
    },
    "curator_a1": {
        "region_r": READ, "region_r2": HIDDEN,
        "municipality_a": READ, "municipality_b": HIDDEN, "municipality_c": HIDDEN,
        "organisation_a1": CHANGE, "organisation_a2": HIDDEN, "organisation_b1": HIDDEN, "organisation_c1": HIDDEN,
        "body_r": READ, "body_a": READ, "body_b": HIDDEN, "body_r2": HIDDEN,
        "partner_r": READ, "partner_a": READ, "partner_b": HIDDEN, "partner_r2": HIDDEN,
    },
    "curator_b1": {
        "region_r": READ, "region_r2": HIDDEN,
        "municipality_a": HIDDEN, "municipality_b": READ, "municipality_c": HIDDEN,
        "organisation_a1": HIDDEN, "organisation_a2": HIDDEN, "organisation_b1": CHANGE, "organisation_c1": HIDDEN,
        "body_r": READ, "body_a": HIDDEN, "body_b": READ, "body_r2": HIDDEN,
        "partner_r": READ, "partner_a": HIDDEN, "partner_b": READ, "partner_r2": HIDDEN,
    },
    "coordinator_a1": {
        "region_r": READ, "region_r2": HIDDEN,
        "municipality_a": READ, "municipality_b": HIDDEN, "municipality_c": HIDDEN,
        "organisation_a1": READ, "organisation_a2": HIDDEN, "organisation_b1": HIDDEN, "organisation_c1": HIDDEN,
        "body_r": READ, "body_a": READ, "body_b": HIDDEN, "body_r2": HIDDEN,
        "partner_r": READ, "partner_a": READ, "partner_b": HIDDEN, "partner_r2": HIDDEN,
    },
    "mentor_a1": {
        "region_r": READ, "region_r2": HIDDEN,
        "municipality_a": READ, "municipality_b": HIDDEN, "municipality_c": HIDDEN,
        "organisation_a1": READ, "organisation_a2": HIDDEN, "organisation_b1": HIDDEN, "organisation_c1": HIDDEN,
        "body_r": READ, "body_a": READ, "body_b": HIDDEN, "body_r2": HIDDEN,
        "partner_r": READ, "partner_a": READ, "partner_b": HIDDEN, "partner_r2": HIDDEN,
    },
    "outsider": {
        "region_r": HIDDEN, "region_r2": HIDDEN,
        "municipality_a": HIDDEN, "municipality_b": HIDDEN, "municipality_c": HIDDEN,
        "organisation_a1": HIDDEN, "organisation_a2": HIDDEN, "organisation_b1": HIDDEN, "organisation_c1": HIDDEN,
        "body_r": HIDDEN, "body_a": HIDDEN, "body_b": HIDDEN, "body_r2": HIDDEN,
        "partner_r": HIDDEN, "partner_a": HIDDEN, "partner_b": HIDDEN, "partner_r2": HIDDEN,
    },
    "superuser": {
        "region_r": DELETE, "region_r2": DELETE,
        "municipality_a": DELETE, "municipality_b": DELETE, "municipality_c": DELETE,
        "organisation_a1": DELETE, "organisation_a2": DELETE, "organisation_b1": DELETE, "organisation_c1": DELETE,
        "body_r": DELETE, "body_a": DELETE, "body_b": DELETE, "body_r2": DELETE,
        "partner_r": DELETE, "partner_a": DELETE, "partner_b": DELETE, "partner_r2": DELETE,
    },
    "anonymous": {
        "region_r": LOGIN, "region_r2": LOGIN,
        "municipality_a": LOGIN, "municipality_b": LOGIN, "municipality_c": LOGIN,
        "organisation_a1": LOGIN, "organisation_a2": LOGIN, "organisation_b1": LOGIN, "organisation_c1": LOGIN,
        "body_r": LOGIN, "body_a": LOGIN, "body_b": LOGIN, "body_r2": LOGIN,
        "partner_r": LOGIN, "partner_a": LOGIN, "partner_b": LOGIN, "partner_r2": LOGIN,
    },
}

# The places above each persona (and the records kept for them as a whole): seen by name only. Their
# detail page reads as above; their change history answers 404, as for anything out of sight.
ABOVE: dict[str, set[str]] = {
    "regional_coordinator": set(),
    "regional_observer": set(),
    "officer_a": {"region_r", "body_r", "partner_r"},
    "officer_b": {"region_r", "body_r", "partner_r"},
    "observer_a": {"region_r", "body_r", "partner_r"},
    "director_a1": {"region_r", "municipality_a", "body_r", "body_a", "partner_r", "partner_a"},
    "curator_a1": {"region_r", "municipality_a", "body_r", "body_a", "partner_r", "partner_a"},
    "curator_b1": {"region_r", "municipality_b", "body_r", "body_b", "partner_r", "partner_b"},
    "coordinator_a1": {"region_r", "municipality_a", "body_r", "body_a", "partner_r", "partner_a"},
    "mentor_a1": {"region_r", "municipality_a", "body_r", "body_a", "partner_r", "partner_a"},
    "outsider": set(),
    "superuser": set(),
    "anonymous": set(),
}
# fmt: on

# What each page answers for each level of access.
SAVED, DELETED = "saved", "deleted"
PAGE_ANSWERS: dict[str, dict[str, Any]] = {
    "detail": {HIDDEN: 404, READ: 200, CHANGE: 200, DELETE: 200, LOGIN: LOGIN},
    "history": {HIDDEN: 404, READ: 200, CHANGE: 200, DELETE: 200, LOGIN: LOGIN},
    "edit GET": {HIDDEN: 404, READ: 403, CHANGE: 200, DELETE: 200, LOGIN: LOGIN},
    "edit POST": {HIDDEN: 404, READ: 403, CHANGE: SAVED, DELETE: SAVED, LOGIN: LOGIN},
    "delete GET": {HIDDEN: 404, READ: 403, CHANGE: 403, DELETE: 200, LOGIN: LOGIN},
    "delete POST": {HIDDEN: 404, READ: 403, CHANGE: 403, DELETE: DELETED, LOGIN: LOGIN},
}

FORMS: dict[str, list[str]] = {
    "region": ["name", "code", "is_active"],
    "municipality": ["region", "name", "kind", "code", "is_active"],
    "organisation": [
        "municipality", "kind", "full_name", "short_name", "code", "inn", "ogrn", "address",
        "students_count", "teachers_count", "is_active",
    ],
    "body": [
        "kind", "region", "municipality", "full_name", "short_name", "code", "inn", "ogrn", "address", "is_active",
    ],
    "partner": [
        "kind", "region", "municipality", "full_name", "short_name", "code", "inn", "ogrn", "address", "contact",
        "is_active",
    ],
}  # fmt: skip
# The field an edit in the matrix changes.
NAME_FIELD = {
    "region": "name",
    "municipality": "name",
    "organisation": "short_name",
    "body": "short_name",
    "partner": "short_name",
}

PERSONA_KIND = [(persona, kind) for persona in PERSONAS for kind in KINDS]


def answer(response) -> Any:
    """What a response amounts to: a status code, or LOGIN for a redirect to the login page."""
    if response.status_code == 302 and response["Location"].startswith(reverse("login")):
        return LOGIN
    return response.status_code


def stored(obj: models.Model) -> dict[str, Any] | None:
    """Every stored column of ``obj`` now, or None if the row is gone."""
    fresh = type(obj)._base_manager.filter(pk=obj.pk).first()
    if fresh is None:
        return None
    return {f.attname: getattr(fresh, f.attname) for f in type(obj)._meta.concrete_fields}


def without_timestamp(values: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if values is None else {k: v for k, v in values.items() if k != "updated_at"}


def form_data(kind: str, obj: models.Model, **changes: Any) -> dict[str, Any]:
    """The edit form of ``obj`` as a browser would post it, with ``changes`` and a fresh one-time token."""
    data: dict[str, Any] = {}
    for name in FORMS[kind]:
        value = getattr(obj, obj._meta.get_field(name).attname)
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = "" if value is None else value
    data.update(changes)
    data["_submission"] = str(uuid.uuid4())
    return data


def url(kind: str, page: str, obj: models.Model | None = None) -> str:
    name = {"detail": kind, "history": f"{kind}_history", "edit": f"{kind}_edit", "delete": f"{kind}_delete"}[page]
    return reverse(f"directory:{name}", args=[obj.pk])


# --- reading ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "kind"), PERSONA_KIND)
@pytest.mark.parametrize("page", ["detail", "history"])
def test_detail_and_history_pages_answer_by_scope(world, client_as, persona, kind, page):
    client = client_as(world.persona(persona))
    found = {key: answer(client.get(url(kind, page, world.objects[key]))) for key in KINDS[kind]}
    expected = {key: PAGE_ANSWERS[page][EXPECTED[persona][key]] for key in KINDS[kind]}
    if page == "history":
        expected |= {key: 404 for key in KINDS[kind] if key in ABOVE[persona]}
    assert found == expected


def test_the_places_above_are_read_only_where_read_at_all():
    # A place above is never more than «read»: nobody changes upward.
    for persona, keys in ABOVE.items():
        assert {EXPECTED[persona][key] for key in keys} <= {READ}, persona


# --- changing ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "kind"), PERSONA_KIND)
def test_edit_page_opens_only_for_those_who_may_change(world, client_as, persona, kind):
    client = client_as(world.persona(persona))
    found = {key: answer(client.get(url(kind, "edit", world.objects[key]))) for key in KINDS[kind]}
    expected = {key: PAGE_ANSWERS["edit GET"][EXPECTED[persona][key]] for key in KINDS[kind]}
    assert found == expected


@pytest.mark.parametrize(("persona", "kind"), PERSONA_KIND)
def test_edit_post_saves_only_for_those_who_may_change_and_leaves_other_rows_untouched(world, client_as, persona, kind):
    client = client_as(world.persona(persona))
    name_field = NAME_FIELD[kind]
    found = {}
    for key in KINDS[kind]:
        obj = world.objects[key]
        before = stored(obj)
        new_name = f"{getattr(obj, name_field)} (изменено)"
        response = client.post(url(kind, "edit", obj), form_data(kind, obj, **{name_field: new_name}))
        after = stored(obj)
        result = answer(response)
        if result == 302:
            changed = without_timestamp(after) == without_timestamp(before) | {name_field: new_name}
            result = SAVED if changed and response["Location"] == obj.get_absolute_url() else "302 without the change"
        elif after != before:
            result = f"{result} but the row changed"
        found[key] = result
    expected = {key: PAGE_ANSWERS["edit POST"][EXPECTED[persona][key]] for key in KINDS[kind]}
    assert found == expected


# --- deleting (partners are the only directory records with a delete page) ----------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_delete_page_opens_only_for_those_who_may_delete(world, client_as, persona):
    client = client_as(world.persona(persona))
    found = {key: answer(client.get(url("partner", "delete", world.objects[key]))) for key in KINDS["partner"]}
    expected = {key: PAGE_ANSWERS["delete GET"][EXPECTED[persona][key]] for key in KINDS["partner"]}
    assert found == expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_delete_post_deletes_only_for_those_who_may_delete(world, client_as, persona):
    client = client_as(world.persona(persona))
    found = {}
    for key in KINDS["partner"]:
        obj = world.objects[key]
        before = stored(obj)
        result = answer(client.post(url("partner", "delete", obj), {"_submission": str(uuid.uuid4())}))
        after = stored(obj)
        if result == 302:
            result = DELETED if after is None else "302 but still there"
        elif after != before:
            result = f"{result} but the row changed"
        found[key] = result
    expected = {key: PAGE_ANSWERS["delete POST"][EXPECTED[persona][key]] for key in KINDS["partner"]}
    assert found == expected


# --- adding ----------------------------------------------------------------------------------------------

CREATED, INVALID, FORBIDDEN = "created", "form error, nothing created", 403

# Where a new record is put: its parent fields, by target name.
ADD_TARGETS: dict[str, dict[str, dict[str, Any]]] = {
    "municipality": {
        "in_region_r": {"region": "region_r"},
        "in_region_r2": {"region": "region_r2"},
    },
    "organisation": {
        "in_a": {"municipality": "municipality_a"},
        "in_b": {"municipality": "municipality_b"},
        "in_c": {"municipality": "municipality_c"},
    },
    "body": {
        "regional_r": {"region": "region_r", "kind": BodyKind.REGIONAL_CENTRE},
        "municipal_a": {"region": "region_r", "municipality": "municipality_a", "kind": BodyKind.MUNICIPAL_CENTRE},
        "regional_r2": {"region": "region_r2", "kind": BodyKind.REGIONAL_MINISTRY},
    },
    "partner": {
        "regional_r": {"region": "region_r"},
        "municipal_a": {"region": "region_r", "municipality": "municipality_a"},
        "municipal_b": {"region": "region_r", "municipality": "municipality_b"},
        "regional_r2": {"region": "region_r2"},
    },
}

NO_ADDING = {
    "municipality": {"in_region_r": FORBIDDEN, "in_region_r2": FORBIDDEN},
    "organisation": {"in_a": FORBIDDEN, "in_b": FORBIDDEN, "in_c": FORBIDDEN},
    "body": {"regional_r": FORBIDDEN, "municipal_a": FORBIDDEN, "regional_r2": FORBIDDEN},
    "partner": {"regional_r": FORBIDDEN, "municipal_a": FORBIDDEN, "municipal_b": FORBIDDEN, "regional_r2": FORBIDDEN},
}

ADD_EXPECTED: dict[str, dict[str, dict[str, Any]]] = {
    "regional_coordinator": {
        "municipality": {"in_region_r": CREATED, "in_region_r2": INVALID},
        "organisation": {"in_a": CREATED, "in_b": CREATED, "in_c": INVALID},
        "body": {"regional_r": CREATED, "municipal_a": CREATED, "regional_r2": INVALID},
        "partner": {"regional_r": CREATED, "municipal_a": CREATED, "municipal_b": CREATED, "regional_r2": INVALID},
    },
    "regional_observer": NO_ADDING,
    "officer_a": {
        "municipality": {"in_region_r": FORBIDDEN, "in_region_r2": FORBIDDEN},
        "organisation": {"in_a": CREATED, "in_b": INVALID, "in_c": INVALID},
        "body": {"regional_r": FORBIDDEN, "municipal_a": FORBIDDEN, "regional_r2": FORBIDDEN},
        # A regional partner is visible to the officer, but it is not theirs to add.
        "partner": {"regional_r": INVALID, "municipal_a": CREATED, "municipal_b": INVALID, "regional_r2": INVALID},
    },
    "officer_b": {
        "municipality": {"in_region_r": FORBIDDEN, "in_region_r2": FORBIDDEN},
        "organisation": {"in_a": INVALID, "in_b": CREATED, "in_c": INVALID},
        "body": {"regional_r": FORBIDDEN, "municipal_a": FORBIDDEN, "regional_r2": FORBIDDEN},
        "partner": {"regional_r": INVALID, "municipal_a": INVALID, "municipal_b": CREATED, "regional_r2": INVALID},
    },
    "observer_a": NO_ADDING,
    "director_a1": NO_ADDING,
    "curator_a1": NO_ADDING,
    "curator_b1": NO_ADDING,
    "coordinator_a1": NO_ADDING,
    "mentor_a1": NO_ADDING,
    "outsider": NO_ADDING,
    "superuser": {
        "municipality": {"in_region_r": CREATED, "in_region_r2": CREATED},
        "organisation": {"in_a": CREATED, "in_b": CREATED, "in_c": CREATED},
        "body": {"regional_r": CREATED, "municipal_a": CREATED, "regional_r2": CREATED},
        "partner": {"regional_r": CREATED, "municipal_a": CREATED, "municipal_b": CREATED, "regional_r2": CREATED},
    },
    "anonymous": {
        "municipality": {"in_region_r": LOGIN, "in_region_r2": LOGIN},
        "organisation": {"in_a": LOGIN, "in_b": LOGIN, "in_c": LOGIN},
        "body": {"regional_r": LOGIN, "municipal_a": LOGIN, "regional_r2": LOGIN},
        "partner": {"regional_r": LOGIN, "municipal_a": LOGIN, "municipal_b": LOGIN, "regional_r2": LOGIN},
    },
}

MODELS = {"municipality": Municipality, "organisation": Organisation, "body": Body, "partner": Partner}
PERSONA_ADDABLE_KIND = [(persona, kind) for persona in PERSONAS for kind in MODELS]


def new_record(kind: str, target: str, world) -> dict[str, Any]:
    """Form data for a new record of ``kind`` placed at ``target``."""
    code = f"NEW-{target}".replace("_", "-")
    parents = {
        name: (world.objects[value].pk if name in ("region", "municipality") else value)
        for name, value in ADD_TARGETS[kind][target].items()
    }
    if kind == "municipality":
        data = {"name": f"Новый район {target}", "kind": MunicipalityKind.CITY_OKRUG}
    elif kind == "organisation":
        data = {"kind": OrganisationKind.SCHOOL, "students_count": 300, "teachers_count": 25}
    elif kind == "partner":
        data = {"kind": PartnerKind.NGO}
    else:
        data = {}
    if kind != "municipality":
        data |= {"short_name": f"Новая запись {target}", "full_name": f"Новая запись {target} (полностью)"}
    return {"code": code, "is_active": "on", "_submission": str(uuid.uuid4())} | data | parents


@pytest.mark.parametrize(("persona", "kind"), PERSONA_ADDABLE_KIND)
def test_add_page_opens_only_for_those_who_may_add(world, client_as, persona, kind):
    client = client_as(world.persona(persona))
    may_add_somewhere = CREATED in ADD_EXPECTED[persona][kind].values()
    expected = LOGIN if persona == "anonymous" else 200 if may_add_somewhere else FORBIDDEN
    assert answer(client.get(reverse(f"directory:{kind}_add"))) == expected


@pytest.mark.parametrize(("persona", "kind"), PERSONA_ADDABLE_KIND)
def test_add_post_creates_only_inside_the_add_scope(world, client_as, persona, kind):
    client = client_as(world.persona(persona))
    model = MODELS[kind]
    found = {}
    for target in ADD_TARGETS[kind]:
        data = new_record(kind, target, world)
        count_before = model.objects.count()
        response = client.post(reverse(f"directory:{kind}_add"), data)
        created = model.objects.filter(code=data["code"]).first()
        result = answer(response)
        if result == 302 and created is not None and model.objects.count() == count_before + 1:
            result = CREATED if response["Location"] == created.get_absolute_url() else "created, odd redirect"
        elif result == 200 and created is None and response.context["form"].errors:
            result = INVALID
        elif created is not None or model.objects.count() != count_before:
            result = f"{result} but a row was created"
        found[target] = result
    assert found == ADD_EXPECTED[persona][kind]


# --- lists show only what is in scope -------------------------------------------------------------------

LISTS = {"index": "region", "organisations": "organisation", "bodies": "body", "partners": "partner"}


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "anonymous"])
@pytest.mark.parametrize("page", LISTS)
def test_list_pages_show_exactly_the_rows_in_scope(world, client_as, persona, page):
    client = client_as(world.persona(persona))
    response = client.get(reverse(f"directory:{page}"))
    assert response.status_code == 200
    shown = {obj.pk for obj in response.context["object_list"]}
    kind = LISTS[page]
    expected = {world.objects[key].pk for key in KINDS[kind] if EXPECTED[persona][key] != HIDDEN}
    assert shown == expected


@pytest.mark.parametrize("page", LISTS)
def test_anonymous_visitor_is_sent_to_log_in_from_every_list(world, client, page):
    assert answer(client.get(reverse(f"directory:{page}"))) == LOGIN


def test_curator_of_a1_sees_exactly_a1_on_the_organisation_list(world, client_as):
    response = client_as(world.curator_a1).get(reverse("directory:organisations"))
    assert [o.short_name for o in response.context["object_list"]] == ["МОБУ СОШ с. Булгаково"]
    assert "МОБУ СОШ д. Дмитриевка" not in response.content.decode()


def test_officer_of_a_sees_as_schools_and_not_bs(world, client_as):
    response = client_as(world.officer_a).get(reverse("directory:organisations"))
    content = response.content.decode()
    assert "МОБУ СОШ с. Булгаково" in content
    assert "МОБУ СОШ д. Дмитриевка" in content
    assert "МОБУ СОШ № 1 г. Белорецк" not in content
    assert "Большемуртинская" not in content


def test_region_page_lists_only_the_municipalities_the_officer_may_see(world, client_as):
    response = client_as(world.officer_a).get(reverse("directory:region", args=[world.region_r.pk]))
    assert [m.name for m in response.context["municipalities"]] == ["Уфимский район"]
    assert "Белорецкий район" not in response.content.decode()


def test_region_row_shows_a_curator_the_name_only(world, client_as):
    # Until stop 22 a curator read «1 муниципалитет, 1 организация» here: their own school's
    # figures passed off as the region's. A place above is seen by name only.
    response = client_as(world.curator_a1).get(reverse("directory:index"))
    (region,) = response.context["object_list"]
    assert (region.name, region.figures_shown) == ("Республика Башкортостан", False)
    assert (region.municipality_count, region.organisation_count) == (0, 0)
    assert "уровень выше вашего: только название" in response.content.decode()


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "anonymous"])
def test_figures_of_a_place_above_are_never_shown(world, client_as, persona):
    client = client_as(world.persona(persona))
    rows = {r.pk: r for r in client.get(reverse("directory:index")).context["object_list"]}
    regions = {key: rows[world.objects[key].pk] for key in KINDS["region"] if world.objects[key].pk in rows}
    municipalities = {}
    for region in regions.values():
        page = client.get(reverse("directory:region", args=[region.pk]))
        municipalities |= {m.pk: m for m in page.context["municipalities"]}
    shown = {key: row.figures_shown for key, row in regions.items()}
    shown |= {
        key: municipalities[world.objects[key].pk].figures_shown
        for key in KINDS["municipality"]
        if world.objects[key].pk in municipalities
    }
    assert shown == {key: key not in ABOVE[persona] for key in shown}
    assert set(shown) == {key for key in KINDS["region"] + KINDS["municipality"] if EXPECTED[persona][key] != HIDDEN}


def test_directory_counts_what_a_regional_coordinator_sees(world, client_as):
    response = client_as(world.regional_coordinator).get(reverse("directory:index"))
    (region,) = response.context["object_list"]
    assert (region.name, region.municipality_count, region.organisation_count) == ("Республика Башкортостан", 2, 3)


def test_headcount_totals_add_up_only_the_schools_in_scope(world, client_as):
    region_page = reverse("directory:region", args=[world.region_r.pk])
    totals = {
        m.name: m.students_total
        for m in client_as(world.regional_coordinator).get(region_page).context["municipalities"]
    }
    assert totals == {"Уфимский район": 1080, "Белорецкий район": 540}
    curator = client_as(world.curator_a1).get(region_page)
    (municipality,) = curator.context["municipalities"]
    assert (municipality.name, municipality.figures_shown) == ("Уфимский район", False)
    assert "540" not in curator.content.decode()


def test_municipality_page_shows_a_curator_only_their_own_school(world, client_as):
    response = client_as(world.curator_a1).get(reverse("directory:municipality", args=[world.municipality_a.pk]))
    assert [o.code for o in response.context["organisations"]] == ["A1"]
    assert "МОБУ СОШ д. Дмитриевка" not in response.content.decode()


def test_filter_choices_offer_only_municipalities_in_scope(world, client_as):
    response = client_as(world.officer_a).get(reverse("directory:organisations"))
    choices = response.context["filterset"].form.fields["municipality"].queryset
    assert list(choices) == [world.municipality_a]
    assert "Белорецкий район" not in response.content.decode()


@pytest.mark.parametrize("page", ["bodies", "partners"])
def test_filter_choices_offer_only_regions_in_scope(world, client_as, page):
    response = client_as(world.curator_b1).get(reverse(f"directory:{page}"))
    choices = response.context["filterset"].form.fields["region"].queryset
    assert list(choices) == [world.region_r]
    assert "Красноярский край" not in response.content.decode()


def test_filtering_by_a_foreign_municipality_reveals_nothing(world, client_as):
    response = client_as(world.officer_a).get(
        reverse("directory:organisations"), {"municipality": world.municipality_b.pk}
    )
    assert response.status_code == 200
    assert "МОБУ СОШ № 1 г. Белорецк" not in response.content.decode()


def test_region_detail_and_edit_of_another_region_are_404_for_its_neighbour(world, client_as):
    client = client_as(world.regional_coordinator)
    r2 = world.region_r2
    assert client.get(reverse("directory:region", args=[r2.pk])).status_code == 404
    before = stored(r2)
    assert (
        client.post(reverse("directory:region_edit", args=[r2.pk]), form_data("region", r2, name="X")).status_code
        == 404
    )
    assert stored(r2) == before
