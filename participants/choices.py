"""Vocabularies of participants, bases, questionnaires and pairs, with Russian labels (docs/domain.md)."""

from django.db import models


class PersonKind(models.TextChoices):
    """Who a person is to the organisation whose base holds them."""

    STUDENT = "student", "Обучающийся"
    TEACHER = "teacher", "Педагог (работник ОО)"
    EXTERNAL = "external", "Внешний участник"


class MentorshipForm(models.TextChoices):
    """Форма наставничества: who mentors whom."""

    STUDENT_STUDENT = "student_student", "ученик – ученик"
    TEACHER_TEACHER = "teacher_teacher", "учитель – учитель"
    TEACHER_STUDENT = "teacher_student", "учитель – ученик"
    COLLEGE_STUDENT_STUDENT = "college_student_student", "студент – ученик"
    EMPLOYER_STUDENT = "employer_student", "работодатель – ученик"
    EMPLOYER_COLLEGE_STUDENT = "employer_college_student", "работодатель – студент"
    MANAGER_YOUNG_MANAGER = "manager_young_manager", "руководитель – молодой руководитель"


class BaseRole(models.TextChoices):
    """Which base an entry belongs to."""

    MENTOR = "mentor", "Наставник"
    MENTEE = "mentee", "Наставляемый"


class MenteeCategory(models.TextChoices):
    """Who can be a mentee (seed 003, Положение 4.6–4.7)."""

    GIFTED = "gifted", "Обучающийся с выдающимися способностями"
    LOW_RESULTS = "low_results", "Обучающийся с низкими образовательными результатами"
    DISABLED = "disabled", "Обучающийся с ОВЗ"
    HARD_LIFE = "hard_life", "Обучающийся в трудной жизненной ситуации"
    BEHAVIOUR = "behaviour", "Обучающийся с проблемами поведения"
    DISENGAGED = "disengaged", "Обучающийся, не включённый в жизнь школы"
    YOUNG_SPECIALIST = "young_specialist", "Молодой специалист"
    BURNOUT = "burnout", "Педагог в состоянии эмоционального выгорания"
    ADAPTATION = "adaptation", "Педагог, адаптирующийся на новом месте работы"
    ICT = "ict", "Педагог, осваивающий цифровые (ИКТ) компетенции"

    @classmethod
    def for_students(cls) -> list[str]:
        return [cls.GIFTED, cls.LOW_RESULTS, cls.DISABLED, cls.HARD_LIFE, cls.BEHAVIOUR, cls.DISENGAGED]

    @classmethod
    def for_teachers(cls) -> list[str]:
        return [cls.YOUNG_SPECIALIST, cls.BURNOUT, cls.ADAPTATION, cls.ICT]


class MentorKind(models.TextChoices):
    """Who can be a mentor (seed 003, Положение 4.8)."""

    STUDENT = "student", "Обучающийся"
    TEACHER = "teacher", "Педагог или специалист"
    PARENT = "parent", "Родитель"
    GRADUATE = "graduate", "Выпускник"
    EMPLOYEE = "employee", "Сотрудник предприятия"
    PUBLIC_FIGURE = "public_figure", "Предприниматель или общественный деятель"
    VETERAN = "veteran", "Ветеран педагогического труда"


class ConsentSigner(models.TextChoices):
    """Who signed the consent to personal-data processing (152-ФЗ; seed 003, 4.10–4.11)."""

    SELF = "self", "Сам участник"
    PARENT = "parent", "Родитель"
    GUARDIAN = "guardian", "Законный представитель"


class QuestionnaireAudience(models.TextChoices):
    MENTOR = "mentor", "Наставники"
    MENTEE = "mentee", "Наставляемые"
    CURATOR = "curator", "Кураторы"


class QuestionnaireMoment(models.TextChoices):
    """When a questionnaire is filled in."""

    SELECTION = "selection", "Отбор и подбор пар"
    ENTRY = "entry", "На входе в программу"
    INTERIM = "interim", "Промежуточная"
    EXIT = "exit", "На выходе из программы"


class QuestionKind(models.TextChoices):
    SCALE = "scale", "Шкала от 1 до 10"
    CHOICE = "choice", "Выбор одного варианта"
    MULTIPLE = "multiple", "Выбор нескольких вариантов"
    TEXT = "text", "Свободный ответ"


class MatchingFeature(models.TextChoices):
    """What an answer in a selection questionnaire tells the matching (blank: nothing)."""

    INTERESTS = "interests", "Интересы"
    SUBJECT = "subject", "Предмет или область"
    AVAILABILITY = "availability", "Удобное время встреч"
    GOALS = "goals", "Запрос / предложение"


class Stage(models.IntegerChoices):
    """The seven stages of a programme (docs/domain.md; seeds 002 and 003)."""

    CONDITIONS = 1, "1. Подготовка условий"
    MENTEE_BASE = 2, "2. Формирование базы наставляемых"
    MENTOR_BASE = 3, "3. Формирование базы наставников"
    MENTOR_TRAINING = 4, "4. Отбор и обучение наставников"
    PAIRING = 5, "5. Формирование пар и групп"
    WORK = 6, "6. Работа пар и групп"
    COMPLETION = 7, "7. Завершение"


class PairStatus(models.TextChoices):
    FORMING = "forming", "Формируется"
    ACTIVE = "active", "Действует"
    COMPLETED = "completed", "Завершена"
    TERMINATED = "terminated", "Прекращена"

    @classmethod
    def open(cls) -> list[str]:
        return [cls.FORMING, cls.ACTIVE]


class MeetingKind(models.TextChoices):
    """The five kinds of meetings of a pair's work (stage 6)."""

    INTRO = "intro", "Встреча-знакомство"
    TRIAL = "trial", "Пробная встреча"
    PLANNING = "planning", "Встреча-планирование"
    REGULAR = "regular", "Регулярная встреча"
    FINAL = "final", "Итоговая встреча"


class SuggestionStatus(models.TextChoices):
    PROPOSED = "proposed", "Предложена"
    ACCEPTED = "accepted", "Принята"
    REJECTED = "rejected", "Отклонена"
