"""factory_boy factories for participants, and the personas' world with a few people at schools A1 and B1.

Dates default to the school year 2026/2027 («today» is 23.11.2026): consents signed on 1.09.2026,
pairs started on 1.10.2026. A ``PersonFactory`` is a 15-year-old student unless a trait says
otherwise (``teacher``, ``young_teacher``, ``external``, ``adult_student``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import factory
from factory.django import DjangoModelFactory

from mentorship.tests.factories import OrganisationFactory, World, build_world
from participants.choices import (
    BaseRole,
    ConsentSigner,
    MeetingKind,
    MenteeCategory,
    MentorKind,
    MentorshipForm,
    PairStatus,
    PersonKind,
    QuestionKind,
    QuestionnaireAudience,
    QuestionnaireMoment,
    Stage,
)
from participants.models import (
    BaseEntry,
    Consent,
    CooperationAgreement,
    DevelopmentPlan,
    MatchRun,
    Meeting,
    Pair,
    PairMember,
    Person,
    PlanTask,
    Programme,
    Question,
    Questionnaire,
)

TODAY = date(2026, 11, 23)
SCHOOL_YEAR = 2026
CONSENT_SIGNED_ON = date(2026, 9, 1)
PAIR_STARTED_ON = date(2026, 10, 1)


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    class Params:
        teacher = factory.Trait(
            kind=PersonKind.TEACHER,
            birth_date=date(1980, 4, 12),
            class_name="",
            position="учитель",
            subject="математика",
            service_start=date(2003, 9, 1),
        )
        young_teacher = factory.Trait(
            kind=PersonKind.TEACHER,
            birth_date=date(2001, 2, 3),
            class_name="",
            position="учитель",
            subject="русский язык",
            service_start=date(2025, 9, 1),
        )
        external = factory.Trait(
            kind=PersonKind.EXTERNAL,
            birth_date=date(1975, 6, 30),
            class_name="",
            workplace="ООО «Агрокомплекс Уфимский», главный инженер",
        )
        adult_student = factory.Trait(birth_date=date(2007, 5, 20), class_name="11А")

    organisation = factory.SubFactory(OrganisationFactory)
    kind = PersonKind.STUDENT
    surname = factory.Sequence(lambda n: f"Иванов{n}")
    name = "Пётр"
    patronymic = "Сергеевич"
    birth_date = date(2011, 3, 15)
    class_name = "9А"
    email = factory.Sequence(lambda n: f"person{n}@example.ru")
    phone = "+7 (347) 200-00-01"
    interests = "шахматы, робототехника"


class BaseEntryFactory(DjangoModelFactory):
    """A mentee's entry in the 2026/2027 base of the person's organisation; the ``mentor`` trait for a mentor's."""

    class Meta:
        model = BaseEntry

    class Params:
        mentor = factory.Trait(role=BaseRole.MENTOR, mentee_category="", mentor_kind=MentorKind.TEACHER, capacity=2)

    person = factory.SubFactory(PersonFactory)
    organisation = factory.LazyAttribute(lambda o: o.person.organisation)
    school_year = SCHOOL_YEAR
    role = BaseRole.MENTEE
    mentee_category = MenteeCategory.LOW_RESULTS
    mentor_kind = ""
    request = "Подтянуть математику к ОГЭ"
    capacity = 1


class ConsentFactory(DjangoModelFactory):
    """A valid consent: signed by the person if adult on ``signed_on``, by a parent otherwise."""

    class Meta:
        model = Consent

    person = factory.SubFactory(PersonFactory)
    organisation = factory.LazyAttribute(lambda o: o.person.organisation)
    signed_on = CONSENT_SIGNED_ON
    signer = factory.LazyAttribute(
        lambda o: ConsentSigner.PARENT if o.person.is_minor_on(o.signed_on) else ConsentSigner.SELF
    )
    signer_name = factory.LazyAttribute(
        lambda o: f"{o.person.surname}а Ольга Николаевна" if o.signer != ConsentSigner.SELF else ""
    )


class CooperationAgreementFactory(DjangoModelFactory):
    class Meta:
        model = CooperationAgreement

    person = factory.SubFactory(PersonFactory, external=True)
    organisation = factory.LazyAttribute(lambda o: o.person.organisation)
    number = factory.Sequence(lambda n: f"{n + 1}/С")
    signed_on = CONSENT_SIGNED_ON


class ProgrammeFactory(DjangoModelFactory):
    class Meta:
        model = Programme

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Программа наставничества «Шаг вперёд» № {n}")
    form = MentorshipForm.TEACHER_STUDENT
    goals = "Повышение образовательных результатов наставляемых"
    school_year = SCHOOL_YEAR


class PairFactory(DjangoModelFactory):
    """A forming pair of the programme's organisation; ``mentors=[…]`` and ``mentees=[…]`` add members."""

    class Meta:
        model = Pair
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    organisation = factory.LazyAttribute(lambda o: o.programme.organisation)
    form = factory.LazyAttribute(lambda o: o.programme.form)
    school_year = factory.LazyAttribute(lambda o: o.programme.school_year)
    stage = Stage.PAIRING
    status = PairStatus.FORMING
    started_on = PAIR_STARTED_ON

    @factory.post_generation
    def mentors(obj: Pair, create: bool, extracted: Iterable[Person] | None, **kwargs: Any) -> None:
        add_members(obj, BaseRole.MENTOR, extracted or ())

    @factory.post_generation
    def mentees(obj: Pair, create: bool, extracted: Iterable[Person] | None, **kwargs: Any) -> None:
        add_members(obj, BaseRole.MENTEE, extracted or ())


def add_members(pair: Pair, role: BaseRole, people: Iterable[Person]) -> list[PairMember]:
    return [
        PairMember.objects.create(
            pair=pair, person=person, programme=pair.programme, role=role, joined_on=pair.started_on
        )
        for person in people
    ]


class PairMemberFactory(DjangoModelFactory):
    class Meta:
        model = PairMember

    pair = factory.SubFactory(PairFactory)
    person = factory.SubFactory(PersonFactory, organisation=factory.SelfAttribute("..pair.organisation"))
    programme = factory.LazyAttribute(lambda o: o.pair.programme)
    role = BaseRole.MENTEE
    joined_on = factory.LazyAttribute(lambda o: o.pair.started_on)


class DevelopmentPlanFactory(DjangoModelFactory):
    class Meta:
        model = DevelopmentPlan

    pair = factory.SubFactory(PairFactory)
    mentee = factory.SubFactory(PersonFactory, organisation=factory.SelfAttribute("..pair.organisation"))
    goals = "Выйти на оценку «4» по алгебре"


class PlanTaskFactory(DjangoModelFactory):
    class Meta:
        model = PlanTask

    plan = factory.SubFactory(DevelopmentPlanFactory)
    title = factory.Sequence(lambda n: f"Задача № {n + 1}")
    deadline = date(2026, 12, 25)


class MeetingFactory(DjangoModelFactory):
    """A planned introductory meeting; give ``held_on`` for a held one."""

    class Meta:
        model = Meeting

    pair = factory.SubFactory(PairFactory)
    kind = MeetingKind.INTRO
    planned_on = date(2026, 10, 5)
    topic = "Знакомство"


class QuestionnaireFactory(DjangoModelFactory):
    """An organisation's entry questionnaire for mentees; ``organisation=None`` for a shared template."""

    class Meta:
        model = Questionnaire

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Анкета наставляемого на входе № {n}")
    audience = QuestionnaireAudience.MENTEE
    moment = QuestionnaireMoment.ENTRY


class QuestionFactory(DjangoModelFactory):
    class Meta:
        model = Question

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    position = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Насколько полезными были встречи? ({n})")
    kind = QuestionKind.SCALE


class MatchRunFactory(DjangoModelFactory):
    class Meta:
        model = MatchRun

    programme = factory.SubFactory(ProgrammeFactory)
    organisation = factory.LazyAttribute(lambda o: o.programme.organisation)


def enrolled(role: BaseRole = BaseRole.MENTEE, *, consent: bool = True, **person: Any) -> Person:
    """A person in their organisation's 2026/2027 base (``role``) with a valid consent unless ``consent=False``."""
    if role == BaseRole.MENTOR and not {"teacher", "young_teacher", "external", "adult_student"} & set(person):
        person["teacher"] = True
    someone = PersonFactory(**person)
    BaseEntryFactory(person=someone, mentor=role == BaseRole.MENTOR)
    if consent:
        ConsentFactory(person=someone)
    return someone


def build_participants_world() -> World:
    """The mentorship world plus, in 2026/2027, at school A1: a teacher mentor (capacity 2) and two
    student mentees with parents' consents, a programme «учитель – ученик» and a programme
    «ученик – ученик»; at school B1: a student with consent and a programme."""
    world = build_world()
    o = world.objects
    a1, b1 = o["organisation_a1"], o["organisation_b1"]
    o["mentor_a1_person"] = enrolled(BaseRole.MENTOR, organisation=a1, surname="Петрова", name="Анна")
    o["mentee_a1_person"] = enrolled(organisation=a1, surname="Сидоров", name="Илья")
    o["mentee_a1_second"] = enrolled(organisation=a1, surname="Кузнецова", name="Мария")
    o["student_b1_person"] = enrolled(organisation=b1, surname="Белов", name="Роман")
    o["programme_a1"] = ProgrammeFactory(organisation=a1, title="Учитель – ученик: «Шаг к успеху»")
    o["programme_a1_peer"] = ProgrammeFactory(
        organisation=a1, title="Ученик – ученик: «Вместе»", form=MentorshipForm.STUDENT_STUDENT
    )
    o["programme_b1"] = ProgrammeFactory(organisation=b1, title="Учитель – ученик: «Белорецк»")
    return world
