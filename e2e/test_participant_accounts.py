"""«Доступ к порталу» from a mentee's card to the parent's «Моя пара», on a phone (390×844).

The curator opens a minor mentee's card and gives the mentee's mother access; the letter (read
from ``mail.outbox``: the live server runs in this process) holds the link to set a password; the
mother opens it on her phone, sets a password, logs in and reads her child's pair. Each page is
checked for horizontal scroll and photographed into /tmp/shots/.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from mentorship.choices import Role, SecurityEventKind
from mentorship.models import SecurityEvent
from mentorship.tests.factories import PASSWORD, MunicipalityFactory, OrganisationFactory, RegionFactory, user_with_role
from participants.choices import ConsentSigner, MeetingKind, MentorshipForm, PairStatus, Stage
from participants.models import Guardianship, school_year_of
from participants.tests.factories import (
    BaseEntryFactory,
    ConsentFactory,
    MeetingFactory,
    PairFactory,
    PersonFactory,
    ProgrammeFactory,
)

pytestmark = pytest.mark.e2e

SHOTS = Path("/tmp/shots")  # noqa: S108 (where the journey's screenshots are looked at)
PHONE = {"width": 390, "height": 844}
LINK = re.compile(r"https?://[^/\s]+(/accounts/reset/\S+/)")
PARENT_EMAIL = "aliyeva.patimat@example.ru"
NEW_PASSWORD = "Горы-Кулы-2026!"


@pytest.fixture
def school(transactional_db: None) -> SimpleNamespace:
    today = timezone.localdate()
    region = RegionFactory(code="05", name="Республика Дагестан")
    district = MunicipalityFactory(region=region, code="82627000", name="Кулинский район")
    organisation = OrganisationFactory(municipality=district, code="VACHI", short_name="МКОУ «Вачинская СОШ»")
    curator = user_with_role("curator_vachi_e2e", Role.CURATOR, organisation)
    programme = ProgrammeFactory(
        organisation=organisation,
        title="Учитель – ученик: «Читаем вместе»",
        form=MentorshipForm.TEACHER_STUDENT,
        school_year=school_year_of(today),
    )
    mentor = PersonFactory(organisation=organisation, teacher=True, surname="Магомедова", name="Зарема")
    mentee = PersonFactory(
        organisation=organisation,
        surname="Алиев",
        name="Рустам",
        patronymic="Мурадович",
        birth_date=today - timedelta(days=365 * 12 + 40),
    )
    BaseEntryFactory(person=mentor, mentor=True, school_year=programme.school_year)
    BaseEntryFactory(person=mentee, school_year=programme.school_year)
    ConsentFactory(
        person=mentee,
        signed_on=today - timedelta(days=60),
        signer=ConsentSigner.PARENT,
        signer_name="Алиева Патимат Гасановна",
    )
    pair = PairFactory(
        programme=programme,
        mentors=[mentor],
        mentees=[mentee],
        status=PairStatus.ACTIVE,
        stage=Stage.WORK,
        started_on=today - timedelta(days=45),
        title="Читаем вместе",
    )
    MeetingFactory(pair=pair, kind=MeetingKind.INTRO, planned_on=today - timedelta(days=40))
    return SimpleNamespace(curator=curator, mentee=mentee, pair=pair)


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    fits = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert fits, f"{name}: the page scrolls sideways at {page.viewport_size}"
    page.wait_for_timeout(400)  # the buttons' colour transitions end before the picture
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def test_the_curator_gives_a_parent_access_and_the_parent_reads_the_childs_pair_on_a_phone(
    page: Page, login, school: SimpleNamespace
) -> None:
    page.set_viewport_size(PHONE)
    login(page, school.curator.username, PASSWORD)

    # The mentee's card: the block «Доступ к порталу».
    page.goto(f"/participants/people/{school.mentee.pk}/")
    access = page.get_by_role("region", name="Доступ к порталу")
    expect(access).to_contain_text("Доступ родителя")
    access.scroll_into_view_if_needed()
    shot(page, "portal_access_card_390")
    access.get_by_role("link", name="Открыть доступ родителю").click()

    # The parent's name and e-mail.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Доступ родителя к порталу")
    page.get_by_label("ФИО родителя (законного представителя)").fill("Алиева Патимат Гасановна")
    page.get_by_label("Электронная почта родителя").fill(PARENT_EMAIL)
    shot(page, "portal_access_parent_form_390")
    page.get_by_role("button", name="Открыть доступ", exact=True).click()
    expect(page.get_by_text("Доступ родителя открыт")).to_be_visible()
    access = page.get_by_role("region", name="Доступ к порталу")
    expect(access).to_contain_text("Алиева Патимат")
    expect(access.get_by_role("button", name="Отключить родителя: Алиева Патимат Гасановна")).to_be_visible()
    shot(page, "portal_access_card_parent_linked_390")
    page.set_viewport_size({"width": 1366, "height": 768})
    access.scroll_into_view_if_needed()
    shot(page, "portal_access_card_parent_linked_1366")
    page.set_viewport_size(PHONE)
    link = Guardianship.objects.get(person=school.mentee)
    assert link.user.username == PARENT_EMAIL
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.INVITATION_SENT, subject=link.user).count() == 1

    # The letter, opened on the parent's phone: a password, then the log-in.
    letters = [letter for letter in mail.outbox if letter.to == [PARENT_EMAIL]]
    assert len(letters) == 1
    assert "Вам открыт доступ к порталу наставничества" in letters[0].subject
    page.context.clear_cookies()
    page.goto(LINK.search(letters[0].body).group(1))
    expect(page.get_by_role("heading", level=1)).to_have_text("Задайте новый пароль")
    page.get_by_label(re.compile(r"^Новый пароль")).fill(NEW_PASSWORD)
    page.get_by_label("Подтверждение нового пароля").fill(NEW_PASSWORD)
    shot(page, "portal_access_set_password_390")
    page.get_by_role("button", name="Сохранить пароль").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Пароль сохранён")
    login(page, PARENT_EMAIL, NEW_PASSWORD)

    # «Моя пара» of the child, read-only.
    page.get_by_role("button", name="Показать меню").click()
    page.get_by_role("navigation", name="Главное меню").get_by_role("link", name="Моя пара").click()
    expect(page.get_by_text("Пара моего ребёнка")).to_be_visible()
    expect(page.get_by_role("region", name="Участники")).to_contain_text("Магомедова Зарема")
    expect(page.get_by_role("link", name="Записать встречу")).to_have_count(0)
    shot(page, "portal_access_parent_my_pair_390")
