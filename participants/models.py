"""People of a school's mentorship: the bases, consents, questionnaires, programmes, pairs and meetings.

Everything here belongs to one organisation (a school, a college) and is scoped through it: the
school's staff keep it, the municipality and the region above see it. Writes go through
``services.py``; the rules of the domain (consent before pairing, one pair per programme, the
same school for «ученик – ученик»…) live there, the constraints below back them up against races.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from mentorship.choices import Level
from mentorship.models import Organisation, Partner, ScopedModel
from mentorship.models.base import OwnedModel, TimeStampedModel
from mentorship.models.hierarchy import regions_within

from .choices import (
    BaseRole,
    ConsentSigner,
    MatchingFeature,
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
    SuggestionStatus,
)


def school_year_of(day: date) -> int:
    """The school year a day falls in, by the year it starts: 15.10.2026 → 2026 (2026/2027)."""
    return day.year if day.month >= 9 else day.year - 1


def school_year_label(year: int) -> str:
    return f"{year}/{year + 1}"


def full_years_between(start: date, end: date) -> int:
    years = end.year - start.year
    if (end.month, end.day) < (start.month, start.day):
        years -= 1
    return years


class OrganisationScoped(ScopedModel, TimeStampedModel):
    """A record kept by one organisation and scoped through it."""

    scope_anchor: ClassVar = "organisation"

    class Meta:
        abstract = True


class Person(OrganisationScoped):
    """Участник: a student, a teacher or an external mentor (parent, graduate, employer…) of an organisation.

    The same person can be a mentor in one programme and a mentee in another. Age and years of
    service are derived from the birth date and the start of service, never typed. A person who
    withdraws their consent is anonymised (``anonymised_at``): the name and contacts are erased,
    the kind, the birth year and the memberships stay for anonymous counts.
    """

    #: the columns of the trigram index that serves searches on PostgreSQL (migration 0002)
    trigram_search_fields: ClassVar[tuple[str, ...]] = ("surname", "name", "patronymic", "external_id", "email")

    organisation = models.ForeignKey(
        Organisation, models.PROTECT, related_name="people", verbose_name="образовательная организация"
    )
    kind = models.CharField("кто это", max_length=16, choices=PersonKind.choices)
    surname = models.CharField("фамилия", max_length=100)
    name = models.CharField("имя", max_length=100)
    patronymic = models.CharField("отчество", max_length=100, blank=True)
    birth_date = models.DateField("дата рождения", null=True, blank=True)
    email = models.EmailField("электронная почта", blank=True)
    phone = models.CharField("телефон", max_length=32, blank=True)
    external_id = models.CharField(
        "внешний идентификатор",
        max_length=64,
        blank=True,
        help_text="Постоянный номер из другой системы (например, из электронного журнала) для повторного импорта.",
    )
    # Students.
    class_name = models.CharField("класс (группа)", max_length=16, blank=True, help_text="Например, 7Б.")
    # Teachers.
    position = models.CharField("должность", max_length=255, blank=True)
    subject = models.CharField("предмет (направление)", max_length=255, blank=True)
    service_start = models.DateField(
        "начало педагогического стажа",
        null=True,
        blank=True,
        help_text="Стаж считается от этой даты; «стаж до 3 лет» определяется по ней.",
    )
    is_manager = models.BooleanField(
        "руководящая должность",
        default=False,
        help_text="Для формы «руководитель – молодой руководитель».",
    )
    # External participants.
    workplace = models.CharField("место работы (учёбы)", max_length=500, blank=True)
    partner = models.ForeignKey(
        Partner,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name="организация-партнёр",
    )
    # What matching and the mentor base use.
    interests = models.TextField("интересы", blank=True)
    competences = models.TextField("компетенции", blank=True)
    achievements = models.TextField("достижения", blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name="пользователь портала",
    )
    anonymised_at = models.DateTimeField("персональные данные скрыты", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "участник"
        verbose_name_plural = "участники"
        ordering = ["surname", "name", "patronymic"]
        indexes = [
            models.Index(fields=["organisation", "kind"], name="person_org_kind"),
            models.Index(fields=["organisation", "surname", "name"], name="person_org_name"),
        ]
        constraints = [
            # The natural key of imports (issue: surname + name + patronymic + birth date + organisation).
            models.UniqueConstraint(
                fields=["organisation", "surname", "name", "patronymic", "birth_date"],
                name="person_unique_natural_key",
                violation_error_message="Такой участник в этой организации уже есть.",
            ),
            models.UniqueConstraint(
                fields=["organisation", "external_id"],
                condition=~Q(external_id=""),
                name="person_unique_external_id",
                violation_error_message="Участник с таким внешним идентификатором в этой организации уже есть.",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("participants:person", args=[self.pk])

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.surname, self.name, self.patronymic) if part)

    @property
    def short_name(self) -> str:
        """«Иванова А.П.»"""
        initials = "".join(f"{part[0]}." for part in (self.name, self.patronymic) if part)
        return f"{self.surname} {initials}".strip()

    def age_on(self, day: date) -> int | None:
        return None if self.birth_date is None else full_years_between(self.birth_date, day)

    def service_years_on(self, day: date) -> int | None:
        return None if self.service_start is None else full_years_between(self.service_start, day)

    def is_minor_on(self, day: date) -> bool:
        age = self.age_on(day)
        return age is not None and age < 18

    def is_under_35_on(self, day: date) -> bool:
        age = self.age_on(day)
        return age is not None and age < 35

    def has_short_service_on(self, day: date) -> bool:
        years = self.service_years_on(day)
        return years is not None and years < 3


class BaseEntry(OrganisationScoped):
    """Запись в базе наставников или наставляемых организации на учебный год, с запросом или предложением."""

    organisation = models.ForeignKey(
        Organisation, models.PROTECT, related_name="base_entries", verbose_name="образовательная организация"
    )
    person = models.ForeignKey(Person, models.CASCADE, related_name="base_entries", verbose_name="участник")
    school_year = models.PositiveSmallIntegerField(
        "учебный год", validators=[MinValueValidator(2019), MaxValueValidator(2100)], help_text="Год начала: 2026."
    )
    role = models.CharField("база", max_length=8, choices=BaseRole.choices)
    mentee_category = models.CharField(
        "категория наставляемого", max_length=32, choices=MenteeCategory.choices, blank=True
    )
    mentor_kind = models.CharField("категория наставника", max_length=16, choices=MentorKind.choices, blank=True)
    form = models.CharField(
        "желаемая форма", max_length=32, choices=MentorshipForm.choices, blank=True, help_text="Пусто: любая."
    )
    request = models.TextField(
        "запрос или предложение",
        blank=True,
        help_text="Для наставляемого — ключевой запрос; для наставника — чем может помочь.",
    )
    capacity = models.PositiveSmallIntegerField(
        "сколько наставляемых может вести",
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )
    preferred_age_min = models.PositiveSmallIntegerField("возраст наставляемых от", null=True, blank=True)
    preferred_age_max = models.PositiveSmallIntegerField("возраст наставляемых до", null=True, blank=True)
    availability = models.CharField("удобное время встреч", max_length=255, blank=True)
    is_active = models.BooleanField("в базе", default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "запись базы"
        verbose_name_plural = "базы наставников и наставляемых"
        ordering = ["-school_year", "person__surname", "person__name"]
        indexes = [models.Index(fields=["organisation", "school_year", "role"], name="baseentry_org_year_role")]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "school_year", "role"],
                name="baseentry_unique_per_year",
                violation_error_message="Этот участник уже есть в этой базе на этот учебный год.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display().lower()}, {school_year_label(self.school_year)}"

    def get_absolute_url(self) -> str:
        return reverse("participants:person", args=[self.person_id])


class Consent(OrganisationScoped):
    """Согласие на обработку персональных данных (152-ФЗ), подписанное участником или его законным представителем."""

    organisation = models.ForeignKey(
        Organisation, models.PROTECT, related_name="consents", verbose_name="образовательная организация"
    )
    person = models.ForeignKey(Person, models.CASCADE, related_name="consents", verbose_name="участник")
    signer = models.CharField("кто подписал", max_length=16, choices=ConsentSigner.choices)
    signer_name = models.CharField(
        "ФИО подписавшего", max_length=300, blank=True, help_text="Для родителя или законного представителя."
    )
    signed_on = models.DateField("дата подписания")
    scope = models.TextField(
        "цели и объём обработки",
        default="Участие в программах наставничества, учёт и мониторинг реализации целевой модели наставничества",
    )
    valid_until = models.DateField("действует до", null=True, blank=True)
    document = models.FileField("скан согласия", upload_to="consents/%Y/", blank=True)
    withdrawn_on = models.DateField("отозвано", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "согласие на обработку персональных данных"
        verbose_name_plural = "согласия на обработку персональных данных"
        ordering = ["-signed_on"]
        indexes = [models.Index(fields=["person", "withdrawn_on"], name="consent_person_withdrawn")]

    def __str__(self) -> str:
        return f"Согласие от {self.signed_on:%d.%m.%Y}"

    @staticmethod
    def in_force_q(on: date, prefix: str = "") -> Q:
        """Consents in force on ``on``: signed by then, not withdrawn, not expired (``prefix``: through a relation)."""
        return (
            Q(**{f"{prefix}signed_on__lte": on})
            & (Q(**{f"{prefix}withdrawn_on__isnull": True}) | Q(**{f"{prefix}withdrawn_on__gt": on}))
            & (Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gte": on}))
        )


class CooperationAgreement(OrganisationScoped):
    """Соглашение о безвозмездном сотрудничестве с внешним наставником (seed 003, 4.14)."""

    organisation = models.ForeignKey(
        Organisation, models.PROTECT, related_name="agreements", verbose_name="образовательная организация"
    )
    person = models.ForeignKey(Person, models.CASCADE, related_name="agreements", verbose_name="наставник")
    partner = models.ForeignKey(
        Partner, models.PROTECT, null=True, blank=True, related_name="agreements", verbose_name="организация-партнёр"
    )
    number = models.CharField("номер", max_length=64, blank=True)
    signed_on = models.DateField("дата заключения")
    valid_until = models.DateField("действует до", null=True, blank=True)
    document = models.FileField("скан соглашения", upload_to="agreements/%Y/", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "соглашение о сотрудничестве"
        verbose_name_plural = "соглашения о сотрудничестве"
        ordering = ["-signed_on"]

    def __str__(self) -> str:
        number = f"№ {self.number} " if self.number else ""
        return f"Соглашение {number}от {self.signed_on:%d.%m.%Y}"


class Questionnaire(ScopedModel, TimeStampedModel):
    """Анкета: a configurable question set for mentors, mentees or curators at one moment of a programme.

    A questionnaire without an organisation is a shared template every organisation can use (the
    seeds' selection and entry/exit questionnaires); an organisation may keep its own.
    """

    scope_anchor: ClassVar = "organisation"

    organisation = models.ForeignKey(
        Organisation,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="questionnaires",
        verbose_name="образовательная организация",
        help_text="Пусто: общая анкета для всех организаций.",
    )
    title = models.CharField("название", max_length=500)
    audience = models.CharField("для кого", max_length=16, choices=QuestionnaireAudience.choices)
    moment = models.CharField("когда заполняется", max_length=16, choices=QuestionnaireMoment.choices)
    form = models.CharField(
        "форма наставничества", max_length=32, choices=MentorshipForm.choices, blank=True, help_text="Пусто: любая."
    )
    is_active = models.BooleanField("используется", default=True)
    region = models.ForeignKey(
        "mentorship.Region",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="questionnaires",
        verbose_name="регион",
        help_text="Анкета региона: её видят и копируют все организации региона.",
    )
    version = models.PositiveSmallIntegerField("версия", default=1)
    source = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name="создана на основе",
        help_text="Шаблон или анкета, скопированная в эту, или предыдущая версия.",
    )
    #: the stable key of a shipped template (``questionnaire_templates.py``), blank for everything else
    template_key = models.CharField("код шаблона", max_length=64, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "анкета"
        verbose_name_plural = "анкеты"
        ordering = ["moment", "audience", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=True) | Q(region__isnull=True),
                name="questionnaire_one_owner",
                violation_error_message="Анкета принадлежит либо организации, либо региону.",
            ),
            models.UniqueConstraint(
                fields=["template_key"], condition=~Q(template_key=""), name="questionnaire_unique_template_key"
            ),
        ]

    def __str__(self) -> str:
        return self.title if self.version == 1 else f"{self.title} (версия {self.version})"

    def get_absolute_url(self) -> str:
        return reverse("participants:questionnaire", args=[self.pk])

    @property
    def is_template(self) -> bool:
        """A shared template of the portal: no organisation and no region keeps it."""
        return self.organisation_id is None and self.region_id is None

    @classmethod
    def scope_filter(cls, places: Mapping[Level, Any], action: str) -> Q:
        if action == "view":
            own = super().scope_filter(places, action)
            # Shared templates are read by everyone; a region's questionnaires by the whole region.
            return own | Q(organisation__isnull=True, region__isnull=True) | Q(region__in=regions_within(places))
        # Changed only where kept: a school's by its staff, a region's by the region's staff (a
        # regional coordinator does not edit the schools' own questionnaires).
        q = Q(pk__in=[])
        if Level.ORGANISATION in places:
            q |= Q(organisation__in=places[Level.ORGANISATION])
        if Level.REGION in places:
            q |= Q(region__in=places[Level.REGION])
        return q


class Question(models.Model):
    """Вопрос анкеты."""

    questionnaire = models.ForeignKey(Questionnaire, models.CASCADE, related_name="questions", verbose_name="анкета")
    position = models.PositiveSmallIntegerField("номер", default=1)
    text = models.CharField("вопрос", max_length=1000)
    kind = models.CharField("вид ответа", max_length=16, choices=QuestionKind.choices, default=QuestionKind.SCALE)
    options = models.TextField("варианты ответа", blank=True, help_text="По одному варианту в строке.")
    feature = models.CharField(
        "для подбора пар",
        max_length=16,
        choices=MatchingFeature.choices,
        blank=True,
        help_text="Что ответ сообщает подбору пар.",
    )
    is_required = models.BooleanField("обязательный", default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "вопрос анкеты"
        verbose_name_plural = "вопросы анкеты"
        ordering = ["questionnaire", "position"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "position"], name="question_unique_position"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.text}"

    @property
    def option_list(self) -> list[str]:
        return [line.strip() for line in self.options.splitlines() if line.strip()]


class Response(OrganisationScoped):
    """Заполненная анкета: one person's answers, about a pair where the questionnaire is about one."""

    organisation = models.ForeignKey(
        Organisation, models.PROTECT, related_name="responses", verbose_name="образовательная организация"
    )
    questionnaire = models.ForeignKey(Questionnaire, models.PROTECT, related_name="responses", verbose_name="анкета")
    person = models.ForeignKey(
        Person, models.CASCADE, null=True, blank=True, related_name="responses", verbose_name="участник"
    )
    pair = models.ForeignKey(
        "Pair", models.CASCADE, null=True, blank=True, related_name="responses", verbose_name="пара (группа)"
    )
    #: the staff member who filled in a curator's questionnaire themselves (then ``person`` is empty)
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="questionnaire_responses",
        verbose_name="заполнил (сотрудник)",
    )
    #: the programme a curator's questionnaire is about
    programme = models.ForeignKey(
        "Programme", models.CASCADE, null=True, blank=True, related_name="responses", verbose_name="программа"
    )
    filled_on = models.DateField("дата заполнения")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "заполненная анкета"
        verbose_name_plural = "заполненные анкеты"
        ordering = ["-filled_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "person", "pair"],
                name="response_unique_per_pair",
                violation_error_message="Эта анкета этим участником уже заполнена.",
            ),
            models.UniqueConstraint(
                fields=["questionnaire", "person"],
                condition=Q(pair__isnull=True),
                name="response_unique_without_pair",
                violation_error_message="Эта анкета этим участником уже заполнена.",
            ),
            models.UniqueConstraint(
                fields=["questionnaire", "respondent", "programme"],
                condition=Q(respondent__isnull=False),
                name="response_unique_per_respondent",
                violation_error_message="Вы уже заполнили эту анкету по этой программе.",
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=False, respondent__isnull=True)
                | Q(person__isnull=True, respondent__isnull=False, programme__isnull=False),
                name="response_person_or_respondent",
                violation_error_message="Анкету заполняет либо участник, либо сотрудник по программе.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire} — {self.person if self.person_id else self.respondent}"


class Answer(models.Model):
    """Ответ на один вопрос анкеты: a number for a scale, text for the rest (choices as their text)."""

    response = models.ForeignKey(Response, models.CASCADE, related_name="answers", verbose_name="анкета")
    question = models.ForeignKey(Question, models.CASCADE, related_name="answers", verbose_name="вопрос")
    number = models.PositiveSmallIntegerField(
        "оценка", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    text = models.TextField("ответ", blank=True)

    class Meta:
        verbose_name = "ответ"
        verbose_name_plural = "ответы"
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="answer_unique_per_question")]

    def __str__(self) -> str:
        return str(self.number) if self.number is not None else self.text


class Programme(ScopedModel, TimeStampedModel):
    """Программа наставничества of an organisation in one form; published ones make up the bank of programmes.

    A published programme (``is_published``) is visible to every organisation of the same region,
    which may copy it (``source`` remembers where a copy came from).
    """

    scope_anchor: ClassVar = "organisation"

    organisation = models.ForeignKey(
        Organisation, models.PROTECT, related_name="programmes", verbose_name="образовательная организация"
    )
    title = models.CharField("название", max_length=500)
    form = models.CharField("форма наставничества", max_length=32, choices=MentorshipForm.choices)
    goals = models.TextField("цели и задачи")
    expected_results = models.TextField("ожидаемые результаты", blank=True)
    duration_months = models.PositiveSmallIntegerField(
        "продолжительность, месяцев", default=9, validators=[MinValueValidator(1), MaxValueValidator(36)]
    )
    school_year = models.PositiveSmallIntegerField(
        "учебный год", validators=[MinValueValidator(2019), MaxValueValidator(2100)], help_text="Год начала: 2026."
    )
    materials = models.TextField("материалы", blank=True, help_text="Описание материалов, ссылки — по одной в строке.")
    document = models.FileField("текст программы", upload_to="programmes/%Y/", blank=True)
    is_published = models.BooleanField(
        "в банке программ", default=False, help_text="Опубликованную программу видят и могут скопировать ОО региона."
    )
    is_good_practice = models.BooleanField("лучшая практика", default=False)
    source = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, related_name="copies", verbose_name="скопирована из"
    )
    is_active = models.BooleanField("действует", default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "программа наставничества"
        verbose_name_plural = "программы наставничества"
        ordering = ["-school_year", "title"]
        indexes = [models.Index(fields=["organisation", "school_year"], name="programme_org_year")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("participants:programme", args=[self.pk])

    @classmethod
    def scope_filter(cls, places: Mapping[Level, Any], action: str) -> Q:
        own = super().scope_filter(places, action)
        if action != "view":
            return own
        # The bank: programmes published anywhere in the user's region.
        return own | Q(is_published=True, organisation__municipality__region__in=regions_within(places))


class Pair(OrganisationScoped):
    """Наставническая пара или группа: mentor(s) and mentee(s) in one programme, going through the stages."""

    #: a mentor with an account sees their own pair (adding them to it grants ``view_pair``)
    object_permissions: ClassVar = True

    organisation = models.ForeignKey(
        Organisation, models.PROTECT, related_name="pairs", verbose_name="образовательная организация"
    )
    programme = models.ForeignKey(Programme, models.PROTECT, related_name="pairs", verbose_name="программа")
    form = models.CharField("форма наставничества", max_length=32, choices=MentorshipForm.choices)
    title = models.CharField("название группы", max_length=255, blank=True)
    school_year = models.PositiveSmallIntegerField("учебный год")
    stage = models.PositiveSmallIntegerField("этап", choices=Stage.choices, default=Stage.PAIRING)
    status = models.CharField("статус", max_length=16, choices=PairStatus.choices, default=PairStatus.FORMING)
    started_on = models.DateField("начало работы")
    planned_end = models.DateField("плановое окончание", null=True, blank=True)
    ended_on = models.DateField("окончание", null=True, blank=True)
    planned_meetings = models.PositiveSmallIntegerField(
        "запланировано встреч", null=True, blank=True, help_text="Устанавливается на встрече-планировании."
    )
    termination_reason = models.TextField("причина прекращения", blank=True)
    results = models.TextField("результаты", blank=True)
    reflection = models.TextField("рефлексия", blank=True)
    confirmed_on = models.DateField(
        "утверждена", null=True, blank=True, help_text="Дата приказа «Об утверждении наставнических пар/групп»."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="автор"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "наставническая пара (группа)"
        verbose_name_plural = "наставнические пары и группы"
        ordering = ["-started_on", "pk"]
        permissions = [("confirm_pair", "Утверждать наставнические пары и группы")]
        indexes = [
            models.Index(fields=["organisation", "school_year", "status"], name="pair_org_year_status"),
            models.Index(fields=["programme", "status"], name="pair_programme_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="pair_dates_ordered",
                violation_error_message="Окончание работы не может быть раньше её начала.",
            ),
        ]

    def __str__(self) -> str:
        return self.title or f"Пара № {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("participants:pair", args=[self.pk])

    @classmethod
    def participant_filter(cls, user_pk: int, action: str) -> Q | None:
        """A participant's own pairs (``access.scope_q``): members and consenting parents see, mentors lead.

        ``take_part`` is the same set asked for on its own: «Моя пара» lists only the user's own
        pairs, not every pair a curator sees (no role grants it).
        """
        if action in ("view", "take_part"):
            return Q(pk__in=member_pairs(user_pk)) | Q(pk__in=children_pairs(user_pk))
        if action == "lead":
            return Q(pk__in=member_pairs(user_pk, BaseRole.MENTOR))
        return None

    @property
    def current_mentors(self) -> list[PairMember]:
        """The mentors still in the pair, read from the prefetched ``members`` (the lists show them)."""
        return [m for m in self.members.all() if m.role == BaseRole.MENTOR and m.left_on is None]

    @property
    def current_mentees(self) -> list[PairMember]:
        """The mentees still in the pair, read from the prefetched ``members``."""
        return [m for m in self.members.all() if m.role == BaseRole.MENTEE and m.left_on is None]


class PairMember(ScopedModel):
    """Участие человека в паре (группе) наставником или наставляемым.

    ``programme`` repeats the pair's programme so that the database itself refuses the same person
    twice among the open memberships of one programme, even when two curators save at once.
    """

    scope_anchor: ClassVar = "pair__organisation"

    pair = models.ForeignKey(Pair, models.CASCADE, related_name="members", verbose_name="пара (группа)")
    person = models.ForeignKey(Person, models.PROTECT, related_name="memberships", verbose_name="участник")
    programme = models.ForeignKey(Programme, models.PROTECT, related_name="+", verbose_name="программа")
    role = models.CharField("роль", max_length=8, choices=BaseRole.choices)
    joined_on = models.DateField("с")
    left_on = models.DateField("по", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "участник пары (группы)"
        verbose_name_plural = "участники пар и групп"
        ordering = ["role", "person__surname", "person__name"]
        indexes = [models.Index(fields=["person", "left_on"], name="pairmember_person_open")]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "person"],
                condition=Q(left_on__isnull=True),
                name="pairmember_once_per_programme",
                violation_error_message="Этот участник уже состоит в паре (группе) этой программы.",
            ),
            models.UniqueConstraint(fields=["pair", "person"], name="pairmember_once_per_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display().lower()})"

    @classmethod
    def participant_filter(cls, user_pk: int, action: str) -> Q | None:
        """The members of a participant's own pairs, for their names."""
        if action == "view":
            return Q(pair__in=member_pairs(user_pk)) | Q(pair__in=children_pairs(user_pk))
        return None


class DevelopmentPlan(ScopedModel, TimeStampedModel):
    """Индивидуальный план развития наставляемого в паре: цели, задачи и сроки."""

    scope_anchor: ClassVar = "pair__organisation"

    pair = models.ForeignKey(Pair, models.CASCADE, related_name="plans", verbose_name="пара (группа)")
    mentee = models.ForeignKey(Person, models.CASCADE, related_name="plans", verbose_name="наставляемый")
    goals = models.TextField("цели")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "индивидуальный план развития"
        verbose_name_plural = "индивидуальные планы развития"
        constraints = [models.UniqueConstraint(fields=["pair", "mentee"], name="plan_unique_per_mentee")]

    def __str__(self) -> str:
        return f"План развития: {self.mentee}"

    @classmethod
    def participant_filter(cls, user_pk: int, action: str) -> Q | None:
        """The mentor sees the plans of the pairs they lead; a mentee their own; a parent their child's."""
        if action == "view":
            return (
                Q(pair__in=member_pairs(user_pk, BaseRole.MENTOR))
                | Q(mentee__user_id=user_pk, pair__in=member_pairs(user_pk, BaseRole.MENTEE))
                | Q(mentee__in=Guardianship.children_of(user_pk), pair__in=children_pairs(user_pk))
            )
        return None


class PlanTask(models.Model):
    """Задача индивидуального плана развития."""

    plan = models.ForeignKey(DevelopmentPlan, models.CASCADE, related_name="tasks", verbose_name="план")
    title = models.CharField("задача", max_length=1000)
    deadline = models.DateField("срок")
    done_on = models.DateField("выполнена", null=True, blank=True)
    result = models.TextField("результат", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "задача плана развития"
        verbose_name_plural = "задачи плана развития"
        ordering = ["deadline", "pk"]

    def __str__(self) -> str:
        return self.title


class Meeting(ScopedModel, TimeStampedModel):
    """Встреча пары (группы): planned on a date, then held, with notes and feedback from both sides."""

    scope_anchor: ClassVar = "pair__organisation"

    pair = models.ForeignKey(Pair, models.CASCADE, related_name="meetings", verbose_name="пара (группа)")
    kind = models.CharField("вид встречи", max_length=16, choices=MeetingKind.choices)
    planned_on = models.DateField("дата по плану")
    held_on = models.DateField("проведена", null=True, blank=True)
    topic = models.CharField("тема", max_length=500, blank=True)
    notes = models.TextField("заметки", blank=True)
    mentor_feedback = models.TextField("отзыв наставника", blank=True)
    mentee_feedback = models.TextField("отзыв наставляемого", blank=True)
    mentor_rating = models.PositiveSmallIntegerField(
        "оценка наставника (1–10)", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    mentee_rating = models.PositiveSmallIntegerField(
        "оценка наставляемого (1–10)", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    duration_minutes = models.PositiveSmallIntegerField(
        "продолжительность, минут", null=True, blank=True, validators=[MinValueValidator(5), MaxValueValidator(600)]
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="кто отметил проведённой",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "встреча"
        verbose_name_plural = "встречи"
        ordering = ["planned_on", "pk"]
        indexes = [models.Index(fields=["planned_on", "held_on"], name="meeting_planned_held")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.planned_on:%d.%m.%Y}"

    @classmethod
    def participant_filter(cls, user_pk: int, action: str) -> Q | None:
        """Members and consenting parents see a pair's meetings; its mentors log them; its mentees rate them."""
        if action == "view":
            return Q(pair__in=member_pairs(user_pk)) | Q(pair__in=children_pairs(user_pk))
        if action in ("add", "change"):
            return Q(pair__in=member_pairs(user_pk, BaseRole.MENTOR))
        if action == "rate":
            return Q(pair__in=member_pairs(user_pk, BaseRole.MENTEE))
        return None

    @property
    def is_held(self) -> bool:
        return self.held_on is not None


class MatchRun(OrganisationScoped):
    """Подбор пар: one computation of suggestions for a programme's unpaired mentees."""

    organisation = models.ForeignKey(
        Organisation, models.PROTECT, related_name="match_runs", verbose_name="образовательная организация"
    )
    programme = models.ForeignKey(Programme, models.CASCADE, related_name="match_runs", verbose_name="программа")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="автор"
    )
    mentees_count = models.PositiveIntegerField("наставляемых без пары", default=0)
    mentors_count = models.PositiveIntegerField("наставников со свободными местами", default=0)
    total_score = models.DecimalField("суммарная оценка", max_digits=12, decimal_places=2, default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "подбор пар"
        verbose_name_plural = "подборы пар"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Подбор пар от {self.created_at:%d.%m.%Y %H:%M}"


class MatchSuggestion(models.Model):
    """Предложенная пара: a mentor and a mentee with the score and the reasons; the curator accepts or rejects it."""

    run = models.ForeignKey(MatchRun, models.CASCADE, related_name="suggestions", verbose_name="подбор")
    mentor = models.ForeignKey(Person, models.CASCADE, related_name="+", verbose_name="наставник")
    mentee = models.ForeignKey(Person, models.CASCADE, related_name="+", verbose_name="наставляемый")
    score = models.DecimalField("оценка совместимости", max_digits=6, decimal_places=2)
    reasons = models.JSONField("почему", default=list)
    status = models.CharField(
        "решение", max_length=16, choices=SuggestionStatus.choices, default=SuggestionStatus.PROPOSED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="решил"
    )
    decided_at = models.DateTimeField("когда решено", null=True, blank=True)
    pair = models.ForeignKey(Pair, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="пара")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "предложенная пара"
        verbose_name_plural = "предложенные пары"
        ordering = ["-score", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["run", "mentee"], name="suggestion_one_per_mentee"),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} → {self.mentee}"


# --- Participants' own accounts: «Моя пара», parents, calendars ------------------------------------------


def member_pairs(user_pk: int, role: str | None = None) -> Any:
    """The pairs whose current member (of ``role``, if given) is the person linked to the account ``user_pk``."""
    members = PairMember.objects.filter(person__user_id=user_pk, left_on__isnull=True)
    if role is not None:
        members = members.filter(role=role)
    return members.values("pair_id")


def children_pairs(user_pk: int) -> Any:
    """The pairs where a child of the parent ``user_pk`` is a current mentee, while the consent is in force."""
    return PairMember.objects.filter(
        role=BaseRole.MENTEE, left_on__isnull=True, person__in=Guardianship.children_of(user_pk)
    ).values("pair_id")


class Guardianship(ScopedModel, TimeStampedModel):
    """Родитель (законный представитель) с учётной записью портала: whose child, under which consent.

    The parent sees their child's pairs read-only (the mentors' names, the programme, the child's
    plan, the meetings' dates) only while the consent they signed is in force: signed by a parent or
    a legal representative for that child, not withdrawn, not expired. Withdrawing the consent
    closes the page at once; no grant has to be taken back.
    """

    scope_anchor: ClassVar = "person__organisation"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="guardianships", verbose_name="пользователь портала"
    )
    person = models.ForeignKey(Person, models.CASCADE, related_name="guardianships", verbose_name="ребёнок")
    consent = models.ForeignKey(Consent, models.CASCADE, related_name="guardianships", verbose_name="согласие родителя")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "родитель с доступом к порталу"
        verbose_name_plural = "родители с доступом к порталу"
        constraints = [models.UniqueConstraint(fields=["user", "person"], name="guardianship_unique")]

    def __str__(self) -> str:
        return f"{self.user} — {self.person}"

    @classmethod
    def children_of(cls, user_pk: int) -> Any:
        """The people whose parent is ``user_pk`` under a consent in force today (a subquery)."""
        from django.utils import timezone

        return cls.objects.filter(
            Consent.in_force_q(timezone.localdate(), "consent__"),
            user_id=user_pk,
            consent__person_id=models.F("person_id"),
            consent__signer__in=[ConsentSigner.PARENT, ConsentSigner.GUARDIAN],
        ).values("person_id")


class CalendarFeed(OwnedModel):
    """Ссылка на календарь: a user's secret .ics feed of their planned meetings; only the token's SHA-256 is kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="calendar_feeds", verbose_name="пользователь"
    )
    token_hash = models.CharField("отпечаток ссылки", max_length=64, unique=True)
    created_at = models.DateTimeField("создана", auto_now_add=True)
    revoked_at = models.DateTimeField("отозвана", null=True, blank=True)

    class Meta:
        verbose_name = "ссылка на календарь"
        verbose_name_plural = "ссылки на календарь"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(revoked_at__isnull=True), name="calendarfeed_one_active_per_user"
            )
        ]

    def __str__(self) -> str:
        return f"Календарь {self.user} от {self.created_at:%d.%m.%Y}"


class QuestionnaireLink(OrganisationScoped):
    """Персональная ссылка на анкету: one person asked to fill in one questionnaire (about a pair), by a deadline.

    The link is what monitoring counts as «asked»; ``answered_at`` and ``response`` say it was
    answered. Only the SHA-256 of the token is kept: the token is drawn when the letter goes out
    (``send_pending`` → the sending task) or when the curator prints the sheets, and a new draw
    (a reminder, a reprint) makes the previous link stop working.
    """

    organisation = models.ForeignKey(
        Organisation, models.PROTECT, related_name="questionnaire_links", verbose_name="образовательная организация"
    )
    questionnaire = models.ForeignKey(Questionnaire, models.PROTECT, related_name="links", verbose_name="анкета")
    person = models.ForeignKey(Person, models.CASCADE, related_name="questionnaire_links", verbose_name="участник")
    programme = models.ForeignKey(
        Programme, models.CASCADE, null=True, blank=True, related_name="questionnaire_links", verbose_name="программа"
    )
    pair = models.ForeignKey(
        Pair, models.CASCADE, null=True, blank=True, related_name="questionnaire_links", verbose_name="пара (группа)"
    )
    token_hash = models.CharField("отпечаток ссылки", max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="отправил"
    )
    expires_at = models.DateTimeField("заполнить до")
    send_pending = models.BooleanField("ждёт отправки письма", default=False)
    sent_at = models.DateTimeField("письмо отправлено", null=True, blank=True)
    printed_at = models.DateTimeField("лист напечатан", null=True, blank=True)
    answered_at = models.DateTimeField("ответ получен", null=True, blank=True)
    response = models.OneToOneField(
        Response, models.SET_NULL, null=True, blank=True, related_name="link", verbose_name="заполненная анкета"
    )
    reminded_on = models.DateField("напомнили", null=True, blank=True)

    # Who sent, reminded and answered, kept; the token's hash is not (a history row is no place for it).
    history = HistoricalRecords(excluded_fields=["token_hash"])

    class Meta:
        verbose_name = "ссылка на анкету"
        verbose_name_plural = "ссылки на анкеты"
        ordering = ["person__surname", "person__name", "pk"]
        indexes = [
            models.Index(fields=["programme", "questionnaire", "answered_at"], name="qlink_programme_answered"),
            models.Index(fields=["pair", "questionnaire"], name="qlink_pair"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "person", "pair"],
                name="qlink_unique_per_pair",
                violation_error_message="Этому участнику эта анкета уже отправлена.",
            ),
            models.UniqueConstraint(
                fields=["questionnaire", "person"],
                condition=Q(pair__isnull=True),
                name="qlink_unique_without_pair",
                violation_error_message="Этому участнику эта анкета уже отправлена.",
            ),
        ]

    def __str__(self) -> str:
        return f"Ссылка на анкету «{self.questionnaire}»"
