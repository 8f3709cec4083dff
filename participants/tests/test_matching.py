"""Matching: the score and its reasons, the optimal assignment (checked against brute force), the runs and decisions."""

from __future__ import annotations

import itertools
import random
import re
from datetime import date
from typing import Any

import numpy as np
import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mentorship.errors import DomainError
from mentorship.tests.factories import World
from participants import matching
from participants.choices import (
    BaseRole,
    MatchingFeature,
    MenteeCategory,
    MentorKind,
    MentorshipForm,
    PersonKind,
    QuestionKind,
    QuestionnaireAudience,
    QuestionnaireMoment,
    SuggestionStatus,
)
from participants.matching import (
    MenteeCandidate,
    MentorCandidate,
    optimal_assignment,
    pair_score,
    score_matrix,
    subjects,
    time_slots,
    tokens,
)
from participants.models import Answer, MatchRun, MatchSuggestion, Pair, Response

from .factories import TODAY, PairFactory, QuestionFactory, QuestionnaireFactory, enrolled

STUDENT_STUDENT = MentorshipForm.STUDENT_STUDENT
TEACHER_STUDENT = MentorshipForm.TEACHER_STUDENT
CYRILLIC = re.compile(r"^[А-ЯЁ][^a-zA-Z]*$")


def mentor(person_id: int, **fields: Any) -> MentorCandidate:
    defaults: dict[str, Any] = {"organisation_id": 1, "kind": PersonKind.TEACHER, "mentor_kind": MentorKind.TEACHER}
    return MentorCandidate(person_id=person_id, **(defaults | fields))


def mentee(person_id: int, **fields: Any) -> MenteeCandidate:
    return MenteeCandidate(person_id=person_id, **({"organisation_id": 1, "kind": PersonKind.STUDENT} | fields))


# --- words ---------------------------------------------------------------------------------------


def test_inflected_forms_of_a_word_meet() -> None:
    assert tokens("Подтянуть математику") == {"подтянут": "подтянуть", "математик": "математику"}
    assert tokens("математикой").keys() == tokens("математика").keys()
    assert list(tokens("Шахматы, робототехника и программирование")) == ["шахмат", "робототехник", "программирован"]
    # Short words keep their letters; stop words and numbers go.
    assert tokens("я и ОГЭ в 9 классе") == {"огэ": "огэ", "класс": "классе"}


def test_meeting_times_are_normalised() -> None:
    assert time_slots("Среда и пятница после уроков") == {"среда", "пятница", "день"}
    assert time_slots("по выходным, вечером") == {"суббота", "воскресенье", "вечер"}
    assert time_slots("вт, чт утром") == {"вторник", "четверг", "утро"}
    assert time_slots("") == frozenset()


def test_subjects_are_split_on_commas() -> None:
    assert [name for name, _ in subjects("Русский язык, литература")] == ["русский язык", "литература"]


# --- the score -----------------------------------------------------------------------------------


def test_a_well_fitting_pair_scores_with_reasons_in_russian() -> None:
    teacher = mentor(
        1,
        age=45,
        subjects=subjects("математика"),
        interests=tokens("шахматы, робототехника, туризм"),
        offer=tokens("подготовка к ОГЭ"),
        availability=time_slots("среда вечером"),
        age_min=13,
        age_max=16,
    )
    student = mentee(
        2,
        age=15,
        category=MenteeCategory.LOW_RESULTS,
        interests=tokens("робототехникой и шахматами"),
        request=tokens("Подтянуть математику к ОГЭ"),
        availability=time_slots("среда, пятница"),
    )
    score, reasons = pair_score(teacher, student, TEACHER_STUDENT)
    # 10 base + 25·2/3 interests (2 shared of 3) + 15 subject + 10·1/3 request (1 of 3 words) + 15 category
    # + 10 age + 10·1/2 time (Wednesday: 1 of the smaller set's 2 slots) + 5 school.
    assert score == pytest.approx(10 + 25 * 2 / 3 + 15 + 10 / 3 + 15 + 10 + 5 + 5)
    assert reasons == [
        "Общие интересы: робототехника, шахматы",
        "Предмет: математика",
        "Запрос совпадает с предложением наставника: огэ",
        "Наставник (педагог или специалист) подходит категории «Обучающийся с низкими образовательными результатами»",
        "Возраст наставляемого (15) — как хочет наставник: 13–16",
        "Удобное время совпадает: среда",
        "Из одной образовательной организации",
    ]


def test_an_allowed_pair_with_nothing_in_common_keeps_the_base_score() -> None:
    score, reasons = pair_score(mentor(1, organisation_id=2), mentee(2), TEACHER_STUDENT)
    assert (score, reasons) == (matching.BASE_POINTS, [])


@pytest.mark.parametrize(
    ("mentor_fields", "mentee_fields", "form", "refusal"),
    [
        ({"kind": PersonKind.TEACHER}, {}, STUDENT_STUDENT, "Наставник не подходит для формы «ученик – ученик»"),
        ({"kind": PersonKind.STUDENT, "age": 16}, {"age": 12, "organisation_id": 2}, STUDENT_STUDENT, "одной"),
        ({"kind": PersonKind.STUDENT, "age": 14}, {"age": 14}, STUDENT_STUDENT, "старше"),
        ({"kind": PersonKind.STUDENT, "age": 16}, {"age": None}, STUDENT_STUDENT, "старше"),
        ({"capacity": 0}, {}, TEACHER_STUDENT, "нет свободных мест"),
        ({"form": STUDENT_STUDENT}, {}, TEACHER_STUDENT, "Наставник выбрал другую форму"),
        ({}, {"form": STUDENT_STUDENT}, TEACHER_STUDENT, "Наставляемый выбрал другую форму"),
        ({}, {"kind": PersonKind.TEACHER}, TEACHER_STUDENT, "Наставляемый не подходит"),
        ({}, {}, MentorshipForm.TEACHER_TEACHER, "Наставляемый не подходит"),
        ({"is_manager": False}, {"kind": PersonKind.TEACHER}, MentorshipForm.MANAGER_YOUNG_MANAGER, "Наставник"),
        ({"kind": PersonKind.EXTERNAL, "mentor_kind": MentorKind.PARENT}, {}, MentorshipForm.EMPLOYER_STUDENT, "форм"),
        (
            {"kind": PersonKind.EXTERNAL, "mentor_kind": MentorKind.EMPLOYEE},
            {"is_college_student": False},
            MentorshipForm.EMPLOYER_COLLEGE_STUDENT,
            "студент колледжа",
        ),
        ({"is_college_student": False}, {}, MentorshipForm.COLLEGE_STUDENT_STUDENT, "Наставник не подходит"),
    ],
)
def test_the_forms_rules_forbid_pairs(mentor_fields: dict, mentee_fields: dict, form: str, refusal: str) -> None:
    score, reasons = pair_score(mentor(1, **mentor_fields), mentee(2, **mentee_fields), form)
    assert score is None
    assert len(reasons) == 1
    assert refusal in reasons[0]
    assert np.isnan(score_matrix([mentor(1, **mentor_fields)], [mentee(2, **mentee_fields)], form)[0, 0])


def test_nobody_mentors_themselves() -> None:
    assert pair_score(mentor(7), mentee(7), TEACHER_STUDENT)[0] is None


def test_an_older_schoolmate_of_the_same_school_may_mentor() -> None:
    score, reasons = pair_score(
        mentor(1, kind=PersonKind.STUDENT, mentor_kind=MentorKind.STUDENT, age=16), mentee(2, age=13), STUDENT_STUDENT
    )
    assert score is not None
    assert "Наставник старше на 3 года" in reasons


# --- the assignment ------------------------------------------------------------------------------


def hand_checked_case() -> tuple[list[MentorCandidate], list[MenteeCandidate]]:
    """«Ученик – ученик» at one school. Anna (17) shares both interests with Yana (12) — the best single
    pair (50). But Boris (15) is not older than Xenia (15): if Anna takes Yana, Xenia is left alone.
    The optimum gives Anna to Xenia (25) and Boris to Yana (35, they both like Wednesdays): 60."""
    student = {"kind": PersonKind.STUDENT, "mentor_kind": MentorKind.STUDENT}
    anna = mentor(1, age=17, interests=tokens("шахматы, робототехника"), **student)
    boris = mentor(2, age=15, availability=time_slots("среда"), **student)
    xenia = mentee(11, age=15)
    yana = mentee(12, age=12, interests=tokens("шахматы, робототехника"), availability=time_slots("по средам"))
    return [anna, boris], [xenia, yana]


def test_hand_checked_case_scores() -> None:
    (anna, boris), (xenia, yana) = hand_checked_case()
    assert pair_score(anna, yana, STUDENT_STUDENT) == (
        50,
        ["Общие интересы: шахматы, робототехника", "Наставник старше на 5 лет", "Из одной образовательной организации"],
    )
    assert pair_score(anna, xenia, STUDENT_STUDENT)[0] == 25  # 10 base + 10 age gap 2 + 5 school
    assert pair_score(boris, yana, STUDENT_STUDENT)[0] == 35  # 10 + 10 gap 3 + 10 Wednesday + 5
    assert pair_score(boris, xenia, STUDENT_STUDENT)[0] is None


def test_the_optimum_is_not_the_greedy_choice() -> None:
    mentors, mentees = hand_checked_case()
    chosen = optimal_assignment(mentors, mentees, STUDENT_STUDENT)
    assert [(i, j, score) for i, j, score, _ in chosen] == [(0, 0, 25), (1, 1, 35)]
    assert sum(score for _, _, score, _ in chosen) == 60
    assert chosen[1][3] == [
        "Наставник старше на 3 года",
        "Удобное время совпадает: среда",
        "Из одной образовательной организации",
    ]


def test_a_mentor_takes_no_more_mentees_than_places() -> None:
    chosen = optimal_assignment([mentor(1, capacity=2)], [mentee(2), mentee(3), mentee(4)], TEACHER_STUDENT)
    assert len(chosen) == 2
    assert {i for i, *_ in chosen} == {0}


def test_a_mentee_without_an_allowed_mentor_stays_unpaired() -> None:
    mentees = [mentee(2, form=STUDENT_STUDENT), mentee(3)]
    assert [(i, j) for i, j, *_ in optimal_assignment([mentor(1, capacity=3)], mentees, TEACHER_STUDENT)] == [(0, 1)]
    assert optimal_assignment([], mentees, TEACHER_STUDENT) == []
    assert optimal_assignment([mentor(1)], [], TEACHER_STUDENT) == []


VOCABULARY = ["шахматы", "робототехника", "футбол", "музыка", "математика", "физика", "огэ", "театр"]
TIMES = ["понедельник", "среда", "пятница", "вечером", "по выходным"]


def random_people(rng: random.Random, form: str) -> tuple[list[MentorCandidate], list[MenteeCandidate]]:
    """Up to 4 mentors (1–2 places) and up to 5 mentees with random kinds, schools, ages and words."""

    def words(pool: list[str], most: int) -> str:
        return ", ".join(rng.sample(pool, rng.randint(0, most)))

    mentors = []
    for i in range(rng.randint(1, 4)):
        # Mostly the kind the form wants, so that most cases have pairs to choose between.
        fitting = PersonKind.STUDENT if form == STUDENT_STUDENT else PersonKind.TEACHER
        kind = fitting if rng.random() < 0.85 else rng.choice([PersonKind.STUDENT, PersonKind.TEACHER])
        has_range = rng.random() < 0.4
        mentors.append(
            MentorCandidate(
                person_id=i + 1,
                organisation_id=rng.choice([1, 1, 1, 2]),
                kind=kind,
                mentor_kind=MentorKind.STUDENT if kind == PersonKind.STUDENT else rng.choice(list(MentorKind)),
                age=rng.choice([None, *range(13, 19)]) if kind == PersonKind.STUDENT else rng.randint(22, 65),
                subjects=subjects(words(["математика", "физика", "русский язык"], 2)),
                interests=tokens(words(VOCABULARY, 4)),
                offer=tokens(words(VOCABULARY, 3)),
                availability=time_slots(words(TIMES, 2)),
                form=rng.choice(["", "", "", "", form, MentorshipForm.TEACHER_TEACHER]),
                capacity=rng.randint(1, 2),
                age_min=rng.randint(10, 14) if has_range and rng.random() < 0.8 else None,
                age_max=rng.randint(14, 17) if has_range and rng.random() < 0.8 else None,
            )
        )
    mentees = [
        MenteeCandidate(
            # Now and then the same person is both a mentor and a mentee.
            person_id=rng.choice([1, 2]) if rng.random() < 0.1 else 100 + j,
            organisation_id=rng.choice([1, 1, 2]),
            kind=PersonKind.STUDENT if rng.random() < 0.85 else PersonKind.TEACHER,
            age=rng.choice([None, *range(10, 17)]),
            category=rng.choice(["", *MenteeCategory]),
            interests=tokens(words(VOCABULARY, 4)),
            request=tokens(words(VOCABULARY, 3)),
            availability=time_slots(words(TIMES, 2)),
            form=rng.choice(["", "", "", "", form, MentorshipForm.TEACHER_TEACHER]),
        )
        for j in range(rng.randint(1, 5))
    ]
    return mentors, mentees


def brute_force_best(mentors: list[MentorCandidate], mentees: list[MenteeCandidate], form: str) -> float:
    """The largest total of ``pair_score`` over every way to give each mentee a mentor or nobody."""
    scores = [[pair_score(x, y, form)[0] for y in mentees] for x in mentors]
    best = 0.0
    for choice in itertools.product(range(-1, len(mentors)), repeat=len(mentees)):
        total = 0.0
        for j, i in enumerate(choice):
            if i >= 0:
                if scores[i][j] is None:
                    break
                total += scores[i][j]
        else:
            if all(choice.count(i) <= mentor.capacity for i, mentor in enumerate(mentors)):
                best = max(best, total)
    return best


@pytest.mark.parametrize("seed", range(200))
def test_the_assignment_is_optimal_against_brute_force(seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    form = rng.choice([STUDENT_STUDENT, TEACHER_STUDENT])
    mentors, mentees = random_people(rng, form)
    chosen = optimal_assignment(mentors, mentees, form)

    assert sum(score for *_, score, _ in chosen) == pytest.approx(brute_force_best(mentors, mentees, form))
    assert len({j for _, j, *_ in chosen}) == len(chosen), "a mentee got two mentors"
    for i, mentor_ in enumerate(mentors):
        assert sum(1 for m, *_ in chosen if m == i) <= mentor_.capacity
    for i, j, score, reasons in chosen:
        assert pair_score(mentors[i], mentees[j], form) == (score, reasons)
        assert score is not None
        assert all(CYRILLIC.match(reason) for reason in reasons)


@pytest.mark.parametrize("seed", range(50))
def test_the_score_matrix_is_pair_score_for_every_pair(seed: int) -> None:
    rng = random.Random(1000 + seed)  # noqa: S311 - test data, not secrets
    form = rng.choice(list(MentorshipForm))
    mentors, mentees = random_people(rng, form)
    matrix = score_matrix(mentors, mentees, form)
    for i, mentor_ in enumerate(mentors):
        for j, mentee_ in enumerate(mentees):
            score, _ = pair_score(mentor_, mentee_, form)
            if score is None:
                assert np.isnan(matrix[i, j])
            else:
                assert matrix[i, j] == pytest.approx(score, abs=1e-9)


# --- runs and decisions (database) ---------------------------------------------------------------


def run_for(world: World, programme: str = "programme_a1", actor: str = "curator_a1") -> MatchRun:
    return matching.match_run_create(actor=world.persona(actor), programme=getattr(world, programme), on=TODAY)


def first_suggestion(run: MatchRun) -> MatchSuggestion:
    return run.suggestions.order_by("pk").first()


def test_a_run_stores_the_suggestions_with_score_and_reasons(world: World) -> None:
    run = run_for(world)
    # One teacher with two free places for the school's two mentees: both go to her.
    assert (run.mentees_count, run.mentors_count) == (2, 1)
    suggestions = list(MatchSuggestion.objects.filter(run=run))
    assert {suggestion.mentee for suggestion in suggestions} == {world.mentee_a1_person, world.mentee_a1_second}
    for suggestion in suggestions:
        assert suggestion.mentor == world.mentor_a1_person
        assert suggestion.status == SuggestionStatus.PROPOSED
        assert suggestion.score > 0
        assert "Общие интересы: шахматы, робототехника" in suggestion.reasons
        assert "Предмет: математика" in suggestion.reasons
    assert run.total_score == sum(suggestion.score for suggestion in suggestions)
    assert MatchRun.objects.get(pk=run.pk).total_score == run.total_score
    assert not Pair.objects.filter(programme=world.programme_a1).exists(), "only accepted suggestions make pairs"


def test_an_inactive_programme_gets_no_run(world: World) -> None:
    world.programme_a1.is_active = False
    world.programme_a1.save()
    with pytest.raises(DomainError, match="больше не действует"):
        run_for(world)
    assert not MatchRun.objects.exists()


def test_only_pairable_people_are_suggested(world: World) -> None:
    a1 = world.organisation_a1
    enrolled(organisation=a1, surname="Безсогласия", consent=False)
    enrolled(BaseRole.MENTOR, organisation=a1, surname="Безсогласиева", consent=False)
    late = enrolled(organisation=a1, surname="Позднякова")
    late.consents.update(signed_on=date(2026, 12, 1))
    run = run_for(world)
    assert (run.mentees_count, run.mentors_count) == (2, 1)
    assert set(run.suggestions.values_list("mentee__surname", flat=True)) <= {"Сидоров", "Кузнецова"}


def test_a_peer_programme_suggests_only_older_schoolmates(world: World) -> None:
    senior = enrolled(BaseRole.MENTOR, organisation=world.organisation_a1, surname="Старшеклассник", adult_student=True)
    run = run_for(world, "programme_a1_peer")
    assert run.mentors_count == 1
    assert run.suggestions.count() == 2  # the senior's two places
    for suggestion in run.suggestions.all():
        assert suggestion.mentor == senior
        assert "Из одной образовательной организации" in suggestion.reasons


def test_selection_questionnaire_answers_feed_the_matching(world: World) -> None:
    world.mentor_a1_person.base_entries.update(capacity=1)
    questionnaire = QuestionnaireFactory(
        organisation=world.organisation_a1,
        audience=QuestionnaireAudience.MENTEE,
        moment=QuestionnaireMoment.SELECTION,
    )
    question = QuestionFactory(
        questionnaire=questionnaire,
        text="Чем вы увлекаетесь?",
        kind=QuestionKind.TEXT,
        feature=MatchingFeature.INTERESTS,
    )
    for person in (world.mentor_a1_person, world.mentee_a1_second):
        response = Response.objects.create(
            organisation=world.organisation_a1, questionnaire=questionnaire, person=person, filled_on=TODAY
        )
        Answer.objects.create(response=response, question=question, text="Астрономия и туризм")
    suggestion = run_for(world).suggestions.get()
    # The shared answers make Maria the better mentee for the only place.
    assert suggestion.mentee == world.mentee_a1_second
    assert "Общие интересы: шахматы, робототехника, астрономия, туризм" in suggestion.reasons


def count_queries(world: World) -> int:
    with CaptureQueriesContext(connection) as captured:
        run_for(world)
    return len(captured.captured_queries)


def test_a_run_costs_the_same_queries_for_3_and_30_mentees(world: World, django_assert_num_queries: Any) -> None:
    a1 = world.organisation_a1
    enrolled(organisation=a1, surname="Третий")
    enrolled(BaseRole.MENTOR, organisation=a1, surname="Вторая")
    few = count_queries(world)
    for n in range(27):
        enrolled(organisation=a1, surname=f"Наставляемый{n}", interests="футбол, музыка")
    for n in range(5):
        enrolled(BaseRole.MENTOR, organisation=a1, surname=f"Наставник{n}")
    with django_assert_num_queries(few):
        run = run_for(world)
    assert (run.mentees_count, run.mentors_count) == (30, 7)
    assert run.suggestions.count() == 14  # seven mentors with two places each


def test_accepting_a_suggestion_makes_one_pair(world: World) -> None:
    suggestion = first_suggestion(run_for(world))
    curator = world.persona("curator_a1")
    pair = matching.suggestion_accept(actor=curator, suggestion=suggestion, started_on=TODAY)
    assert pair.programme == world.programme_a1
    assert set(pair.members.values_list("person", "role")) == {
        (suggestion.mentor_id, BaseRole.MENTOR),
        (suggestion.mentee_id, BaseRole.MENTEE),
    }
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.pair, suggestion.decided_by) == (SuggestionStatus.ACCEPTED, pair, curator)
    # A double click: the second accept finds the suggestion decided and makes nothing.
    with pytest.raises(DomainError, match="уже принято"):
        matching.suggestion_accept(actor=curator, suggestion=suggestion, started_on=TODAY)
    assert Pair.objects.filter(programme=world.programme_a1).count() == 1


def test_a_refused_pair_leaves_the_suggestion_proposed(world: World) -> None:
    suggestion = first_suggestion(run_for(world))
    with pytest.raises(DomainError, match="не приходится на учебный год"):
        matching.suggestion_accept(
            actor=world.persona("curator_a1"), suggestion=suggestion, started_on=date(2027, 10, 1)
        )
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.pair) == (SuggestionStatus.PROPOSED, None)
    assert not Pair.objects.exists()


def test_a_suggestion_of_a_mentee_who_lost_consent_is_refused(world: World) -> None:
    suggestion = first_suggestion(run_for(world))
    suggestion.mentee.consents.update(withdrawn_on=date(2026, 11, 20))
    with pytest.raises(DomainError, match="нет действующего согласия"):
        matching.suggestion_accept(actor=world.persona("curator_a1"), suggestion=suggestion, started_on=TODAY)
    assert MatchSuggestion.objects.get(pk=suggestion.pk).status == SuggestionStatus.PROPOSED


def test_rejecting_a_suggestion_makes_no_pair(world: World) -> None:
    suggestion = first_suggestion(run_for(world))
    curator = world.persona("curator_a1")
    matching.suggestion_reject(actor=curator, suggestion=suggestion)
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.REJECTED
    assert not Pair.objects.exists()
    with pytest.raises(DomainError, match="уже отклонено"):
        matching.suggestion_accept(actor=curator, suggestion=suggestion, started_on=TODAY)
    with pytest.raises(DomainError, match="уже отклонено"):
        matching.suggestion_reject(actor=curator, suggestion=suggestion)


def test_a_paired_mentee_is_not_suggested_again(world: World) -> None:
    world.mentor_a1_person.base_entries.update(capacity=1)
    suggestion = run_for(world).suggestions.get()
    matching.suggestion_accept(actor=world.persona("curator_a1"), suggestion=suggestion, started_on=TODAY)
    run = run_for(world)
    # The mentee is paired and the mentor's only place is taken: one mentee, no mentor left.
    assert (run.mentees_count, run.mentors_count) == (1, 0)
    assert not run.suggestions.exists()


def test_a_mentor_leading_a_pair_of_the_programme_is_suggested_for_their_free_places(world: World) -> None:
    first = first_suggestion(run_for(world))
    pair = matching.suggestion_accept(actor=world.persona("curator_a1"), suggestion=first, started_on=TODAY)
    run = run_for(world)
    # Anna leads a pair of this programme and has one place left: the other mentee is suggested to her.
    assert (run.mentees_count, run.mentors_count) == (1, 1)
    second = run.suggestions.get()
    other = world.mentee_a1_second if first.mentee == world.mentee_a1_person else world.mentee_a1_person
    assert (second.mentor, second.mentee) == (world.mentor_a1_person, other)
    assert matching.suggestion_accept(actor=world.persona("curator_a1"), suggestion=second, started_on=TODAY) == pair
    assert pair.members.filter(role=BaseRole.MENTEE, left_on__isnull=True).count() == 2


def test_a_mentor_with_three_places_gets_three_suggestions_and_one_group_of_three(world: World) -> None:
    world.mentor_a1_person.base_entries.update(capacity=3)
    for surname in ("Третий", "Четвёртый"):
        enrolled(organisation=world.organisation_a1, surname=surname)
    run = run_for(world)
    assert (run.mentees_count, run.mentors_count) == (4, 1)
    suggestions = list(run.suggestions.order_by("pk"))
    assert len(suggestions) == 3, "up to the mentor's three places, not one"
    assert {suggestion.mentor for suggestion in suggestions} == {world.mentor_a1_person}
    curator = world.persona("curator_a1")
    pairs = {matching.suggestion_accept(actor=curator, suggestion=s, started_on=TODAY) for s in suggestions}
    assert len(pairs) == 1, "the three accepted mentees join one group"
    group = pairs.pop()
    assert group.programme == world.programme_a1
    assert sorted(group.members.filter(left_on__isnull=True).values_list("role", "person")) == sorted(
        [(BaseRole.MENTOR, world.mentor_a1_person.pk)] + [(BaseRole.MENTEE, s.mentee_id) for s in suggestions]
    )
    assert set(MatchSuggestion.objects.filter(run=run).values_list("status", "pair")) == {
        (SuggestionStatus.ACCEPTED, group.pk)
    }
    # Her places are all taken: the fourth mentee waits for another mentor.
    again = run_for(world)
    assert (again.mentees_count, again.mentors_count) == (1, 0)


def test_accepting_over_the_mentors_capacity_is_refused_and_stays_proposed(world: World) -> None:
    first, second = run_for(world).suggestions.order_by("pk")
    curator = world.persona("curator_a1")
    pair = matching.suggestion_accept(actor=curator, suggestion=first, started_on=TODAY)
    world.mentor_a1_person.base_entries.update(capacity=1)  # the curator lowered it after the run
    with pytest.raises(DomainError, match="уже ведёт наставляемых: 1 из 1"):
        matching.suggestion_accept(actor=curator, suggestion=second, started_on=TODAY)
    second.refresh_from_db()
    assert (second.status, second.pair) == (SuggestionStatus.PROPOSED, None)
    assert pair.members.count() == 2


@pytest.mark.parametrize("persona", ["curator_b1", "officer_a", "regional_observer", "mentor_a1", "outsider"])
def test_only_the_schools_staff_run_the_matching(world: World, persona: str) -> None:
    with pytest.raises(PermissionDenied):
        run_for(world, actor=persona)
    assert not MatchRun.objects.exists()


@pytest.mark.parametrize("persona", ["director_a1", "coordinator_a1", "superuser"])
def test_the_schools_staff_run_the_matching(world: World, persona: str) -> None:
    assert run_for(world, actor=persona).suggestions.count() == 2


def test_another_schools_curator_neither_sees_nor_decides(world: World) -> None:
    run = run_for(world)
    suggestion = first_suggestion(run)
    other = world.persona("curator_b1")
    assert not MatchRun.objects.restrict(other, "view").exists()
    with pytest.raises(PermissionDenied):
        matching.suggestion_accept(actor=other, suggestion=suggestion, started_on=TODAY)
    with pytest.raises(PermissionDenied):
        matching.suggestion_reject(actor=other, suggestion=suggestion)
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.PROPOSED
    # The municipality above sees the run but may not decide.
    assert MatchRun.objects.restrict(world.persona("officer_a"), "view").filter(pk=run.pk).exists()
    with pytest.raises(PermissionDenied):
        matching.suggestion_reject(actor=world.persona("officer_a"), suggestion=suggestion)


def test_a_mentor_at_capacity_is_left_out(world: World) -> None:
    # Anna has one place and already leads Ilya in the peer programme: nobody is left for this one.
    world.mentor_a1_person.base_entries.update(capacity=1)
    PairFactory(programme=world.programme_a1_peer, mentors=[world.mentor_a1_person], mentees=[world.mentee_a1_person])
    run = run_for(world)
    assert (run.mentees_count, run.mentors_count) == (1, 0)
    assert not run.suggestions.exists()
