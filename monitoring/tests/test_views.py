"""Pages of targets, hand-entered values, period reports, quality and the federal export."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from monitoring.choices import ReportStatus
from monitoring.models import PeriodReport, Target
from monitoring.services import figures_refresh
from participants.choices import QuestionKind, QuestionnaireAudience, QuestionnaireMoment
from participants.models import Answer, Pair, Response
from participants.tests.factories import QuestionFactory, QuestionnaireFactory

pytestmark = pytest.mark.django_db


def _token(client, url: str) -> str:
    return client.get(url).context["form"].initial["_submission"]


def test_report_workflow_through_the_pages(world, client_as) -> None:
    curator = client_as(world.curator_a1)
    url = reverse("monitoring:report_submit", args=[world.organisation_a1.pk])
    response = curator.post(url, {"year": 2026, "period": "q3", "comment": "", "_submission": _token(curator, url)})
    report = PeriodReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("monitoring:report", args=[report.pk])

    officer = client_as(world.officer_a)
    detail = officer.get(reverse("monitoring:report", args=[report.pk]))
    assert detail.context["can_decide"]
    back = reverse("monitoring:report_return", args=[report.pk])
    empty = officer.post(back, {"comment": "", "_submission": _token(officer, back)})
    assert empty.status_code == 200
    assert empty.context["form"].errors == {
        "comment": ["Напишите, что нужно исправить: без комментария вернуть отчёт нельзя."]
    }
    assert PeriodReport.objects.get().status == ReportStatus.SUBMITTED
    accept = reverse("monitoring:report_accept", args=[report.pk])
    officer.post(accept, {"comment": "Принято", "_submission": _token(officer, accept)})
    assert PeriodReport.objects.get().status == ReportStatus.ACCEPTED


def test_other_municipality_cannot_see_or_decide_the_report(world, client_as) -> None:
    from monitoring.services import period_report_submit

    report = period_report_submit(actor=world.curator_a1, organisation=world.organisation_a1, year=2026, period="q3")
    client = client_as(world.officer_b)
    assert client.get(reverse("monitoring:report", args=[report.pk])).status_code == 404
    assert client.get(reverse("monitoring:report_accept", args=[report.pk])).status_code == 404
    assert client_as(world.observer_a).get(reverse("monitoring:report_accept", args=[report.pk])).status_code == 403


def test_weaker_target_is_refused_on_the_page_with_a_message(world, client_as) -> None:
    client = client_as(world.officer_a)
    url = reverse("monitoring:targets", args=["municipality", world.municipality_a.pk])
    data = {"indicator": "students_share", "year": 2026, "value": "5", "source": "", "_submission": _token(client, url)}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "не может быть ниже установленного вышестоящим уровнем" in response.content.decode()
    assert not Target.objects.filter(municipality=world.municipality_a).exists()
    ok = client.post(url, {**data, "value": "12", "_submission": _token(client, url)})
    assert ok.status_code == 302
    assert Target.objects.get(municipality=world.municipality_a).value == 12


def test_hand_entered_value_page(world, client_as) -> None:
    client = client_as(world.curator_a1)
    url = reverse("monitoring:values", args=[world.organisation_a1.pk])
    data = {"indicator": "events", "year": 2026, "period": "q3", "value": "4", "evidence": "", "evidence_url": ""}
    response = client.post(url, {**data, "_submission": _token(client, url)})
    assert response.status_code == 200
    assert "Обязательное поле" in response.content.decode()
    response = client.post(url, {**data, "evidence": "Приказ № 7 от 10.09.2026", "_submission": _token(client, url)})
    assert response.status_code == 302
    assert "Приказ № 7" in client.get(url).content.decode()


def test_federal_export_sums_per_municipality_and_writes_formulas_as_text(world, client_as) -> None:
    from mentorship.models import Organisation

    Organisation.objects.filter(pk=world.organisation_b1.pk).update(short_name='=HYPERLINK("http://x")')
    figures_refresh(school_year=2026)
    response = client_as(world.regional_coordinator).get(
        reverse("monitoring:federal", args=["region", world.region_r.pk]) + "?year=2026"
    )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    organisations = list(book["По организациям"].iter_rows(min_row=2, values_only=True))
    assert {row[1] for row in organisations} == {"A1", "B1"}
    b1 = next(row for row in organisations if row[1] == "B1")
    assert b1[2] == '=HYPERLINK("http://x")'
    assert book["По организациям"].cell(row=organisations.index(b1) + 2, column=3).data_type == "s"
    assert (b1[4], b1[5], b1[6]) == (4, 4, 8)  # mentors, mentees, of them students
    totals = {row[0]: row for row in book["Итого"].iter_rows(min_row=2, values_only=True)}
    assert totals["Итого"][1] == 5
    assert totals["Итого"][2] == 7
    municipal = list(book["По муниципалитетам"].iter_rows(min_row=2, values_only=True))
    assert sum(row[2] for row in municipal) == totals["Итого"][1]


def test_federal_export_of_a_foreign_region_is_404(world, client_as) -> None:
    client = client_as(world.officer_a)
    assert client.get(reverse("monitoring:federal", args=["region", world.region_r.pk])).status_code == 404


def test_quality_page_compares_entry_and_exit_per_form(world, client_as) -> None:
    pair = Pair.objects.get(organisation=world.organisation_a1)
    mentee = pair.members.filter(role="mentee").first().person
    for moment, mark in ((QuestionnaireMoment.ENTRY, 5), (QuestionnaireMoment.EXIT, 8)):
        questionnaire = QuestionnaireFactory(organisation=None, moment=moment, audience=QuestionnaireAudience.MENTEE)
        question = QuestionFactory(questionnaire=questionnaire, kind=QuestionKind.SCALE)
        response = Response.objects.create(
            organisation=world.organisation_a1,
            questionnaire=questionnaire,
            person=mentee,
            pair=pair,
            filled_on=date(2026, 11, 1),
        )
        Answer.objects.create(response=response, question=question, number=mark)
    page = client_as(world.officer_a).get(reverse("monitoring:quality", args=["municipality", world.municipality_a.pk]))
    assert page.status_code == 200
    row = page.context["by_form"][0]
    assert (row["entry"], row["exit"], row["growth"]) == (5, 8, 3)
    assert "<svg" in page.content.decode()
    assert (
        client_as(world.officer_b)
        .get(reverse("monitoring:quality", args=["municipality", world.municipality_a.pk]))
        .status_code
        == 404
    )


def test_refresh_button_recomputes_the_figures(world, client_as, django_capture_on_commit_callbacks) -> None:
    from monitoring.models import OrganisationFigures

    OrganisationFigures.objects.filter(organisation=world.organisation_a1).update(students_involved=0)
    client = client_as(world.officer_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("monitoring:refresh", args=["municipality", world.municipality_a.pk]))
    assert response.status_code == 302
    assert OrganisationFigures.objects.get(organisation=world.organisation_a1, school_year=2026).students_involved == 3
    assert (
        client_as(world.curator_a1)
        .post(reverse("monitoring:refresh", args=["organisation", world.organisation_a1.pk]))
        .status_code
        == 403
    )


def test_a_refused_service_call_is_the_forms_error_and_nothing_is_saved(world, client_as) -> None:
    from monitoring.models import IndicatorValue

    observer = client_as(world.observer_a)
    values = reverse("monitoring:values", args=[world.organisation_a1.pk])
    data = {"indicator": "events", "year": 2026, "period": "q3", "value": "4", "evidence": "Приказ № 7"}
    response = observer.post(values, {**data, "_submission": _token(observer, values)})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["Вводить значения за эту организацию вы не можете."]
    assert "Вводить значения за эту организацию вы не можете." in response.content.decode()
    assert not IndicatorValue.objects.exists()
    targets = reverse("monitoring:targets", args=["municipality", world.municipality_a.pk])
    data = {"indicator": "students_share", "year": 2026, "value": "12", "source": ""}
    response = observer.post(targets, {**data, "_submission": _token(observer, targets)})
    assert response.status_code == 200
    refused = "Устанавливать целевые значения здесь может только этот уровень или вышестоящий."
    assert response.context["form"].non_field_errors() == [refused]
    assert refused in response.content.decode()
    assert not Target.objects.filter(municipality=world.municipality_a).exists()
