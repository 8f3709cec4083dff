"""Pairs and groups: forming, members joining and leaving, confirmation, completion, the year's close."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, Value
from django.db.models.functions import Greatest
from guardian.shortcuts import assign_perm

from mentorship import access
from mentorship.choices import OrganisationKind
from mentorship.errors import DomainError
from mentorship.models import Organisation
from mentorship.services import object_create, object_update
from mentorship.workflow import actor_user
from participants.choices import BaseRole, MentorKind, MentorshipForm, PairStatus, PersonKind, Stage
from participants.models import (
    BaseEntry,
    CooperationAgreement,
    Pair,
    PairMember,
    Person,
    Programme,
    school_year_label,
    school_year_of,
)
from participants.selectors import mentees_led, open_memberships, valid_consent_q

from .common import _d, _ensure_not_future, _ensure_visible, _lock

EMPLOYER_KINDS = {MentorKind.EMPLOYEE, MentorKind.PUBLIC_FIGURE}


def _form_rule(form: str, mentors: Sequence[Person], mentees: Sequence[Person], entries: dict[int, BaseEntry]) -> None:
    """The domain's rules on who may mentor whom in each form, with the form named in the message."""
    label = f"«{MentorshipForm(form).label}»"
    students = [p for p in (*mentors, *mentees) if p.kind == PersonKind.STUDENT]
    if form == MentorshipForm.STUDENT_STUDENT:
        if any(p.kind != PersonKind.STUDENT for p in (*mentors, *mentees)):
            raise DomainError(f"В форме {label} и наставник, и наставляемый — обучающиеся.")
        if len({p.organisation_id for p in students}) > 1:
            raise DomainError(f"В форме {label} наставник и наставляемый учатся в одной образовательной организации.")
        return
    mentor_ok = {
        MentorshipForm.TEACHER_TEACHER: lambda p: p.kind == PersonKind.TEACHER,
        MentorshipForm.TEACHER_STUDENT: lambda p: p.kind == PersonKind.TEACHER,
        MentorshipForm.MANAGER_YOUNG_MANAGER: lambda p: p.kind == PersonKind.TEACHER and p.is_manager,
        MentorshipForm.COLLEGE_STUDENT_STUDENT: lambda p: (
            (p.kind == PersonKind.STUDENT and p.organisation.kind == OrganisationKind.COLLEGE)
            or (p.kind == PersonKind.EXTERNAL and entries[p.pk].mentor_kind == MentorKind.STUDENT and bool(p.workplace))
        ),
        MentorshipForm.EMPLOYER_STUDENT: lambda p: (
            p.kind == PersonKind.EXTERNAL and entries[p.pk].mentor_kind in EMPLOYER_KINDS
        ),
        MentorshipForm.EMPLOYER_COLLEGE_STUDENT: lambda p: (
            p.kind == PersonKind.EXTERNAL and entries[p.pk].mentor_kind in EMPLOYER_KINDS
        ),
    }[MentorshipForm(form)]
    mentor_text = {
        MentorshipForm.TEACHER_TEACHER: "педагог",
        MentorshipForm.TEACHER_STUDENT: "педагог",
        MentorshipForm.MANAGER_YOUNG_MANAGER: "педагог на руководящей должности",
        MentorshipForm.COLLEGE_STUDENT_STUDENT: "студент колледжа (внешнему наставнику — с указанным местом учёбы)",
        MentorshipForm.EMPLOYER_STUDENT: "сотрудник предприятия, предприниматель или общественный деятель",
        MentorshipForm.EMPLOYER_COLLEGE_STUDENT: "сотрудник предприятия, предприниматель или общественный деятель",
    }[MentorshipForm(form)]
    for mentor in mentors:
        if not mentor_ok(mentor):
            raise DomainError(f"В форме {label} наставник — {mentor_text}; {mentor.full_name} не подходит.")
    mentee_kind = (
        PersonKind.TEACHER
        if form in (MentorshipForm.TEACHER_TEACHER, MentorshipForm.MANAGER_YOUNG_MANAGER)
        else PersonKind.STUDENT
    )
    for mentee in mentees:
        if mentee.kind != mentee_kind:
            whom = "педагог" if mentee_kind == PersonKind.TEACHER else "обучающийся"
            raise DomainError(f"В форме {label} наставляемый — {whom}; {mentee.full_name} не подходит.")
        if form == MentorshipForm.EMPLOYER_COLLEGE_STUDENT and mentee.organisation.kind != OrganisationKind.COLLEGE:
            raise DomainError(f"В форме {label} наставляемый — студент колледжа; {mentee.full_name} не подходит.")


def _ensure_people_visible(actor: Any, ids: Collection[int], message: str) -> None:
    """People chosen in a form must all be ones the actor sees; otherwise the form says so, naming nobody."""
    if set(Person.objects.restrict(actor, "view").filter(pk__in=ids).values_list("pk", flat=True)) != set(ids):
        raise DomainError(message)


def _lock_people(ids: Collection[int], on: date) -> dict[int, Person]:
    """The people, locked in the order of their ids, each with ``consented`` on ``on`` (checked by the database).

    Locking the mentors makes two curators who add mentees to the same mentor at once wait for each
    other, so the capacity counted by the second includes what the first has just added.
    """
    return {
        person.pk: person
        for person in Person.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .filter(pk__in=ids)
        .annotate(consented=valid_consent_q(on))
        .order_by("pk")
    }


def _base_entries(programme: Programme, roles: dict[int, str]) -> dict[int, BaseEntry]:
    """Each person's entry in the base of the programme's organisation and school year, in their role in the pair.

    Inactive entries are included: they still say how many mentees a mentor already in the pair may
    lead; a newcomer needs an active one (``_check_newcomer``).
    """
    return {
        entry.person_id: entry
        for entry in BaseEntry.objects.filter(
            person_id__in=roles, school_year=programme.school_year, organisation=programme.organisation_id
        )
        if entry.role == roles[entry.person_id]
    }


def _entry_of(
    person: Person, role: str, entries: dict[int, BaseEntry], programme: Programme, *, in_use: bool = False
) -> BaseEntry:
    """The person's base entry in ``role``; with ``in_use``, one taken out of use (``is_active``) counts as none."""
    entry = entries.get(person.pk)
    if entry is None or entry.role != role or (in_use and not entry.is_active):
        base = "наставников" if role == BaseRole.MENTOR else "наставляемых"
        raise DomainError(
            f"{person.full_name} нет в базе {base} на {school_year_label(programme.school_year)} учебный год."
        )
    return entry


def _check_newcomer(person: Person, role: str, programme: Programme, entries: dict[int, BaseEntry], on: date) -> None:
    """Whether ``person`` may join a pair (group) of ``programme`` in ``role`` on ``on``, the form's rules aside."""
    if person.organisation_id != programme.organisation_id:
        raise DomainError(
            f"{person.full_name} не относится к «{programme.organisation}»: в пару (группу) включаются участники "
            "базы этой организации (внешние наставники — тоже после внесения в её базу)."
        )
    if person.anonymised_at is not None:
        raise DomainError(f"Участник {person.full_name} отозвал согласие на обработку персональных данных.")
    if not person.consented:
        raise DomainError(
            f"У участника {person.full_name} нет действующего согласия на обработку персональных данных на {_d(on)}."
        )
    _entry_of(person, role, entries, programme, in_use=True)
    if role == BaseRole.MENTOR and person.kind == PersonKind.EXTERNAL:
        agreed = (
            CooperationAgreement.objects.filter(person=person, signed_on__lte=on)
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
            .exists()
        )
        if not agreed:
            raise DomainError(
                f"С внешним наставником {person.full_name} нет действующего соглашения о сотрудничестве на {_d(on)}."
            )


def _check_composition(
    programme: Programme,
    mentors: Sequence[Person],
    mentees: Sequence[Person],
    newcomers: Sequence[Person],
    entries: dict[int, BaseEntry],
    on: date,
) -> None:
    """The rules for ``newcomers`` joining a pair (group) that will be ``mentors`` and ``mentees`` of ``programme``."""
    if programme.form == MentorshipForm.STUDENT_STUDENT:
        # Said first: «учатся в одной организации» explains more than «не относится к организации».
        _form_rule(programme.form, mentors, mentees, entries)
    mentor_ids = {mentor.pk for mentor in mentors}
    for person in newcomers:
        role = BaseRole.MENTOR if person.pk in mentor_ids else BaseRole.MENTEE
        _check_newcomer(person, role, programme, entries, on)
    _form_rule(programme.form, mentors, mentees, entries)


def _ensure_capacity(mentors: Sequence[Person], entries: dict[int, BaseEntry], programme: Programme, more: int) -> None:
    """No mentor leads more mentees this school year than the capacity of their base entry, ``more`` included."""
    for mentor in mentors:
        led = mentees_led(mentor_ref=mentor.pk, school_year_ref=programme.school_year).count()
        capacity = _entry_of(mentor, BaseRole.MENTOR, entries, programme).capacity
        if led + more > capacity:
            raise DomainError(
                f"Наставник {mentor.full_name} уже ведёт наставляемых: {led} из {capacity}; "
                f"ещё {more} — больше, чем он может вести."
            )


def _ensure_not_in_programme(programme: Programme, ids: Collection[int]) -> None:
    taken = open_memberships().filter(programme=programme, person_id__in=ids).select_related("person").first()
    if taken is not None:
        raise DomainError(f"{taken.person.full_name} уже состоит в паре (группе) программы «{programme}».")


def _members_insert(pair: Pair, people: Sequence[tuple[Person, str]], joined_on: date) -> list[PairMember]:
    """Insert the memberships; the database's constraint has the last word on «once per programme»."""
    try:
        with transaction.atomic():
            members = PairMember.objects.bulk_create(
                PairMember(pair=pair, person=person, programme=pair.programme, role=role, joined_on=joined_on)
                for person, role in people
            )
    except IntegrityError as exc:
        # Another curator put one of them in this programme between our check and our insert.
        raise DomainError("Один из участников уже состоит в паре (группе) этой программы.") from exc
    # A mentor with a portal account sees the pairs they lead.
    for person, role in people:
        if role == BaseRole.MENTOR and person.user_id is not None:
            assign_perm("participants.view_pair", person.user, pair)
    return members


@transaction.atomic
def pair_create(
    *,
    actor: Any,
    programme: Programme,
    mentors: list[Person],
    mentees: list[Person],
    started_on: date,
    title: str = "",
    planned_end: date | None = None,
) -> Pair:
    """Form a pair (one mentor, one mentee) or a group (more than one mentee) in a programme.

    Everybody must be of the programme's organisation and visible to the actor, in its base of
    that school year, with a consent valid on ``started_on``; external mentors need a co-operation
    agreement; the form's rules hold; no mentor goes over capacity; nobody is twice in the programme.
    """
    if not mentors:
        raise DomainError("В паре (группе) должен быть хотя бы один наставник.")
    if not mentees:
        raise DomainError("В паре (группе) должен быть хотя бы один наставляемый.")
    ids = [person.pk for person in (*mentors, *mentees)]
    if len(set(ids)) != len(ids):
        raise DomainError("Один и тот же участник выбран дважды: наставник не может быть своим наставляемым.")
    _ensure_visible(actor, programme, "Выберите программу из списка своей организации.")
    programme = _lock(Programme, programme)
    if not programme.is_active:
        raise DomainError(f"Программа «{programme}» больше не действует.")
    if school_year_of(started_on) != programme.school_year:
        raise DomainError(
            f"Начало работы {_d(started_on)} не приходится на учебный год программы "
            f"({school_year_label(programme.school_year)})."
        )
    if planned_end is not None and planned_end < started_on:
        raise DomainError("Плановое окончание не может быть раньше начала работы.", field="planned_end")

    _ensure_people_visible(
        actor, ids, "Среди выбранных участников есть недоступные вам: выберите участников из списка своей организации."
    )
    people = _lock_people(ids, started_on)
    mentors = [people[p.pk] for p in mentors]
    mentees = [people[p.pk] for p in mentees]
    roles = {p.pk: BaseRole.MENTOR for p in mentors} | {p.pk: BaseRole.MENTEE for p in mentees}
    entries = _base_entries(programme, roles)
    _check_composition(programme, mentors, mentees, [*mentors, *mentees], entries, started_on)
    _ensure_capacity(mentors, entries, programme, len(mentees))
    _ensure_not_in_programme(programme, ids)

    pair = object_create(
        actor=actor,
        model=Pair,
        data={
            "organisation": programme.organisation,
            "programme": programme,
            "form": programme.form,
            "title": title.strip(),
            "school_year": programme.school_year,
            "stage": Stage.PAIRING,
            "status": PairStatus.FORMING,
            "started_on": started_on,
            "planned_end": planned_end,
            "created_by": actor_user(actor),
        },
    )
    _members_insert(pair, [(person, roles[person.pk]) for person in (*mentors, *mentees)], started_on)
    return pair


@transaction.atomic
def pair_member_add(*, actor: Any, pair: Pair, person: Person, role: BaseRole | str, joined_on: date) -> PairMember:
    """Add a mentee (a pair becomes a group) or a co-mentor to an open pair (group) from ``joined_on``.

    The newcomer meets the rules of ``pair_create``: of the pair's organisation and visible to the
    actor, in its base of that school year in ``role``, with a consent (and, for an external mentor,
    an agreement) valid on ``joined_on``; the form's rules hold for the whole pair with them; no
    mentor of the pair goes over capacity; they are in no other open pair of the programme.
    """
    role = BaseRole(role)
    pair = _lock_pair(actor, pair)
    _ensure_open(pair)
    programme = pair.programme
    if school_year_of(joined_on) != pair.school_year:
        raise DomainError(
            f"Дата вступления {_d(joined_on)} не приходится на учебный год пары (группы) "
            f"({school_year_label(pair.school_year)}).",
            field="joined_on",
        )
    if joined_on < pair.started_on:
        raise DomainError(
            f"Вступить в пару (группу) можно не раньше начала её работы ({_d(pair.started_on)}).", field="joined_on"
        )
    _ensure_people_visible(actor, [person.pk], "Выберите участника из списка своей организации.")
    current = dict(pair.members.filter(left_on__isnull=True).values_list("person_id", "role"))
    people = _lock_people({*current, person.pk}, joined_on)
    newcomer = people[person.pk]
    if newcomer.pk in current:
        raise DomainError(f"{newcomer.full_name} уже состоит в этой паре (группе).")
    mentors = [people[pk] for pk, member_role in current.items() if member_role == BaseRole.MENTOR]
    mentees = [people[pk] for pk, member_role in current.items() if member_role == BaseRole.MENTEE]
    entries = _base_entries(programme, current | {newcomer.pk: role})
    for mentor in mentors:
        _entry_of(mentor, BaseRole.MENTOR, entries, programme)  # the form's rules read the mentors' entries
    if role == BaseRole.MENTOR:
        _check_composition(programme, [*mentors, newcomer], mentees, [newcomer], entries, joined_on)
        _ensure_capacity([newcomer], entries, programme, len(mentees))
    else:
        _check_composition(programme, mentors, [*mentees, newcomer], [newcomer], entries, joined_on)
        _ensure_capacity(mentors, entries, programme, 1)
    _ensure_not_in_programme(programme, [newcomer.pk])
    if pair.members.filter(person=newcomer).exists():
        # One membership per person and pair: the dates of their first stay are kept, not overwritten.
        raise DomainError(
            f"{newcomer.full_name} уже выходил(а) из пары (группы) «{pair}»: вернуть участника в ту же пару нельзя, "
            "сформируйте новую пару."
        )
    [member] = _members_insert(pair, [(newcomer, role)], joined_on)
    return member


@transaction.atomic
def pair_member_remove(*, actor: Any, member: PairMember, left_on: date, reason: str = "") -> Pair:
    """A member leaves an open pair (group) on ``left_on``; returns the pair.

    A pair left without a mentor or without a mentee is terminated that day with ``reason``, which
    is then required (as for ``pair_terminate``); otherwise the reason goes to the change log.
    """
    pair = _lock_pair(actor, member.pair)
    _ensure_open(pair)
    member = PairMember.objects.select_for_update(of=("self",)).select_related("person").get(pk=member.pk)
    name = member.person.full_name
    if member.left_on is not None:
        raise DomainError(f"{name} уже вышел(а) из пары (группы) {_d(member.left_on)}.")
    _ensure_not_future(left_on, "Дата выхода из пары (группы)", "left_on")
    if left_on < member.joined_on:
        raise DomainError(f"{name} не может выйти из пары (группы) раньше, чем вступил(а): {_d(member.joined_on)}.")
    reason = reason.strip()
    last = not pair.members.filter(role=member.role, left_on__isnull=True).exclude(pk=member.pk).exists()
    if last and not reason:
        whom = "наставник" if member.role == BaseRole.MENTOR else "наставляемый"
        raise DomainError(
            f"{name} — последний {whom} пары (группы): без него она прекращается; укажите причину.", field="reason"
        )
    member.left_on = left_on
    member._change_reason = reason
    member.full_clean()
    member.save(update_fields=["left_on"])
    _terminate_unstaffed([pair.pk], left_on, reason)
    pair.refresh_from_db()
    return pair


def _lock_pair(actor: Any, pair: Pair, action: str = "change") -> Pair:
    access.ensure_can(actor, pair, action)
    return Pair.objects.select_for_update().get(pk=pair.pk)


def _ensure_open(pair: Pair) -> None:
    if pair.status not in PairStatus.open():
        raise DomainError(f"Пара (группа) «{pair}» уже {pair.get_status_display().lower()}: её работа окончена.")


#: The stages a pair may be put at by hand in each status (7 comes with completion).
STAGES_BY_STATUS = {
    PairStatus.FORMING: {Stage.CONDITIONS, Stage.MENTEE_BASE, Stage.MENTOR_BASE, Stage.MENTOR_TRAINING, Stage.PAIRING},
    PairStatus.ACTIVE: {Stage.WORK},
}


@transaction.atomic
def pair_stage_set(*, actor: Any, pair: Pair, stage: int) -> Pair:
    """Put a pair at a stage its status allows: 1–5 while forming, 6 once confirmed; 7 comes with completion."""
    pair = _lock_pair(actor, pair)
    _ensure_open(pair)
    stage = Stage(int(stage))
    if stage not in STAGES_BY_STATUS[pair.status]:
        if stage == Stage.COMPLETION:
            raise DomainError("Этап «Завершение» наступает при завершении пары с результатами.")
        if pair.status == PairStatus.FORMING:
            raise DomainError("Работа пары (этап 6) начинается после утверждения пары приказом.")
        raise DomainError("Утверждённая пара работает (этап 6): вернуть её на подготовительные этапы нельзя.")
    return object_update(actor=actor, obj=pair, data={"stage": stage})


@transaction.atomic
def pairs_confirm(*, actor: Any, pairs: Iterable[Pair], on: date, reason: str = "") -> int:
    """Confirm forming pairs by the director's order of ``on``: they become active, at stage 6. All or none.

    Each pair is saved on its own, so its history gets a row naming ``actor`` (and ``reason``, the order).
    """
    ids = sorted({pair.pk for pair in pairs})
    if not ids:
        raise DomainError("Выберите пары (группы) для утверждения.")
    _ensure_not_future(on, "Дата приказа", "on")
    allowed = Pair.objects.restrict(actor, "confirm").filter(pk__in=ids)
    locked = list(Pair.objects.select_for_update().filter(pk__in=allowed.values("pk")).order_by("pk"))
    if len(locked) != len(ids):
        raise PermissionDenied("Утверждать пары (группы) может руководитель, куратор или координатор их организации.")
    if done := [pair for pair in locked if pair.status != PairStatus.FORMING]:
        names = ", ".join(f"«{pair}» ({pair.get_status_display().lower()})" for pair in done)
        raise DomainError(f"Утвердить можно только формирующиеся пары; уже не формируются: {names}.")
    for pair in locked:
        pair.status, pair.stage, pair.confirmed_on = PairStatus.ACTIVE, Stage.WORK, on
        pair._history_user = actor_user(actor)
        pair._change_reason = reason or f"Утверждена приказом от {_d(on)}"
        pair.save(update_fields=["status", "stage", "confirmed_on"])
    return len(locked)


def _end_memberships(pairs: Any, on: date) -> None:
    PairMember.objects.filter(pair__in=pairs, left_on__isnull=True).update(left_on=Greatest("joined_on", Value(on)))


def _terminate(pairs: Any, on: date, reason: str) -> int:
    pair_ids = list(pairs.filter(status__in=PairStatus.open()).values_list("pk", flat=True))
    _end_memberships(pair_ids, on)
    return Pair.objects.filter(pk__in=pair_ids).update(
        status=PairStatus.TERMINATED, ended_on=Greatest("started_on", Value(on)), termination_reason=reason
    )


def _terminate_unstaffed(pair_ids: Iterable[int], on: date, reason: str) -> int:
    """Terminate those of the pairs left without an open mentor or without an open mentee: a pair needs both."""

    def staffed(role: BaseRole) -> Exists:
        return Exists(PairMember.objects.filter(pair=OuterRef("pk"), role=role, left_on__isnull=True))

    broken = Pair.objects.filter(pk__in=pair_ids).filter(~staffed(BaseRole.MENTOR) | ~staffed(BaseRole.MENTEE))
    return _terminate(broken, on, reason)


def _ensure_end_date(pair: Pair, ended_on: date) -> None:
    _ensure_not_future(ended_on, "Дата окончания", "ended_on")
    if ended_on < pair.started_on:
        raise DomainError(f"Окончание работы не может быть раньше её начала ({_d(pair.started_on)}).", field="ended_on")


@transaction.atomic
def pair_complete(*, actor: Any, pair: Pair, ended_on: date, results: str, reflection: str = "") -> Pair:
    """Complete an active pair with its results (stage 7); its members' participation ends."""
    pair = _lock_pair(actor, pair)
    _ensure_open(pair)
    if pair.status != PairStatus.ACTIVE:
        raise DomainError("Пара ещё не утверждена: завершить можно действующую пару; не начавшую работу — прекратить.")
    _ensure_end_date(pair, ended_on)
    if not results.strip():
        raise DomainError("Опишите результаты работы пары (группы).", field="results")
    _end_memberships([pair.pk], ended_on)
    return object_update(
        actor=actor,
        obj=pair,
        data={
            "status": PairStatus.COMPLETED,
            "stage": Stage.COMPLETION,
            "ended_on": ended_on,
            "results": results.strip(),
            "reflection": reflection.strip(),
        },
    )


@transaction.atomic
def pair_terminate(*, actor: Any, pair: Pair, ended_on: date, reason: str) -> Pair:
    """Stop a forming or active pair early, with the reason; its members' participation ends."""
    pair = _lock_pair(actor, pair)
    _ensure_open(pair)
    _ensure_end_date(pair, ended_on)
    if not reason.strip():
        raise DomainError("Укажите причину прекращения работы пары (группы).", field="reason")
    _end_memberships([pair.pk], ended_on)
    return object_update(
        actor=actor,
        obj=pair,
        data={"status": PairStatus.TERMINATED, "ended_on": ended_on, "termination_reason": reason.strip()},
    )


@transaction.atomic
def school_year_close(*, actor: Any, organisation: Organisation, school_year: int, on: date) -> int:
    """Close an organisation's school year on ``on``: active pairs complete, forming ones are terminated.

    Returns how many pairs were closed. A pair started after ``on`` ends on its start day.
    """
    # Asked before there is a pair to check: whether the actor may change pairs at the organisation.
    if not access.reaches(actor, organisation, access.permission_name(Pair, "change")):
        raise PermissionDenied("Закрыть учебный год может руководитель, куратор или координатор организации.")
    _ensure_not_future(on, "Дата закрытия учебного года")
    if school_year_of(on) < school_year:
        raise DomainError(f"Учебный год {school_year_label(school_year)} на {_d(on)} ещё не начался.")
    ids = list(
        Pair.objects.select_for_update()
        .filter(organisation=organisation, school_year=school_year, status__in=PairStatus.open())
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    label = school_year_label(school_year)
    terminated = _terminate(
        Pair.objects.filter(pk__in=ids, status=PairStatus.FORMING),
        on,
        f"Пара не была утверждена до закрытия {label} учебного года",
    )
    active = list(Pair.objects.filter(pk__in=ids, status=PairStatus.ACTIVE).values_list("pk", flat=True))
    _end_memberships(active, on)
    Pair.objects.filter(pk__in=active, results="").update(
        results=f"Работа завершена при закрытии {label} учебного года"
    )
    completed = Pair.objects.filter(pk__in=active).update(
        status=PairStatus.COMPLETED, stage=Stage.COMPLETION, ended_on=Greatest("started_on", Value(on))
    )
    return terminated + completed
