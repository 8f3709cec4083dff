"""The response rate behind growth and satisfaction: «ответили N из M», and a figure from too few answers greyed.

Asked: the people sent a personal link in the school year; answered: those whose link was answered,
plus people whose response came without a link (imported), who count as both asked and answered.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from monitoring.indicators import ResponseRate, growth_of, rate_of
from monitoring.models import OrganisationFigures
from monitoring.services import figures_refresh, response_rates
from participants.choices import QuestionnaireAudience, QuestionnaireMoment
from participants.models import Answer, QuestionnaireLink, Response
from participants.services.questionnaires import response_submit
from participants.tests.factories import PersonFactory, QuestionFactory, QuestionnaireFactory

MSK = ZoneInfo("Europe/Moscow")
EXIT, ENTRY = QuestionnaireMoment.EXIT, QuestionnaireMoment.ENTRY
IN_YEAR = datetime(2026, 11, 2, 10, 0, tzinfo=MSK)


def questionnaire(org: Any, moment: str = EXIT, audience: str = QuestionnaireAudience.MENTEE) -> Any:
    q = QuestionnaireFactory(organisation=org, moment=moment, audience=audience)
    QuestionFactory(questionnaire=q)
    return q


def link(q: Any, person: Any, *, sent_at: datetime | None = IN_YEAR, answered: bool = False, mark: int = 8) -> Any:
    made = QuestionnaireLink.objects.create(
        organisation=person.organisation,
        questionnaire=q,
        person=person,
        token_hash=secrets.token_hex(32),
        expires_at=datetime(2027, 5, 1, tzinfo=MSK),
        sent_at=sent_at,
    )
    if answered:
        made.response = respond(q, person, mark=mark)
        made.answered_at = sent_at or IN_YEAR
        made.save()
    return made


def respond(q: Any, person: Any, *, mark: int = 8, filled_on: date = date(2026, 11, 5)) -> Response:
    response = Response.objects.create(
        organisation=person.organisation, questionnaire=q, person=person, filled_on=filled_on
    )
    Answer.objects.create(response=response, question=q.questions.get(), number=mark)
    return response


def people(org: Any, n: int) -> list[Any]:
    return [PersonFactory(organisation=org) for _ in range(n)]


def test_people_sent_a_link_are_asked_and_those_who_answered_it_answered(world):
    q = questionnaire(world.organisation_a1)
    first, *rest = people(world.organisation_a1, 3)
    link(q, first, answered=True)
    for person in rest:
        link(q, person)
    assert response_rates(school_year=2026)[(world.organisation_a1.pk, EXIT)] == (3, 1)


def test_a_person_sent_two_exit_questionnaires_is_one_person_asked(world):
    mentee_q = questionnaire(world.organisation_a1)
    mentor_q = questionnaire(world.organisation_a1, audience=QuestionnaireAudience.MENTOR)
    (person,) = people(world.organisation_a1, 1)
    link(mentee_q, person, answered=True)
    link(mentor_q, person)
    assert response_rates(school_year=2026)[(world.organisation_a1.pk, EXIT)] == (1, 1)


def test_an_imported_response_counts_as_both_asked_and_answered(world):
    q = questionnaire(world.organisation_a1)
    asked, imported = people(world.organisation_a1, 2)
    link(q, asked)
    respond(q, imported)
    assert response_rates(school_year=2026)[(world.organisation_a1.pk, EXIT)] == (2, 1)


def test_an_imported_answer_from_someone_whose_link_is_open_counts_them_once_as_answered(world):
    q = questionnaire(world.organisation_a1)
    (person,) = people(world.organisation_a1, 1)
    link(q, person)
    respond(q, person)
    assert response_rates(school_year=2026)[(world.organisation_a1.pk, EXIT)] == (1, 1)


def test_another_schools_links_are_not_counted(world):
    q = questionnaire(world.organisation_a1)
    link(q, people(world.organisation_a1, 1)[0], answered=True)
    link(questionnaire(world.organisation_b1), people(world.organisation_b1, 1)[0])
    rates = response_rates(school_year=2026, organisations=[world.organisation_a1.pk])
    assert rates == {(world.organisation_a1.pk, EXIT): (1, 1)}
    assert response_rates(school_year=2026)[(world.organisation_b1.pk, EXIT)] == (1, 0)


def test_the_curators_questionnaire_and_entry_links_are_not_counted_at_exit(world):
    curator_q = questionnaire(world.organisation_a1, audience=QuestionnaireAudience.CURATOR)
    entry_q = questionnaire(world.organisation_a1, moment=ENTRY)
    person, other = people(world.organisation_a1, 2)
    link(curator_q, person)
    link(entry_q, other, answered=True)
    rates = response_rates(school_year=2026)
    assert (world.organisation_a1.pk, EXIT) not in rates
    assert rates[(world.organisation_a1.pk, ENTRY)] == (1, 1)


def test_the_school_year_runs_from_1_september_to_31_august_in_local_time(world):
    q = questionnaire(world.organisation_a1)
    last_year, this_year, next_year = people(world.organisation_a1, 3)
    link(q, last_year, sent_at=datetime(2026, 8, 31, 23, 59, tzinfo=MSK))
    link(q, this_year, sent_at=datetime(2026, 9, 1, 0, 0, tzinfo=MSK))
    link(q, next_year, sent_at=datetime(2027, 9, 1, 0, 0, tzinfo=MSK))
    imported_before, imported_last_day = people(world.organisation_a1, 2)
    respond(q, imported_before, filled_on=date(2026, 8, 31))
    respond(q, imported_last_day, filled_on=date(2027, 8, 31))
    assert response_rates(school_year=2026)[(world.organisation_a1.pk, EXIT)] == (2, 1)
    assert response_rates(school_year=2025)[(world.organisation_a1.pk, EXIT)] == (2, 1)


def test_a_printed_link_is_dated_by_its_sheet_and_an_unsent_one_by_its_deadline(world):
    q = questionnaire(world.organisation_a1)
    printed, pending = people(world.organisation_a1, 2)
    made = link(q, printed, sent_at=None)
    made.printed_at = datetime(2026, 10, 1, tzinfo=MSK)
    made.save()
    link(q, pending, sent_at=None)  # deadline 1 May 2027: within 2026/2027
    assert response_rates(school_year=2026)[(world.organisation_a1.pk, EXIT)] == (2, 0)


@pytest.mark.parametrize(
    ("answered", "asked", "low"),
    [(4, 4, True), (5, 20, True), (6, 20, False), (5, 5, False), (0, 0, True), (30, 100, False), (29, 100, True)],
)
def test_a_rate_is_low_under_30_percent_or_under_5_answers(answered, asked, low):
    assert ResponseRate(answered=answered, asked=asked).low is low


def test_the_thresholds_are_settings(settings):
    settings.MONITORING_MIN_RESPONSES = 1
    settings.MONITORING_MIN_RESPONSE_PERCENT = 10
    assert ResponseRate(answered=1, asked=10).low is False
    assert ResponseRate(answered=1, asked=11).low is True
    assert ResponseRate(answered=1, asked=3).text == "ответили 1 из 3"


def test_the_refresh_stores_the_rates_and_the_averages_of_growth(world):
    exit_q, entry_q = questionnaire(world.organisation_a1), questionnaire(world.organisation_a1, moment=ENTRY)
    first, second, third = people(world.organisation_a1, 3)
    link(entry_q, first, answered=True, mark=4)
    link(entry_q, second, answered=True, mark=6)
    link(exit_q, first, answered=True, mark=8)
    link(exit_q, second)
    link(exit_q, third)
    figures_refresh(school_year=2026, organisations=[world.organisation_a1.pk])
    row = OrganisationFigures.objects.filter(organisation=world.organisation_a1, school_year=2026).values().get()
    assert (row["entry_answered"], row["entry_asked"], row["entry_sum"], row["entry_count"]) == (2, 2, 10, 2)
    assert (row["satisfaction_answered"], row["satisfaction_asked"]) == (1, 3)
    growth = growth_of(row)
    assert (growth.entry, growth.exit, growth.value_text) == (5, 8, "+3,0")
    assert growth.low  # two and one answers: under five
    assert rate_of(row, "satisfaction").text == "ответили 1 из 3"


def _dashboard(client: Any, user: Any, level: str, pk: int) -> str:
    client.force_login(user)
    return client.get(reverse(f"monitoring:{level}", args=[pk]), {"year": 2026}).content.decode()


def test_the_dashboards_show_the_rate_on_every_level_summed_over_the_schools(world, client):
    q_a1, q_a2 = questionnaire(world.organisation_a1), questionnaire(world.organisation_a2)
    for person in people(world.organisation_a1, 2):
        link(q_a1, person, answered=True)
    link(q_a2, people(world.organisation_a2, 1)[0])
    figures_refresh(school_year=2026)
    school = _dashboard(client, world.curator_a1, "organisation", world.organisation_a1.pk)
    assert "ответили 2 из 2" in school
    assert "мало ответов" in school
    municipality = _dashboard(client, world.officer_a, "municipality", world.municipality_a.pk)
    assert "ответили 2 из 3" in municipality
    region = _dashboard(client, world.regional_coordinator, "region", world.region_r.pk)
    assert "ответили 2 из 3" in region


def test_enough_answers_read_as_a_result_without_the_low_mark(world, client, settings):
    settings.MONITORING_MIN_RESPONSES = 1
    q = questionnaire(world.organisation_a1)
    link(q, people(world.organisation_a1, 1)[0], answered=True, mark=9)
    entry_q = questionnaire(world.organisation_a1, moment=ENTRY)
    link(entry_q, people(world.organisation_a1, 1)[0], answered=True, mark=6)
    figures_refresh(school_year=2026)
    school = _dashboard(client, world.curator_a1, "organisation", world.organisation_a1.pk)
    assert "ответили 1 из 1" in school
    assert "мало ответов" not in school
    assert "+3,0" in school


def test_a_stored_response_refreshes_its_schools_figures_on_commit(world, django_capture_on_commit_callbacks):
    q = questionnaire(world.organisation_a1)
    person = world.mentee_a1_person
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response_submit(
            actor=world.curator_a1,
            questionnaire=q,
            person=person,
            filled_on=date(2026, 11, 20),
            answers={q.questions.get().pk: 7},
        )
    assert len([c for c in callbacks if getattr(c, "monitoring_refresh", None)]) == 1
    row = OrganisationFigures.objects.get(organisation=world.organisation_a1, school_year=2026)
    assert (row.satisfaction_sum, row.satisfaction_count, row.satisfaction_answered, row.satisfaction_asked) == (
        7,
        1,
        1,
        1,
    )


def test_the_quality_page_shows_the_rate_per_form_at_entry_and_exit_and_greys_a_low_growth(world, client):
    exit_q, entry_q = questionnaire(world.organisation_a1), questionnaire(world.organisation_a1, moment=ENTRY)
    first, second = people(world.organisation_a1, 2)
    link(entry_q, first, answered=True, mark=4)
    link(exit_q, first, answered=True, mark=8)
    link(exit_q, second)
    link(questionnaire(world.organisation_b1), people(world.organisation_b1, 1)[0])  # another school: not counted
    client.force_login(world.officer_a)
    page = client.get(
        reverse("monitoring:quality", args=["municipality", world.municipality_a.pk]), {"year": 2026}
    ).content.decode()
    assert "ответили 1 из 1" in page
    assert "ответили 1 из 2" in page
    assert "+4" in page
    assert "мало ответов" in page
    assert "из 3" not in page


def test_a_school_without_questionnaires_shows_dashes_and_no_low_mark(world, client):
    school = _dashboard(client, world.curator_a1, "organisation", world.organisation_a1.pk)
    assert "ответили 0 из 0" in school
    assert "мало ответов" not in school
