"""The participants' demo data: loaded by ``load_demo`` through the services, and loaded once only."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from demodata.demo import participants as demo
from demodata.management.commands.load_demo import demo_load_all
from mentorship.models import Organisation, User
from mentorship.tests.worlds import world_for_module
from participants.choices import BaseRole, ConsentSigner, PairStatus, PersonKind, QuestionnaireMoment
from participants.matching import match_run_create
from participants.models import (
    BaseEntry,
    Consent,
    CooperationAgreement,
    DevelopmentPlan,
    Meeting,
    Pair,
    PairMember,
    Person,
    Programme,
    Questionnaire,
    Response,
)
from participants.selectors import unpaired_mentees

pytestmark = pytest.mark.usefixtures("pinned_clock")

TRACKED = (Questionnaire, Programme, Person, BaseEntry, Consent, CooperationAgreement, Pair, PairMember, Meeting)
KHOSREH = "05-kulinsky-khosreh"
MURTA = "24-bolshemurtinsky-sosh-1"


def snapshot() -> dict[str, tuple[int, int]]:
    return {model.__name__: (model.objects.count(), model.history.count()) for model in TRACKED} | {
        "Response": (Response.objects.count(), Response.history.count())
    }


@pytest.fixture(scope="module")
def _loaded(django_db_setup: None, django_db_blocker: Any) -> Iterator[Any]:
    yield from world_for_module(django_db_blocker, demo_load_all)


@pytest.fixture
def loaded(_loaded: Any, db: None) -> Any:
    return _loaded


def school(code: str) -> Organisation:
    return Organisation.objects.get(code=code)


def test_the_loader_reports_both_schools(loaded):
    _, reports = loaded
    [report] = [r for r in reports if r.title == "Участники, программы и пары"]
    text = report.format()
    assert "общие анкеты: создано 6" in text
    assert "Хосрехская" in text
    assert "Большемуртинская СОШ № 1" in text


def test_shared_questionnaires_have_the_seeds_items(loaded):
    shared = Questionnaire.objects.filter(organisation__isnull=True)
    assert {q.moment for q in shared} == {
        QuestionnaireMoment.SELECTION,
        QuestionnaireMoment.ENTRY,
        QuestionnaireMoment.EXIT,
    }
    exit_ = shared.get(title="Анкета наставляемого на выходе из программы")
    texts = " ".join(exit_.questions.values_list("text", flat=True))
    for item in ("эффективной", "комфортным", "полезными", "понятными", "поддержку", "ценным", "не хватило"):
        assert item in texts
    assert "продолжить" in texts
    assert "Порекомендуете" in texts


def test_programmes_are_named_by_the_forms_of_the_schools_regulation(loaded):
    titles = set(Programme.objects.filter(organisation=school(KHOSREH)).values_list("title", flat=True))
    assert titles == {
        "Программа наставничества по форме «Ученик – ученик»",
        "Программа наставничества по форме «Учитель – учитель»",
        "Программа наставничества по форме «Учитель – ученик»",
    }
    assert Programme.objects.filter(organisation=school(KHOSREH), is_published=True).exists()


def test_everyone_has_a_consent_and_a_parent_signs_for_minors(loaded):
    people = Person.objects.filter(organisation__code__in=[KHOSREH, MURTA])
    assert people.count() == len(demo.KHOSREH_PEOPLE) + len(demo.MURTA_PEOPLE)
    for person in people:
        [consent] = person.consents.all()
        minor = person.is_minor_on(consent.signed_on)
        assert consent.signer == (ConsentSigner.PARENT if minor else ConsentSigner.SELF)
        assert bool(consent.signer_name) == minor
    assert people.filter(kind=PersonKind.STUDENT).count() > people.filter(kind=PersonKind.TEACHER).count()


def test_the_external_mentor_has_a_cooperation_agreement(loaded):
    external = Person.objects.get(organisation__code=MURTA, kind=PersonKind.EXTERNAL)
    assert CooperationAgreement.objects.filter(person=external).exists()


def test_pairs_are_at_different_stages_with_meetings(loaded):
    pairs = Pair.objects.filter(organisation__code=KHOSREH)
    assert set(pairs.values_list("status", flat=True)) == {
        PairStatus.FORMING,
        PairStatus.ACTIVE,
        PairStatus.COMPLETED,
    }
    for pair in pairs.filter(status=PairStatus.ACTIVE):
        assert pair.meetings.filter(held_on__isnull=False).count() == 4
        assert pair.meetings.filter(held_on__isnull=True, planned_on__gt=date(2026, 11, 23)).exists()
        assert pair.planned_meetings is not None
    completed = pairs.get(status=PairStatus.COMPLETED)
    assert completed.results
    assert Response.objects.filter(pair=completed, questionnaire__moment=QuestionnaireMoment.EXIT).exists()
    assert DevelopmentPlan.objects.filter(pair__organisation__code=KHOSREH).exists()
    group = pairs.get(title="Олимпиадная математика")
    assert group.members.filter(role=BaseRole.MENTEE).count() == 2


def test_some_mentees_wait_for_a_pair_and_the_matching_suggests_one(loaded):
    curator = User.objects.get(username="curator_khosreh")
    waiting = unpaired_mentees(user=curator, organisation=school(KHOSREH), school_year=demo.SCHOOL_YEAR)
    # Five never paired, and Омаров, whose pair completed its work.
    assert {(e.person.surname, e.person.name) for e in waiting.select_related("person")} == {
        ("Курбанов", "Расул"),
        ("Магомедов", "Карим"),
        ("Алиева", "Сабина"),
        ("Шамхалов", "Заур"),
        ("Магомедова", "Хадижат"),
        ("Омаров", "Саид"),
    }
    programme = Programme.objects.get(organisation=school(KHOSREH), title__endswith="«Учитель – ученик»")
    run = match_run_create(actor=curator, programme=programme, on=date(2026, 11, 23))
    suggestions = list(run.suggestions.select_related("mentor", "mentee"))
    assert suggestions
    assert {s.mentee.surname for s in suggestions} <= {"Курбанов", "Магомедов", "Омаров"}
    assert "Исаев" in {s.mentor.surname for s in suggestions}


def test_the_mentor_persona_is_a_teacher_who_sees_her_pair(loaded):
    mentor = User.objects.get(username="mentor_khosreh")
    assert mentor.person.surname == "Омарова"
    visible = Pair.objects.restrict(mentor, "view")
    assert visible.count() == 1
    assert set(visible.values_list("members__person__surname", flat=True)) == {"Алиева", "Омарова"}


def test_loading_again_writes_nothing(loaded):
    before = snapshot()
    _, reports = demo_load_all()
    assert snapshot() == before
    [report] = [r for r in reports if r.title == "Участники, программы и пары"]
    assert "общие анкеты: создано 0, уже было 6" in report.lines
    assert sum("уже загружены" in line for line in report.lines) == 2


def test_load_demo_command_prints_the_participants(loaded):
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "Участники, программы и пары:" in out.getvalue()
    assert "Хосрехская СОШ им. Ахмедова Т.А»: уже загружены" in out.getvalue()


def test_the_demo_mentee_and_parent_accounts_see_their_pairs_in_my_pair(loaded):
    mentee = User.objects.get(username="mentee_khosreh")
    parent = User.objects.get(username="parent_khosreh")
    assert not mentee.role_assignments.exists()
    assert not parent.role_assignments.exists()
    assert mentee.person.surname == "Алиева"
    assert set(Pair.objects.restrict(mentee, "take_part").values_list("members__person__surname", flat=True)) == {
        "Алиева",
        "Омарова",
    }
    assert list(Pair.objects.restrict(parent, "take_part").values_list("title", flat=True)) == [
        "Олимпиадная математика"
    ]
