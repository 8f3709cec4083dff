"""The questionnaires of the methodological recommendations, shipped as ready templates.

Entry and exit questionnaires for a mentor and for a mentee in each of the five forms of the
recommendations, and the curator's questionnaire. Plain data, loaded by
``services.questionnaire_templates_load`` (a data migration and ``load_demo`` call it; it is
idempotent, keyed by ``key``).

What monitoring reads (``monitoring/selectors.growth`` and the satisfaction figure): every answer
on a 1–10 scale (``QuestionKind.SCALE``) of an entry or exit questionnaire of mentors or mentees;
growth is the exit average minus the entry average, satisfaction the average at exit. So the
entry and exit scales ask the same things — expected at entry, experienced at exit — and
everything that is not a 1–10 judgement (how often to meet, yes/no, free text) is a choice or a
text question, which monitoring leaves out. ``feature`` stays blank on every question: it tells
the *matching* what a selection questionnaire's answer means, and these are not selection
questionnaires.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .choices import MentorshipForm, QuestionKind, QuestionnaireAudience, QuestionnaireMoment

YES_NO = "Да\nНет\nЗатрудняюсь ответить"
FREQUENCY = "Несколько раз в неделю\nРаз в неделю\nРаз в две недели\nРаз в месяц\nРеже раза в месяц"


@dataclass(frozen=True)
class TemplateQuestion:
    text: str
    kind: str = QuestionKind.SCALE
    options: str = ""
    is_required: bool = True
    feature: str = ""


@dataclass(frozen=True)
class Template:
    key: str
    title: str
    audience: str
    moment: str
    form: str
    questions: list[TemplateQuestion] = field(default_factory=list)


#: what the pair works on, by form (fits «помощь в …»)
TOPIC = {
    MentorshipForm.STUDENT_STUDENT: "учёбе и школьной жизни",
    MentorshipForm.TEACHER_TEACHER: "профессиональной деятельности",
    MentorshipForm.TEACHER_STUDENT: "учёбе и личном развитии",
    MentorshipForm.COLLEGE_STUDENT_STUDENT: "учёбе и выборе профессии",
    MentorshipForm.EMPLOYER_STUDENT: "выборе профессии и первых профессиональных шагах",
}

#: the five forms of the methodological recommendations
FORMS = list(TOPIC)


def _scale(text: str) -> TemplateQuestion:
    return TemplateQuestion(f"{text} Оцените от 1 до 10.")


def _mentee_entry(topic: str) -> list[TemplateQuestion]:
    return [
        _scale(f"Насколько, по-вашему, наставничество поможет вам в {topic}?"),
        _scale("Насколько комфортным, как вы ожидаете, будет общение с наставником?"),
        _scale("Насколько полезными, по-вашему, будут встречи с наставником?"),
        _scale("Насколько вам понятно, над какими задачами вы будете работать?"),
        _scale("Насколько вы рассчитываете чувствовать поддержку наставника?"),
        TemplateQuestion("Как часто вы хотели бы встречаться с наставником?", QuestionKind.CHOICE, FREQUENCY),
        TemplateQuestion(
            "Чего вы ждёте от наставничества? Чему хотите научиться?", QuestionKind.TEXT, is_required=False
        ),
    ]


def _mentee_exit(topic: str) -> list[TemplateQuestion]:
    return [
        _scale(f"Насколько наставничество помогло вам в {topic}?"),
        _scale("Насколько комфортным было общение с наставником?"),
        _scale("Насколько полезными были встречи с наставником?"),
        _scale("Насколько понятными были задачи, над которыми вы работали?"),
        _scale("Насколько вы чувствовали поддержку наставника?"),
        _scale("Насколько вас устраивала частота встреч?"),
        TemplateQuestion("Что было для вас самым ценным?", QuestionKind.TEXT, is_required=False),
        TemplateQuestion("Чего вам не хватило?", QuestionKind.TEXT, is_required=False),
        TemplateQuestion("Продолжили бы вы работу с наставником?", QuestionKind.CHOICE, YES_NO),
        TemplateQuestion("Порекомендовали бы вы наставничество друзьям и знакомым?", QuestionKind.CHOICE, YES_NO),
    ]


def _mentor_entry(topic: str) -> list[TemplateQuestion]:
    return [
        _scale(f"Насколько, по-вашему, вы сможете помочь наставляемому в {topic}?"),
        _scale("Насколько комфортным, как вы ожидаете, будет общение с наставляемым?"),
        _scale("Насколько полезными, по-вашему, будут ваши встречи для наставляемого?"),
        _scale("Насколько вам понятны цели и задачи программы наставничества?"),
        _scale("Насколько вы рассчитываете на поддержку куратора и образовательной организации?"),
        TemplateQuestion("Как часто вы готовы встречаться с наставляемым?", QuestionKind.CHOICE, FREQUENCY),
        TemplateQuestion(
            "Чем вы хотите поделиться с наставляемым? Какие у вас опасения?", QuestionKind.TEXT, is_required=False
        ),
    ]


def _mentor_exit(topic: str) -> list[TemplateQuestion]:
    return [
        _scale(f"Насколько, по-вашему, вам удалось помочь наставляемому в {topic}?"),
        _scale("Насколько комфортным было общение с наставляемым?"),
        _scale("Насколько полезными были встречи для наставляемого?"),
        _scale("Насколько понятными были цели и задачи программы наставничества?"),
        _scale("Насколько вы чувствовали поддержку куратора и образовательной организации?"),
        _scale("Насколько вас устраивала частота встреч?"),
        TemplateQuestion("Что было для вас самым ценным?", QuestionKind.TEXT, is_required=False),
        TemplateQuestion("Чего вам не хватило?", QuestionKind.TEXT, is_required=False),
        TemplateQuestion("Продолжили бы вы быть наставником?", QuestionKind.CHOICE, YES_NO),
        TemplateQuestion("Порекомендовали бы вы коллегам стать наставником?", QuestionKind.CHOICE, YES_NO),
    ]


CURATOR_QUESTIONS = [
    _scale("Насколько успешно, по вашей оценке, реализована программа наставничества?"),
    _scale("Насколько комфортным было взаимодействие с наставниками?"),
    _scale("Насколько полезными были встречи пар и групп для наставляемых?"),
    _scale("Насколько понятными были задачи программы для её участников?"),
    _scale("Насколько вы чувствовали поддержку руководства образовательной организации?"),
    _scale("Насколько регулярно проходили встречи пар и групп?"),
    TemplateQuestion("Что было самым ценным в программе?", QuestionKind.TEXT, is_required=False),
    TemplateQuestion("Чего не хватило для реализации программы?", QuestionKind.TEXT, is_required=False),
    TemplateQuestion("Продолжили бы вы программу в следующем учебном году?", QuestionKind.CHOICE, YES_NO),
    TemplateQuestion(
        "Порекомендовали бы вы программу другим образовательным организациям?", QuestionKind.CHOICE, YES_NO
    ),
]

_BUILDERS = {
    (QuestionnaireAudience.MENTEE, QuestionnaireMoment.ENTRY): (_mentee_entry, "наставляемого", "на входе"),
    (QuestionnaireAudience.MENTEE, QuestionnaireMoment.EXIT): (_mentee_exit, "наставляемого", "на выходе"),
    (QuestionnaireAudience.MENTOR, QuestionnaireMoment.ENTRY): (_mentor_entry, "наставника", "на входе"),
    (QuestionnaireAudience.MENTOR, QuestionnaireMoment.EXIT): (_mentor_exit, "наставника", "на выходе"),
}


def templates() -> list[Template]:
    """Every shipped template: 4 per form for the five forms, and the curator's questionnaire."""
    found = []
    labels = dict(MentorshipForm.choices)
    for form in FORMS:
        for (audience, moment), (build, whose, when) in _BUILDERS.items():
            found.append(
                Template(
                    key=f"{form}:{audience}:{moment}",
                    title=f"Анкета {whose} {when} («{labels[form]}»)",
                    audience=audience,
                    moment=moment,
                    form=form,
                    questions=build(TOPIC[form]),
                )
            )
    found.append(
        Template(
            key="curator:exit",
            title="Анкета куратора по итогам программы наставничества",
            audience=QuestionnaireAudience.CURATOR,
            moment=QuestionnaireMoment.EXIT,
            form="",
            questions=CURATOR_QUESTIONS,
        )
    )
    return found


def load(questionnaire_model: Any, question_model: Any) -> int:
    """Create the templates that are missing (found by key); how many.

    Takes the models, so that a data migration can pass its historical ones.
    """
    existing = set(questionnaire_model.objects.exclude(template_key="").values_list("template_key", flat=True))
    created = 0
    for template in templates():
        if template.key in existing:
            continue
        questionnaire = questionnaire_model.objects.create(
            template_key=template.key,
            title=template.title,
            audience=template.audience,
            moment=template.moment,
            form=template.form,
        )
        question_model.objects.bulk_create(
            question_model(
                questionnaire=questionnaire,
                position=number,
                text=question.text,
                kind=question.kind,
                options=question.options,
                feature=question.feature,
                is_required=question.is_required,
            )
            for number, question in enumerate(template.questions, start=1)
        )
        created += 1
    return created
