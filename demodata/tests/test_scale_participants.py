"""The participants' steps of ``generate_scale`` at a tiny scale: counts, the domain's rules, idempotency."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.db.models import Count, Q, Sum

from demodata.management.commands.generate_scale import ALL_STEPS, scale_generate
from demodata.scale import participants as scale
from demodata.scale.directory import STEPS, ScaleContext, ScaleSpec
from mentorship.models import Organisation, User
from mentorship.tests.worlds import world_for_module
from participants.choices import BaseRole, ConsentSigner, MentorshipForm, PairStatus, PersonKind
from participants.models import (
    BaseEntry,
    Consent,
    CooperationAgreement,
    Meeting,
    Pair,
    PairMember,
    Person,
    Programme,
)
from participants.selectors import valid_consents
from participants.services import pairs as pairs_services

pytestmark = pytest.mark.usefixtures("pinned_clock")

SPEC = ScaleSpec(region_code="TP", municipalities=2, organisations=6, seed=3)
TRACKED = (Programme, Person, BaseEntry, Consent, CooperationAgreement, Pair, PairMember, Meeting)


def snapshot() -> dict[str, tuple[int, int]]:
    return {model.__name__: (model.objects.count(), model.history.count()) for model in TRACKED}


@pytest.fixture(scope="module")
def _generated(django_db_setup: None, django_db_blocker: Any) -> Iterator[ScaleContext]:
    yield from world_for_module(django_db_blocker, lambda: scale_generate(spec=SPEC)[0])


@pytest.fixture
def ctx(_generated: ScaleContext, db: None) -> ScaleContext:
    return _generated


def test_participants_steps_run_right_after_the_hierarchy():
    names = [name for name, _, _ in ALL_STEPS]
    labels = [label for _, label, _ in ALL_STEPS]
    ours = ["программы наставничества", "участники, базы и согласия", "пары, группы и встречи"]
    start = labels.index(ours[0])
    assert labels[start : start + 3] == ours
    assert start == len(STEPS), f"the hierarchy's steps come first: {names}"


def test_participants_are_about_seven_in_ten_of_pupils_and_teachers(ctx):
    totals = Organisation.objects.filter(municipality__region__code="TP").aggregate(
        students=Sum("students_count"), teachers=Sum("teachers_count")
    )
    people = Person.objects.filter(organisation__municipality__region__code="TP")
    students = people.filter(kind=PersonKind.STUDENT).count()
    teachers = people.filter(kind=PersonKind.TEACHER).count()
    assert 0.52 * totals["students"] <= students <= 0.70 * totals["students"]
    assert 0.55 * totals["teachers"] <= teachers <= 0.85 * totals["teachers"]
    assert people.filter(kind=PersonKind.EXTERNAL).exists()


def test_everyone_is_in_this_years_base_with_a_consent_and_externals_with_an_agreement(ctx):
    people = Person.objects.filter(organisation__municipality__region__code="TP")
    assert people.annotate(n=Count("base_entries", filter=Q(base_entries__school_year=2026))).filter(n=1).count() == (
        people.count()
    )
    assert people.annotate(n=Count("consents")).filter(n=1).count() == people.count()
    externals = people.filter(kind=PersonKind.EXTERNAL)
    assert CooperationAgreement.objects.filter(person__in=externals).count() == externals.count()


def test_minors_consent_is_signed_by_a_parent_and_adults_sign_their_own(ctx):
    for consent in Consent.objects.filter(organisation__municipality__region__code="TP").select_related("person"):
        minor = consent.person.is_minor_on(consent.signed_on)
        assert consent.signer == (ConsentSigner.PARENT if minor else ConsentSigner.SELF)
        assert bool(consent.signer_name) == minor


def test_the_personas_school_has_the_most_participants(ctx):
    curator = User.objects.get(username=SPEC.username("bench_curator"))
    school = curator.role_assignments.get().place
    by_school = Counter(
        Person.objects.filter(organisation__municipality__region__code="TP").values_list("organisation", flat=True)
    )
    assert by_school.most_common(1)[0][0] == school.pk


def test_generated_records_pass_model_validation(ctx):
    region = Q(organisation__municipality__region__code="TP")
    for model in (Programme, Person, BaseEntry, Consent, CooperationAgreement, Pair):
        for obj in model.objects.filter(region)[:60]:
            obj.full_clean()
    for obj in PairMember.objects.filter(pair__organisation__municipality__region__code="TP")[:60]:
        obj.full_clean()
    for obj in Meeting.objects.filter(pair__organisation__municipality__region__code="TP")[:60]:
        obj.full_clean()


def test_pairs_keep_the_rules_the_services_enforce(ctx):
    members = PairMember.objects.filter(pair__organisation__municipality__region__code="TP").select_related(
        "pair", "person"
    )
    mentees_of: Counter[int] = Counter()
    for member in members:
        pair = member.pair
        assert member.person.organisation_id == pair.organisation_id
        assert member.programme_id == pair.programme_id
        assert valid_consents(pair.started_on).filter(person_id=member.person_id).exists()
        if member.role == BaseRole.MENTEE and pair.status in PairStatus.open():
            mentees_of[pair.pk] += 1
        if pair.form == MentorshipForm.STUDENT_STUDENT:
            assert member.person.kind == PersonKind.STUDENT
    for pair in Pair.objects.filter(pk__in=mentees_of).prefetch_related("members"):
        [mentor] = [m for m in pair.members.all() if m.role == BaseRole.MENTOR]
        capacity = BaseEntry.objects.get(person=mentor.person_id, school_year=2026, role=BaseRole.MENTOR).capacity
        assert mentees_of[pair.pk] <= capacity


def test_every_pair_passes_the_services_form_rule(ctx):
    """The same check ``pair_create`` makes: who may mentor whom in each form."""
    members: dict[Pair, list[PairMember]] = {}
    for member in PairMember.objects.filter(pair__organisation__municipality__region__code="TP").select_related(
        "pair", "person__organisation"
    ):
        members.setdefault(member.pair, []).append(member)
    entries = {
        entry.person_id: entry
        for entry in BaseEntry.objects.filter(organisation__municipality__region__code="TP", school_year=2026)
    }
    assert members
    for pair, its_members in members.items():
        mentors = [m.person for m in its_members if m.role == BaseRole.MENTOR]
        mentees = [m.person for m in its_members if m.role == BaseRole.MENTEE]
        pairs_services._form_rule(pair.form, mentors, mentees, entries)
        assert {entries[p.pk].role for p in mentors} == {BaseRole.MENTOR}
        assert {entries[p.pk].role for p in mentees} == {BaseRole.MENTEE}


def test_most_pairs_are_active_some_forming_or_completed_with_meetings(ctx):
    pairs = Pair.objects.filter(organisation__municipality__region__code="TP")
    statuses = Counter(pairs.values_list("status", flat=True))
    assert statuses[PairStatus.ACTIVE] > statuses[PairStatus.FORMING] > 0
    assert statuses[PairStatus.COMPLETED] > 0
    assert not pairs.filter(status=PairStatus.ACTIVE).annotate(n=Count("meetings")).filter(n=0).exists()
    assert not pairs.filter(status=PairStatus.COMPLETED, members__left_on__isnull=True).exists()


def test_about_one_mentee_in_ten_waits_without_a_pair(ctx):
    mentees = BaseEntry.objects.filter(organisation__municipality__region__code="TP", role=BaseRole.MENTEE)
    paired = mentees.filter(person__memberships__role=BaseRole.MENTEE).values("person").distinct().count()
    waiting = mentees.count() - paired
    assert 0.04 * mentees.count() <= waiting <= 0.35 * mentees.count()


def test_running_again_adds_nothing(ctx):
    before = snapshot()
    _, results = scale_generate(spec=SPEC)
    assert snapshot() == before
    assert [r.created for r in results] == [0] * len(results)


def test_a_deleted_person_is_filled_in_again_with_the_same_data(ctx):
    person = Person.objects.filter(
        organisation__municipality__region__code="TP", kind=PersonKind.STUDENT, memberships__isnull=True
    ).first()
    key = (person.organisation_id, person.external_id, person.surname, person.name, person.birth_date)
    person.delete()

    _, results = scale_generate(spec=SPEC)

    assert {r.name: r.created for r in results}["участники, базы и согласия"] == 1
    again = Person.objects.get(organisation=key[0], external_id=key[1])
    assert (again.organisation_id, again.external_id, again.surname, again.name, again.birth_date) == key
    assert again.base_entries.count() == 1
    assert again.consents.count() == 1


def test_the_same_seed_gives_the_same_people_in_another_region(ctx):
    other = ScaleSpec(region_code="TQ", municipalities=2, organisations=6, seed=3)
    scale_generate(spec=other)

    def people(code: str) -> list[tuple[str, str, str, Any]]:
        rows = Person.objects.filter(organisation__municipality__region__code=code).order_by("external_id")
        return [(p.external_id.removeprefix(code), p.surname, p.name, p.birth_date) for p in rows]

    assert people("TQ") == people("TP")
    assert Pair.objects.filter(organisation__municipality__region__code="TQ").count() == (
        Pair.objects.filter(organisation__municipality__region__code="TP").count()
    )


def test_female_surnames_agree(ctx):
    assert scale._surname("Иванов", male=False) == "Иванова"
    assert scale._surname("Островский", male=False) == "Островская"
    assert scale._surname("Ильин", male=True) == "Ильин"
