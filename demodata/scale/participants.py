"""The participants' part of ``manage.py generate_scale``: people, programmes, pairs and meetings.

Run by ``generate_scale`` after the directory's steps (``demodata.scale.directory``). At the
default scale (1 500 organisations, about 500 000 students and 50 000 teachers) it gives about
350 000 participants of the school year 2026/2027: every one in the mentor or the mentee base
with a consent (a parent's for minors), external mentors with a co-operation agreement, one
programme per form an organisation works in, and pairs and groups (most active, some forming or
completed) with a few meetings each. About one mentee in ten is left without a pair, so that the
lists of unpaired mentees and the matching have work.

Only participants get a ``Person`` row. The pupils and teachers who take no part are the
denominators the organisation reports in ОО-1 and are counted on it
(``Organisation.students_count`` / ``teachers_count``): a person record holds personal data and
exists under a consent, and a school keeps one for the people in its bases only. Creating
200 000 more rows nobody reads would only slow the generator.

Deterministic and idempotent like the other steps: each organisation draws from its own
generator (``ctx.rng("<step>:<organisation code within the region>")``), so whether an organisation is filled in
does not shift another's data; people carry a natural key (``external_id`` = organisation code
and number) and only the missing ones are inserted with their base entry and consent;
programmes are keyed by organisation, year and title; an organisation that has pairs this year
gets none. Writes are ``bulk_create`` in batches (with their history rows), the data planned
in chunks of organisations so that memory stays flat; the rules the services enforce
(consent before the pair's start, a mentor's capacity, one open membership per programme, the
same school for «ученик – ученик») hold by construction and ``demodata/tests/test_scale_participants.py``
checks them.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from demodata.scale.directory import ScaleContext, Step, rows_insert
from mentorship.choices import OrganisationKind
from mentorship.models import Organisation
from participants.choices import (
    BaseRole,
    ConsentSigner,
    MeetingKind,
    MenteeCategory,
    MentorKind,
    MentorshipForm,
    PairStatus,
    PersonKind,
    Stage,
)
from participants.models import (
    BaseEntry,
    Consent,
    CooperationAgreement,
    Meeting,
    Pair,
    PairMember,
    Person,
    Programme,
    full_years_between,
)

SCHOOL_YEAR = 2026
YEAR_START = date(2026, 9, 1)
TODAY = date(2026, 11, 23)  # the generated world's "today", fixed so that the data stays deterministic
ORGANISATIONS_PER_CHUNK = 40

# --- Names --------------------------------------------------------------------------

MALE_NAMES = (
    "Александр", "Алексей", "Андрей", "Антон", "Артём", "Борис", "Вадим", "Валерий", "Василий", "Виктор",
    "Виталий", "Владимир", "Владислав", "Вячеслав", "Георгий", "Глеб", "Григорий", "Даниил", "Денис", "Дмитрий",
    "Евгений", "Егор", "Иван", "Игорь", "Илья", "Кирилл", "Константин", "Лев", "Леонид", "Максим", "Марк",
    "Матвей", "Михаил", "Никита", "Николай", "Олег", "Павел", "Пётр", "Роман", "Семён", "Сергей", "Станислав",
    "Степан", "Тимофей", "Фёдор", "Юрий", "Ярослав",
)  # fmt: skip
FEMALE_NAMES = (
    "Алёна", "Алина", "Алла", "Анастасия", "Анна", "Антонина", "Валентина", "Валерия", "Вера", "Вероника",
    "Виктория", "Галина", "Дарья", "Диана", "Евгения", "Екатерина", "Елена", "Елизавета", "Жанна", "Зоя",
    "Ирина", "Карина", "Кира", "Ксения", "Лариса", "Лидия", "Любовь", "Людмила", "Маргарита", "Марина",
    "Мария", "Надежда", "Наталья", "Нина", "Оксана", "Ольга", "Полина", "Светлана", "София", "Таисия",
    "Татьяна", "Ульяна", "Юлия", "Яна",
)  # fmt: skip
# (male patronymic, female patronymic)
PATRONYMICS = (
    ("Александрович", "Александровна"), ("Алексеевич", "Алексеевна"), ("Андреевич", "Андреевна"),
    ("Борисович", "Борисовна"), ("Васильевич", "Васильевна"), ("Викторович", "Викторовна"),
    ("Владимирович", "Владимировна"), ("Геннадьевич", "Геннадьевна"), ("Григорьевич", "Григорьевна"),
    ("Дмитриевич", "Дмитриевна"), ("Евгеньевич", "Евгеньевна"), ("Иванович", "Ивановна"),
    ("Игоревич", "Игоревна"), ("Константинович", "Константиновна"), ("Михайлович", "Михайловна"),
    ("Николаевич", "Николаевна"), ("Олегович", "Олеговна"), ("Павлович", "Павловна"),
    ("Петрович", "Петровна"), ("Романович", "Романовна"), ("Сергеевич", "Сергеевна"),
    ("Степанович", "Степановна"), ("Юрьевич", "Юрьевна"), ("Яковлевич", "Яковлевна"),
)  # fmt: skip
# Masculine surnames; the feminine form is derived (see ``_surname``).
SURNAMES = (
    "Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов", "Новиков",
    "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров", "Павлов", "Козлов",
    "Степанов", "Николаев", "Орлов", "Андреев", "Макаров", "Никитин", "Захаров", "Зайцев", "Соловьёв",
    "Борисов", "Яковлев", "Григорьев", "Романов", "Воробьёв", "Сергеев", "Кузьмин", "Фролов", "Александров",
    "Дмитриев", "Королёв", "Гусев", "Киселёв", "Ильин", "Максимов", "Поляков", "Сорокин", "Виноградов",
    "Ковалёв", "Белов", "Медведев", "Антонов", "Тарасов", "Жуков", "Баранов", "Филиппов", "Комаров",
    "Давыдов", "Беляев", "Герасимов", "Богданов", "Осипов", "Сидоров", "Матвеев", "Титов", "Марков",
    "Миронов", "Крылов", "Куликов", "Карпов", "Власов", "Мельников", "Денисов", "Гаврилов", "Тихонов",
    "Казаков", "Афанасьев", "Данилов", "Савельев", "Тимофеев", "Фомин", "Чернов", "Абрамов", "Мартынов",
    "Ефимов", "Федотов", "Щербаков", "Назаров", "Калинин", "Исаев", "Чернышёв", "Быков", "Маслов",
    "Родионов", "Коновалов", "Лазарев", "Воронин", "Климов", "Филатов", "Пономарёв", "Голубев", "Кудрявцев",
    "Прохоров", "Наумов", "Потапов", "Журавлёв", "Овчинников", "Трофимов", "Леонов", "Соболев", "Ермаков",
    "Колесников", "Гончаров", "Емельянов", "Никифоров", "Грачёв", "Котов", "Гришин", "Ефремов", "Архипов",
    "Громов", "Кириллов", "Малышев", "Панов", "Моисеев", "Румянцев", "Акимов", "Кондратьев", "Бирюков",
    "Горбунов", "Анисимов", "Ерёмин", "Тихомиров", "Галкин", "Лукьянов", "Михеев", "Скворцов", "Юдин",
    "Белоусов", "Нестеров", "Симонов", "Прокофьев", "Харитонов", "Князев", "Цветков", "Левин", "Митрофанов",
    "Воронцов", "Аксёнов", "Софронов", "Мальцев", "Логинов", "Горшков", "Савин", "Краснов", "Майоров",
    "Демидов", "Елисеев", "Рыбаков", "Сафонов", "Плотников", "Дёмин", "Хохлов", "Жданов", "Островский",
    "Вишневский", "Покровский", "Преображенский", "Успенский", "Рождественский", "Богословский",
)  # fmt: skip
SUBJECTS = (
    "математика", "русский язык и литература", "физика", "химия", "биология", "история и обществознание",
    "география", "информатика", "английский язык", "физическая культура", "музыка", "изобразительное искусство",
    "технология", "начальные классы", "ОБЖ",
)  # fmt: skip
INTERESTS = (
    "робототехника", "шахматы", "футбол", "волейбол", "театр", "хоровое пение", "рисование", "программирование",
    "краеведение", "экология", "журналистика", "волонтёрство", "олимпиады по математике", "чтение",
    "английский язык", "туризм", "музей", "лёгкая атлетика", "фотография", "дебаты", "химические опыты",
    "проектная деятельность", "предпринимательство", "3D-моделирование",
)  # fmt: skip
WORKPLACES = (
    "ООО «Сибирская энергетическая компания»", "АО «Нагорский хлебозавод»", "ПАО «Сбербанк», отделение № 8646",
    "ООО «Агрохолдинг «Заря»", "МУП «Горводоканал»", "ИП Лаптев А.В., столярная мастерская",
    "ООО «ИТ-Решения»", "Районная больница", "Пожарная часть № 12", "Районная библиотека",
    "Местное отделение «Движения первых»",
)  # fmt: skip
MENTOR_REQUESTS = (
    "Помогу с подготовкой к олимпиаде и ОГЭ", "Готов вести проектную работу", "Поделюсь опытом классного руководства",
    "Помогу освоиться в коллективе", "Научу работать с цифровыми сервисами", "Расскажу о профессии и производстве",
)  # fmt: skip
MENTEE_REQUESTS = {
    MenteeCategory.GIFTED: "Хочу подготовиться к региональному этапу олимпиады",
    MenteeCategory.LOW_RESULTS: "Нужна помощь, чтобы подтянуть оценки и не бояться экзаменов",
    MenteeCategory.DISABLED: "Поддержка в учёбе и общении со сверстниками",
    MenteeCategory.HARD_LIFE: "Поддержка и помощь с учёбой в трудный период",
    MenteeCategory.BEHAVIOUR: "Научиться договариваться и держать себя в руках",
    MenteeCategory.DISENGAGED: "Найти занятие по душе и друзей в школе",
    MenteeCategory.YOUNG_SPECIALIST: "Освоить планирование уроков и работу с родителями",
    MenteeCategory.BURNOUT: "Вернуть интерес к работе, распределить нагрузку",
    MenteeCategory.ADAPTATION: "Освоиться в новом коллективе и с документацией школы",
    MenteeCategory.ICT: "Освоить электронный журнал и цифровые образовательные ресурсы",
}

# --- Programmes by form -------------------------------------------------------------

PROGRAMME_TEXTS: dict[str, tuple[str, str]] = {
    # form: (title, goals)
    MentorshipForm.STUDENT_STUDENT: (
        "Программа наставничества по форме «Ученик – ученик»",
        "Разносторонняя поддержка обучающегося с особыми образовательными потребностями или временная помощь "
        "в адаптации к новым условиям обучения; развитие гибких навыков и метакомпетенций.",
    ),
    MentorshipForm.TEACHER_TEACHER: (
        "Программа наставничества по форме «Учитель – учитель»",
        "Успешное закрепление молодого специалиста на месте работы, повышение его профессионального потенциала; "
        "поддержка педагогов, осваивающих новые технологии и переживающих профессиональное выгорание.",
    ),
    MentorshipForm.TEACHER_STUDENT: (
        "Программа наставничества по форме «Учитель – ученик»",
        "Раскрытие потенциала обучающегося, поддержка в учёбе, самоопределении и профессиональной ориентации.",
    ),
    MentorshipForm.EMPLOYER_STUDENT: (
        "Программа наставничества по форме «Работодатель – ученик»",
        "Профессиональная ориентация обучающихся, знакомство с производством и проектная работа с наставником "
        "из организации-партнёра.",
    ),
    MentorshipForm.EMPLOYER_COLLEGE_STUDENT: (
        "Программа наставничества по форме «Работодатель – студент»",
        "Подготовка студента к трудоустройству: практика на предприятии, проект по заказу работодателя.",
    ),
}
STUDENT_MENTEE_FORMS = {
    OrganisationKind.SCHOOL: MentorshipForm.EMPLOYER_STUDENT,
    OrganisationKind.COLLEGE: MentorshipForm.EMPLOYER_COLLEGE_STUDENT,
}

# --- Plans --------------------------------------------------------------------------


@dataclass
class PlannedPerson:
    """A participant as the step plans them, before any row exists."""

    number: int
    kind: str
    role: str
    form: str
    surname: str
    name: str
    patronymic: str
    birth_date: date
    male: bool
    class_name: str = ""
    position: str = ""
    subject: str = ""
    service_start: date | None = None
    workplace: str = ""
    interests: str = ""
    mentee_category: str = ""
    mentor_kind: str = ""
    request: str = ""
    capacity: int = 1
    consent_signed_on: date = YEAR_START
    parent_name: str = ""


@dataclass
class OrganisationPlan:
    organisation: Organisation
    people: list[PlannedPerson] = field(default_factory=list)

    def external_id(self, person: PlannedPerson) -> str:
        return f"{self.organisation.code}-P{person.number:05d}"


def _local_code(ctx: ScaleContext, organisation: Organisation) -> str:
    """The organisation's code within its region («-M001-O0001»): the same seed gives another region the same data."""
    return organisation.code.removeprefix(ctx.spec.region_code)


def _surname(base: str, male: bool) -> str:
    """«Иванов» → «Иванова», «Островский» → «Островская», «Ильин» → «Ильина»."""
    if male:
        return base
    return base[:-2] + "ая" if base.endswith("ий") else base + "а"


def _day_between(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange((end - start).days + 1))


class _Names:
    """Draws full names unique within one organisation (its natural key includes the birth date)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.taken: set[tuple[str, str, str, date]] = set()

    def draw(self, birth_from: date, birth_to: date) -> tuple[bool, str, str, str, date]:
        """``(male, family name in its masculine form, name, patronymic, birth date)``."""
        rng = self.rng
        while True:
            male = rng.random() < 0.5
            family = rng.choice(SURNAMES)
            name = rng.choice(MALE_NAMES if male else FEMALE_NAMES)
            patronymic = rng.choice(PATRONYMICS)[0 if male else 1]
            birth_date = _day_between(rng, birth_from, birth_to)
            key = (_surname(family, male), name, patronymic, birth_date)
            if key not in self.taken:
                self.taken.add(key)
                return male, family, name, patronymic, birth_date


def _born_aged(age_from: int, age_to: int) -> tuple[date, date]:
    """Birth dates of people aged ``age_from``–``age_to`` at the start of the school year."""
    return date(YEAR_START.year - age_to - 1, YEAR_START.month, 2), date(YEAR_START.year - age_from, 9, 1)


def organisation_plan(ctx: ScaleContext, organisation: Organisation) -> OrganisationPlan:
    """Everyone an organisation has in its bases this year, drawn from its own generator.

    Shares: 52–70 % of pupils and 60–80 % of teachers take part; some older pupils mentor younger
    ones («ученик – ученик»); about a third of the teacher participants are mentees
    («учитель – учитель»); schools and colleges have a few external mentors from employers.
    """
    rng = ctx.rng(f"participants:{_local_code(ctx, organisation)}")
    plan = OrganisationPlan(organisation)
    names = _Names(rng)
    college = organisation.kind == OrganisationKind.COLLEGE
    external_form = STUDENT_MENTEE_FORMS.get(organisation.kind)

    students = round(organisation.students_count * rng.uniform(0.52, 0.70))
    teachers = round(organisation.teachers_count * rng.uniform(0.60, 0.80))
    externals = round(organisation.students_count * rng.uniform(0.01, 0.03)) if external_form else 0
    student_mentors = 0 if college else round(students * rng.uniform(0.08, 0.14))
    teacher_mentees = round(teachers * rng.uniform(0.25, 0.40))
    teacher_teacher_mentors = math.ceil(teacher_mentees / 1.5) if teacher_mentees else 0
    teacher_student_mentors = max(0, teachers - teacher_mentees - teacher_teacher_mentors)
    student_mentees = students - student_mentors
    # Mentees by form: as many as the mentors of each form take, the rest with teachers.
    student_student = min(student_mentees, round(student_mentors * 1.8))
    employer_student = min(student_mentees - student_student, externals * 4)
    teacher_student = student_mentees - student_student - employer_student
    # Group size of a teacher's «учитель – ученик» group: enough for about nine mentees in ten.
    group = (
        max(1, min(30, math.ceil(teacher_student * 0.92 / teacher_student_mentors))) if teacher_student_mentors else 1
    )

    def add(person: PlannedPerson) -> None:
        plan.people.append(person)

    def student(role: str, form: str, *, mentor: bool) -> PlannedPerson:
        ages = (15, 20) if college else (14, 17) if mentor else (7, 17)
        male, family, name, patronymic, born = names.draw(*_born_aged(*ages))
        age = full_years_between(born, YEAR_START)
        if college:
            class_name = f"ТО-{min(4, max(1, age - 15))}{rng.choice('12')}"
        else:
            class_name = (
                f"{min(11, max(1, age - 6))}{rng.choice('АБВГ' if organisation.students_count > 600 else 'АБ')}"
            )
        person = PlannedPerson(
            number=len(plan.people) + 1,
            kind=PersonKind.STUDENT,
            role=role,
            form=form,
            surname=_surname(family, male),
            name=name,
            patronymic=patronymic,
            birth_date=born,
            male=male,
            class_name=class_name,
            interests=", ".join(rng.sample(INTERESTS, 2)),
            consent_signed_on=_day_between(rng, YEAR_START, date(2026, 9, 30)),
        )
        if age < 18:
            parent_male = rng.random() < 0.25
            parent_name = rng.choice(MALE_NAMES if parent_male else FEMALE_NAMES)
            parent_patronymic = rng.choice(PATRONYMICS)[0 if parent_male else 1]
            person.parent_name = f"{_surname(family, parent_male)} {parent_name} {parent_patronymic}"
        return person

    for _ in range(student_mentors):
        person = student(BaseRole.MENTOR, MentorshipForm.STUDENT_STUDENT, mentor=True)
        person.mentor_kind, person.capacity = MentorKind.STUDENT, rng.choice((1, 1, 2, 2, 3))
        person.request = "Помогу с учёбой и адаптацией младшим ребятам"
        add(person)
    for form, count in (
        (MentorshipForm.STUDENT_STUDENT, student_student),
        (external_form, employer_student),
        (MentorshipForm.TEACHER_STUDENT, teacher_student),
    ):
        for _ in range(count):
            person = student(BaseRole.MENTEE, form, mentor=False)
            person.mentee_category = rng.choices(MenteeCategory.for_students(), weights=(3, 3, 1, 1, 1, 2))[0]
            person.request = MENTEE_REQUESTS[person.mentee_category]
            add(person)

    def teacher(role: str, form: str, *, young: bool) -> PlannedPerson:
        male, family, name, patronymic, born = names.draw(*(_born_aged(22, 30) if young else _born_aged(26, 66)))
        age = full_years_between(born, YEAR_START)
        service_years = rng.randint(0, 2) if young else rng.randint(3, max(3, age - 22))
        subject = rng.choice(SUBJECTS)
        position = "учитель начальных классов" if subject == "начальные классы" else f"учитель ({subject})"
        return PlannedPerson(
            number=len(plan.people) + 1,
            kind=PersonKind.TEACHER,
            role=role,
            form=form,
            surname=_surname(family, male),
            name=name,
            patronymic=patronymic,
            birth_date=born,
            male=male,
            position="преподаватель" if college else position,
            subject=subject,
            service_start=date(YEAR_START.year - service_years, 9, 1),
            interests=", ".join(rng.sample(INTERESTS, 2)),
            consent_signed_on=_day_between(rng, YEAR_START, date(2026, 9, 30)),
        )

    for _ in range(teacher_mentees):
        category = rng.choices(MenteeCategory.for_teachers(), weights=(5, 2, 2, 2))[0]
        person = teacher(
            BaseRole.MENTEE, MentorshipForm.TEACHER_TEACHER, young=category == MenteeCategory.YOUNG_SPECIALIST
        )
        person.mentee_category, person.request = category, MENTEE_REQUESTS[category]
        add(person)
    for form, count, capacity in (
        (MentorshipForm.TEACHER_TEACHER, teacher_teacher_mentors, (1, 2)),
        (MentorshipForm.TEACHER_STUDENT, teacher_student_mentors, (max(1, group - 2), min(30, group + 2))),
    ):
        for _ in range(count):
            person = teacher(BaseRole.MENTOR, form, young=False)
            person.mentor_kind = MentorKind.VETERAN if person.birth_date.year < 1961 else MentorKind.TEACHER
            person.capacity, person.request = rng.randint(*capacity), rng.choice(MENTOR_REQUESTS)
            add(person)

    for _ in range(externals):
        male, family, name, patronymic, born = names.draw(*_born_aged(19, 60))
        # The employer forms take employees, entrepreneurs and public figures only.
        kind = rng.choices((MentorKind.EMPLOYEE, MentorKind.PUBLIC_FIGURE), (4, 1))[0]
        add(
            PlannedPerson(
                number=len(plan.people) + 1,
                kind=PersonKind.EXTERNAL,
                role=BaseRole.MENTOR,
                form=external_form,
                surname=_surname(family, male),
                name=name,
                patronymic=patronymic,
                birth_date=born,
                male=male,
                workplace=rng.choice(WORKPLACES),
                interests=", ".join(rng.sample(INTERESTS, 2)),
                mentor_kind=kind,
                capacity=rng.randint(2, 6),
                request="Расскажу о профессии и проведу экскурсию на производство",
                consent_signed_on=_day_between(rng, YEAR_START, date(2026, 9, 30)),
            )
        )
    return plan


def _chunks(items: Sequence, size: int) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def people_step(ctx: ScaleContext) -> tuple[int, int]:
    """Participants with their base entry and consent; external mentors with an agreement."""
    created = existing = 0
    for organisations in _chunks(ctx.organisations, ORGANISATIONS_PER_CHUNK):
        taken = set(
            Person.objects.filter(organisation__in=organisations)
            .exclude(external_id="")
            .values_list("organisation_id", "external_id")
        )
        people: list[dict] = []
        planned: list[PlannedPerson] = []
        for organisation in organisations:
            plan = organisation_plan(ctx, organisation)
            for item in plan.people:
                external_id = plan.external_id(item)
                if (organisation.pk, external_id) in taken:
                    existing += 1
                    continue
                planned.append(item)
                people.append(
                    {
                        "organisation_id": organisation.pk,
                        "kind": item.kind,
                        "surname": item.surname,
                        "name": item.name,
                        "patronymic": item.patronymic,
                        "birth_date": item.birth_date,
                        "external_id": external_id,
                        "class_name": item.class_name,
                        "position": item.position,
                        "subject": item.subject,
                        "service_start": item.service_start,
                        "workplace": item.workplace,
                        "interests": item.interests,
                    }
                )
        pks = rows_insert(Person, people)
        entries, consents, agreements = [], [], []
        for pk, person, item in zip(pks, people, planned, strict=True):
            organisation_id = person["organisation_id"]
            entries.append(
                {
                    "organisation_id": organisation_id,
                    "person_id": pk,
                    "school_year": SCHOOL_YEAR,
                    "role": item.role,
                    "mentee_category": item.mentee_category,
                    "mentor_kind": item.mentor_kind,
                    "form": item.form,
                    "request": item.request,
                    "capacity": item.capacity,
                }
            )
            minor = full_years_between(item.birth_date, item.consent_signed_on) < 18
            consents.append(
                {
                    "organisation_id": organisation_id,
                    "person_id": pk,
                    "signer": ConsentSigner.PARENT if minor else ConsentSigner.SELF,
                    "signer_name": item.parent_name if minor else "",
                    "signed_on": item.consent_signed_on,
                }
            )
            if item.kind == PersonKind.EXTERNAL:
                agreements.append(
                    {
                        "organisation_id": organisation_id,
                        "person_id": pk,
                        "number": f"Н-{item.number}",
                        "signed_on": item.consent_signed_on,
                        "valid_until": date(2027, 8, 31),
                    }
                )
        rows_insert(BaseEntry, entries)
        rows_insert(Consent, consents)
        rows_insert(CooperationAgreement, agreements)
        created += len(people)
    return created, existing


def _forms_of(organisation: Organisation) -> list[str]:
    forms = [MentorshipForm.TEACHER_TEACHER, MentorshipForm.TEACHER_STUDENT]
    if organisation.kind == OrganisationKind.SCHOOL:
        forms.insert(0, MentorshipForm.STUDENT_STUDENT)
    if organisation.kind in STUDENT_MENTEE_FORMS:
        forms.append(STUDENT_MENTEE_FORMS[organisation.kind])
    return forms


def programmes_step(ctx: ScaleContext) -> tuple[int, int]:
    """One programme per form the organisation works in; about one in twenty published to the bank."""
    created = existing = 0
    for organisations in _chunks(ctx.organisations, ORGANISATIONS_PER_CHUNK * 5):
        taken = set(
            Programme.objects.filter(organisation__in=organisations, school_year=SCHOOL_YEAR).values_list(
                "organisation_id", "title"
            )
        )
        planned = []
        for organisation in organisations:
            rng = ctx.rng(f"programmes:{_local_code(ctx, organisation)}")
            for form in _forms_of(organisation):
                title, goals = PROGRAMME_TEXTS[form]
                published = rng.random() < 0.05
                if (organisation.pk, title) in taken:
                    existing += 1
                    continue
                planned.append(
                    {
                        "organisation_id": organisation.pk,
                        "title": title,
                        "form": form,
                        "goals": goals,
                        "expected_results": "Рост образовательных результатов и вовлечённости участников.",
                        "duration_months": 9,
                        "school_year": SCHOOL_YEAR,
                        "is_published": published,
                        "is_good_practice": published and rng.random() < 0.3,
                    }
                )
        rows_insert(Programme, planned)
        created += len(planned)
    return created, existing


@dataclass
class _Group:
    status: str
    started_on: date
    mentor: int
    mentees: list[int]


def _groups(rng: random.Random, mentors: list[tuple[int, int]], mentees: list[int]) -> list[_Group]:
    """Mentors (pk, capacity) filled with mentees in order; about one mentee in ten waits unpaired."""
    waiting = max(1, round(len(mentees) * rng.uniform(0.06, 0.12))) if mentees else 0
    queue = mentees[: len(mentees) - waiting]
    groups = []
    for mentor, capacity in mentors:
        if not queue:
            break
        taken, queue = queue[:capacity], queue[capacity:]
        draw = rng.random()
        status = PairStatus.FORMING if draw < 0.12 else PairStatus.COMPLETED if draw < 0.20 else PairStatus.ACTIVE
        if status == PairStatus.FORMING:
            started_on = _day_between(rng, date(2026, 11, 24), date(2026, 12, 7))
        else:
            started_on = _day_between(rng, date(2026, 10, 1), date(2026, 10, 20))
        groups.append(_Group(status=status, started_on=started_on, mentor=mentor, mentees=taken))
    return groups


def pairs_step(ctx: ScaleContext) -> tuple[int, int]:
    """Pairs and groups per programme from the bases, with their members and a few meetings.

    An organisation that already has pairs this school year is left as it is.
    """
    created = existing = 0
    for organisations in _chunks(ctx.organisations, ORGANISATIONS_PER_CHUNK):
        done = set(
            Pair.objects.filter(organisation__in=organisations, school_year=SCHOOL_YEAR)
            .values_list("organisation_id", flat=True)
            .distinct()
        )
        existing += Pair.objects.filter(organisation_id__in=done, school_year=SCHOOL_YEAR).count()
        todo = [o for o in organisations if o.pk not in done]
        if not todo:
            continue
        programmes = {
            (p.organisation_id, p.form): p
            for p in Programme.objects.filter(organisation__in=todo, school_year=SCHOOL_YEAR).order_by("pk")
        }
        # Everyone in this year's bases, in the order of their natural key, so that the draw is stable.
        bases: dict[tuple[int, str, str], list[tuple[int, int]]] = defaultdict(list)
        for organisation_id, person_id, role, form, capacity in (
            BaseEntry.objects.filter(organisation__in=todo, school_year=SCHOOL_YEAR, is_active=True)
            .order_by("organisation_id", "person__external_id")
            .values_list("organisation_id", "person_id", "role", "form", "capacity")
        ):
            bases[organisation_id, form, role].append((person_id, capacity))

        pairs: list[dict] = []
        plans: list[tuple[_Group, list[dict]]] = []
        for organisation in todo:
            rng = ctx.rng(f"pairs:{_local_code(ctx, organisation)}")
            number = 0
            for form in _forms_of(organisation):
                programme = programmes.get((organisation.pk, form))
                if programme is None:
                    continue
                mentees = [pk for pk, _ in bases[organisation.pk, form, BaseRole.MENTEE]]
                for group in _groups(rng, bases[organisation.pk, form, BaseRole.MENTOR], mentees):
                    number += 1
                    completed = group.status == PairStatus.COMPLETED
                    pair = {
                        "organisation_id": organisation.pk,
                        "programme_id": programme.pk,
                        "form": form,
                        "title": f"Группа «{MentorshipForm(form).label}» № {number}" if len(group.mentees) > 1 else "",
                        "school_year": SCHOOL_YEAR,
                        "stage": STAGE_OF[group.status],
                        "status": group.status,
                        "started_on": group.started_on,
                        "planned_end": date(2027, 5, 31),
                        "ended_on": _day_between(rng, date(2026, 11, 2), date(2026, 11, 20)) if completed else None,
                        "planned_meetings": None if group.status == PairStatus.FORMING else rng.randint(8, 16),
                        "results": "Цели индивидуального плана достигнуты." if completed else "",
                        "reflection": "Наставляемый отмечает рост уверенности и интереса к учёбе." if completed else "",
                        "confirmed_on": None if group.status == PairStatus.FORMING else group.started_on,
                    }
                    pairs.append(pair)
                    plans.append((group, _meetings(rng, pair)))
        pks = rows_insert(Pair, pairs)

        members, meetings = [], []
        for pk, pair, (group, pair_meetings) in zip(pks, pairs, plans, strict=True):
            for person_id, role in [(group.mentor, BaseRole.MENTOR), *((m, BaseRole.MENTEE) for m in group.mentees)]:
                members.append(
                    {
                        "pair_id": pk,
                        "person_id": person_id,
                        "programme_id": pair["programme_id"],
                        "role": role,
                        "joined_on": pair["started_on"],
                        "left_on": pair["ended_on"],
                    }
                )
            meetings.extend({**meeting, "pair_id": pk} for meeting in pair_meetings)
        rows_insert(PairMember, members)
        rows_insert(Meeting, meetings)
        created += len(pairs)
    return created, existing


STAGE_OF = {PairStatus.FORMING: Stage.PAIRING, PairStatus.ACTIVE: Stage.WORK, PairStatus.COMPLETED: Stage.COMPLETION}


def _meetings(rng: random.Random, pair: dict) -> list[dict]:
    """A few meetings: the introduction planned for a forming pair; the first ones held for the others."""
    started_on, ended_on, status = pair["started_on"], pair["ended_on"], pair["status"]
    if status == PairStatus.FORMING:
        return [{"kind": MeetingKind.INTRO, "planned_on": started_on, "topic": "Знакомство"}]
    kinds = [(MeetingKind.INTRO, "Знакомство"), (MeetingKind.TRIAL, "Пробная встреча")]
    kinds += [(MeetingKind.PLANNING, "План работы на год")] if rng.random() < 0.6 else []
    if status == PairStatus.COMPLETED:
        kinds.append((MeetingKind.FINAL, "Подведение итогов"))
    result = []
    day = started_on
    for index, (kind, topic) in enumerate(kinds):
        day = day + timedelta(days=7 * index)
        if ended_on is not None and (kind == MeetingKind.FINAL or day > ended_on):
            day = ended_on
        result.append(
            {
                "kind": kind,
                "planned_on": day,
                "held_on": day,
                "topic": topic,
                "mentor_rating": rng.randint(6, 10),
                "mentee_rating": rng.randint(6, 10),
            }
        )
    if status == PairStatus.ACTIVE:
        planned_on = _day_between(rng, TODAY + timedelta(days=1), TODAY + timedelta(days=14))
        result.append({"kind": MeetingKind.REGULAR, "planned_on": planned_on, "topic": "Регулярная встреча"})
    return result


# (name, Russian label, step) in the order they run: the pairs are drawn from the people and programmes.
STEPS: list[tuple[str, str, Step]] = [
    ("participants_programmes", "программы наставничества", programmes_step),
    ("participants_people", "участники, базы и согласия", people_step),
    ("participants_pairs", "пары, группы и встречи", pairs_step),
]
