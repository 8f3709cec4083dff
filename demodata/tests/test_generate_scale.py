"""``generate_scale`` at a small scale: counts, determinism and idempotency."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Sum

from demodata.management.commands.generate_scale import ALL_STEPS, scale_generate
from demodata.scale import monitoring, participants
from demodata.scale.directory import (
    STEPS,
    STUDENTS_PER_ORGANISATION,
    TEACHERS_PER_ORGANISATION,
    ScaleSpec,
    _spread,
)
from mentorship.choices import MunicipalityKind, OrganisationKind, Role
from mentorship.models import Body, Municipality, Organisation, Region, RoleAssignment, User

# The hierarchy's own steps: the apps' steps (people, pairs) are tested in test_scale_<app>.py.
BASES = ("bench_region", "bench_muni", "bench_curator")
SMALL = ScaleSpec(region_code="T1", municipalities=3, organisations=10, seed=1)
TRACKED = (Region, Municipality, Organisation, Body, User, RoleAssignment)


def snapshot() -> dict[str, tuple[int, int]]:
    return {model.__name__: (model.objects.count(), model.history.count()) for model in TRACKED}


def headcounts(region_code: str) -> list[tuple[str, str, int, int]]:
    """Per organisation, in code order, everything but the region-specific code prefix."""
    rows = Organisation.objects.filter(municipality__region__code=region_code).order_by("code")
    return [
        (o.code.removeprefix(region_code), o.short_name, o.students_count, o.teachers_count)
        for o in rows.only("code", "short_name", "students_count", "teachers_count")
    ]


@pytest.fixture
def small(db):
    ctx, _ = scale_generate(spec=SMALL, steps=STEPS)
    return ctx


def test_small_scale_builds_the_requested_counts(small):
    region = Region.objects.get(code="T1")
    assert region.municipalities.count() == 3
    assert Organisation.objects.filter(municipality__region=region).count() == 10
    assert Body.objects.filter(region=region, municipality__isnull=True).count() == 2
    assert Body.objects.filter(region=region, municipality__isnull=False).count() == 3
    assert [m.code for m in small.municipalities] == ["T1-M001", "T1-M002", "T1-M003"]
    assert small.municipalities[0].kind == MunicipalityKind.CITY_OKRUG


def test_every_municipality_starts_with_a_school(small):
    for municipality in small.municipalities:
        first = municipality.organisations.order_by("code").first()
        assert first is not None
        assert first.kind == OrganisationKind.SCHOOL


def test_headcounts_add_up_to_the_target_per_organisation(small):
    totals = Organisation.objects.filter(municipality__region__code="T1").aggregate(
        students=Sum("students_count"), teachers=Sum("teachers_count")
    )
    assert totals["students"] == pytest.approx(10 * STUDENTS_PER_ORGANISATION, rel=0.02)
    assert totals["teachers"] == pytest.approx(10 * TEACHERS_PER_ORGANISATION, rel=0.05)


def test_generated_records_pass_model_validation(small):
    for obj in [*Organisation.objects.all(), *Municipality.objects.all(), *Body.objects.all()]:
        obj.full_clean()


def test_bench_personas_hold_their_roles_with_the_bench_password(small):
    first_municipality = small.municipalities[0]
    first_school = Organisation.objects.filter(municipality=first_municipality).order_by("code").first()
    expected = {
        "bench_region": (Role.REGIONAL_COORDINATOR, small.region),
        "bench_muni": (Role.MUNICIPAL_OFFICER, first_municipality),
        "bench_curator": (Role.CURATOR, first_school),
    }
    for base, (role, place) in expected.items():
        user = User.objects.get(username=SMALL.username(base))
        assert user.check_password("bench12345")
        [assignment] = user.role_assignments.all()
        assert (assignment.role, assignment.place) == (role, place)


def test_bench_personas_see_their_scope(small):
    def visible(username: str) -> int:
        return Organisation.objects.restrict(User.objects.get(username=SMALL.username(username)), "view").count()

    assert visible("bench_region") == 10
    assert visible("bench_muni") == small.municipalities[0].organisations.count()
    assert visible("bench_curator") == 1


def test_default_region_uses_the_plain_bench_usernames():
    assert ScaleSpec().region_code == "SCALE"
    assert [ScaleSpec().username(base) for base in BASES] == ["bench_region", "bench_muni", "bench_curator"]
    assert [SMALL.username(base) for base in BASES] == ["bench_region_t1", "bench_muni_t1", "bench_curator_t1"]


def test_another_region_gets_its_own_personas(small):
    scale_generate(spec=ScaleSpec(region_code="T2", municipalities=3, organisations=10, seed=1), steps=STEPS)
    for base in BASES:
        assert User.objects.get(username=SMALL.username(base)).role_assignments.count() == 1
        assert User.objects.get(username=f"{base}_t2").role_assignments.count() == 1


def test_running_again_with_the_same_arguments_adds_nothing(small):
    before = snapshot()
    _, results = scale_generate(spec=SMALL, steps=STEPS)
    assert snapshot() == before
    assert [r.created for r in results] == [0] * len(results)


def test_a_missing_organisation_is_filled_in_on_rerun(small):
    last = Organisation.objects.filter(municipality__region__code="T1").order_by("-code").first()
    code, students = last.code, last.students_count
    last.delete()

    _, results = scale_generate(spec=SMALL, steps=STEPS)

    assert {r.name: r.created for r in results}["образовательные организации"] == 1
    assert Organisation.objects.get(code=code).students_count == students


def test_the_same_seed_gives_the_same_data(small):
    scale_generate(spec=ScaleSpec(region_code="T2", municipalities=3, organisations=10, seed=1), steps=STEPS)
    assert headcounts("T2") == headcounts("T1")


def test_another_seed_gives_other_data(small):
    scale_generate(spec=ScaleSpec(region_code="T3", municipalities=3, organisations=10, seed=2), steps=STEPS)
    assert headcounts("T3") != headcounts("T1")


def test_command_prints_a_russian_summary_and_is_idempotent(db):
    args = ["--municipalities", "2", "--organisations", "5", "--region-code", "CMD", "--seed", "7"]
    first, second = StringIO(), StringIO()
    call_command("generate_scale", *args, stdout=first)
    call_command("generate_scale", *args, stdout=second)
    assert "образовательные организации: создано 5, уже было 0" in first.getvalue()
    assert "образовательные организации: создано 0, уже было 5" in second.getvalue()
    assert "Готово: обучающихся" in second.getvalue()
    assert Organisation.objects.filter(municipality__region__code="CMD").count() == 5


@pytest.mark.parametrize(("total", "weights"), [(10, [6, 1, 1]), (1500, [6.0, *[1.0] * 59]), (2, [1, 1, 1])])
def test_spread_splits_the_total_exactly(total, weights):
    parts = _spread(total, weights)
    assert sum(parts) == total
    assert len(parts) == len(weights)
    assert all(part >= 0 for part in parts)


def test_the_personas_school_is_the_largest_of_the_city(small):
    city = small.municipalities[0]
    schools = Organisation.objects.filter(municipality=city).order_by("-students_count")
    assert schools.first().code == f"{city.code}-O0001"


def test_given_steps_run_in_their_order_after_the_hierarchy_each_seeing_what_came_before(db):
    seen: list[tuple[str, int]] = []

    def step(name: str):
        def run(ctx):
            seen.append((name, len(ctx.organisations)))
            return 1, 0

        return run

    steps = [*STEPS, ("late", "позже", step("late")), ("early", "раньше", step("early"))]

    _, results = scale_generate(spec=SMALL, steps=steps)

    assert [r.name for r in results] == [label for _, label, _ in STEPS] + ["позже", "раньше"]
    assert seen == [("late", 10), ("early", 10)]


def test_the_default_run_is_the_hierarchy_then_the_participants_then_monitoring():
    assert [*STEPS, *participants.STEPS, *monitoring.STEPS] == ALL_STEPS
    names = [name for name, _, _ in ALL_STEPS]
    assert len(set(names)) == len(names), names
