"""Reads of participants, bases, programmes and pairs, always through ``restrict(user, action)``.

Every list comes with its joins and counts made in the database (``select_related``,
``prefetch_related``, correlated ``COUNT``/``EXISTS`` subqueries), so a page costs the same
number of queries whether it shows two rows or two thousand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Exists, F, Func, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.handover import Row
from accounts.selectors import place_label
from mentorship.models import Organisation
from mentorship.search import search_q

from .choices import BaseRole, PairStatus
from .models import BaseEntry, Consent, DevelopmentPlan, Meeting, Pair, PairMember, Person, PlanTask, Programme


def _count(queryset: QuerySet) -> Subquery:
    """A correlated ``COUNT(*)`` of ``queryset``, already filtered on an ``OuterRef``."""
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Subquery(counted, output_field=IntegerField())


def valid_consents(on: date) -> QuerySet[Consent]:
    """The consents in force on ``on``: signed by then, not withdrawn and not expired."""
    return Consent.objects.filter(Consent.in_force_q(on))


def valid_consent_q(on: date, prefix: str = "") -> Q:
    """The people (``prefix`` for a lookup through a relation, e.g. ``"person__"``) with a consent valid on ``on``."""
    return Q(Exists(valid_consents(on).filter(person=OuterRef(f"{prefix}pk" if prefix else "pk"))))


def open_memberships(*, role: BaseRole | None = None, school_year: int | None = None) -> QuerySet[PairMember]:
    """Memberships still running: not left, in a pair that is forming or active."""
    memberships = PairMember.objects.filter(left_on__isnull=True, pair__status__in=PairStatus.open())
    if role is not None:
        memberships = memberships.filter(role=role)
    if school_year is not None:
        memberships = memberships.filter(pair__school_year=school_year)
    return memberships


def mentees_led(*, mentor_ref: Any, school_year_ref: Any) -> QuerySet[PairMember]:
    """The open mentee memberships in open pairs of a school year that a mentor leads (for capacity)."""
    return PairMember.objects.filter(
        role=BaseRole.MENTEE,
        left_on__isnull=True,
        pair__status__in=PairStatus.open(),
        pair__school_year=school_year_ref,
        pair__members__person=mentor_ref,
        pair__members__role=BaseRole.MENTOR,
        pair__members__left_on__isnull=True,
    )


# --- people and bases ---------------------------------------------------------------------------


def people_list(*, user: Any) -> QuerySet[Person]:
    """The people the user may see, with their organisation, ``has_consent`` (today) and ``in_pair``."""
    today = timezone.localdate()
    return (
        Person.objects.restrict(user, "view")
        .select_related("organisation", "organisation__municipality")
        .annotate(
            has_consent=Exists(valid_consents(today).filter(person=OuterRef("pk"))),
            in_pair=Exists(open_memberships().filter(person=OuterRef("pk"))),
        )
    )


def base_entries(*, user: Any, role: BaseRole | str, school_year: int) -> QuerySet[BaseEntry]:
    """The mentor or mentee base of a school year across what the user sees.

    Each entry carries ``has_consent`` (today), ``in_pair`` (an open membership in that role this
    year) and, for mentors, ``mentees_count`` (the mentees they lead, against ``capacity``).
    """
    today = timezone.localdate()
    entries = (
        BaseEntry.objects.restrict(user, "view")
        .filter(role=role, school_year=school_year)
        .select_related("person", "organisation", "organisation__municipality")
        .annotate(
            has_consent=Exists(valid_consents(today).filter(person=OuterRef("person_id"))),
            in_pair=Exists(
                open_memberships(role=role).filter(
                    person=OuterRef("person_id"), pair__school_year=OuterRef("school_year")
                )
            ),
        )
    )
    if role == BaseRole.MENTOR:
        entries = entries.annotate(
            mentees_count=_count(mentees_led(mentor_ref=OuterRef("person_id"), school_year_ref=OuterRef("school_year")))
        )
    return entries


def unpaired_mentees(*, user: Any, organisation: Organisation | None = None, school_year: int) -> QuerySet[BaseEntry]:
    """Active mentee entries of the school year whose person is a mentee of no open pair (stage 5: «без пары»)."""
    entries = (
        BaseEntry.objects.restrict(user, "view")
        .filter(role=BaseRole.MENTEE, school_year=school_year, is_active=True)
        .exclude(
            Exists(
                open_memberships(role=BaseRole.MENTEE).filter(
                    person=OuterRef("person_id"), pair__school_year=OuterRef("school_year")
                )
            )
        )
        .select_related("person", "organisation")
        .annotate(has_consent=Exists(valid_consents(timezone.localdate()).filter(person=OuterRef("person_id"))))
    )
    if organisation is not None:
        entries = entries.filter(organisation=organisation)
    return entries


# --- programmes ----------------------------------------------------------------------------------


def _with_programme_counts(programmes: QuerySet[Programme]) -> QuerySet[Programme]:
    return programmes.annotate(
        pairs_count=_count(Pair.objects.filter(programme=OuterRef("pk"))),
        copies_count=_count(Programme.objects.filter(source=OuterRef("pk"))),
    )


def programmes_list(*, user: Any) -> QuerySet[Programme]:
    """The programmes the user may see (their own organisations' and the published ones), with counts."""
    return _with_programme_counts(
        Programme.objects.restrict(user, "view").select_related("organisation", "organisation__municipality", "source")
    )


def programmes_kept(*, user: Any, organisation: int | None = None) -> QuerySet[Programme]:
    """The programmes of the organisations the user sees, without other organisations' published ones (filters).

    The pair filter lists one organisation's programmes: ``organisation`` (chosen in the
    filter), else the user's only organisation. Over many organisations it offers none until one
    is chosen: a region keeps about 6 000 programmes, far too many for a drop-down list.
    """
    organisations = Organisation.objects.restrict(user, "view")
    if organisation is None:
        only = list(organisations.values_list("pk", flat=True)[:2])
        if len(only) != 1:
            return Programme.objects.none()
        organisation = only[0]
    return (
        Programme.objects.restrict(user, "view")
        .filter(organisation__in=organisations.filter(pk=organisation))
        .only("pk", "title")
    )


def programmes_bank(*, user: Any) -> QuerySet[Programme]:
    """The bank of programmes: published programmes of the user's region, good practices first."""
    return programmes_list(user=user).filter(is_published=True, is_active=True).order_by("-is_good_practice", "title")


# --- pairs ---------------------------------------------------------------------------------------


#: what a list (and an order's appendix) shows of a member: the name or the anonymised mark, the class or post
LISTED_MEMBER_FIELDS = (
    "pair",
    "person",
    "role",
    "left_on",
    *(
        f"person__{name}"
        for name in ("surname", "name", "patronymic", "anonymised_at", "class_name", "position", "workplace")
    ),
)


def _members_prefetch(*fields: str) -> Prefetch:
    """The pairs' members with their people, mentors first; only ``fields`` of them when given."""
    members = PairMember.objects.select_related("person").order_by("role", "person__surname", "person__name")
    return Prefetch("members", queryset=members.only(*fields) if fields else members)


def pairs_list(*, user: Any) -> QuerySet[Pair]:
    """The pairs and groups the user may see, members (with people) prefetched and meetings counted."""
    return (
        Pair.objects.restrict(user, "view")
        .select_related("programme", "organisation", "organisation__municipality")
        # A list names the programme; its texts are read on the programme's page.
        .defer("programme__goals", "programme__expected_results", "programme__materials")
        .prefetch_related(_members_prefetch(*LISTED_MEMBER_FIELDS))
        .annotate(
            mentees_count=_count(
                PairMember.objects.filter(pair=OuterRef("pk"), role=BaseRole.MENTEE, left_on__isnull=True)
            ),
            meetings_held=_count(Meeting.objects.filter(pair=OuterRef("pk"), held_on__isnull=False)),
        )
    )


def pairs_search(pairs: QuerySet[Pair], query: str) -> QuerySet[Pair]:
    """The pairs whose group title or a member's name matches ``query`` (the list's and the export's «?q=»)."""
    if not query.strip():
        return pairs
    # A subquery, so a pair matched through two members is listed once.
    people = Person.objects.filter(search_q(("surname", "name", "patronymic"), query))
    members = PairMember.objects.filter(person__in=people.values("pk")).values("pair")
    return pairs.filter(search_q(("title",), query) | Q(pk__in=members))


def pair_detail(*, user: Any, pk: int) -> Pair:
    """One pair the user may see, with its members, meetings and development plans (404 otherwise)."""
    pairs = (
        Pair.objects.restrict(user, "view")
        .select_related("programme", "organisation", "organisation__municipality", "created_by")
        .prefetch_related(
            _members_prefetch(),
            Prefetch("meetings", queryset=Meeting.objects.select_related("recorded_by").order_by("planned_on", "pk")),
            Prefetch(
                "plans",
                queryset=DevelopmentPlan.objects.select_related("mentee").prefetch_related(
                    Prefetch("tasks", queryset=PlanTask.objects.order_by("deadline", "pk"))
                ),
            ),
        )
    )
    return get_object_or_404(pairs, pk=pk)


@dataclass(frozen=True)
class Summary:
    """The overview of a school year in the user's scope: the bases, the pairs by status, who waits for a pair."""

    mentors: int
    mentees: int
    pairs_by_status: dict[str, int]
    unpaired: int
    people: int

    @property
    def pairs(self) -> int:
        return sum(self.pairs_by_status.values())


def participants_summary(*, user: Any, school_year: int) -> Summary:
    """Counts for the overview page, each one grouped query in the database."""
    bases = dict(
        BaseEntry.objects.restrict(user, "view")
        .filter(school_year=school_year, is_active=True)
        .order_by()
        .values_list("role")
        .annotate(n=Count("pk"))
    )
    by_status = dict(
        Pair.objects.restrict(user, "view")
        .filter(school_year=school_year)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    return Summary(
        mentors=bases.get(BaseRole.MENTOR, 0),
        mentees=bases.get(BaseRole.MENTEE, 0),
        pairs_by_status={status: by_status.get(status, 0) for status in PairStatus.values},
        unpaired=unpaired_mentees(user=user, school_year=school_year).count(),
        people=Person.objects.restrict(user, "view").count(),
    )


# --- handover (the user's card in accounts) -------------------------------------------------------


def pairs_led(user: Any, viewer: Any) -> list[Row]:
    """The open pairs and groups ``user`` leads as a mentor, those the viewer sees (one query).

    Listed on the user's card so that another mentor can be put in before the person leaves: the
    link leads to the pair's page, where its members are changed.
    """
    pairs = (
        Pair.objects.restrict(viewer, "view")
        .filter(
            status__in=PairStatus.open(),
            pk__in=PairMember.objects.filter(
                role=BaseRole.MENTOR, left_on__isnull=True, person__user_id=user.pk
            ).values("pair_id"),
        )
        .select_related("programme", "organisation__municipality")
        .order_by("organisation__short_name", "-started_on", "pk")
    )
    return [
        Row(
            pk=pair.pk,
            label=f"{pair} — {pair.programme.title}",
            url=pair.get_absolute_url(),
            place=place_label(pair.organisation),
            note=pair.get_status_display(),
        )
        for pair in pairs
    ]


# --- questionnaires and their personal links -----------------------------------------------------


def questionnaires_available(*, user: Any) -> QuerySet[Any]:
    """The questionnaires a user may use: the portal's templates, their region's and their own, with counts."""
    from .models import Question, Questionnaire, Response

    return (
        Questionnaire.objects.restrict(user, "view")
        .select_related("organisation", "region")
        .annotate(
            questions_count=_count(Question.objects.filter(questionnaire=OuterRef("pk"))),
            responses_count=_count(Response.objects.filter(questionnaire=OuterRef("pk"))),
        )
        # The school's and the region's own first, then the templates, on every backend.
        .order_by(
            F("organisation_id").asc(nulls_last=True),
            F("region_id").asc(nulls_last=True),
            "form",
            "audience",
            "moment",
            "title",
            "-version",
        )
    )


def questionnaire_sendings(*, user: Any) -> QuerySet[Any]:
    """What was sent where: one row per programme and questionnaire, with answered and asked, in one query."""
    from .models import QuestionnaireLink

    return (
        QuestionnaireLink.objects.restrict(user, "view")
        .filter(programme__isnull=False)
        .values(
            "programme_id", "programme__title", "questionnaire_id", "questionnaire__title", "questionnaire__version"
        )
        .annotate(asked=Count("pk"), answered=Count("pk", filter=Q(answered_at__isnull=False)))
        .order_by("programme__title", "questionnaire__title")
    )


@dataclass(frozen=True)
class FollowUp:
    """«Кто ответил»: the counts of one questionnaire in a programme (or one pair), and who has not answered."""

    asked: int
    answered: int
    expired: int
    unanswered: QuerySet[Any]

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.asked) if self.asked else 0


def questionnaire_follow_up(
    *, user: Any, programme: Programme, questionnaire: Any, pair: Pair | None = None
) -> FollowUp:
    """The follow-up of a sending: two queries whatever the number of people (the counts, then the list)."""
    from .models import QuestionnaireLink

    links = QuestionnaireLink.objects.restrict(user, "view").filter(programme=programme, questionnaire=questionnaire)
    if pair is not None:
        links = links.filter(pair=pair)
    now = timezone.now()
    counts = links.aggregate(
        asked=Count("pk"),
        answered=Count("pk", filter=Q(answered_at__isnull=False)),
        expired=Count("pk", filter=Q(answered_at__isnull=True, expires_at__lte=now)),
    )
    unanswered = (
        links.filter(answered_at__isnull=True)
        .select_related("person", "pair")
        .only(
            "pk",
            "expires_at",
            "sent_at",
            "printed_at",
            "reminded_on",
            "send_pending",
            "pair__id",
            "pair__title",
            "person__surname",
            "person__name",
            "person__patronymic",
            "person__email",
            "person__user_id",
        )
        .order_by("person__surname", "person__name", "pk")
    )
    return FollowUp(
        asked=counts["asked"], answered=counts["answered"], expired=counts["expired"], unanswered=unanswered
    )


def own_questionnaire_link(*, user: Any, pk: int) -> Any:
    """The user's own personal link (the person whose account they hold), or 404: what the digest's line opens."""
    from .models import QuestionnaireLink

    return get_object_or_404(QuestionnaireLink.objects.select_related("person"), pk=pk, person__user=user)
