#!/usr/bin/env python
"""Matching benchmark at the size the issue names: 500 mentees against 200 mentors.

    python bench/matching.py                       # optimal_assignment in memory
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mentorship_bench python bench/matching.py --db

In memory: 500 mentees and 200 mentors (capacity 1–4, so about 500 slots) with seeded random but
realistic attributes (ages, categories, mentor kinds, interests and requests from the seeds'
vocabulary, meeting times); ``optimal_assignment`` (scoring every pair and solving) is timed, the
median of ``--repeat`` runs (5). The issue's budget is 2 s.

With ``--db``: the script keeps its own organisation (code ``BENCH-MATCH``, created once, reused
later) with 500 student mentees and 200 teacher mentors, their base entries, consents and a
programme «учитель – ученик», and times ``match_run_create`` end to end (loading, scoring, solving,
saving the suggestions), each run rolled back. ``match_run_create`` gives each mentor all their free
places (accepted mentees of one mentor join one group), so there too it solves about 500 slots.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import date
from typing import Any

from directory import database_url, ensure_postgres_database, setup_django

MENTEES = 500
MENTORS = 200
SEED = 1
ON = date(2026, 11, 23)
ORGANISATION_CODE = "BENCH-MATCH"
CURATOR = "bench_matching_curator"

INTERESTS = [
    "шахматы",
    "робототехника",
    "программирование",
    "футбол",
    "волейбол",
    "баскетбол",
    "плавание",
    "музыка",
    "рисование",
    "театр",
    "чтение",
    "литература",
    "история",
    "краеведение",
    "экология",
    "биология",
    "химия",
    "физика",
    "астрономия",
    "туризм",
    "фотография",
    "журналистика",
    "волонтёрство",
    "дебаты",
    "видеомонтаж",
    "3D-моделирование",
    "английский",
    "танцы",
    "хор",
    "лыжи",
]
SUBJECTS = (
    "математика",
    "русский язык",
    "литература",
    "физика",
    "химия",
    "биология",
    "история",
    "обществознание",
    "география",
    "информатика",
    "английский язык",
    "физическая культура",
)
REQUESTS = (
    "Подтянуть {subject} к ОГЭ",
    "Подготовиться к олимпиаде по предмету {subject}",
    "Разобраться с темами, где отстаю: {subject}",
    "Найти друзей и увлечение: {interest}",
    "Научиться выступать и защитить проект, {interest}",
    "Выбрать профессию, связанную с {interest}",
)
TIMES = (
    "понедельник после уроков",
    "вторник вечером",
    "среда после уроков",
    "четверг",
    "пятница после уроков",
    "по выходным",
    "вт, чт днём",
    "пн, ср, пт",
)


def synthetic_candidates(seed: int) -> tuple[list[Any], list[Any]]:
    """500 student mentees of a school and 200 mentors (capacity 1–4) of several kinds, seeded."""
    from participants.choices import MenteeCategory, MentorKind, PersonKind
    from participants.matching import MenteeCandidate, MentorCandidate, subjects, time_slots, tokens

    rng = random.Random(seed)
    mentors = []
    kinds = [MentorKind.TEACHER] * 6 + [MentorKind.VETERAN, MentorKind.STUDENT, MentorKind.GRADUATE]
    for n in range(MENTORS):
        kind = rng.choice(kinds)
        student = kind == MentorKind.STUDENT
        low = rng.choice([10, 11, 12, 13, 14])
        subject = rng.choice(SUBJECTS)
        mentors.append(
            MentorCandidate(
                person_id=n + 1,
                organisation_id=1 if rng.random() < 0.9 else 2,
                kind=PersonKind.STUDENT if student else PersonKind.TEACHER,
                mentor_kind=kind,
                age=rng.randint(16, 17) if student else rng.randint(23, 64),
                subjects=subjects(subject),
                interests=tokens(", ".join(rng.sample(INTERESTS, rng.randint(2, 5)))),
                offer=tokens(f"Помогу с предметом {subject}, подготовка к ОГЭ и олимпиадам, проектная работа"),
                availability=time_slots(*rng.sample(TIMES, rng.randint(1, 3))),
                capacity=rng.randint(1, 4),
                age_min=low if rng.random() < 0.6 else None,
                age_max=low + rng.randint(2, 5) if rng.random() < 0.6 else None,
            )
        )
    mentees = []
    for n in range(MENTEES):
        interest = rng.choice(INTERESTS)
        request = rng.choice(REQUESTS).format(subject=rng.choice(SUBJECTS), interest=interest)
        mentees.append(
            MenteeCandidate(
                person_id=10_000 + n,
                organisation_id=1,
                kind=PersonKind.STUDENT,
                age=rng.randint(10, 17),
                category=rng.choice(MenteeCategory.for_students()),
                interests=tokens(", ".join([interest, *rng.sample(INTERESTS, rng.randint(1, 4))])),
                request=tokens(request),
                availability=time_slots(*rng.sample(TIMES, rng.randint(1, 2))),
            )
        )
    return mentors, mentees


def timed(action: Any, repeat: int) -> tuple[list[float], Any]:
    samples, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = action()
        samples.append((time.perf_counter() - started) * 1000)
    return samples, result


def report(label: str, samples: list[float]) -> None:
    print(
        f"{label:<58} median {statistics.median(samples):8.1f} ms   "
        f"min {min(samples):8.1f}   max {max(samples):8.1f}   ({len(samples)} runs)"
    )


def bench_memory(repeat: int, seed: int) -> float:
    from participants.choices import MentorshipForm
    from participants.matching import optimal_assignment

    mentors, mentees = synthetic_candidates(seed)
    form = MentorshipForm.TEACHER_STUDENT
    samples, chosen = timed(lambda: optimal_assignment(mentors, mentees, form), repeat)
    slots = sum(min(m.capacity, len(mentees)) for m in mentors)
    print(
        f"\nin memory: {len(mentees)} mentees, {len(mentors)} mentors, {slots} slots; "
        f"{len(chosen)} matched, total score {sum(score for _, _, score, _ in chosen):.2f}"
    )
    report("optimal_assignment (score all pairs + solve)", samples)
    return statistics.median(samples)


def bench_organisation() -> tuple[Any, Any]:
    """The benchmark's own school with its bases, made once (bulk inserts) and reused afterwards."""
    from mentorship.choices import OrganisationKind, Role
    from mentorship.models import Municipality, Organisation, Region, RoleAssignment, User
    from participants.choices import BaseRole, ConsentSigner, MenteeCategory, MentorKind, MentorshipForm, PersonKind
    from participants.models import BaseEntry, Consent, Person, Programme

    organisation = Organisation.objects.filter(code=ORGANISATION_CODE).first()
    if organisation is None:
        region, _ = Region.objects.get_or_create(code="BENCH-MATCH", defaults={"name": "Регион замера подбора пар"})
        municipality, _ = Municipality.objects.get_or_create(
            code="BENCH-MATCH", defaults={"region": region, "name": "Район замера подбора пар"}
        )
        organisation = Organisation.objects.create(
            municipality=municipality,
            code=ORGANISATION_CODE,
            short_name="МБОУ СОШ замера подбора пар",
            full_name="Муниципальное бюджетное общеобразовательное учреждение «СОШ замера подбора пар»",
            kind=OrganisationKind.SCHOOL,
        )
    user, created = User.objects.get_or_create(username=CURATOR, defaults={"last_name": "Куратор"})
    if created:
        RoleAssignment.objects.create(user=user, role=Role.CURATOR, organisation=organisation)
    programme = Programme.objects.filter(organisation=organisation).first()
    if programme is not None:
        return user, programme

    rng = random.Random(SEED)
    people = []
    for n in range(MENTEES):
        interest = rng.choice(INTERESTS)
        people.append(
            Person(
                organisation=organisation,
                kind=PersonKind.STUDENT,
                surname=f"Учеников{n}",
                name="Иван",
                birth_date=date(rng.randint(2009, 2016), rng.randint(1, 12), rng.randint(1, 28)),
                class_name=f"{rng.randint(5, 11)}А",
                interests=", ".join([interest, *rng.sample(INTERESTS, rng.randint(1, 4))]),
            )
        )
    for n in range(MENTORS):
        people.append(
            Person(
                organisation=organisation,
                kind=PersonKind.TEACHER,
                surname=f"Наставникова{n}",
                name="Мария",
                birth_date=date(rng.randint(1960, 2002), rng.randint(1, 12), rng.randint(1, 28)),
                position="учитель",
                subject=rng.choice(SUBJECTS),
                interests=", ".join(rng.sample(INTERESTS, rng.randint(2, 5))),
            )
        )
    people = Person.objects.bulk_create(people)
    entries, consents = [], []
    for person in people:
        mentee = person.kind == PersonKind.STUDENT
        entries.append(
            BaseEntry(
                organisation=organisation,
                person=person,
                school_year=2026,
                role=BaseRole.MENTEE if mentee else BaseRole.MENTOR,
                mentee_category=rng.choice(MenteeCategory.for_students()) if mentee else "",
                mentor_kind="" if mentee else MentorKind.TEACHER,
                request=rng.choice(REQUESTS).format(subject=rng.choice(SUBJECTS), interest=rng.choice(INTERESTS))
                if mentee
                else f"Помогу с предметом {person.subject}, подготовка к ОГЭ",
                capacity=1 if mentee else rng.randint(1, 4),
                availability=", ".join(rng.sample(TIMES, rng.randint(1, 2))),
            )
        )
        consents.append(
            Consent(
                organisation=organisation,
                person=person,
                signer=ConsentSigner.PARENT if mentee else ConsentSigner.SELF,
                signer_name=f"{person.surname}а Ольга Николаевна" if mentee else "",
                signed_on=date(2026, 9, 1),
            )
        )
    BaseEntry.objects.bulk_create(entries)
    Consent.objects.bulk_create(consents)
    programme = Programme.objects.create(
        organisation=organisation,
        title="Учитель – ученик: замер подбора пар",
        form=MentorshipForm.TEACHER_STUDENT,
        goals="Повышение образовательных результатов",
        school_year=2026,
    )
    return user, programme


def bench_database(repeat: int) -> float:
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from participants.matching import match_run_create

    user, programme = bench_organisation()

    def run_rolled_back() -> Any:
        with transaction.atomic():
            run = match_run_create(actor=user, programme=programme, on=ON)
            counts = (run.mentees_count, run.mentors_count, run.suggestions.count(), run.total_score)
            transaction.set_rollback(True)
        return counts

    run_rolled_back()  # warm-up
    with CaptureQueriesContext(connection) as captured:
        run_rolled_back()
    queries = len(captured.captured_queries)
    samples, (mentees, mentors, suggestions, total) = timed(run_rolled_back, repeat)
    print(
        f"\n{connection.vendor}: {mentees} mentees, {mentors} mentors, {suggestions} suggestions, "
        f"total score {total}; {queries} queries per run (with the count and the savepoint)"
    )
    report("match_run_create end to end (rolled back)", samples)
    return statistics.median(samples)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Замер подбора пар: 500 наставляемых и 200 наставников.")
    parser.add_argument("--repeat", type=int, default=5, help="число замеров (5), берётся медиана")
    parser.add_argument("--seed", type=int, default=SEED, help="зерно генератора (1)")
    parser.add_argument("--db", action="store_true", help="также замерить match_run_create на базе из DATABASE_URL")
    args = parser.parse_args(argv)
    if args.db:
        url = database_url()
        if url.startswith(("postgres://", "postgresql://", "pgsql://")):
            ensure_postgres_database(url)
    setup_django()

    budget = 2000.0
    worst = bench_memory(args.repeat, args.seed)
    if args.db:
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
        worst = max(worst, bench_database(args.repeat))
    print(f"\nbudget {budget:.0f} ms: {'within' if worst < budget else 'OVER'}")
    return 0 if worst < budget else 1


if __name__ == "__main__":
    sys.exit(main())
