"""The directory's part of ``manage.py generate_scale``, and what every step shares.

By default 60 municipalities and 1 500 organisations with about 500 000
students and 50 000 teachers, regional and municipal bodies, and three
benchmark personas (``bench_region``, ``bench_muni``, ``bench_curator``,
password ``bench12345``).

The run is a list of steps: the directory's own (``STEPS``), then the participants'
and monitoring's (``demodata.scale.participants``, ``demodata.scale.monitoring``), in
the order the command lists them (``generate_scale.ALL_STEPS``). Each step takes the
shared ``ScaleContext``, creates what is missing and reports what it did. Rules every
step keeps:

- deterministic: a step draws from its own ``ctx.rng(name)``, seeded with the
  run's seed and the step's name, so adding a step does not change the data of
  the others;
- idempotent: records are planned in full, then only codes that do not exist
  yet are inserted, so re-running with the same arguments adds nothing;
- fast: ``bulk_create`` in batches (``RestrictedQuerySet.bulk_create`` writes
  the history rows too, which is intended: benchmarks see a real change log);
  the hundreds of thousands of people and pairs go through ``rows_insert``,
  which writes the same rows and history rows from plain dicts, because the
  ORM's per-value preparation of model instances would take a quarter of an hour.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.management.base import CommandError
from django.db import connection, models
from django.utils import timezone

from accounts.two_factor import two_factor_exemption_ensure
from mentorship.choices import BodyKind, MunicipalityKind, OrganisationKind, Role
from mentorship.models import Body, Municipality, Organisation, Region
from mentorship.models.hierarchy import MAX_HEADCOUNT
from mentorship.services import Outcome, object_upsert_by_code, role_ensure, user_ensure

BATCH_SIZE = 500
SCALE_REASON = "Данные для нагрузочного тестирования (generate_scale)"
# A published password for throwaway benchmark accounts, like the demo one.
BENCH_PASSWORD = "bench12345"  # noqa: S105
BENCH_EXEMPTION_REASON = "учётная запись нагрузочного теста"

# Per organisation, so that 1 500 organisations give about 500 000 students and 50 000 teachers.
STUDENTS_PER_ORGANISATION = 1_000 / 3
TEACHERS_PER_ORGANISATION = 100 / 3
# The personas' school (the city's first) is an education complex of about 3 000 pupils, in the
# log-normal's units (the mean school is about 1.4): its curator's lists then hold about 2 000
# participants, the size the speed budget names.
PERSONAS_SCHOOL_SIZE = 12.0

# Municipality names are «<stem> район»; the schools take the stem's feminine form
# («Березовская СОШ № 3»). Every stem ends in -ий, -ый or -ой (see ``_feminine``).
STEMS = (
    "Александровский", "Белоярский", "Березовский", "Богучанский", "Боровской", "Верхнекетский",
    "Вознесенский", "Глазовский", "Горноключевский", "Дубровский", "Елецкий", "Жуковский",
    "Заречный", "Знаменский", "Ивановский", "Ильинский", "Каменский", "Кедровый",
    "Кировский", "Ключевской", "Красноборский", "Кузнецкий", "Лесной", "Луговской",
    "Майский", "Малиновский", "Михайловский", "Никольский", "Новоселовский", "Озерный",
    "Октябрьский", "Ольховский", "Первомайский", "Петровский", "Покровский", "Полевской",
    "Приозерный", "Пригородный", "Раздольненский", "Рождественский", "Светлый", "Северный",
    "Семеновский", "Сосновский", "Спасский", "Степной", "Сухобузимский", "Таежный",
    "Тихвинский", "Троицкий", "Туринский", "Успенский", "Устьянский", "Федоровский",
    "Хвойный", "Черемуховский", "Шарыповский", "Шушенский", "Южный", "Ягодный",
    "Борисовский", "Васильевский", "Гремячинский", "Дальний",
)  # fmt: skip
CITY = "Нагорск"


@dataclass(frozen=True)
class ScaleSpec:
    """What to build: the arguments of the command."""

    region_code: str = "SCALE"
    municipalities: int = 60
    organisations: int = 1_500
    seed: int = 1

    @property
    def region_name(self) -> str:
        return f"Нагрузочный регион «{self.region_code}»"

    def username(self, base: str) -> str:
        """``bench_region`` for the default region; ``bench_region_t1`` for region ``T1``.

        A second generated region gets its own personas, so that no persona's
        scope silently spans two benchmark regions.
        """
        default = type(self).__dataclass_fields__["region_code"].default
        return base if self.region_code == default else f"{base}_{self.region_code.lower()}"


@dataclass
class ScaleContext:
    """What the steps build, handed from one step to the next."""

    spec: ScaleSpec
    region: Region | None = None
    municipalities: list[Municipality] = field(default_factory=list)
    organisations: list[Organisation] = field(default_factory=list)

    def rng(self, step: str) -> random.Random:
        """A generator of its own per step: one step's draws never shift another's."""
        return random.Random(f"{self.spec.seed}:{step}")  # noqa: S311 - synthetic data, not secrets


@dataclass
class StepResult:
    name: str
    created: int
    existing: int
    seconds: float = 0.0


Step = Callable[[ScaleContext], tuple[int, int]]


def _feminine(stem: str) -> str:
    """«Березовский» → «Березовская», «Лесной» → «Лесная», «Заречный» → «Заречная»."""
    return stem[:-2] + "ая"


def _genitive(stem: str) -> str:
    """«Березовский» → «Березовского» (for «администрации Березовского района»)."""
    return stem[:-2] + "ого"


def _bulk_insert_missing(model: type[models.Model], planned: Sequence[models.Model]) -> tuple[int, int]:
    """Insert the planned records whose code is not taken yet; returns ``(created, existing)``."""
    codes = [obj.code for obj in planned]
    taken: set[str] = set()
    for start in range(0, len(codes), BATCH_SIZE):
        chunk = codes[start : start + BATCH_SIZE]
        taken.update(model._base_manager.filter(code__in=chunk).values_list("code", flat=True))
    missing = [obj for obj in planned if obj.code not in taken]
    for obj in missing:
        # Field validators (code format, headcount bounds); uniqueness is ensured above.
        obj.clean_fields()
        obj._change_reason = SCALE_REASON
    model.objects.bulk_create(missing, batch_size=BATCH_SIZE)
    return len(missing), len(taken)


def rows_insert(model: type[models.Model], rows: Sequence[dict[str, Any]], *, reason: str = SCALE_REASON) -> list[int]:
    """Insert ``rows`` (field attname → value; omitted fields take their default) with their history.

    What ``bulk_create`` and ``bulk_history_create`` write, with none of their per-value work: the
    values must be valid already (the caller builds them so; its tests run ``full_clean``).
    Returns the new primary keys in the order of ``rows``.
    """
    if not rows:
        return []
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    # ``auto_now`` fields are filled as ``save()`` would; the history rows copy the same values.
    defaults = {
        f.attname: now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else f.get_default()
        for f in fields
    }
    pks = _insert(model, fields, rows, defaults=defaults, returning=True)
    history = getattr(model, "history", None)
    if history is not None:
        defaults |= {"history_date": now, "history_change_reason": reason, "history_type": "+", "history_user_id": None}
        history_rows = [{**row, "id": pk} for row, pk in zip(rows, pks, strict=True)]
        history_fields = [f for f in history.model._meta.concrete_fields if f.attname != "history_id"]
        _insert(history.model, history_fields, history_rows, defaults=defaults, returning=False)
    return pks


def _insert(
    model: type[models.Model],
    fields: list[models.Field],
    rows: Sequence[dict[str, Any]],
    *,
    defaults: dict[str, Any],
    returning: bool,
) -> list[int]:
    ops = connection.ops
    plan: list[tuple[str, Callable[[Any], Any], Any]] = []
    for f in fields:
        if isinstance(f, models.DateTimeField):
            adapt = ops.adapt_datetimefield_value
        elif isinstance(f, models.DateField):
            adapt = ops.adapt_datefield_value
        else:
            adapt = _as_is
        default = defaults[f.attname] if f.attname in defaults else f.get_default()
        plan.append((f.attname, adapt, adapt(default)))
    table = ops.quote_name(model._meta.db_table)
    columns = ", ".join(ops.quote_name(f.column) for f in fields)
    row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
    suffix = f" RETURNING {ops.quote_name(model._meta.pk.column)}" if returning else ""
    pks: list[int] = []
    with connection.cursor() as wrapper:
        cursor = _driver_cursor(wrapper)
        for start in range(0, len(rows), BATCH_SIZE):
            batch = rows[start : start + BATCH_SIZE]
            params = [adapt(row[name]) if name in row else default for row in batch for name, adapt, default in plan]
            # Table and column names come from the model's meta; the values are parameters.
            sql = f"INSERT INTO {table} ({columns}) VALUES {', '.join([row_sql] * len(batch))}{suffix}"  # noqa: S608
            cursor.execute(sql, params)
            if returning:
                pks.extend(pk for (pk,) in cursor.fetchall())
    return pks


def _as_is(value: Any) -> Any:
    return value


def _driver_cursor(wrapper: Any) -> Any:
    """The database driver's own cursor, under Django's wrapper.

    With ``DEBUG`` on, the wrapper would keep the text of every 500-row statement in the query log.
    On PostgreSQL, a cursor that binds the parameters on the server: Django's default binds them
    on the client, quoting each of the millions of values into the statement's text in Python,
    which made the participants' steps four times slower. SQLite's cursor is Django's own (it
    takes ``%s``).
    """
    if connection.vendor == "postgresql":
        import psycopg

        return psycopg.Cursor(connection.connection)
    return wrapper.cursor


def _spread(total: int, weights: Sequence[float]) -> list[int]:
    """Split ``total`` into integer parts proportional to ``weights`` (largest remainder)."""
    whole = sum(weights)
    shares = [total * w / whole for w in weights]
    parts = [math.floor(s) for s in shares]
    by_remainder = sorted(range(len(weights)), key=lambda i: shares[i] - parts[i], reverse=True)
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _scaled(raw: Sequence[float], total: float, *, minimum: int) -> list[int]:
    """``raw`` rescaled to sum to about ``total``, each value within ``[minimum, MAX_HEADCOUNT]``."""
    factor = total / sum(raw) if raw else 0
    return [min(MAX_HEADCOUNT, max(minimum, round(value * factor))) for value in raw]


# --- Steps ------------------------------------------------------------------------


def region_step(ctx: ScaleContext) -> tuple[int, int]:
    existed = Region.objects.filter(code=ctx.spec.region_code).exists()
    ctx.region, _ = object_upsert_by_code(
        model=Region, code=ctx.spec.region_code, data={"name": ctx.spec.region_name}, reason=SCALE_REASON
    )
    return (0, 1) if existed else (1, 0)


def municipalities_step(ctx: ScaleContext) -> tuple[int, int]:
    """The first municipality is a city okrug; the others are districts named after ``STEMS``."""
    stems = list(STEMS)
    ctx.rng("municipalities").shuffle(stems)
    planned = []
    for index in range(ctx.spec.municipalities):
        if index == 0:
            name, kind = f"городской округ город {CITY}", MunicipalityKind.CITY_OKRUG
        else:
            cycle, position = divmod(index - 1, len(stems))
            name = f"{stems[position]} район" + (f" № {cycle + 1}" if cycle else "")
            kind = MunicipalityKind.DISTRICT
        planned.append(
            Municipality(region=ctx.region, code=f"{ctx.spec.region_code}-M{index + 1:03d}", name=name, kind=kind)
        )
    result = _bulk_insert_missing(Municipality, planned)
    ctx.municipalities = list(
        Municipality.objects.filter(code__in=[m.code for m in planned]).select_related("region").order_by("code")
    )
    return result


def bodies_step(ctx: ScaleContext) -> tuple[int, int]:
    """A regional ministry and centre, and an education authority in every municipality."""
    code = ctx.spec.region_code
    planned = [
        Body(
            region=ctx.region,
            code=f"{code}-MINOBR",
            kind=BodyKind.REGIONAL_MINISTRY,
            full_name=f"Министерство образования ({ctx.spec.region_name})",
            short_name=f"Минобразования {code}",
        ),
        Body(
            region=ctx.region,
            code=f"{code}-RNC",
            kind=BodyKind.REGIONAL_CENTRE,
            full_name=f"Региональный наставнический центр ({ctx.spec.region_name})",
            short_name=f"РНЦ {code}",
        ),
    ]
    for municipality in ctx.municipalities:
        if municipality.kind == MunicipalityKind.CITY_OKRUG:
            full_name = f"Управление образования администрации городского округа город {CITY}"
        else:
            full_name = f"Управление образования администрации {_genitive(municipality.name.split()[0])} района"
        planned.append(
            Body(
                region=ctx.region,
                municipality=municipality,
                code=f"{municipality.code}-UO",
                kind=BodyKind.MUNICIPAL_AUTHORITY,
                full_name=full_name,
                short_name=f"УО ({municipality.name})",
            )
        )
    return _bulk_insert_missing(Body, planned)


def _organisation_names(kind: str, municipality: Municipality, number: int) -> tuple[str, str]:
    """``(full_name, short_name)`` in the style of real registers."""
    city = municipality.kind == MunicipalityKind.CITY_OKRUG
    stem = CITY if city else municipality.name.split()[0]
    if kind == OrganisationKind.COLLEGE:
        title = f"{'Нагорский' if city else stem} техникум № {number}"
        return (
            f"Государственное бюджетное профессиональное образовательное учреждение «{title}»",
            f"ГБПОУ «{title}»",
        )
    if kind == OrganisationKind.ADDITIONAL:
        title = f"Центр детского творчества № {number}"
        place = f"городского округа город {CITY}" if city else f"{_genitive(stem)} района"
        return (
            f"Муниципальное бюджетное учреждение дополнительного образования «{title}» {place}",
            f"МБУ ДО «{title}» ({municipality.name})",
        )
    if city:
        title = f"Средняя школа № {number}"
        return (
            f"Муниципальное бюджетное общеобразовательное учреждение «{title}» городского округа город {CITY}",
            f"МБОУ «{title}» г. {CITY}",
        )
    return (
        f"Муниципальное бюджетное общеобразовательное учреждение "
        f"«{_feminine(stem)} средняя общеобразовательная школа № {number}»",
        f"МБОУ «{_feminine(stem)} СОШ № {number}»",
    )


def organisations_step(ctx: ScaleContext) -> tuple[int, int]:
    """Organisations spread over the municipalities, the city taking the largest share.

    Headcounts follow a log-normal spread (many small rural schools, a few big
    ones), rescaled so that the totals come to about ``STUDENTS_PER_ORGANISATION``
    and ``TEACHERS_PER_ORGANISATION`` times the number of organisations.
    """
    rng = ctx.rng("organisations")
    weights = [6.0 if m.kind == MunicipalityKind.CITY_OKRUG else rng.uniform(0.5, 1.5) for m in ctx.municipalities]
    counts = _spread(ctx.spec.organisations, weights) if ctx.municipalities else []
    plan: list[tuple[Municipality, int, str]] = []
    raw_students: list[float] = []
    raw_ratio: list[float] = []
    for municipality, count in zip(ctx.municipalities, counts, strict=True):
        for number in range(1, count + 1):
            draw = rng.random()
            kind = (
                OrganisationKind.COLLEGE
                if draw < 0.04
                else OrganisationKind.ADDITIONAL
                if draw < 0.10
                else OrganisationKind.SCHOOL
            )
            # The first organisation of every municipality is a school: personas and filters rely on it.
            kind = OrganisationKind.SCHOOL if number == 1 else kind
            plan.append((municipality, number, kind))
            # Capped: the tail of a log-normal would give the odd 6 000-pupil school.
            size = min(rng.lognormvariate(0, 0.8), 5.0)
            if municipality is ctx.municipalities[0] and number == 1:
                size = PERSONAS_SCHOOL_SIZE  # drawn all the same, so that the other schools keep theirs
            raw_students.append(size * (2.0 if kind == OrganisationKind.COLLEGE else 1.0))
            raw_ratio.append(rng.uniform(10, 16))
    students = _scaled(raw_students, STUDENTS_PER_ORGANISATION * len(plan), minimum=5)
    raw_teachers = [s / r for s, r in zip(students, raw_ratio, strict=True)]
    teachers = _scaled(raw_teachers, TEACHERS_PER_ORGANISATION * len(plan), minimum=2)
    planned = []
    for (municipality, number, kind), students_count, teachers_count in zip(plan, students, teachers, strict=True):
        full_name, short_name = _organisation_names(kind, municipality, number)
        planned.append(
            Organisation(
                municipality=municipality,
                code=f"{municipality.code}-O{number:04d}",
                kind=kind,
                full_name=full_name,
                short_name=short_name,
                students_count=students_count,
                teachers_count=teachers_count,
            )
        )
    result = _bulk_insert_missing(Organisation, planned)
    ctx.organisations = list(
        Organisation.objects.filter(code__in=[o.code for o in planned]).select_related("municipality").order_by("code")
    )
    return result


BENCH_PERSONAS = (
    # username, role, last name, first name, patronymic, position
    ("bench_region", Role.REGIONAL_COORDINATOR, "Регионова", "Анна", "Сергеевна", "Региональный координатор"),
    ("bench_muni", Role.MUNICIPAL_OFFICER, "Муниципалов", "Борис", "Игоревич", "Специалист управления образования"),
    ("bench_curator", Role.CURATOR, "Кураторова", "Вера", "Павловна", "Куратор внедрения ЦМН"),
)


def personas_step(ctx: ScaleContext) -> tuple[int, int]:
    """The benchmark personas: region, its first municipality, the first school there."""
    if not ctx.municipalities:
        raise CommandError("Для пользователей нагрузочного теста нужен хотя бы один муниципалитет.")
    first_municipality = ctx.municipalities[0]
    first_school = next(
        (
            o
            for o in ctx.organisations
            if o.municipality_id == first_municipality.pk and o.kind == OrganisationKind.SCHOOL
        ),
        None,
    )
    if first_school is None:
        raise CommandError("Для пользователей нагрузочного теста нужна хотя бы одна школа в первом муниципалитете.")
    places = {
        Role.REGIONAL_COORDINATOR: ctx.region,
        Role.MUNICIPAL_OFFICER: first_municipality,
        Role.CURATOR: first_school,
    }
    created = existing = 0
    for base, role, last_name, first_name, patronymic, position in BENCH_PERSONAS:
        username = ctx.spec.username(base)
        user, user_outcome = user_ensure(
            username=username,
            password=BENCH_PASSWORD,
            reason=SCALE_REASON,
            email=f"{username}@example.ru",
            last_name=last_name,
            first_name=first_name,
            patronymic=patronymic,
            position=position,
        )
        _, role_outcome = role_ensure(user=user, role=role, place=places[role], reason=SCALE_REASON)
        # The benchmarks sign in with the published password alone (bench/README.md).
        two_factor_exemption_ensure(user=user, reason=BENCH_EXEMPTION_REASON)
        if Outcome.CREATED in (user_outcome, role_outcome):
            created += 1
        else:
            existing += 1
    return created, existing


# (name, Russian label, step): the directory and the personas, which every other step builds on.
STEPS: list[tuple[str, str, Step]] = [
    ("region", "регион", region_step),
    ("municipalities", "муниципалитеты", municipalities_step),
    ("bodies", "органы управления", bodies_step),
    ("organisations", "образовательные организации", organisations_step),
    ("personas", "пользователи нагрузочного теста", personas_step),
]
