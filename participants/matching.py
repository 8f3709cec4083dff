"""Подбор пар: suggestions of mentor–mentee pairs for a programme's unpaired mentees (stage 5).

Two parts:

* a pure part (no database): ``MentorCandidate`` / ``MenteeCandidate``, ``pair_score`` (is a pair
  allowed in a form, and how well do the two fit, with the reasons in Russian for the curator) and
  ``optimal_assignment`` (the best assignment of all mentees at once, respecting capacities);
* the services: ``match_run_create`` loads the programme's organisation's unpaired mentees and
  mentors with free places in a fixed number of queries, runs the assignment and stores the
  suggestions; ``suggestion_accept`` turns one into a pair through ``services.pair_create`` or,
  when the mentor already leads a pair of the programme, adds the mentee to it through
  ``services.pair_member_add`` (the pair becomes a group); ``suggestion_reject`` declines it.
  Only accepted suggestions become pairs.

The score of an allowed pair is out of 100 (the weights below): a base for any allowed pair plus
interests, subject, request/offer, the mentor's category for the mentee's category, age, meeting
time and organisation. The weights favour what the seeds' selection questionnaires ask about
(interests, the key request) over what is merely convenient (time, school).
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from scipy.optimize import linear_sum_assignment

from mentorship import access
from mentorship.choices import OrganisationKind
from mentorship.errors import DomainError
from mentorship.services import object_create

from . import selectors, services
from .choices import (
    BaseRole,
    MatchingFeature,
    MenteeCategory,
    MentorKind,
    MentorshipForm,
    PersonKind,
    QuestionnaireMoment,
    SuggestionStatus,
)
from .models import (
    Answer,
    CooperationAgreement,
    MatchRun,
    MatchSuggestion,
    Pair,
    Programme,
    full_years_between,
)

# --- weights (out of 100) -------------------------------------------------------------------------

#: Any allowed pair. Every allowed pair scores above zero, so the optimum never leaves a mentee
#: without a mentor while an allowed mentor still has a free place (that would only add score).
BASE_POINTS = 10.0
#: × Jaccard similarity of the interests (stems).
INTERESTS_POINTS = 25.0
#: The mentor's subject appears in the mentee's request (or is the young teacher's own subject).
SUBJECT_POINTS = 15.0
#: × the share of the mentee's request words found in the mentor's offer (what they can help with).
REQUEST_POINTS = 10.0
#: The mentor's kind is one that suits the mentee's category (see ``SUITABLE_MENTORS``).
CATEGORY_POINTS = 15.0
#: The mentee's age is in the mentor's preferred range, or the age gap suits a peer form.
AGE_POINTS = 10.0
#: × the overlap of the convenient meeting times.
AVAILABILITY_POINTS = 10.0
#: Both belong to the same organisation.
ORGANISATION_POINTS = 5.0

#: Which mentor kinds suit which mentee category (Положение 4.6–4.8 of seed 003 and the
#: methodological recommendations to Р-145: a teacher for poor results or ОВЗ, a veteran or an
#: experienced teacher for burn-out, a peer or a graduate for the disengaged…).
SUITABLE_MENTORS: dict[str, frozenset[str]] = {
    MenteeCategory.GIFTED: frozenset(
        {MentorKind.TEACHER, MentorKind.EMPLOYEE, MentorKind.PUBLIC_FIGURE, MentorKind.GRADUATE}
    ),
    MenteeCategory.LOW_RESULTS: frozenset({MentorKind.TEACHER, MentorKind.STUDENT}),
    MenteeCategory.DISABLED: frozenset({MentorKind.TEACHER, MentorKind.PARENT}),
    MenteeCategory.HARD_LIFE: frozenset({MentorKind.TEACHER, MentorKind.PARENT, MentorKind.VETERAN}),
    MenteeCategory.BEHAVIOUR: frozenset({MentorKind.TEACHER, MentorKind.VETERAN, MentorKind.PUBLIC_FIGURE}),
    MenteeCategory.DISENGAGED: frozenset({MentorKind.STUDENT, MentorKind.GRADUATE, MentorKind.PUBLIC_FIGURE}),
    MenteeCategory.YOUNG_SPECIALIST: frozenset({MentorKind.TEACHER, MentorKind.VETERAN}),
    MenteeCategory.BURNOUT: frozenset({MentorKind.VETERAN, MentorKind.TEACHER}),
    MenteeCategory.ADAPTATION: frozenset({MentorKind.TEACHER}),
    MenteeCategory.ICT: frozenset({MentorKind.TEACHER, MentorKind.EMPLOYEE, MentorKind.STUDENT}),
}
#: Mentor kinds of the employer forms (the same set ``services.pair_create`` checks).
EMPLOYER_KINDS = frozenset(services.EMPLOYER_KINDS)
#: Forms where mentor and mentee are peers, so the age gap itself says something.
PEER_FORMS = {
    MentorshipForm.STUDENT_STUDENT: (2, 5),  # an older schoolmate, not a grown-up: 2–5 years older
    MentorshipForm.TEACHER_TEACHER: (5, 100),  # an experienced colleague: at least 5 years older
    MentorshipForm.MANAGER_YOUNG_MANAGER: (5, 100),
}


# --- words ---------------------------------------------------------------------------------------

#: Inflectional endings of Russian nouns and adjectives, longest first.
#:
#: Why not a real stemmer (Snowball): interests and requests are short phrases typed by curators
#: and children («шахматы, робототехника», «подтянуть математику к ОГЭ»); what matters is that
#: «математика», «математику» and «математикой» meet. Stripping one ending while keeping at least
#: four letters does that, needs no extra dependency, and is predictable enough to explain to a
#: curator. Verb forms and suffix derivations are left apart on purpose: they rarely carry the topic.
ENDINGS = tuple(
    sorted(
        [
            "иями",
            "иях",
            "ием",
            "ией",
            "ями",
            "ами",
            "ого",
            "его",
            "ому",
            "ему",
            "ыми",
            "ими",
            "ой",
            "ей",
            "ий",
            "ый",
            "ая",
            "яя",
            "ое",
            "ее",
            "ые",
            "ие",
            "ую",
            "юю",
            "ом",
            "ем",
            "ах",
            "ях",
            "ов",
            "ев",
            "ам",
            "ям",
            "ью",
            "ия",
            "ии",
            "ию",
            "а",
            "я",
            "о",
            "е",
            "ы",
            "и",
            "у",
            "ю",
            "ь",
            "й",
        ],
        key=len,
        reverse=True,
    )
)
MIN_STEM = 4
STOP_WORDS = frozenset(
    [
        "и",
        "в",
        "во",
        "на",
        "с",
        "со",
        "по",
        "для",
        "к",
        "ко",
        "о",
        "об",
        "обо",
        "от",
        "до",
        "за",
        "из",
        "у",
        "не",
        "ни",
        "а",
        "но",
        "или",
        "как",
        "что",
        "это",
        "мне",
        "меня",
        "мой",
        "моя",
        "мои",
        "я",
        "ты",
        "он",
        "она",
        "мы",
        "вы",
        "они",
        "хочу",
        "хочет",
        "хотел",
        "хотела",
        "бы",
        "очень",
        "тоже",
        "также",
        "ещё",
        "еще",
        "уже",
        "при",
        "над",
        "под",
        "про",
        "без",
        "чтобы",
        "его",
        "её",
        "ее",
        "их",
        "их",
        "всё",
        "все",
        "весь",
        "том",
        "так",
        "там",
        "тут",
        "быть",
        "есть",
        "нет",
        "да",
    ]
)
WORD = re.compile(r"[а-яёa-z0-9]+")


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A lowercase word without its inflectional ending: «математикой» → «математик»."""
    word = word.lower().replace("ё", "е")
    for ending in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
            return word[: -len(ending)]
    return word


def tokens(*texts: str) -> dict[str, str]:
    """The meaningful words of ``texts`` as ``{stem: the word as first written}``, in order of appearance."""
    found: dict[str, str] = {}
    for text in texts:
        for word in WORD.findall((text or "").lower()):
            if len(word) < 3 or word in STOP_WORDS or word.isdigit():
                continue
            found.setdefault(stem(word), word)
    return found


def subjects(*texts: str) -> tuple[tuple[str, frozenset[str]], ...]:
    """Subjects listed in ``texts`` (separated by commas, semicolons, slashes or lines) with their stems.

    «Русский язык, литература» → (("русский язык", {«русск», «язык»}), ("литература", {«литератур»})).
    """
    found: dict[str, frozenset[str]] = {}
    for text in texts:
        for part in re.split(r"[,;/\n]+", text or ""):
            name = " ".join(part.split()).lower()
            stems = frozenset(tokens(name))
            if stems and name not in found:
                found[name] = stems
    return tuple(found.items())


#: Convenient meeting times, normalised: days of the week and parts of the day.
DAYS = ("понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье")
PARTS = ("утро", "день", "вечер")
TIME_ORDER = {name: position for position, name in enumerate(DAYS + PARTS)}
_TIME_PREFIXES = (
    (("понед", "пн"), ("понедельник",)),
    (("вторн", "вт"), ("вторник",)),
    (("сред", "ср"), ("среда",)),
    (("четв", "чт"), ("четверг",)),
    (("пятн", "пт"), ("пятница",)),
    (("суббот", "сб"), ("суббота",)),
    (("воскр", "вс"), ("воскресенье",)),
    (("выходн",), ("суббота", "воскресенье")),
    (("будн", "будни"), DAYS[:5]),
    (("утр",), ("утро",)),
    (("днём", "днем", "день", "обед", "урок"), ("день",)),  # «после уроков», «после обеда»
    (("вечер",), ("вечер",)),
)


@functools.lru_cache(maxsize=65536)
def _time_names(word: str) -> tuple[str, ...]:
    names: list[str] = []
    for prefixes, found in _TIME_PREFIXES:
        # Two-letter abbreviations («ср», «пт») must be the whole word; longer prefixes start it.
        if any(word == prefix if len(prefix) <= 2 else word.startswith(prefix) for prefix in prefixes):
            names.extend(found)
    return tuple(names)


def time_slots(*texts: str) -> frozenset[str]:
    """«Среда и пятница после уроков» → {среда, пятница, день}; «по выходным» → {суббота, воскресенье}."""
    found: set[str] = set()
    for text in texts:
        for word in WORD.findall((text or "").lower().replace("ё", "е")):
            found.update(_time_names(word))
    return frozenset(found)


# --- candidates ----------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class MentorCandidate:
    """A mentor with free places, as the matching sees them (built from the base, the person and answers)."""

    person_id: int
    organisation_id: int
    kind: str  # PersonKind
    mentor_kind: str = ""  # MentorKind of the base entry
    is_manager: bool = False
    #: A student of a college, or an external mentor who studies somewhere (the «студент – ученик» form).
    is_college_student: bool = False
    age: int | None = None
    subjects: tuple[tuple[str, frozenset[str]], ...] = ()
    interests: Mapping[str, str] = field(default_factory=dict)
    #: What the mentor offers (the base entry's «предложение», competences, goals answers).
    offer: Mapping[str, str] = field(default_factory=dict)
    availability: frozenset[str] = frozenset()
    form: str = ""  # preferred form, blank: any
    capacity: int = 1  # free places
    age_min: int | None = None
    age_max: int | None = None
    label: str = ""  # for messages and the benchmark


@dataclass(frozen=True, eq=False)
class MenteeCandidate:
    """An unpaired mentee, as the matching sees them."""

    person_id: int
    organisation_id: int
    kind: str  # PersonKind
    age: int | None = None
    category: str = ""  # MenteeCategory
    is_manager: bool = False
    is_college_student: bool = False
    interests: Mapping[str, str] = field(default_factory=dict)
    #: The key request, the person's own subject (a young teacher's), subject and goals answers.
    request: Mapping[str, str] = field(default_factory=dict)
    availability: frozenset[str] = frozenset()
    form: str = ""
    label: str = ""


def _mentor_refusal(mentor: MentorCandidate, form: str) -> str | None:
    """Why ``mentor`` can lead nobody in ``form`` (the mentor's side of ``services.pair_create``'s rules)."""
    if mentor.capacity <= 0:
        return "У наставника нет свободных мест"
    if mentor.form and mentor.form != form:
        return "Наставник выбрал другую форму наставничества"
    ok = {
        MentorshipForm.STUDENT_STUDENT: mentor.kind == PersonKind.STUDENT,
        MentorshipForm.TEACHER_TEACHER: mentor.kind == PersonKind.TEACHER,
        MentorshipForm.TEACHER_STUDENT: mentor.kind == PersonKind.TEACHER,
        MentorshipForm.MANAGER_YOUNG_MANAGER: mentor.kind == PersonKind.TEACHER and mentor.is_manager,
        MentorshipForm.COLLEGE_STUDENT_STUDENT: mentor.is_college_student,
        MentorshipForm.EMPLOYER_STUDENT: mentor.kind == PersonKind.EXTERNAL and mentor.mentor_kind in EMPLOYER_KINDS,
        MentorshipForm.EMPLOYER_COLLEGE_STUDENT: (
            mentor.kind == PersonKind.EXTERNAL and mentor.mentor_kind in EMPLOYER_KINDS
        ),
    }[MentorshipForm(form)]
    return None if ok else f"Наставник не подходит для формы «{MentorshipForm(form).label}»"


def _mentee_refusal(mentee: MenteeCandidate, form: str) -> str | None:
    """Why ``mentee`` can have no mentor in ``form``."""
    if mentee.form and mentee.form != form:
        return "Наставляемый выбрал другую форму наставничества"
    teacher_forms = (MentorshipForm.TEACHER_TEACHER, MentorshipForm.MANAGER_YOUNG_MANAGER)
    if mentee.kind != (PersonKind.TEACHER if form in teacher_forms else PersonKind.STUDENT):
        return f"Наставляемый не подходит для формы «{MentorshipForm(form).label}»"
    if form == MentorshipForm.EMPLOYER_COLLEGE_STUDENT and not mentee.is_college_student:
        return "В форме «работодатель – студент» наставляемый — студент колледжа"
    return None


def _refusal(mentor: MentorCandidate, mentee: MenteeCandidate, form: str) -> str | None:
    """Why the pair is not allowed in ``form`` (the rules of ``services.pair_create``), or None."""
    if mentor.person_id == mentee.person_id:
        return "Наставник не может быть своим наставляемым"
    refusal = _mentor_refusal(mentor, form) or _mentee_refusal(mentee, form)
    if refusal is not None:
        return refusal
    if form == MentorshipForm.STUDENT_STUDENT:
        if mentor.organisation_id != mentee.organisation_id:
            return "В форме «ученик – ученик» оба учатся в одной организации"
        if mentor.age is None or mentee.age is None or mentor.age <= mentee.age:
            return "Наставник-ученик должен быть старше наставляемого"
    return None


def _years(n: int) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return f"{n} год"
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return f"{n} года"
    return f"{n} лет"


def _score(mentor: MentorCandidate, mentee: MenteeCandidate, form: str, reasons: list[str] | None) -> float:
    """The score of an allowed pair; appends the reasons to ``reasons`` unless it is None (the fast path)."""
    score = BASE_POINTS

    common = mentor.interests.keys() & mentee.interests.keys()
    if common:
        score += INTERESTS_POINTS * len(common) / (len(mentor.interests) + len(mentee.interests) - len(common))
        if reasons is not None:
            # The shorter of the two spellings is usually the dictionary form: «шахматы», not «шахматами».
            words = [
                min(word, mentor.interests[key], key=len) for key, word in mentee.interests.items() if key in common
            ]
            reasons.append("Общие интересы: " + ", ".join(words))

    request = mentee.request
    matched = [name for name, stems in mentor.subjects if stems <= request.keys()]
    if matched:
        score += SUBJECT_POINTS
        if reasons is not None:
            reasons.append("Предмет: " + ", ".join(matched))

    if request and mentor.offer:
        offered = request.keys() & mentor.offer.keys()
        if offered:
            score += REQUEST_POINTS * len(offered) / len(request)
            if reasons is not None:
                words = [min(word, mentor.offer[key], key=len) for key, word in request.items() if key in offered]
                reasons.append("Запрос совпадает с предложением наставника: " + ", ".join(words))

    if mentee.category and mentor.mentor_kind in SUITABLE_MENTORS.get(mentee.category, ()):
        score += CATEGORY_POINTS
        if reasons is not None:
            reasons.append(
                f"Наставник ({MentorKind(mentor.mentor_kind).label.lower()}) подходит категории "
                f"«{MenteeCategory(mentee.category).label}»"
            )

    if mentee.age is not None:
        if mentor.age_min is not None or mentor.age_max is not None:
            low = mentor.age_min if mentor.age_min is not None else 0
            high = mentor.age_max if mentor.age_max is not None else 200
            if low <= mentee.age <= high:
                score += AGE_POINTS
                if reasons is not None:
                    wanted = (
                        f"{low}–{high}"
                        if mentor.age_min is not None and mentor.age_max is not None
                        else (f"от {low}" if mentor.age_max is None else f"до {high}")
                    )
                    reasons.append(f"Возраст наставляемого ({mentee.age}) — как хочет наставник: {wanted}")
        elif form in PEER_FORMS and mentor.age is not None:
            gap = mentor.age - mentee.age
            low, high = PEER_FORMS[MentorshipForm(form)]
            if gap > 0:
                score += AGE_POINTS if low <= gap <= high else AGE_POINTS / 2
                if reasons is not None and low <= gap <= high:
                    reasons.append(f"Наставник старше на {_years(gap)}")

    if mentor.availability and mentee.availability:
        both = mentor.availability & mentee.availability
        if both:
            score += AVAILABILITY_POINTS * len(both) / min(len(mentor.availability), len(mentee.availability))
            if reasons is not None:
                reasons.append("Удобное время совпадает: " + ", ".join(sorted(both, key=TIME_ORDER.__getitem__)))

    if mentor.organisation_id == mentee.organisation_id:
        score += ORGANISATION_POINTS
        if reasons is not None:
            reasons.append("Из одной образовательной организации")
    return score


def pair_score(mentor: MentorCandidate, mentee: MenteeCandidate, form: str) -> tuple[float | None, list[str]]:
    """How well ``mentor`` fits ``mentee`` in ``form``: ``(score out of 100, reasons)``.

    The score is not rounded (``score_matrix`` must give exactly the same number); it is stored
    with two decimals. ``None`` means the pair is forbidden (the form's rules, the same person, no free place); the
    reasons then hold the one refusal.
    """
    refusal = _refusal(mentor, mentee, form)
    if refusal is not None:
        return None, [refusal]
    reasons: list[str] = []
    return _score(mentor, mentee, form, reasons), reasons


def _binary(rows: Sequence[Iterable[str]], index: dict[str, int]) -> np.ndarray:
    """A 0/1 matrix: one row per item, a column per word of ``index`` the item contains."""
    matrix = np.zeros((len(rows), max(len(index), 1)))
    for r, words in enumerate(rows):
        matrix[r, [index[word] for word in words]] = 1.0
    return matrix


def _ages(values: Iterable[int | None]) -> np.ndarray:
    return np.array([np.nan if value is None else value for value in values], dtype=float)


def score_matrix(mentors: Sequence[MentorCandidate], mentees: Sequence[MenteeCandidate], form: str) -> np.ndarray:
    """``pair_score`` of every mentor (rows) with every mentee (columns) at once; NaN where forbidden.

    The same rules and the same arithmetic, in the same order, as ``_refusal`` and ``_score``, done
    with matrix products over the words (a 0/1 matrix per side): scoring 500 × 200 pairs one by one
    in Python takes seconds, this takes milliseconds. ``test_matching`` checks the two agree.
    """
    m, n = len(mentors), len(mentees)
    if not m or not n:
        return np.full((m, n), np.nan)
    mentor_ok = np.array([_mentor_refusal(mentor, form) is None for mentor in mentors])
    mentee_ok = np.array([_mentee_refusal(mentee, form) is None for mentee in mentees])
    allowed = mentor_ok[:, None] & mentee_ok[None, :]
    allowed &= np.array([x.person_id for x in mentors])[:, None] != np.array([y.person_id for y in mentees])[None, :]
    same_org = np.array([x.organisation_id for x in mentors])[:, None] == np.array([y.organisation_id for y in mentees])
    mentor_age, mentee_age = _ages(x.age for x in mentors), _ages(y.age for y in mentees)
    with np.errstate(invalid="ignore"):
        if form == MentorshipForm.STUDENT_STUDENT:
            allowed &= same_org & (mentor_age[:, None] > mentee_age[None, :])

        words: dict[str, int] = {}
        for x in mentors:
            for key in (*x.interests, *x.offer, *(stem for _, stems in x.subjects for stem in stems)):
                words.setdefault(key, len(words))
        for y in mentees:
            for key in (*y.interests, *y.request):
                words.setdefault(key, len(words))

        score = np.full((m, n), BASE_POINTS)

        mentor_interests = _binary([x.interests for x in mentors], words)
        mentee_interests = _binary([y.interests for y in mentees], words)
        common = mentor_interests @ mentee_interests.T
        union = mentor_interests.sum(1)[:, None] + mentee_interests.sum(1)[None, :] - common
        score += np.where(common > 0, INTERESTS_POINTS * common / union, 0.0)

        request = _binary([y.request for y in mentees], words)
        listed = [(i, stems) for i, x in enumerate(mentors) for _, stems in x.subjects]
        if listed:
            subject_words = _binary([stems for _, stems in listed], words)
            whole = (subject_words @ request.T) == subject_words.sum(1)[:, None]  # every word of the subject
            owner = np.zeros((m, len(listed)))
            owner[[i for i, _ in listed], np.arange(len(listed))] = 1.0
            score += np.where(owner @ whole > 0, SUBJECT_POINTS, 0.0)

        offer = _binary([x.offer for x in mentors], words)
        offered = offer @ request.T
        request_size = request.sum(1)[None, :]
        score += np.where(offered > 0, REQUEST_POINTS * offered / request_size, 0.0)

        kinds = np.array([x.mentor_kind for x in mentors], dtype=object)
        fits = np.zeros((m, n), dtype=bool)
        for category in {y.category for y in mentees if y.category}:
            columns = np.array([y.category == category for y in mentees])
            suits = np.isin(kinds, list(SUITABLE_MENTORS.get(category, ())))
            fits |= suits[:, None] & columns[None, :]
        score += np.where(fits, CATEGORY_POINTS, 0.0)

        has_range = np.array([x.age_min is not None or x.age_max is not None for x in mentors])
        low = np.array([x.age_min if x.age_min is not None else 0 for x in mentors], dtype=float)
        high = np.array([x.age_max if x.age_max is not None else 200 for x in mentors], dtype=float)
        in_range = has_range[:, None] & (low[:, None] <= mentee_age[None, :]) & (mentee_age[None, :] <= high[:, None])
        age_points = np.where(in_range, AGE_POINTS, 0.0)
        if form in PEER_FORMS:
            gap = mentor_age[:, None] - mentee_age[None, :]  # NaN when an age is unknown: no points
            near, far = PEER_FORMS[MentorshipForm(form)]
            peer = np.where((near <= gap) & (gap <= far), AGE_POINTS, AGE_POINTS / 2)
            age_points = np.where(~has_range[:, None] & (gap > 0), peer, age_points)
        score += age_points

        mentor_times = _binary([x.availability for x in mentors], TIME_ORDER)
        mentee_times = _binary([y.availability for y in mentees], TIME_ORDER)
        both = mentor_times @ mentee_times.T
        fewer = np.minimum(mentor_times.sum(1)[:, None], mentee_times.sum(1)[None, :])
        score += np.where(both > 0, AVAILABILITY_POINTS * both / fewer, 0.0)

        score += np.where(same_org, ORGANISATION_POINTS, 0.0)
    return np.where(allowed, score, np.nan)


def optimal_assignment(
    mentors: Sequence[MentorCandidate], mentees: Sequence[MenteeCandidate], form: str
) -> list[tuple[int, int, float, list[str]]]:
    """The assignment of mentees to mentors with the largest total score: ``[(mentor i, mentee j, score, reasons)]``.

    Each mentor is expanded into as many slots as free places (never more than there are mentees),
    each mentee gets one column of its own meaning «без пары» at score 0, and forbidden pairs cost
    infinity, so they can never be chosen. The rows (mentees) are then assigned to columns at
    minimum total cost (= −score): the optimum over ALL mentees at once, not one by one. A mentee
    stays without a pair only when no allowed mentor has a place left for them.

    Why ``scipy.optimize.linear_sum_assignment``: it solves the rectangular assignment problem
    exactly (a Jonker–Volgenant shortest augmenting path algorithm in C), takes 500 mentees by
    1 000 columns in a fraction of a second, and is a maintained dependency. A greedy pass (best
    pair first) can take the only mentor another mentee could have had; a min-cost flow would do
    the same job with more code and in pure Python.
    """
    n = len(mentees)
    if not mentors or not mentees:
        return []
    scores = score_matrix(mentors, mentees, form)
    slot_owner = np.array(
        [i for i, mentor in enumerate(mentors) for _ in range(max(0, min(mentor.capacity, n)))], dtype=int
    )
    # Mentees × (slots + «без пары»): a mentee left without a pair takes its own zero column.
    cost = np.full((n, len(slot_owner) + n), np.inf)
    if len(slot_owner):
        slot_scores = scores[slot_owner].T
        cost[:, : len(slot_owner)] = np.where(np.isnan(slot_scores), np.inf, -slot_scores)
    cost[np.arange(n), len(slot_owner) + np.arange(n)] = 0.0
    rows, columns = linear_sum_assignment(cost)
    result = []
    for j, column in zip(rows.tolist(), columns.tolist(), strict=True):
        if column >= len(slot_owner):
            continue
        i = int(slot_owner[column])
        score, reasons = pair_score(mentors[i], mentees[j], form)
        if score is None:  # cannot happen: forbidden pairs cost infinity
            raise AssertionError("a forbidden pair was assigned")
        result.append((i, j, score, reasons))
    return sorted(result, key=lambda item: item[1])


# --- services ------------------------------------------------------------------------------------


def _answers(organisation_id: int) -> dict[int, dict[str, list[str]]]:
    """Answers to selection questionnaires filled in at the organisation, by person and by what they tell the matching.

    Read for the whole organisation (one query with no list of ids, whatever the size of the bases).
    """
    found: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    rows = (
        Answer.objects.filter(
            response__organisation_id=organisation_id,
            response__questionnaire__moment=QuestionnaireMoment.SELECTION,
        )
        .exclude(question__feature="")
        .exclude(text="")
        .values_list("response__person_id", "question__feature", "text")
        .order_by("response__filled_on", "pk")
    )
    for person_id, feature, text in rows:
        found[person_id][feature].append(text)
    return found


#: What the matching reads of a base entry and its person: plain values, no model instances (700 rows
#: of three models each would cost more to build than the whole assignment).
ENTRY_VALUES = (
    "person_id",
    "person__organisation_id",
    "person__organisation__kind",
    "person__kind",
    "person__surname",
    "person__name",
    "person__patronymic",
    "person__birth_date",
    "person__is_manager",
    "person__workplace",
    "person__subject",
    "person__interests",
    "person__competences",
    "mentee_category",
    "mentor_kind",
    "form",
    "request",
    "availability",
)


def _age(row: Mapping[str, Any], on: date) -> int | None:
    born = row["person__birth_date"]
    return None if born is None else full_years_between(born, on)


def _name(row: Mapping[str, Any]) -> str:
    return " ".join(part for part in (row["person__surname"], row["person__name"], row["person__patronymic"]) if part)


def _mentor_candidate(row: Mapping[str, Any], on: date, answers: Mapping[str, list[str]]) -> MentorCandidate:
    kind, mentor_kind = row["person__kind"], row["mentor_kind"]
    college = row["person__organisation__kind"] == OrganisationKind.COLLEGE
    return MentorCandidate(
        person_id=row["person_id"],
        organisation_id=row["person__organisation_id"],
        kind=kind,
        mentor_kind=mentor_kind,
        is_manager=row["person__is_manager"],
        # As ``services.pair_create`` tells a college student: one of a college, or an external mentor
        # of the «student» kind with a place of study.
        is_college_student=(kind == PersonKind.STUDENT and college)
        or (kind == PersonKind.EXTERNAL and mentor_kind == MentorKind.STUDENT and bool(row["person__workplace"])),
        age=_age(row, on),
        subjects=subjects(row["person__subject"], *answers.get(MatchingFeature.SUBJECT, ())),
        interests=tokens(row["person__interests"], *answers.get(MatchingFeature.INTERESTS, ())),
        offer=tokens(row["request"], row["person__competences"], *answers.get(MatchingFeature.GOALS, ())),
        availability=time_slots(row["availability"], *answers.get(MatchingFeature.AVAILABILITY, ())),
        form=row["form"],
        # Every free place: a person is in one open pair of a programme, so the mentees suggested to
        # the same mentor join one group as they are accepted (``suggestion_accept``).
        capacity=row["capacity"] - row["mentees_count"],
        age_min=row["preferred_age_min"],
        age_max=row["preferred_age_max"],
        label=_name(row),
    )


def _mentee_candidate(row: Mapping[str, Any], on: date, answers: Mapping[str, list[str]]) -> MenteeCandidate:
    return MenteeCandidate(
        person_id=row["person_id"],
        organisation_id=row["person__organisation_id"],
        kind=row["person__kind"],
        age=_age(row, on),
        category=row["mentee_category"],
        is_manager=row["person__is_manager"],
        is_college_student=row["person__organisation__kind"] == OrganisationKind.COLLEGE,
        interests=tokens(row["person__interests"], *answers.get(MatchingFeature.INTERESTS, ())),
        request=tokens(
            row["request"],
            row["person__subject"],
            *answers.get(MatchingFeature.SUBJECT, ()),
            *answers.get(MatchingFeature.GOALS, ()),
        ),
        availability=time_slots(row["availability"], *answers.get(MatchingFeature.AVAILABILITY, ())),
        form=row["form"],
        label=_name(row),
    )


def _eligible(entries: Any, programme: Programme, on: date) -> Any:
    """Entries of the programme's organisation, in force, whose person may be paired on ``on``."""
    return (
        entries.filter(
            organisation=programme.organisation_id,
            is_active=True,
            person__organisation=programme.organisation_id,
            person__anonymised_at__isnull=True,
        )
        .filter(Q(form="") | Q(form=programme.form))
        .filter(selectors.valid_consent_q(on, prefix="person__"))
        .order_by("pk")
    )


@transaction.atomic
def match_run_create(*, actor: Any, programme: Programme, on: date) -> MatchRun:
    """Compute suggestions for the programme's unpaired mentees on ``on`` and store them as a run.

    Mentees: active mentee entries of the programme's school year at its organisation, in no open
    pair this year, wanting this form (or any), with a consent valid on ``on``. Mentors: active
    mentor entries wanting this form (or any), with a consent (and, if external, a co-operation
    agreement) valid on ``on``, leading fewer mentees this school year than their capacity (each
    free place can take a mentee; a mentor already leading a pair of this programme stays in, the
    mentees accepted for them join that pair) and not a mentee of this programme. Selection
    questionnaires' answers add interests, subjects, times and goals. The run and its suggestions
    are saved together; the queries do not depend on the numbers.
    """
    organisation = programme.organisation
    # The run is created first: its «add» check (``roles.py`` grants adding runs to the same school
    # staff as adding pairs) refuses anyone else before any work is done, and rolls everything back.
    run = object_create(
        actor=actor,
        model=MatchRun,
        data={
            "organisation": organisation,
            "programme": programme,
            "created_by": actor if getattr(actor, "is_authenticated", False) else None,
        },
    )
    if not programme.is_active:
        raise DomainError(f"Программа «{programme}» больше не действует: подбирать пары в ней нельзя.")
    year = programme.school_year
    mentee_entries = list(
        _eligible(
            selectors.unpaired_mentees(user=actor, organisation=organisation, school_year=year), programme, on
        ).values(*ENTRY_VALUES)
    )
    agreement = CooperationAgreement.objects.filter(person=OuterRef("person_id"), signed_on__lte=on).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=on)
    )
    mentor_entries = list(
        _eligible(selectors.base_entries(user=actor, role=BaseRole.MENTOR, school_year=year), programme, on)
        .filter(mentees_count__lt=F("capacity"))
        .exclude(
            Exists(
                selectors.open_memberships()
                .filter(programme=programme, person=OuterRef("person_id"))
                .exclude(role=BaseRole.MENTOR)
            )
        )
        .filter(~Q(person__kind=PersonKind.EXTERNAL) | Q(Exists(agreement)))
        .values(*ENTRY_VALUES, "capacity", "mentees_count", "preferred_age_min", "preferred_age_max")
    )
    answers = _answers(programme.organisation_id)
    form = programme.form
    # Only those the form admits count: a teacher is no candidate for «ученик – ученик».
    mentors = [
        candidate
        for candidate in (_mentor_candidate(entry, on, answers.get(entry["person_id"], {})) for entry in mentor_entries)
        if _mentor_refusal(candidate, form) is None
    ]
    mentees = [
        candidate
        for candidate in (_mentee_candidate(entry, on, answers.get(entry["person_id"], {})) for entry in mentee_entries)
        if _mentee_refusal(candidate, form) is None
    ]

    chosen = optimal_assignment(mentors, mentees, form)
    suggestions = [
        MatchSuggestion(
            run=run,
            mentor_id=mentors[i].person_id,
            mentee_id=mentees[j].person_id,
            score=Decimal(f"{score:.2f}"),
            reasons=reasons,
        )
        for i, j, score, reasons in chosen
    ]
    MatchSuggestion.objects.bulk_create(suggestions)
    run.mentees_count = len(mentees)
    run.mentors_count = len(mentors)
    run.total_score = sum((suggestion.score for suggestion in suggestions), Decimal("0.00"))
    MatchRun.objects.filter(pk=run.pk).update(
        mentees_count=run.mentees_count, mentors_count=run.mentors_count, total_score=run.total_score
    )
    return run


def _decide(actor: Any, suggestion: MatchSuggestion, status: SuggestionStatus) -> MatchRun:
    """Claim a proposed suggestion for ``status`` with a compare-and-swap: a second click finds it decided."""
    run = MatchRun.objects.select_related("programme").get(pk=suggestion.run_id)
    access.ensure_can(actor, run, "change")
    claimed = MatchSuggestion.objects.filter(pk=suggestion.pk, status=SuggestionStatus.PROPOSED).update(
        status=status,
        decided_by=actor if getattr(actor, "is_authenticated", False) else None,
        decided_at=timezone.now(),
    )
    if not claimed:
        current = MatchSuggestion.objects.filter(pk=suggestion.pk).values_list("status", flat=True).first()
        if current == SuggestionStatus.ACCEPTED:
            raise DomainError("Это предложение уже принято: пара создана.")
        if current == SuggestionStatus.REJECTED:
            raise DomainError("Это предложение уже отклонено.")
        raise DomainError("Этого предложения больше нет: запустите подбор пар заново.")
    return run


@transaction.atomic
def suggestion_accept(*, actor: Any, suggestion: MatchSuggestion, started_on: date) -> Pair:
    """Accept a suggestion: the mentee joins the mentor in the run's programme from ``started_on``.

    If the mentor already leads an open pair of the programme, the mentee is added to it
    (``services.pair_member_add``: the pair becomes a group); otherwise the two form a new pair
    (``services.pair_create``). Every rule of those services applies at this moment (consents,
    capacity, the form…); when one refuses, its ``DomainError`` propagates and the suggestion stays
    proposed.
    """
    run = _decide(actor, suggestion, SuggestionStatus.ACCEPTED)
    # Accepting two suggestions of one mentor at once must not make two pairs: the second waits here
    # and then finds the pair the first has formed.
    programme = Programme.objects.select_for_update().get(pk=run.programme_id)
    led = (
        selectors.open_memberships(role=BaseRole.MENTOR)
        .filter(programme=programme, person=suggestion.mentor_id)
        .select_related("pair")
        .first()
    )
    if led is None:
        pair = services.pair_create(
            actor=actor,
            programme=programme,
            mentors=[suggestion.mentor],
            mentees=[suggestion.mentee],
            started_on=started_on,
        )
    else:
        pair = services.pair_member_add(
            actor=actor, pair=led.pair, person=suggestion.mentee, role=BaseRole.MENTEE, joined_on=started_on
        ).pair
    MatchSuggestion.objects.filter(pk=suggestion.pk).update(pair=pair)
    suggestion.refresh_from_db()
    return pair


@transaction.atomic
def suggestion_reject(*, actor: Any, suggestion: MatchSuggestion) -> None:
    """Decline a suggestion: no pair is formed; the mentee stays among the unpaired."""
    _decide(actor, suggestion, SuggestionStatus.REJECTED)
    suggestion.refresh_from_db()
