#!/usr/bin/env python
"""The curator's «Кто ответил» page for a 2 000-participant school.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mentorship_bench_questionnaires python bench/questionnaires.py

Builds its own data once (plain bulk inserts; ``--rebuild`` starts over) in its own database: one
school with 2 000 participants (400 teacher mentors, 1 600 student mentees with parents'
consents) in 400 groups of one programme, and the exit questionnaire for mentees sent to the
programme: 1 600 personal links, 30 % answered, a third of the people without an e-mail. Then it
signs in as the school's curator and measures, over ``--repeat`` requests, the median and 95th
percentile server time and the SQL queries of one request of:

- the follow-up of the whole programme (1 120 people who have not answered, listed by name,
  100 a page), its first and last page;
- the follow-up of one group (``?pair=``);
- the list of questionnaires (the portal's 21 templates and the sendings).

The budget (issue 16): under 150 ms at p95 on PostgreSQL, with a query count that does not grow
with the data. Prints a table and writes JSON to ``bench/results/questionnaires.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from datetime import date, datetime, timedelta

from directory import RESULTS_DIR, ROOT, ensure_postgres_database, measure, print_table, setup_django, summarise

# bench/ holds scripts named like the apps (participants.py): import the project's packages first.
sys.path.insert(0, str(ROOT))
import monitoring  # noqa: F401
import participants  # noqa: F401

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/mentorship_bench_questionnaires"
BUDGET_MS = 150
SCHOOL_CODE = "BENCH-Q"
CURATOR = "bench_q_curator"
PASSWORD = "bench12345"  # noqa: S105 - the bench personas' documented password
MENTORS, MENTEES_PER_GROUP = 400, 4
ANSWERED_SHARE = 0.3


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Замер страницы «Кто ответил» для школы на 2 000 участников.")
    parser.add_argument("--repeat", type=int, default=30, help="повторов каждого запроса (30)")
    parser.add_argument("--rebuild", action="store_true", help="удалить данные замера и создать заново")
    parser.add_argument("--no-migrate", action="store_true", help="не применять миграции")
    return parser.parse_args(argv)


def build() -> None:
    """The school, its curator, 2 000 participants in 400 groups, and 1 600 links (30 % answered)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.db.models import QuerySet
    from django.utils import timezone

    from mentorship.choices import Role
    from mentorship.models import Municipality, Organisation, Region, RoleAssignment
    from participants.choices import BaseRole, ConsentSigner, MentorshipForm, PairStatus, PersonKind, Stage
    from participants.models import Consent, Pair, PairMember, Person, Programme, Questionnaire, QuestionnaireLink
    from participants.services import questionnaire_templates_load
    from participants.services.questionnaire_links import _unknown_hash

    raw = lambda model: QuerySet(model=model)  # noqa: E731 - plain bulk inserts, no change-log rows
    questionnaire_templates_load()
    with transaction.atomic():
        region = raw(Region).create(code="98", name="Бенчмарк-регион анкет")
        municipality = raw(Municipality).create(region=region, code="98000001", name="Город анкет")
        school = raw(Organisation).create(
            municipality=municipality, code=SCHOOL_CODE, short_name="СОШ анкет", full_name="Средняя школа анкет"
        )
        curator = get_user_model().objects.create(
            username=CURATOR, password=make_password(PASSWORD), last_name="Куратор", first_name="Анна"
        )
        raw(RoleAssignment).create(user=curator, role=Role.CURATOR, organisation=school)
        programme = raw(Programme).create(
            organisation=school,
            title="Учитель – ученик: «Шаг вперёд»",
            form=MentorshipForm.TEACHER_STUDENT,
            goals="Повышение образовательных результатов",
            school_year=2026,
        )
        people = []
        for n in range(MENTORS):
            people.append(
                Person(
                    organisation=school, kind=PersonKind.TEACHER, surname=f"Наставникова{n:04d}", name="Мария",
                    patronymic="Ивановна", birth_date=date(1980, 1, 1), email=f"mentor{n}@example.ru",
                )
            )  # fmt: skip
        for n in range(MENTORS * MENTEES_PER_GROUP):
            people.append(
                Person(
                    organisation=school, kind=PersonKind.STUDENT, surname=f"Ученик{n:04d}", name="Пётр",
                    patronymic="Сергеевич", birth_date=date(2011, 3, 15), class_name="7А",
                    email="" if n % 3 == 0 else f"mentee{n}@example.ru",
                )
            )  # fmt: skip
        people = raw(Person).bulk_create(people, batch_size=1000)
        mentors, mentees = people[:MENTORS], people[MENTORS:]
        raw(Consent).bulk_create(
            [
                Consent(organisation=school, person=p, signer=ConsentSigner.PARENT, signer_name="Родитель",
                        signed_on=date(2026, 9, 1))
                for p in mentees
            ],
            batch_size=1000,
        )  # fmt: skip
        pairs = raw(Pair).bulk_create(
            [
                Pair(organisation=school, programme=programme, form=programme.form, title=f"Группа № {g + 1}",
                     school_year=2026, stage=Stage.WORK, status=PairStatus.ACTIVE, started_on=date(2026, 10, 1))
                for g in range(MENTORS)
            ]
        )  # fmt: skip
        members = []
        for g, pair in enumerate(pairs):
            members.append(PairMember(pair=pair, person=mentors[g], programme=programme, role=BaseRole.MENTOR,
                                      joined_on=date(2026, 10, 1)))  # fmt: skip
            for mentee in mentees[g * MENTEES_PER_GROUP : (g + 1) * MENTEES_PER_GROUP]:
                members.append(PairMember(pair=pair, person=mentee, programme=programme, role=BaseRole.MENTEE,
                                          joined_on=date(2026, 10, 1)))  # fmt: skip
        raw(PairMember).bulk_create(members, batch_size=2000)
        questionnaire = Questionnaire.objects.get(template_key=f"{MentorshipForm.TEACHER_STUDENT}:mentee:exit")
        now = timezone.now()
        expires = now + timedelta(days=14)
        raw(QuestionnaireLink).bulk_create(
            [
                QuestionnaireLink(
                    organisation=school, questionnaire=questionnaire, person=mentee, programme=programme,
                    pair=pairs[n // MENTEES_PER_GROUP], token_hash=_unknown_hash(), created_by=curator,
                    expires_at=expires, sent_at=now if mentee.email else None,
                    answered_at=now if n % 10 < ANSWERED_SHARE * 10 else None,
                )
                for n, mentee in enumerate(mentees)
            ],
            batch_size=2000,
        )  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    import os

    url = os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    ensure_postgres_database(url)
    setup_django()
    from django.core.management import call_command
    from django.db import connection
    from django.http import HttpRequest
    from django.test import Client
    from django.urls import reverse

    from mentorship.models import Organisation
    from participants.models import Pair, Programme, QuestionnaireLink

    if not args.no_migrate:
        call_command("migrate", verbosity=0)
    if args.rebuild and Organisation.objects.filter(code=SCHOOL_CODE).exists():
        print("Пересоздайте базу: dropdb mentorship_bench_questionnaires", file=sys.stderr)
        return 2
    if not Organisation.objects.filter(code=SCHOOL_CODE).exists():
        print("Создаю данные замера…", file=sys.stderr)
        build()
    programme = Programme.objects.get(organisation__code=SCHOOL_CODE)
    link = QuestionnaireLink.objects.filter(programme=programme).first()
    pair = Pair.objects.filter(programme=programme).order_by("pk").first()
    follow_up = reverse("participants:questionnaire_follow_up", args=[link.questionnaire_id, programme.pk])
    pages = [
        ("follow-up, whole programme", follow_up),
        ("follow-up, last page (12)", f"{follow_up}?page=12"),
        ("follow-up, one group", f"{follow_up}?pair={pair.pk}"),
        ("questionnaires list", reverse("participants:questionnaires")),
    ]
    client = Client()
    if not client.login(request=HttpRequest(), username=CURATOR, password=PASSWORD):
        raise SystemExit(f"Не удалось войти как {CURATOR}.")
    results = []
    for label, page in pages:
        samples, queries, response = measure(lambda page=page: client.get(page), repeat=args.repeat)
        results.append(summarise(CURATOR, label, page, response.status_code, queries, samples))
    print_table(results)
    links = QuestionnaireLink.objects.filter(programme=programme)
    facts = {
        "database": connection.vendor,
        "participants": programme.organisation.people.count(),
        "links": links.count(),
        "unanswered": links.filter(answered_at__isnull=True).count(),
        "taken_at": datetime.now().isoformat(timespec="seconds"),
    }
    print(facts)
    over = [m for m in results[:3] if m.p95_ms >= BUDGET_MS]
    print("Бюджет 150 мс (p95):", "превышен: " + ", ".join(m.page for m in over) if over else "соблюдён")
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    (RESULTS_DIR / "questionnaires.json").write_text(
        json.dumps({"facts": facts, "results": [asdict(m) for m in results]}, ensure_ascii=False, indent=2)
    )
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
