"""The reminder job at full scale: 100 000 roadmap items cascaded to 1 500 schools, 20 000 users.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mentorship_bench_reminders python bench/reminders.py

Builds its own data (``bulk_create``, once; ``--rebuild`` starts over) in its own database, then
measures ``notifications.services.reminders_run`` for the bench day:

* the first run of the day, from an empty reminder log (the heaviest: every reminder is new);
  the digest tasks are published to an in-memory broker, as a production run publishes them
  to Redis for the workers;
* a second run the same day (what each 15-minute tick costs afterwards: nothing new);
* the digests the workers then send: ``digest_send`` for a sample of users, per letter.

Query counts come from a connection wrapper (no query text kept). The figures go to stdout
and to ``bench/results/reminders.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from datetime import date

from directory import RESULTS_DIR, ROOT, ensure_postgres_database, setup_django

# bench/ holds scripts named like the apps (participants.py): import the project's packages
# first, so that Django's app loading finds them and not the scripts.
sys.path.insert(0, str(ROOT))
import participants  # noqa: F401

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/mentorship_bench_reminders"
BENCH_DAY = date(2026, 11, 23)
MUNICIPALITIES = 60
SCHOOLS = 1_500
USERS = 20_000
ITEMS_PER_SCHOOL = 67  # 1 500 × 67 + the regional 67 = 100 567 items
# Deadline cells as the seeds write them, relative to BENCH_DAY inside the 2026/2027 school year.
DEADLINES = [
    "23.11.2026",  # today
    "до 24.11.2026",  # tomorrow
    "до 30.11.2026",  # within the week
    "до 10.11.2026",  # overdue
    "до 15.03.2027 г.",
    "Декабрь 2026 г.",
    "март-апрель",
    "ежеквартально",
    "Март, июнь, сентябрь, декабрь",
    "ежегодно",
    "до 1 декабря 2026 г. (далее ежегодно)",
    "В течение всего периода реализации ЦМН",
    "по запросу",
    "после согласования с муниципалитетом",  # not understood: the author is told
    "до 25.05.2027",
    "Январь 2027 г.",
]


class QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def build() -> None:
    """Region, 60 municipalities, 1 500 schools, 20 000 users with roles, 100 567 items."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.db.models import QuerySet

    from mentorship.choices import Role
    from mentorship.models import Municipality, Organisation, Region, RoleAssignment
    from roadmaps.choices import ItemKind, ResponsibleKind
    from roadmaps.models import ResponsibleParty, Roadmap, RoadmapItem, number_sort_key
    from roadmaps.services import _apply_deadline

    User = get_user_model()
    raw = lambda model: QuerySet(model=model)  # noqa: E731 - plain bulk inserts, no change-log rows
    started = time.perf_counter()
    with transaction.atomic():
        region = raw(Region).create(code="99", name="Бенчмарк-регион напоминаний")
        municipalities = raw(Municipality).bulk_create(
            [Municipality(region=region, code=f"99{m:06d}", name=f"Район № {m}") for m in range(MUNICIPALITIES)]
        )
        schools = raw(Organisation).bulk_create(
            [
                Organisation(
                    municipality=municipalities[s % MUNICIPALITIES],
                    code=f"R99-{s:05d}",
                    short_name=f"СОШ № {s}",
                    full_name=f"Средняя общеобразовательная школа № {s}",
                )
                for s in range(SCHOOLS)
            ],
            batch_size=1000,
        )
        password = make_password(None)
        users = raw(User).bulk_create(
            [
                User(
                    username=f"rem{u:05d}",
                    password=password,
                    last_name="Иванова",
                    first_name="Мария",
                    email=f"rem{u:05d}@example.ru" if u % 10 else "",
                )
                for u in range(USERS)
            ],
            batch_size=2000,
        )
        # Each school: director, curator, coordinator (the keepers); the rest are mentors, 10 % without e-mail.
        assignments, per_school = [], []
        cursor = 0
        for school in schools:
            keepers = users[cursor : cursor + 3]
            cursor += 3
            for user, role in zip(keepers, (Role.DIRECTOR, Role.CURATOR, Role.COORDINATOR), strict=True):
                assignments.append(RoleAssignment(user=user, role=role, organisation=school))
            per_school.append(keepers)
        for index, municipality in enumerate(municipalities):
            assignments.append(RoleAssignment(user=users[cursor + index], role=Role.MUNICIPAL_OFFICER,
                                              municipality=municipality))  # fmt: skip
        cursor += MUNICIPALITIES
        assignments.append(RoleAssignment(user=users[cursor], role=Role.REGIONAL_COORDINATOR, region=region))
        cursor += 1
        mentors = users[cursor:]
        for n, mentor in enumerate(mentors):
            assignments.append(RoleAssignment(user=mentor, role=Role.MENTOR, organisation=schools[n % SCHOOLS]))
        raw(RoleAssignment).bulk_create(assignments, batch_size=5000)

        period = {"period_start": date(2026, 9, 1), "period_end": date(2027, 8, 31)}
        regional = raw(Roadmap).create(region=region, title="Региональная дорожная карта", **period)
        templates = []
        for n in range(ITEMS_PER_SCHOOL):
            item = RoadmapItem(
                roadmap=regional,
                kind=ItemKind.ACTIVITY,
                number=f"{n // 10 + 1}.{n % 10 + 1}",
                title=f"Мероприятие {n + 1} регионального плана",
                deadline_text=DEADLINES[n % len(DEADLINES)],
            )
            _apply_deadline(item, regional)
            item.sort_key = number_sort_key(item.number)
            templates.append(item)
        templates = raw(RoadmapItem).bulk_create(templates)
        roadmaps = raw(Roadmap).bulk_create(
            [
                Roadmap(organisation=school, title=f"Дорожная карта СОШ № {s}", created_by=per_school[s][1], **period)
                for s, school in enumerate(schools)
            ],
            batch_size=1000,
        )
        copied = ("kind", "number", "sort_key", "title", "deadline_text", "deadline_kind", "deadline_start",
                  "deadline_due", "deadline_recurrence", "deadline_needs_review", "deadline_problem")  # fmt: skip
        items = raw(RoadmapItem).bulk_create(
            [
                RoadmapItem(roadmap=roadmap, cascaded_from=template, **{f: getattr(template, f) for f in copied})
                for roadmap in roadmaps
                for template in templates
            ],
            batch_size=5000,
        )
        # Every item names «Руководители ОО» (a role); one in three also a mentor of the school by account.
        parties = []
        for n, item in enumerate(items):
            parties.append(ResponsibleParty(item=item, kind=ResponsibleKind.ROLE, name="Руководители ОО",
                                            role=Role.DIRECTOR))  # fmt: skip
            if n % 3 == 0:
                school = n // ITEMS_PER_SCHOOL
                mentor = mentors[(school + SCHOOLS * (n % 9)) % len(mentors)]
                parties.append(ResponsibleParty(item=item, kind=ResponsibleKind.USER, name="наставник", user=mentor,
                                                position=1))  # fmt: skip
        raw(ResponsibleParty).bulk_create(parties, batch_size=5000)
    print(f"Данные построены за {time.perf_counter() - started:.1f} с: {len(items) + len(templates)} пунктов, "
          f"{SCHOOLS} школ, {USERS} пользователей.")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuild", action="store_true", help="удалить базу и построить данные заново")
    parser.add_argument("--sample", type=int, default=500, help="сколько писем со сводкой отправить для замера")
    args = parser.parse_args()
    url = os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    if url.rstrip("/").endswith("/mentorship_bench"):
        print("Эта база принадлежит другому бенчмарку: используйте mentorship_bench_reminders.", file=sys.stderr)
        return 2
    if args.rebuild and url.startswith(("postgres://", "postgresql://")):
        import psycopg

        name = url.rsplit("/", 1)[1]
        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
    if url.startswith(("postgres://", "postgresql://")):
        ensure_postgres_database(url)
    # Publish the digests to an in-memory broker (nothing consumes them here), send nothing by SMTP.
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "false"
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ["LOG_LEVEL"] = "WARNING"
    setup_django()

    from django.core import mail
    from django.core.management import call_command
    from django.db import connection

    from notifications import services
    from notifications.models import Notification, Reminder
    from roadmaps.models import RoadmapItem

    call_command("migrate", verbosity=0)
    if not RoadmapItem.objects.filter(roadmap__title="Региональная дорожная карта").exists():
        build()
    items = RoadmapItem.objects.count()
    users = services.get_user_model().objects.count()

    def timed_run() -> tuple[float, int, services.RunResult]:
        counter = QueryCounter()
        started = time.perf_counter()
        with connection.execute_wrapper(counter):
            result = services.reminders_run(day=BENCH_DAY)
        return time.perf_counter() - started, counter.count, result

    Notification.objects.all().delete()
    Reminder.objects.all().delete()
    first_s, first_q, first = timed_run()
    second_s, second_q, second = timed_run()

    recipients = services.digest_recipients()[: args.sample]
    samples, queries = [], []
    for user_id in recipients:
        counter = QueryCounter()
        started = time.perf_counter()
        with connection.execute_wrapper(counter):
            services.digest_send(user_id=user_id)
        samples.append((time.perf_counter() - started) * 1000)
        queries.append(counter.count)
    figures = {
        "database": connection.vendor,
        "items": items,
        "users": users,
        "day": BENCH_DAY.isoformat(),
        "first_run_s": round(first_s, 2),
        "first_run_queries": first_q,
        "reminders_recorded": first.recorded,
        "portal_notifications": first.notified,
        "digests_queued": first.digests_queued,
        "per_topic": first.per_topic,
        "second_run_s": round(second_s, 2),
        "second_run_queries": second_q,
        "second_run_recorded": second.recorded,
        "digest_sample": len(samples),
        "digest_median_ms": round(statistics.median(samples), 1) if samples else None,
        "digest_queries": sorted(set(queries)),
        "letters_in_sample": len(mail.outbox),
    }
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    (RESULTS_DIR / "reminders.json").write_text(json.dumps(figures, ensure_ascii=False, indent=2))
    print(json.dumps(figures, ensure_ascii=False, indent=2))
    return 0 if first_s < 60 else 1


if __name__ == "__main__":
    sys.exit(main())
