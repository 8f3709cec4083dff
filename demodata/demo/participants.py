"""Demo participants for ``load_demo``: the Хосрехская school of seed 003 and a Большемуртинская school.

Run by ``load_demo`` after the hierarchy, the personas and the seed roadmaps. Everything goes
through ``participants.services`` (and ``matching`` is left to the curator), acting as the
school's curator, so that the demo keeps the same rules as the browser:

- the shared questionnaires every school uses (created by the administrator): the selection
  questionnaires for mentors and mentees that feed the matching, and the entry and exit
  questionnaires of the methodological recommendations to Р-145 (1–10 scales of expected and
  actual effectiveness, comfort of communication, usefulness of meetings, clarity of tasks,
  feeling supported; what was valuable and what was missing; would one continue or recommend);
- per school: programmes in the forms its Положение names («Ученик – ученик», «Учитель – учитель»,
  «Учитель – ученик»; in Большая Мурта also «Работодатель – ученик»), mentors and mentees with
  their requests and consents (a parent signs for a minor), an external mentor with a
  co-operation agreement, pairs and groups at different stages with their meetings, a development
  plan, filled questionnaires, and mentees left without a pair so that the matching screen has work.

The people are invented; none is taken from the seeds. Idempotent: a school whose first demo
programme exists already is skipped, and a shared questionnaire is created only when missing, so
a second run writes nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from accounts.two_factor import DEMO_EXEMPTION_REASON, two_factor_exemption_ensure
from demodata.demo import DemoReport
from demodata.demo.directory import DEMO_FIXTURE, DEMO_REASON
from mentorship.models import Organisation, User
from mentorship.services import object_update, user_ensure
from participants import services
from participants.choices import (
    BaseRole,
    ConsentSigner,
    MatchingFeature,
    MeetingKind,
    MenteeCategory,
    MentorKind,
    MentorshipForm,
    PersonKind,
    QuestionKind,
    QuestionnaireAudience,
    QuestionnaireMoment,
)
from participants.models import Pair, Person, Programme, Questionnaire, full_years_between

SCHOOL_YEAR = 2026
CONSENT_SIGNED_ON = date(2026, 9, 7)
PAIRS_STARTED_ON = date(2026, 9, 21)
PAIRS_CONFIRMED_ON = date(2026, 9, 25)  # the director's order «Об утверждении наставнических пар/групп»

# --- Shared questionnaires ----------------------------------------------------------------------

FREQUENCY = "Раз в неделю\nРаз в две недели\nРаз в месяц"
YES_NO = "Да\nНет\nЗатрудняюсь ответить"
TIMES = "После уроков в будни\nНа большой перемене\nВ выходные\nОнлайн по вечерам"

#: (title, audience, moment, questions); a question is (text, kind, options, feature).
SHARED_QUESTIONNAIRES: tuple[tuple[str, str, str, tuple[tuple[str, str, str, str], ...]], ...] = (
    (
        "Анкета наставника для подбора пар",
        QuestionnaireAudience.MENTOR,
        QuestionnaireMoment.SELECTION,
        (
            ("Чем вы увлекаетесь?", QuestionKind.TEXT, "", MatchingFeature.INTERESTS),
            ("В каком предмете или области вы можете помочь?", QuestionKind.TEXT, "", MatchingFeature.SUBJECT),
            ("Когда вам удобно встречаться?", QuestionKind.CHOICE, TIMES, MatchingFeature.AVAILABILITY),
            ("Чем вы хотите поделиться с наставляемым?", QuestionKind.TEXT, "", MatchingFeature.GOALS),
        ),
    ),
    (
        "Анкета наставляемого для подбора пар",
        QuestionnaireAudience.MENTEE,
        QuestionnaireMoment.SELECTION,
        (
            ("Чем вы увлекаетесь?", QuestionKind.TEXT, "", MatchingFeature.INTERESTS),
            ("С каким предметом или в какой области нужна помощь?", QuestionKind.TEXT, "", MatchingFeature.SUBJECT),
            ("Когда вам удобно встречаться?", QuestionKind.CHOICE, TIMES, MatchingFeature.AVAILABILITY),
            ("Чего вы ждёте от наставника?", QuestionKind.TEXT, "", MatchingFeature.GOALS),
        ),
    ),
    (
        "Анкета наставляемого на входе в программу",
        QuestionnaireAudience.MENTEE,
        QuestionnaireMoment.ENTRY,
        (
            ("Насколько эффективной вы ожидаете работу с наставником?", QuestionKind.SCALE, "", ""),
            ("Насколько комфортным вы ожидаете общение с наставником?", QuestionKind.SCALE, "", ""),
            ("Насколько вам понятны задачи программы?", QuestionKind.SCALE, "", ""),
            ("Насколько вы чувствуете поддержку в школе сейчас?", QuestionKind.SCALE, "", ""),
            ("Как часто вы хотели бы встречаться с наставником?", QuestionKind.CHOICE, FREQUENCY, ""),
            ("Чего вы ждёте от программы?", QuestionKind.TEXT, "", ""),
        ),
    ),
    (
        "Анкета наставляемого на выходе из программы",
        QuestionnaireAudience.MENTEE,
        QuestionnaireMoment.EXIT,
        (
            ("Насколько эффективной оказалась работа с наставником?", QuestionKind.SCALE, "", ""),
            ("Насколько комфортным было общение с наставником?", QuestionKind.SCALE, "", ""),
            ("Насколько полезными были встречи?", QuestionKind.SCALE, "", ""),
            ("Насколько понятными были задачи?", QuestionKind.SCALE, "", ""),
            ("Насколько вы чувствовали поддержку наставника?", QuestionKind.SCALE, "", ""),
            ("Как часто проходили встречи?", QuestionKind.CHOICE, FREQUENCY, ""),
            ("Что было самым ценным?", QuestionKind.TEXT, "", ""),
            ("Чего не хватило?", QuestionKind.TEXT, "", ""),
            ("Хотели бы вы продолжить работу в программе?", QuestionKind.CHOICE, YES_NO, ""),
            ("Порекомендуете ли вы программу друзьям?", QuestionKind.CHOICE, YES_NO, ""),
        ),
    ),
    (
        "Анкета наставника на входе в программу",
        QuestionnaireAudience.MENTOR,
        QuestionnaireMoment.ENTRY,
        (
            ("Насколько эффективной вы ожидаете работу с наставляемым?", QuestionKind.SCALE, "", ""),
            ("Насколько комфортным вы ожидаете общение с наставляемым?", QuestionKind.SCALE, "", ""),
            ("Насколько вам понятны задачи программы?", QuestionKind.SCALE, "", ""),
            ("Как часто вы готовы встречаться с наставляемым?", QuestionKind.CHOICE, FREQUENCY, ""),
        ),
    ),
    (
        "Анкета наставника на выходе из программы",
        QuestionnaireAudience.MENTOR,
        QuestionnaireMoment.EXIT,
        (
            ("Насколько эффективной оказалась работа с наставляемым?", QuestionKind.SCALE, "", ""),
            ("Насколько комфортным было общение с наставляемым?", QuestionKind.SCALE, "", ""),
            ("Насколько полезными были встречи?", QuestionKind.SCALE, "", ""),
            ("Насколько вы чувствовали поддержку куратора?", QuestionKind.SCALE, "", ""),
            ("Что было самым ценным?", QuestionKind.TEXT, "", ""),
            ("Чего не хватило?", QuestionKind.TEXT, "", ""),
            ("Хотели бы вы продолжить работу наставником?", QuestionKind.CHOICE, YES_NO, ""),
        ),
    ),
)
EXIT_ANSWERS = (
    *(9, 10, 9, 8, 10),
    "Раз в неделю",
    "Настоящее исследование и выступление на конференции",
    "Выездов в горы для наблюдений",
    "Да",
    "Да",
)
SELECTION = {
    BaseRole.MENTOR: "Анкета наставника для подбора пар",
    BaseRole.MENTEE: "Анкета наставляемого для подбора пар",
}

# --- Schools -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoProgramme:
    form: str
    title: str
    goals: str
    expected_results: str
    materials: str = ""
    is_published: bool = False
    is_good_practice: bool = False


@dataclass(frozen=True)
class DemoPerson:
    """A participant: who they are, which base and form, and the answers of their selection questionnaire."""

    key: str
    role: str
    form: str
    kind: str
    surname: str
    name: str
    patronymic: str
    birth_date: date
    category_or_kind: str  # the mentee category or the mentor kind
    request: str
    class_name: str = ""
    position: str = ""
    subject: str = ""
    service_start: date | None = None
    workplace: str = ""
    interests: str = ""
    capacity: int = 1
    availability: str = ""
    parent: str = ""  # who signs a minor's consent
    user: str = ""  # the demo persona who is this person
    parent_user: str = ""  # the demo account of a minor's parent, who sees the child's pairs
    selection: tuple[str, str, str, str] | None = None  # interests, subject, time, goals


@dataclass(frozen=True)
class DemoPair:
    """A pair or group: its programme's form, members by key, and how far it went."""

    form: str
    mentor: str
    mentees: tuple[str, ...]
    status: str  # "forming", "active" or "completed"
    title: str = ""
    planned_meetings: int = 10
    goals: str = ""
    results: str = ""
    reflection: str = ""


@dataclass(frozen=True)
class DemoSchool:
    code: str
    curator: str
    programmes: tuple[DemoProgramme, ...]
    people: tuple[DemoPerson, ...]
    pairs: tuple[DemoPair, ...]


SS, TT, TS, ES = (
    MentorshipForm.STUDENT_STUDENT,
    MentorshipForm.TEACHER_TEACHER,
    MentorshipForm.TEACHER_STUDENT,
    MentorshipForm.EMPLOYER_STUDENT,
)
MENTOR, MENTEE = BaseRole.MENTOR, BaseRole.MENTEE
STUDENT, TEACHER, EXTERNAL = PersonKind.STUDENT, PersonKind.TEACHER, PersonKind.EXTERNAL
AFTER_SCHOOL = "После уроков в будни"

KHOSREH_PROGRAMMES = (
    DemoProgramme(
        SS,
        "Программа наставничества по форме «Ученик – ученик»",
        "Помощь обучающимся с низкими образовательными результатами и не включённым в жизнь школы: "
        "подготовка домашних заданий, адаптация в коллективе, участие в школьных делах.",
        "Повышение успеваемости и вовлечённости наставляемых; развитие лидерских качеств наставников.",
        "Памятка наставника-ученика\nПлан встреч на учебный год",
    ),
    DemoProgramme(
        TT,
        "Программа наставничества по форме «Учитель – учитель»",
        "Адаптация молодых специалистов в школе, помощь в планировании уроков и работе с родителями; "
        "освоение цифровых образовательных ресурсов педагогами.",
        "Молодой специалист закрепляется в школе; педагоги уверенно работают с электронным журналом.",
        "Положение о наставничестве МКОУ «Хосрехская СОШ им. Ахмедова Т.А»\nИндивидуальный план развития",
        is_published=True,
        is_good_practice=True,
    ),
    DemoProgramme(
        TS,
        "Программа наставничества по форме «Учитель – ученик»",
        "Раскрытие потенциала обучающихся с выдающимися способностями: подготовка к олимпиадам, "
        "проектная и исследовательская работа.",
        "Участие наставляемых в муниципальном и региональном этапах олимпиад, защита проектов.",
    ),
)

KHOSREH_PEOPLE = (
    # Teachers: mentors.
    DemoPerson(
        "omarova", MENTOR, TT, TEACHER, "Омарова", "Саида", "Расуловна", date(1979, 3, 14), MentorKind.TEACHER,
        "Поделюсь опытом планирования уроков и работы с родителями", position="учитель русского языка и литературы",
        subject="русский язык и литература", service_start=date(2001, 9, 1), capacity=2,
        interests="чтение, краеведение, театр", availability=AFTER_SCHOOL, user="mentor_khosreh",
    ),
    DemoPerson(
        "gadzhiev", MENTOR, TS, TEACHER, "Гаджиев", "Магомед", "Абдуллаевич", date(1974, 11, 2), MentorKind.TEACHER,
        "Готовлю к олимпиадам по математике, веду проектную работу", position="учитель математики",
        subject="математика", service_start=date(1997, 9, 1), capacity=4, interests="шахматы, олимпиады по математике",
        availability=AFTER_SCHOOL,
    ),
    DemoPerson(
        "kurbanova", MENTOR, TS, TEACHER, "Курбанова", "Аминат", "Шамиловна", date(1983, 6, 21), MentorKind.TEACHER,
        "Исследовательские проекты по биологии и экологии родного края", position="учитель биологии и химии",
        subject="биология", service_start=date(2006, 9, 1), capacity=2, interests="экология, краеведение, туризм",
        availability=AFTER_SCHOOL,
    ),
    DemoPerson(
        "isaev", MENTOR, TS, TEACHER, "Исаев", "Руслан", "Ибрагимович", date(1988, 1, 30), MentorKind.TEACHER,
        "Помогу с физикой и информатикой, робототехника", position="учитель физики и информатики",
        subject="физика", service_start=date(2011, 9, 1), capacity=2, interests="робототехника, программирование",
        availability=AFTER_SCHOOL,
        selection=("робототехника, программирование", "физика, информатика", AFTER_SCHOOL,
                   "подготовка к олимпиаде по физике, проекты по робототехнике"),
    ),
    # Teachers: mentees.
    DemoPerson(
        "alieva_m", MENTEE, TT, TEACHER, "Алиева", "Мадина", "Руслановна", date(2002, 8, 9),
        MenteeCategory.YOUNG_SPECIALIST, "Освоить планирование уроков и работу с родителями",
        position="учитель английского языка", subject="английский язык", service_start=date(2025, 9, 1),
        interests="английский язык, музыка", user="mentee_khosreh",
    ),
    DemoPerson(
        "magomedova", MENTEE, TT, TEACHER, "Магомедова", "Хадижат", "Омаровна", date(1970, 4, 17), MenteeCategory.ICT,
        "Освоить электронный журнал и цифровые образовательные ресурсы", position="учитель начальных классов",
        subject="начальные классы", service_start=date(1992, 9, 1), interests="рукоделие, чтение",
    ),
    # Students: mentors («ученик – ученик»).
    DemoPerson(
        "abakarov", MENTOR, SS, STUDENT, "Абакаров", "Шамиль", "Муратович", date(2010, 2, 11), MentorKind.STUDENT,
        "Помогу с математикой и домашними заданиями", class_name="10А", capacity=1, interests="футбол, математика",
        parent="Абакарова Заира Магомедовна",
    ),
    DemoPerson(
        "ramazanova", MENTOR, SS, STUDENT, "Рамазанова", "Патимат", "Алиевна", date(2009, 5, 23), MentorKind.STUDENT,
        "Вовлеку в школьные дела и волонтёрство", class_name="11А", capacity=1, interests="волонтёрство, журналистика",
        parent="Рамазанов Али Гасанович",
    ),
    DemoPerson(
        "suleymanov", MENTOR, SS, STUDENT, "Сулейманов", "Ислам", "Гаджиевич", date(2011, 7, 4), MentorKind.STUDENT,
        "Помогу с русским языком, позову в спортивную секцию", class_name="9А", capacity=1,
        interests="вольная борьба, история", parent="Сулейманова Марьям Ахмедовна", availability=AFTER_SCHOOL,
        selection=("вольная борьба, история", "русский язык", AFTER_SCHOOL, "помочь освоиться и подтянуть оценки"),
    ),
    # Students: mentees.
    DemoPerson(
        "gasanov", MENTEE, SS, STUDENT, "Гасанов", "Али", "Магомедович", date(2014, 9, 15), MenteeCategory.LOW_RESULTS,
        "Подтянуть математику, не бояться контрольных", class_name="6А", interests="футбол",
        parent="Гасанова Аминат Руслановна",
    ),
    DemoPerson(
        "ibragimova", MENTEE, SS, STUDENT, "Ибрагимова", "Зайнаб", "Руслановна", date(2015, 3, 3),
        MenteeCategory.DISENGAGED, "Найти занятие по душе и друзей в школе", class_name="5А", interests="рисование",
        parent="Ибрагимов Руслан Шамилович",
    ),
    DemoPerson(
        "musaev", MENTEE, TS, STUDENT, "Мусаев", "Ахмед", "Камилович", date(2012, 12, 1), MenteeCategory.GIFTED,
        "Подготовиться к муниципальному этапу олимпиады по математике", class_name="8А",
        interests="шахматы, математика", parent="Мусаева Саида Абдулаевна", parent_user="parent_khosreh",
    ),
    DemoPerson(
        "abdulaeva", MENTEE, TS, STUDENT, "Абдулаева", "Аминат", "Исаевна", date(2012, 10, 19), MenteeCategory.GIFTED,
        "Олимпиада по математике и проект по статистике", class_name="8А", interests="математика, чтение",
        parent="Абдулаев Иса Магомедович",
    ),
    DemoPerson(
        "omarov", MENTEE, TS, STUDENT, "Омаров", "Саид", "Арсенович", date(2013, 4, 27), MenteeCategory.GIFTED,
        "Исследовательский проект о растениях высокогорья", class_name="7А", interests="экология, туризм",
        parent="Омарова Джамиля Курбановна",
    ),
    # Left without a pair: the matching screen's work (Магомедова above too: Омарова already leads a pair
    # of the «Учитель – учитель» programme, and a person is in one open pair per programme).
    DemoPerson(
        "kurbanov", MENTEE, TS, STUDENT, "Курбанов", "Расул", "Маратович", date(2013, 8, 8), MenteeCategory.GIFTED,
        "Хочу собрать робота для соревнований", class_name="7А", interests="робототехника, программирование",
        parent="Курбанова Луиза Ибрагимовна", availability=AFTER_SCHOOL,
        selection=("робототехника, компьютеры", "физика, информатика", AFTER_SCHOOL, "научиться программировать"),
    ),
    DemoPerson(
        "magomedov_k", MENTEE, TS, STUDENT, "Магомедов", "Карим", "Ильясович", date(2011, 11, 12),
        MenteeCategory.GIFTED, "Подготовиться к олимпиаде по физике", class_name="9А", interests="физика, шахматы",
        parent="Магомедова Зарема Гасановна", availability=AFTER_SCHOOL,
        selection=("шахматы, физика", "физика", AFTER_SCHOOL, "подготовка к олимпиаде"),
    ),
    DemoPerson(
        "alieva_s", MENTEE, SS, STUDENT, "Алиева", "Сабина", "Тимуровна", date(2016, 1, 19), MenteeCategory.HARD_LIFE,
        "Поддержка и помощь с учёбой в трудный период", class_name="4А", interests="рисование, танцы",
        parent="Алиева Индира Магомедовна", availability=AFTER_SCHOOL,
        selection=("рисование, танцы", "русский язык", AFTER_SCHOOL, "помощь с домашними заданиями"),
    ),
    DemoPerson(
        "shamkhalov", MENTEE, SS, STUDENT, "Шамхалов", "Заур", "Русланович", date(2014, 6, 30),
        MenteeCategory.BEHAVIOUR,
        "Научиться договариваться и держать себя в руках", class_name="6А", interests="вольная борьба, история",
        parent="Шамхалова Патимат Гаджиевна", availability=AFTER_SCHOOL,
        selection=("вольная борьба, история", "история", AFTER_SCHOOL, "найти старшего друга"),
    ),
)  # fmt: skip

KHOSREH_PAIRS = (
    DemoPair(
        TT, "omarova", ("alieva_m",), "active", planned_meetings=12,
        goals="Освоить поурочное планирование по ФГОС; провести открытый урок; выстроить работу с родителями класса.",
    ),
    DemoPair(
        TS, "gadzhiev", ("musaev", "abdulaeva"), "active", title="Олимпиадная математика", planned_meetings=16,
        goals="Подготовка к муниципальному этапу всероссийской олимпиады школьников по математике.",
    ),
    DemoPair(
        TS, "kurbanova", ("omarov",), "completed", planned_meetings=6,
        results="Проект «Растения высокогорья Кулинского района» защищён на школьной научной конференции.",
        reflection="Наставляемый научился ставить цель исследования и вести дневник наблюдений.",
    ),
    DemoPair(SS, "abakarov", ("gasanov",), "active", planned_meetings=10),
    DemoPair(SS, "ramazanova", ("ibragimova",), "forming"),
)  # fmt: skip

MURTA_PROGRAMMES = (
    DemoProgramme(
        TT,
        "Программа наставничества по форме «Учитель – учитель»",
        "Сопровождение молодых педагогов со стажем до 3 лет: планирование, классное руководство, "
        "подготовка к аттестации.",
        "Молодые педагоги остаются в школе и проходят аттестацию.",
    ),
    DemoProgramme(
        ES,
        "Программа наставничества по форме «Работодатель – ученик»",
        "Профессиональная ориентация старшеклассников: знакомство с профессиями лесного хозяйства, "
        "экскурсии на предприятие, проект по заказу работодателя.",
        "Старшеклассники выбирают профиль обучения и профессию осознанно.",
    ),
    DemoProgramme(
        SS,
        "Программа наставничества по форме «Ученик – ученик»",
        "Адаптация пятиклассников к основной школе, помощь в учёбе.",
        "Пятиклассники быстрее привыкают к предметной системе и новому коллективу.",
    ),
)

MURTA_PEOPLE = (
    DemoPerson(
        "sidorova", MENTOR, TT, TEACHER, "Сидорова", "Людмила", "Ивановна", date(1968, 10, 5), MentorKind.VETERAN,
        "Поделюсь опытом классного руководства и подготовки к аттестации", position="учитель математики",
        subject="математика", service_start=date(1990, 9, 1), capacity=2, interests="садоводство, краеведение",
    ),
    DemoPerson(
        "zhukov", MENTEE, TT, TEACHER, "Жуков", "Артём", "Сергеевич", date(2001, 2, 14),
        MenteeCategory.YOUNG_SPECIALIST, "Освоить классное руководство и работу с родителями",
        position="учитель истории и обществознания", subject="история и обществознание",
        service_start=date(2024, 9, 1), interests="история, туризм",
    ),
    DemoPerson(
        "lebedeva", MENTEE, TT, TEACHER, "Лебедева", "Ксения", "Андреевна", date(2003, 7, 28),
        MenteeCategory.YOUNG_SPECIALIST, "Планирование уроков и подготовка к ОГЭ", position="учитель химии",
        subject="химия", service_start=date(2025, 9, 1), interests="химические опыты, фотография",
        availability=AFTER_SCHOOL,
        selection=("фотография, походы", "химия", AFTER_SCHOOL, "планирование уроков и подготовка к ОГЭ"),
    ),
    DemoPerson(
        "kuzmin", MENTOR, ES, EXTERNAL, "Кузьмин", "Виктор", "Павлович", date(1976, 5, 19), MentorKind.EMPLOYEE,
        "Расскажу о профессиях лесного хозяйства, проведу экскурсию на предприятие", capacity=3,
        workplace="Большемуртинское лесничество, участковый лесничий", interests="охота, лес, техника",
    ),
    DemoPerson(
        "frolov", MENTEE, ES, STUDENT, "Фролов", "Даниил", "Олегович", date(2010, 3, 12), MenteeCategory.GIFTED,
        "Хочу выбрать профессию, связанную с лесом и техникой", class_name="10Б", interests="техника, туризм",
        parent="Фролова Елена Викторовна",
    ),
    DemoPerson(
        "orlova", MENTEE, ES, STUDENT, "Орлова", "Полина", "Дмитриевна", date(2009, 12, 1), MenteeCategory.GIFTED,
        "Экология и лесное хозяйство: проект для поступления", class_name="11А", interests="экология, биология",
        parent="Орлов Дмитрий Николаевич",
    ),
    DemoPerson(
        "melnikov", MENTOR, SS, STUDENT, "Мельников", "Егор", "Алексеевич", date(2010, 9, 30), MentorKind.STUDENT,
        "Помогу пятиклассникам освоиться в школе", class_name="10А", capacity=2, interests="волейбол, программирование",
        parent="Мельникова Ольга Петровна",
    ),
    DemoPerson(
        "titova", MENTEE, SS, STUDENT, "Титова", "Варвара", "Ильинична", date(2015, 5, 6), MenteeCategory.DISENGAGED,
        "Найти друзей и кружок по душе", class_name="5Б", interests="рисование, танцы", parent="Титов Илья Сергеевич",
        availability=AFTER_SCHOOL,
        selection=("рисование, танцы", "русский язык", AFTER_SCHOOL, "найти друзей в новом классе"),
    ),
)  # fmt: skip

MURTA_PAIRS = (
    DemoPair(
        TT, "sidorova", ("zhukov",), "active", planned_meetings=10,
        goals="Классное руководство: план воспитательной работы, родительские собрания, портфолио к аттестации.",
    ),
    DemoPair(ES, "kuzmin", ("frolov", "orlova"), "active", title="Профессии леса", planned_meetings=8),
)  # fmt: skip

SCHOOLS = (
    DemoSchool("05-kulinsky-khosreh", "curator_khosreh", KHOSREH_PROGRAMMES, KHOSREH_PEOPLE, KHOSREH_PAIRS),
    DemoSchool("24-bolshemurtinsky-sosh-1", "curator_murta", MURTA_PROGRAMMES, MURTA_PEOPLE, MURTA_PAIRS),
)

# --- Loading -------------------------------------------------------------------------------------


def shared_questionnaires_load(admin: User) -> tuple[dict[str, Questionnaire], int]:
    """The shared questionnaires by title, creating the missing ones; returns them and how many were created."""
    existing = {q.title: q for q in Questionnaire.objects.filter(organisation__isnull=True)}
    created = 0
    for title, audience, moment, questions in SHARED_QUESTIONNAIRES:
        if title in existing:
            continue
        existing[title] = services.questionnaire_create(
            actor=admin,
            data={"organisation": None, "title": title, "audience": audience, "moment": moment},
            questions=[
                {"text": text, "kind": kind, "options": options, "feature": feature}
                for text, kind, options, feature in questions
            ],
        )
        created += 1
    return existing, created


def _answers(questionnaire: Questionnaire, values: tuple[Any, ...]) -> dict[int, Any]:
    return {
        question.pk: value for question, value in zip(questionnaire.questions.order_by("position"), values, strict=True)
    }


def _enrol(curator: User, school: Organisation, item: DemoPerson) -> Person:
    minor = full_years_between(item.birth_date, CONSENT_SIGNED_ON) < 18
    person = {
        "kind": item.kind,
        "surname": item.surname,
        "name": item.name,
        "patronymic": item.patronymic,
        "birth_date": item.birth_date,
        "class_name": item.class_name,
        "position": item.position,
        "subject": item.subject,
        "service_start": item.service_start,
        "workplace": item.workplace,
        "interests": item.interests,
    }
    category = (
        {"mentee_category": item.category_or_kind} if item.role == MENTEE else {"mentor_kind": item.category_or_kind}
    )
    entry = services.participant_enrol(
        actor=curator,
        organisation=school,
        role=item.role,
        school_year=SCHOOL_YEAR,
        person=person,
        entry={
            **category,
            "form": item.form,
            "request": item.request,
            "capacity": item.capacity,
            "availability": item.availability,
        },
        consent={
            "signer": ConsentSigner.PARENT if minor else ConsentSigner.SELF,
            "signer_name": item.parent if minor else "",
            "signed_on": CONSENT_SIGNED_ON,
        },
    )
    someone = entry.person
    if item.user:
        # The demo mentor persona is this teacher: they see the pairs they lead; a mentee with an
        # account of their own sees «Моя пара» too.
        user = User.objects.filter(username=item.user).first() or _participant_account(
            item.user, item.surname, item.name, item.patronymic
        )
        someone = object_update(actor=curator, obj=someone, data={"user": user})
    if item.parent_user:
        surname, name, patronymic = ([*item.parent.split(), "", "", ""])[:3]
        parent = _participant_account(item.parent_user, surname, name, patronymic)
        services.guardianship_link(actor=curator, user=parent, person=someone)
    return someone


def _participant_account(username: str, surname: str, name: str, patronymic: str) -> User:
    """A demo account holding no role (a mentee, a parent), with the demo's published password."""
    password = json.loads(DEMO_FIXTURE.read_text(encoding="utf-8"))["password"]
    user, _ = user_ensure(
        reason=DEMO_REASON,
        username=username,
        password=password,
        email=f"{username}@example.ru",
        last_name=surname,
        first_name=name,
        patronymic=patronymic,
    )
    two_factor_exemption_ensure(user=user, reason=DEMO_EXEMPTION_REASON)
    return user


def _pair_load(curator: User, programme: Programme, people: dict[str, Person], item: DemoPair, exit_: Any) -> Pair:
    mentor = people[item.mentor]
    mentees = [people[key] for key in item.mentees]
    pair = services.pair_create(
        actor=curator,
        programme=programme,
        mentors=[mentor],
        mentees=mentees,
        started_on=PAIRS_STARTED_ON,
        title=item.title,
        planned_end=date(2027, 5, 29),
    )
    if item.status == "forming":
        services.meeting_plan(
            actor=curator, pair=pair, data={"kind": MeetingKind.INTRO, "planned_on": date(2026, 11, 27),
                                            "topic": "Знакомство, ожидания от работы"}
        )  # fmt: skip
        return pair
    services.pairs_confirm(actor=curator, pairs=[pair], on=PAIRS_CONFIRMED_ON)
    pair.refresh_from_db()
    log = [
        (MeetingKind.INTRO, date(2026, 9, 28), "Знакомство, ожидания от работы", {}),
        (MeetingKind.TRIAL, date(2026, 10, 5), "Пробная встреча: первое задание", {}),
        (MeetingKind.PLANNING, date(2026, 10, 12), "План работы на год", {"planned_meetings": item.planned_meetings}),
        (MeetingKind.REGULAR, date(2026, 10, 26), "Разбор выполненных заданий", {}),
    ]
    if item.status == "completed":
        log.append((MeetingKind.FINAL, date(2026, 11, 16), "Подведение итогов, защита проекта", {}))
    for kind, held_on, topic, extra in log:
        services.meeting_log(
            actor=curator,
            pair=pair,
            data={
                "kind": kind,
                "held_on": held_on,
                "topic": topic,
                "mentor_feedback": "Наставляемый подготовился, задания выполнены.",
                "mentee_feedback": "Было интересно и понятно.",
                "mentor_rating": 9,
                "mentee_rating": 8 if kind == MeetingKind.TRIAL else 9,
                **extra,
            },
        )
    if item.goals:
        plan = services.plan_save(actor=curator, pair=pair, mentee=mentees[0], goals=item.goals)
        services.plan_task_add(
            actor=curator,
            plan=plan,
            data={"title": "Составить план на четверть вместе с наставником", "deadline": date(2026, 10, 30),
                  "done_on": date(2026, 10, 26), "result": "План составлен и утверждён"},
        )  # fmt: skip
        services.plan_task_add(
            actor=curator, plan=plan, data={"title": "Подготовить и провести открытое занятие",
                                            "deadline": date(2026, 12, 18)}
        )  # fmt: skip
    if item.status == "active":
        services.meeting_plan(
            actor=curator, pair=pair, data={"kind": MeetingKind.REGULAR, "planned_on": date(2026, 11, 30),
                                            "topic": "Регулярная встреча"}
        )  # fmt: skip
        return pair
    services.pair_complete(
        actor=curator, pair=pair, ended_on=date(2026, 11, 16), results=item.results, reflection=item.reflection
    )
    for mentee in mentees:
        services.response_submit(
            actor=curator,
            questionnaire=exit_,
            person=mentee,
            pair=pair,
            filled_on=date(2026, 11, 16),
            answers=_answers(exit_, EXIT_ANSWERS),
        )
    return pair


def school_load(school_item: DemoSchool, questionnaires: dict[str, Questionnaire]) -> str:
    school = Organisation.objects.filter(code=school_item.code).first()
    curator = User.objects.filter(username=school_item.curator).first()
    if school is None or curator is None:
        missing = f"организации «{school_item.code}»" if school is None else f"пользователя «{school_item.curator}»"
        return f"{school_item.code}: пропущена — в демонстрационных данных нет {missing}"
    first = school_item.programmes[0]
    if Programme.objects.filter(organisation=school, school_year=SCHOOL_YEAR, title=first.title).exists():
        return f"{school}: уже загружены"
    programmes = {
        item.form: services.programme_create(
            actor=curator,
            data={
                "organisation": school,
                "title": item.title,
                "form": item.form,
                "goals": item.goals,
                "expected_results": item.expected_results,
                "duration_months": 9,
                "school_year": SCHOOL_YEAR,
                "materials": item.materials,
                "is_published": item.is_published,
                "is_good_practice": item.is_good_practice,
            },
        )
        for item in school_item.programmes
    }
    people = {item.key: _enrol(curator, school, item) for item in school_item.people}
    for item in school_item.people:
        if item.kind == EXTERNAL:
            services.agreement_record(
                actor=curator,
                person=people[item.key],
                data={"number": "1-НС", "signed_on": CONSENT_SIGNED_ON, "valid_until": date(2027, 8, 31)},
            )  # fmt: skip
        if item.selection is not None:
            services.response_submit(
                actor=curator,
                questionnaire=questionnaires[SELECTION[item.role]],
                person=people[item.key],
                filled_on=date(2026, 9, 14),
                answers=_answers(questionnaires[SELECTION[item.role]], item.selection),
            )
    entry_mentee = questionnaires["Анкета наставляемого на входе в программу"]
    exit_mentee = questionnaires["Анкета наставляемого на выходе из программы"]
    pairs = [_pair_load(curator, programmes[item.form], people, item, exit_mentee) for item in school_item.pairs]
    for pair, item in zip(pairs, school_item.pairs, strict=True):
        if item.status != "forming":
            for key in item.mentees:
                services.response_submit(
                    actor=curator,
                    questionnaire=entry_mentee,
                    person=people[key],
                    pair=pair,
                    filled_on=date(2026, 9, 28),
                    answers=_answers(entry_mentee, (8, 9, 7, 6, "Раз в неделю", "Разобраться в трудных темах")),
                )
    paired = {key for item in school_item.pairs for key in (item.mentor, *item.mentees)}
    waiting = sum(1 for item in school_item.people if item.role == MENTEE and item.key not in paired)
    return (
        f"{school}: программ {len(programmes)}, участников {len(people)}, пар и групп {len(pairs)}, "
        f"наставляемых без пары {waiting} ({school_item.curator})"
    )


def participants_demo_load() -> DemoReport:
    report = DemoReport("Участники, программы и пары")
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    if admin is None:
        report.add("пропущены — в демонстрационных данных нет администратора для общих анкет")
        return report
    questionnaires, created = shared_questionnaires_load(admin)
    report.add(f"общие анкеты: создано {created}, уже было {len(SHARED_QUESTIONNAIRES) - created}")
    report.add(f"шаблоны анкет методических рекомендаций: создано {services.questionnaire_templates_load()}")
    for school in SCHOOLS:
        report.add(school_load(school, questionnaires))
    report.add(questionnaire_sending_load(SCHOOLS[0]))
    return report


def questionnaire_sending_load(school_item: DemoSchool) -> str:
    """The exit questionnaire (a template) sent to the school's «учитель – ученик» programme, for «Кто ответил».

    Idempotent: a second run finds everyone asked already and sends nothing.
    """
    from django.utils import timezone

    school = Organisation.objects.filter(code=school_item.code).first()
    curator = User.objects.filter(username=school_item.curator).first()
    programme = Programme.objects.filter(
        organisation=school, school_year=SCHOOL_YEAR, form=MentorshipForm.TEACHER_STUDENT
    ).first()
    if school is None or curator is None or programme is None:
        return "отправка анкеты: пропущена — нет школы, куратора или программы «учитель – ученик»"
    questionnaire = Questionnaire.objects.get(template_key=f"{MentorshipForm.TEACHER_STUDENT}:mentee:exit")
    result = services.questionnaire_send(
        actor=curator,
        questionnaire=questionnaire,
        programme=programme,
        deadline=timezone.localdate() + timedelta(days=14),
    )
    return f"отправка анкеты «{questionnaire}» в программу «{programme}»: {result.summary()}"
