"""«Моя пара» on a phone (390×844): the mentor logs the final meeting and ticks a task, the mentee
rates the meeting, the curator sees who logged it on the pair's page.

The world is built by the test (a school, its curator, an active pair at stage 6 with accounts for
its mentor and its minor mentee, the introductory meeting held, a plan with one task); everything
else is done through the pages. Each page is checked for horizontal scroll and photographed into
/tmp/shots/.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from mentorship.choices import Role
from mentorship.tests.factories import (
    PASSWORD,
    MunicipalityFactory,
    OrganisationFactory,
    RegionFactory,
    UserFactory,
    user_with_role,
)
from participants.choices import MeetingKind, MentorshipForm, PairStatus, Stage
from participants.models import Meeting, PlanTask, school_year_of
from participants.tests.factories import (
    BaseEntryFactory,
    ConsentFactory,
    DevelopmentPlanFactory,
    MeetingFactory,
    PairFactory,
    PersonFactory,
    PlanTaskFactory,
    ProgrammeFactory,
)

pytestmark = pytest.mark.e2e

SHOTS = Path("/tmp/shots")  # noqa: S108 (where the journey's screenshots are looked at)
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def school(transactional_db: None) -> SimpleNamespace:
    today = timezone.localdate()
    region = RegionFactory(code="05", name="Республика Дагестан")
    district = MunicipalityFactory(region=region, code="82627000", name="Кулинский район")
    organisation = OrganisationFactory(municipality=district, code="KHOS", short_name="МКОУ «Хосрехская СОШ»")
    curator = user_with_role("curator_khos_e2e", Role.CURATOR, organisation)
    mentor_user = user_with_role("mentor_khos_e2e", Role.MENTOR, organisation)
    mentor_user.last_name, mentor_user.first_name, mentor_user.patronymic = "Гаджиев", "Магомед", "Абдуллаевич"
    mentor_user.save()
    mentee_user = UserFactory(username="mentee_khos_e2e", last_name="Мусаев", first_name="Ахмед", patronymic="")
    programme = ProgrammeFactory(
        organisation=organisation,
        title="Учитель – ученик: «Олимпиадная математика»",
        form=MentorshipForm.TEACHER_STUDENT,
        school_year=school_year_of(today),
        goals="Подготовка к муниципальному этапу олимпиады по математике.",
    )
    mentor = PersonFactory(organisation=organisation, teacher=True, surname="Гаджиев", name="Магомед", user=mentor_user)
    mentee = PersonFactory(organisation=organisation, surname="Мусаев", name="Ахмед", user=mentee_user)
    BaseEntryFactory(person=mentor, mentor=True, school_year=programme.school_year)
    BaseEntryFactory(person=mentee, school_year=programme.school_year)
    ConsentFactory(person=mentee, signed_on=today - timedelta(days=60))
    started = today - timedelta(days=45)
    pair = PairFactory(
        programme=programme,
        mentors=[mentor],
        mentees=[mentee],
        status=PairStatus.ACTIVE,
        stage=Stage.WORK,
        started_on=started,
        title="Олимпиадная математика",
    )
    MeetingFactory(pair=pair, kind=MeetingKind.INTRO, planned_on=started, held_on=started)
    plan = DevelopmentPlanFactory(pair=pair, mentee=mentee, goals="Выйти на призовое место муниципального этапа.")
    task = PlanTaskFactory(plan=plan, title="Решить задачи олимпиад прошлых лет", deadline=today + timedelta(days=20))
    return SimpleNamespace(curator=curator, mentor=mentor_user, mentee=mentee_user, pair=pair, task=task)


def no_horizontal_scroll(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    assert no_horizontal_scroll(page), f"{name}: the page scrolls sideways at {page.viewport_size}"
    page.wait_for_timeout(400)  # the buttons' colour transitions (0.15 s) end before the picture
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def sign_out(page: Page) -> None:
    page.context.clear_cookies()


def test_mentor_logs_the_final_meeting_and_ticks_a_task_the_mentee_rates_it_the_curator_sees_it(
    page: Page, login, school: SimpleNamespace
) -> None:
    page.set_viewport_size(PHONE)
    login(page, school.mentor.username, PASSWORD)

    # «Моя пара» from the main menu, folded behind the toggler on a phone.
    page.get_by_role("button", name="Показать меню").click()
    page.get_by_role("navigation", name="Главное меню").get_by_role("link", name="Моя пара").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Моя пара")
    members = page.get_by_role("region", name="Участники")
    expect(members).to_contain_text("Гаджиев Магомед")
    expect(members).to_contain_text("Мусаев Ахмед")
    expect(page.get_by_text("Учитель – ученик: «Олимпиадная математика»")).to_be_visible()
    expect(page.get_by_text("Решить задачи олимпиад прошлых лет")).to_be_visible()
    shot(page, "my_pair_mentor_390")

    # The final meeting, in a few taps: kind, today's date (already filled), duration, a note, a rating.
    page.get_by_role("link", name="Записать встречу").click()
    page.get_by_text("Итоговая встреча", exact=True).click()
    page.get_by_label("Продолжительность, минут").fill("45")
    page.get_by_label("Коротко о встрече").fill("Подвели итоги, разобрали олимпиадные задачи.")
    rating = page.get_by_role("group", name="Ваша оценка встречи (1–10)")
    rating.get_by_text("9", exact=True).click()
    expect(rating.get_by_role("radio", name="9", exact=True)).to_be_checked()
    expect(rating.get_by_role("radio", name="Без оценки")).not_to_be_checked()
    expect(page.get_by_role("radio", name="Итоговая встреча")).to_be_checked()
    page.mouse.move(0, 0)
    shot(page, "my_meeting_log_390")
    page.get_by_role("button", name="Записать").click()
    expect(page.get_by_text("Встреча записана.")).to_be_visible()
    meeting = Meeting.objects.get(pair=school.pair, kind=MeetingKind.FINAL)
    assert (meeting.held_on, meeting.duration_minutes, meeting.mentor_rating) == (timezone.localdate(), 45, 9)
    assert meeting.recorded_by == school.mentor

    # A task of the plan ticked done.
    page.get_by_role("button", name="Выполнена: Решить задачи олимпиад прошлых лет").click()
    expect(page.get_by_text("Задача отмечена выполненной.")).to_be_visible()
    assert PlanTask.objects.get(pk=school.task.pk).done_on == timezone.localdate()
    shot(page, "my_pair_after_logging_390")

    # The calendar: a secret link, shown once.
    page.get_by_role("link", name="Подключить календарь встреч").click()
    page.get_by_role("button", name="Подключить календарь").click()
    link = page.get_by_label("Ссылка на календарь").input_value()
    assert "/participants/calendar/" in link
    assert link.endswith(".ics")
    shot(page, "my_calendar_390")
    page.goto(f"/participants/my/{school.pair.pk}/")

    # The mentee adds their own rating and comment.
    sign_out(page)
    login(page, school.mentee.username, PASSWORD)
    page.get_by_role("button", name="Показать меню").click()
    page.get_by_role("navigation", name="Главное меню").get_by_role("link", name="Моя пара").click()
    expect(page.get_by_role("region", name="Участники")).to_contain_text("Гаджиев Магомед")
    expect(page.get_by_role("link", name="Записать встречу")).to_have_count(0)
    shot(page, "my_pair_mentee_390")
    page.get_by_role("link", name="Оценить: Итоговая встреча").click()
    page.get_by_role("group", name="Ваша оценка встречи (1–10)").get_by_text("10", exact=True).click()
    page.get_by_label("Комментарий").fill("Было полезно, спасибо!")
    shot(page, "my_meeting_rate_390")
    page.get_by_role("button", name="Отправить").click()
    expect(page.get_by_text("Спасибо! Оценка сохранена.")).to_be_visible()
    meeting.refresh_from_db()
    assert (meeting.mentee_rating, meeting.mentee_feedback) == (10, "Было полезно, спасибо!")
    page.set_viewport_size({"width": 1366, "height": 768})
    expect(page.get_by_role("region", name="Встречи")).to_contain_text("Оценка наставляемого: 10/10")
    shot(page, "my_pair_mentee_1366")
    page.set_viewport_size(PHONE)

    # The curator sees the meeting on the pair's page, with who logged it.
    sign_out(page)
    login(page, school.curator.username, PASSWORD)
    page.goto(f"/participants/pairs/{school.pair.pk}/")
    final = page.locator("tr[data-meeting-kind='final']")
    expect(final).to_contain_text("Итоговая встреча")
    expect(final).to_contain_text(f"записал(а): {school.mentor.get_full_name()}")
    expect(final).to_contain_text("45 мин")
    expect(final).to_contain_text("Было полезно, спасибо!")
    shot(page, "pair_detail_curator_390")
