"""Excel imports of participants: a row is refused exactly as the service refuses the form, with the same message."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import openpyxl
import pytest

from mentorship.errors import DomainError
from mentorship.imports import engine
from mentorship.imports.registry import kind_for
from participants import services
from participants.choices import BaseRole, ConsentSigner, MenteeCategory
from participants.models import BaseEntry, Consent, Pair, Person

CONSENT_HEADERS = [
    "Код организации",
    "Фамилия",
    "Имя",
    "Отчество",
    "Дата рождения",
    "Кто подписал",
    "ФИО подписавшего",
    "Дата подписания",
]


def xlsx(headers: list[str], *rows: list[Any]) -> io.BytesIO:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def run(kind: str, user: Any, handle: io.BytesIO) -> engine.Report:
    return engine.run(kind_for(kind), handle, context=engine.Context(user=user, file_name=f"{kind}.xlsx"), commit=True)


def consent_row(person: Person, signer: str, signer_name: str = "", signed_on: Any = date(2026, 10, 1)) -> list[Any]:
    return [
        person.organisation.code,
        person.surname,
        person.name,
        person.patronymic,
        person.birth_date,
        signer,
        signer_name,
        signed_on,
    ]


def service_message(world: Any, person: Person, **data: Any) -> str:
    with pytest.raises(DomainError) as refused:
        services.consent_record(actor=world.curator_a1, person=person, data=data)
    return refused.value.message


def test_a_minor_who_signed_their_own_consent_is_refused_with_the_forms_message(world):
    minor = world.mentee_a1_person
    expected = service_message(world, minor, signer=ConsentSigner.SELF, signed_on=date(2026, 10, 1))
    report = run("consents", world.curator_a1, xlsx(CONSENT_HEADERS, consent_row(minor, "Сам участник")))
    assert report.errors == [f"Строка 2, столбец F «Кто подписал»: {expected}"]
    assert "нет 18 лет" in expected


def test_a_consent_signed_before_birth_or_in_the_future_is_refused_like_in_the_form(world):
    minor = world.mentee_a1_person
    future = service_message(world, minor, signer=ConsentSigner.PARENT, signer_name="Мать", signed_on=date(2027, 1, 1))
    report = run(
        "consents",
        world.curator_a1,
        xlsx(CONSENT_HEADERS, consent_row(minor, "Родитель", "Мать", signed_on=date(2027, 1, 1))),
    )
    assert report.errors == [f"Строка 2, столбец H «Дата подписания»: {future}"]


def test_a_parents_consent_is_imported_once(world):
    minor = world.mentee_a1_person
    file = xlsx(CONSENT_HEADERS, consent_row(minor, "Родитель", "Сидорова Ольга Николаевна"))
    before = Consent.objects.filter(person=minor).count()
    report = run("consents", world.curator_a1, file)
    assert (report.created, report.written) == (1, True)
    file.seek(0)
    again = run("consents", world.curator_a1, file)
    assert (again.created, again.unchanged) == (0, 1)
    assert Consent.objects.filter(person=minor).count() == before + 1
    consent = Consent.objects.filter(person=minor).latest("signed_on")
    assert consent.history.get().history_user == world.curator_a1


def test_a_consent_for_someone_not_in_the_portal_is_an_error(world):
    stranger = Person(organisation=world.organisation_a1, surname="Никто", name="Никак", birth_date=date(2010, 1, 1))
    report = run("consents", world.curator_a1, xlsx(CONSENT_HEADERS, consent_row(stranger, "Родитель", "Мать")))
    assert "не найден в организации «A1»" in report.errors[0]


def test_a_curator_cannot_import_consents_of_another_school(world):
    report = run(
        "consents", world.curator_a1, xlsx(CONSENT_HEADERS, consent_row(world.student_b1_person, "Родитель", "Мать"))
    )
    assert "в которых вам разрешено вносить согласия" in report.errors[0]
    assert not report.written


def test_a_person_row_is_refused_like_person_create(world):
    headers = ["Код организации", "Кто это", "Фамилия", "Имя", "Дата рождения", "Начало педагогического стажа"]
    row = ["A1", "Педагог (работник ОО)", "Орлова", "Вера", date(1990, 5, 1), date(1985, 9, 1)]
    data = {
        "organisation": world.organisation_a1,
        "kind": "teacher",
        "surname": "Орлова",
        "name": "Вера",
        "birth_date": date(1990, 5, 1),
        "service_start": date(1985, 9, 1),
    }
    with pytest.raises(DomainError) as refused:
        services.person_create(actor=world.curator_a1, data=data)
    report = run("people", world.curator_a1, xlsx(headers, row))
    assert report.errors == [f"Строка 2, столбец F «Начало педагогического стажа»: {refused.value.message}"]


# --- mentor and mentee bases -------------------------------------------------------------------------

ENTRY_HEADERS = [
    "Код организации",
    "Фамилия",
    "Имя",
    "Отчество",
    "Дата рождения",
    "База",
    "Учебный год (год начала)",
    "Категория наставляемого",
    "Запрос или предложение",
]


def entry_row(person: Person, category: str, request: str = "", year: int = 2027) -> list[Any]:
    return [
        person.organisation.code,
        person.surname,
        person.name,
        person.patronymic,
        person.birth_date,
        "Наставляемый",
        year,
        category,
        request,
    ]


def test_a_teachers_category_for_a_student_is_refused_with_the_forms_message(world):
    student = world.mentee_a1_person
    entry = BaseEntry.objects.get(person=student, school_year=2026, role=BaseRole.MENTEE)
    with pytest.raises(DomainError) as refused:
        services.base_entry_update(
            actor=world.curator_a1, entry=entry, data={"mentee_category": MenteeCategory.YOUNG_SPECIALIST}
        )
    report = run("base-entries", world.curator_a1, xlsx(ENTRY_HEADERS, entry_row(student, "Молодой специалист")))
    assert report.errors == [f"Строка 2, столбец H «Категория наставляемого»: {refused.value.message}"]
    assert not report.written


def test_a_base_entry_is_imported_once_and_an_edited_request_updates_it(world):
    student = world.mentee_a1_person
    file = xlsx(ENTRY_HEADERS, entry_row(student, "Обучающийся с ОВЗ", "подготовка к ОГЭ"))
    report = run("base-entries", world.curator_a1, file)
    assert (report.created, report.written) == (1, True)
    entry = BaseEntry.objects.get(person=student, school_year=2027, role=BaseRole.MENTEE)
    assert (entry.mentee_category, entry.request, entry.organisation) == (
        MenteeCategory.DISABLED,
        "подготовка к ОГЭ",
        world.organisation_a1,
    )
    file.seek(0)
    again = run("base-entries", world.curator_a1, file)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    edited = run(
        "base-entries",
        world.curator_a1,
        xlsx(ENTRY_HEADERS, entry_row(student, "Обучающийся с ОВЗ", "подготовка к ОГЭ по математике")),
    )
    assert (edited.created, edited.updated) == (0, 1)
    entry.refresh_from_db()
    assert entry.request == "подготовка к ОГЭ по математике"
    assert [h.history_type for h in entry.history.order_by("history_date", "history_id")] == ["+", "~"]


def test_the_same_person_twice_in_one_base_of_the_file_is_an_error(world):
    student = world.mentee_a1_person
    row = entry_row(student, "Обучающийся с ОВЗ")
    report = run("base-entries", world.curator_a1, xlsx(ENTRY_HEADERS, row, row))
    assert report.errors == ["Строка 3, столбец F «База»: этот участник уже есть в этой базе в строке 2."]
    assert not BaseEntry.objects.filter(person=student, school_year=2027).exists()


def test_a_curator_cannot_fill_the_bases_of_another_school(world):
    report = run(
        "base-entries", world.curator_a1, xlsx(ENTRY_HEADERS, entry_row(world.student_b1_person, "Обучающийся с ОВЗ"))
    )
    assert "в базы которых вам разрешено вносить участников" in report.errors[0]
    assert not report.written


def test_the_bases_command_imports_a_file_and_refuses_a_bad_one(world, tmp_path, capsys):
    from django.core.management import CommandError, call_command

    student = world.mentee_a1_person
    good, bad = tmp_path / "bases.xlsx", tmp_path / "bad.xlsx"
    good.write_bytes(xlsx(ENTRY_HEADERS, entry_row(student, "Обучающийся с ОВЗ")).getvalue())
    bad.write_bytes(xlsx(ENTRY_HEADERS, entry_row(student, "Молодой специалист", year=2028)).getvalue())
    call_command("import_base_entries", str(good), "--user", world.curator_a1.username)
    assert "создано: 1" in capsys.readouterr().out
    with pytest.raises(CommandError, match="Ничего не записано"):
        call_command("import_base_entries", str(bad), "--user", world.curator_a1.username)
    assert "Строка 2, столбец H «Категория наставляемого»" in capsys.readouterr().err
    assert list(
        BaseEntry.objects.filter(person=student).order_by("school_year").values_list("school_year", flat=True)
    ) == [
        2026,
        2027,
    ]


# --- pairs and groups ----------------------------------------------------------------------------------

PAIR_HEADERS = [
    "Код организации",
    "Программа",
    "Учебный год (год начала)",
    "Наставники",
    "Наставляемые",
    "Начало работы",
]


def pair_row(world: Any, mentees: str, mentors: str = "Петрова Анна", started: Any = date(2026, 10, 1)) -> list[Any]:
    return ["A1", world.programme_a1.title, 2026, mentors, mentees, started]


def names(person: Person) -> str:
    return person.full_name


def test_a_group_is_imported_through_pair_create_and_once(world):
    mentees = f"{names(world.mentee_a1_person)}; {names(world.mentee_a1_second)}"
    file = xlsx(PAIR_HEADERS, pair_row(world, mentees, mentors=names(world.mentor_a1_person)))
    report = run("pairs", world.curator_a1, file)
    assert (report.errors, report.created, report.written) == ([], 1, True)
    pair = Pair.objects.get(programme=world.programme_a1)
    assert set(pair.members.values_list("person_id", "role")) == {
        (world.mentor_a1_person.pk, BaseRole.MENTOR),
        (world.mentee_a1_person.pk, BaseRole.MENTEE),
        (world.mentee_a1_second.pk, BaseRole.MENTEE),
    }
    assert pair.created_by == world.curator_a1
    file.seek(0)
    again = run("pairs", world.curator_a1, file)
    assert (again.created, again.unchanged, again.written) == (0, 1, True)
    assert Pair.objects.filter(programme=world.programme_a1).count() == 1


def test_a_pair_row_is_refused_with_the_services_message(world):
    world.mentee_a1_person.consents.all().delete()
    with pytest.raises(DomainError) as refused:
        services.pair_create(
            actor=world.curator_a1,
            programme=world.programme_a1,
            mentors=[world.mentor_a1_person],
            mentees=[world.mentee_a1_person],
            started_on=date(2026, 10, 1),
        )
    report = run(
        "pairs",
        world.curator_a1,
        xlsx(PAIR_HEADERS, pair_row(world, names(world.mentee_a1_person), mentors=names(world.mentor_a1_person))),
    )
    assert report.errors == [f"Строка 2: {refused.value.message}"]
    assert not Pair.objects.exists()


def test_the_same_mentee_in_two_rows_of_a_programme_is_an_error_and_nothing_is_written(world):
    mentor = names(world.mentor_a1_person)
    file = xlsx(
        PAIR_HEADERS,
        pair_row(world, names(world.mentee_a1_person), mentors=mentor),
        pair_row(world, names(world.mentee_a1_person), mentors=mentor),
    )
    report = run("pairs", world.curator_a1, file)
    assert report.errors == [
        "Строка 3, столбец E «Наставляемые»: участник уже входит в пару этой программы в строке 2 файла."
    ]
    assert not Pair.objects.exists()


def test_unknown_people_and_programmes_and_other_schools_are_row_errors(world):
    file = xlsx(
        PAIR_HEADERS,
        pair_row(world, "Никто Никакой", mentors=names(world.mentor_a1_person)),
        [
            "A1",
            "Нет такой программы",
            2026,
            names(world.mentor_a1_person),
            names(world.mentee_a1_person),
            date(2026, 10, 1),
        ],
        ["B1", world.programme_b1.title, 2026, "Белов Роман", "Белов Роман", date(2026, 10, 1)],
    )
    report = run("pairs", world.curator_a1, file)
    assert report.errors[0] == "Строка 2, столбец E «Наставляемые»: участник «Никто Никакой» не найден в организации."
    assert "программа «Нет такой программы» на 2026/2027 учебный год не найдена" in report.errors[1]
    assert "где вам разрешено создавать пары" in report.errors[2]
    assert not Pair.objects.exists()


def test_the_pairs_command_needs_a_user_and_imports_as_them(world, tmp_path, capsys):
    from django.core.management import CommandError, call_command

    path = tmp_path / "pairs.xlsx"
    row = pair_row(world, names(world.mentee_a1_person), mentors=names(world.mentor_a1_person))
    path.write_bytes(xlsx(PAIR_HEADERS, row).getvalue())
    with pytest.raises(CommandError, match="--user"):
        call_command("import_pairs", str(path))
    call_command("import_pairs", str(path), "--user", world.curator_a1.username)
    assert "создано: 1" in capsys.readouterr().out
    assert Pair.objects.get().created_by == world.curator_a1


# --- exports of the lists --------------------------------------------------------------------------------


def exported(client: Any, user: Any, key: str, query: str = "") -> list[list[Any]]:
    from django.urls import reverse

    client.force_login(user)
    response = client.get(reverse("imports:export", args=[key]) + query)
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_the_mentee_base_export_is_the_list_of_the_year_within_scope(client, world):
    rows = exported(client, world.curator_a1, "mentees", "?year=2026")
    assert rows[0][:4] == ["Код организации", "Организация", "Учебный год", "Фамилия"]
    assert sorted(row[3] for row in rows[1:]) == ["Кузнецова", "Сидоров"]
    assert {row[2] for row in rows[1:]} == {"2026/2027"}
    assert [row[3] for row in exported(client, world.officer_b, "mentees", "?year=2026")[1:]] == ["Белов"]
    assert exported(client, world.curator_a1, "mentees", "?year=2025")[1:] == []
    mentors = exported(client, world.curator_a1, "mentors", "?year=2026")
    assert [row[3] for row in mentors[1:]] == ["Петрова"]
    assert "Может вести" in mentors[0]


def test_the_pairs_export_follows_the_list_search_and_scope(client, world):
    from .factories import PairFactory

    PairFactory(programme=world.programme_a1, mentors=[world.mentor_a1_person], mentees=[world.mentee_a1_person])
    rows = exported(client, world.curator_a1, "pairs")
    assert len(rows) == 2
    assert rows[1][6:8] == [world.mentor_a1_person.full_name, world.mentee_a1_person.full_name]
    assert len(exported(client, world.curator_a1, "pairs", "?q=Кузнецова")) == 1
    assert len(exported(client, world.curator_a1, "pairs", "?q=Сидоров")) == 2
    assert len(exported(client, world.curator_b1, "pairs")) == 1


def test_the_programmes_export_lists_the_users_programmes(client, world):
    titles = {row[2] for row in exported(client, world.curator_a1, "programmes")[1:]}
    assert titles == {world.programme_a1.title, world.programme_a1_peer.title}


@pytest.mark.parametrize(
    ("page", "key"),
    [
        ("participants:people", "people"),
        ("participants:mentors", "mentors"),
        ("participants:mentees", "mentees"),
        ("participants:pairs", "pairs"),
        ("participants:programmes", "programmes"),
    ],
)
def test_each_list_offers_its_export_with_the_pages_filters(client, world, page, key):
    from django.urls import reverse

    client.force_login(world.officer_a)
    html = client.get(reverse(page), {"q": "Сидоров"}).content.decode()
    assert f'href="{reverse("imports:export", args=[key])}?q=' in html
