"""Importing questionnaire answers collected in Яндекс Формы and Google Формы (participants/resources/answers.py)."""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

import openpyxl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mentorship.models import ImportJob, ImportStatus
from mentorship.tests.factories import World
from participants.choices import QuestionKind
from participants.models import Person, Questionnaire, Response
from participants.resources.answers import normalise_text

from .factories import PersonFactory, QuestionFactory, QuestionnaireFactory

USEFUL = "Насколько полезными были встречи с наставником?"
CLEAR = "Понятны ли были задачи?"
VALUABLE = "Что было самым ценным?"
YANDEX_HEADERS = ["ID", "Время создания", "ФИО", "Класс", f"1. {USEFUL}", f"2. {CLEAR}", f"3. {VALUABLE}"]
GOOGLE_HEADERS = ["Отметка времени", "Адрес электронной почты", "Фамилия", "Имя", "Отчество", USEFUL, CLEAR, VALUABLE]


def workbook(headers: list[str], rows: list[list[Any]]) -> io.BytesIO:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Ответы"
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    handle = io.BytesIO()
    book.save(handle)
    handle.seek(0)
    return handle


def yandex(*rows: list[Any]) -> io.BytesIO:
    """An export of Яндекс Формы: the answer's ID and time first, the questions titled with their numbers."""
    return workbook(YANDEX_HEADERS, [[1000 + n, *row] for n, row in enumerate(rows)])


def google(*rows: list[Any]) -> io.BytesIO:
    """An export of Google Формы: «Отметка времени» (a date cell), the e-mail, then the questions."""
    return workbook(GOOGLE_HEADERS, list(rows))


@pytest.fixture
def questionnaire(world: World) -> Questionnaire:
    questionnaire = QuestionnaireFactory(organisation=world.organisation_a1, title="Анкета наставляемого на выходе")
    QuestionFactory(questionnaire=questionnaire, position=1, text=USEFUL)
    QuestionFactory(questionnaire=questionnaire, position=2, text=CLEAR, kind=QuestionKind.CHOICE, options="Да\nНет")
    QuestionFactory(questionnaire=questionnaire, position=3, text=VALUABLE, kind=QuestionKind.TEXT, is_required=False)
    return questionnaire


@pytest.fixture
def people(world: World) -> dict[str, Person]:
    a1 = world.organisation_a1
    return {
        "ёлкина": PersonFactory(
            organisation=a1, surname="Ёлкина", name="Алёна", patronymic="Игоревна", class_name="7Б"
        ),
        "гарипов": PersonFactory(organisation=a1, surname="Гарипов", name="Тимур", patronymic="", class_name="8А"),
    }


def upload(client: Any, handle: io.BytesIO, questionnaire: Questionnaire, school: Any, capture: Any) -> ImportJob:
    file = SimpleUploadedFile("ответы.xlsx", handle.getvalue(), content_type="application/octet-stream")
    with capture(execute=True):
        response = client.post(
            reverse("imports:upload", args=["answers"]),
            {"file": file, "questionnaire": questionnaire.pk, "school": school.pk},
        )
    assert response.status_code == 302, response.content.decode()
    return ImportJob.objects.latest("pk")


def confirm(client: Any, job: ImportJob, capture: Any) -> ImportJob:
    with capture(execute=True):
        client.post(reverse("imports:confirm", args=[job.pk]))
    job.refresh_from_db()
    return job


def targets(job: ImportJob) -> dict[str, str]:
    return {column["title"]: column["target"] for column in job.options["columns"]}


def answers_of(person: Person) -> dict[int, Any]:
    response = Response.objects.get(person=person)
    return {
        answer.question.position: answer.number if answer.number is not None else answer.text
        for answer in response.answers.select_related("question")
    }


# --- both layouts ----------------------------------------------------------------------------------------


def test_a_yandex_forms_export_is_mapped_by_question_text_and_written_after_confirmation(
    client_as, world, questionnaire, people, django_capture_on_commit_callbacks
):
    client = client_as(world.curator_a1)
    handle = yandex(
        ["2026-11-20 14:03:11", "Елкина алена игоревна", "7Б", 8, "Да", "Разговоры о профессии"],
        ["2026-11-21 09:15:00", "Гарипов Тимур", "8А", "7 из 10", "нет", None],
    )
    job = upload(client, handle, questionnaire, world.organisation_a1, django_capture_on_commit_callbacks)
    q = {question.position: f"question-{question.pk}" for question in questionnaire.questions.all()}
    assert targets(job) == {
        "ID": "",
        "Время создания": "filled_at",
        "ФИО": "fio",
        "Класс": "class_name",
        f"1. {USEFUL}": q[1],
        f"2. {CLEAR}": q[2],
        f"3. {VALUABLE}": q[3],
    }
    assert (job.status, job.created_count, job.error_count) == (ImportStatus.VALIDATED, 2, 0)
    assert not Response.objects.exists()
    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "Сопоставление столбцов" in page
    assert "Столбец A «ID»" in page

    job = confirm(client, job, django_capture_on_commit_callbacks)
    assert job.status == ImportStatus.DONE
    assert answers_of(people["ёлкина"]) == {1: 8, 2: "Да", 3: "Разговоры о профессии"}
    assert answers_of(people["гарипов"]) == {1: 7, 2: "Нет"}
    assert Response.objects.get(person=people["ёлкина"]).filled_on == date(2026, 11, 20)
    assert Response.objects.get(person=people["гарипов"]).organisation == world.organisation_a1


def test_a_google_forms_export_with_split_names_and_an_email_column_is_imported(
    client_as, world, questionnaire, people, django_capture_on_commit_callbacks
):
    client = client_as(world.curator_a1)
    handle = google(
        [datetime(2026, 11, 19, 18, 30, 5), "alena@example.ru", "Ёлкина", "Алёна", "Игоревна", 9, "Да", "Всё"],
        [datetime(2026, 11, 22, 8, 0, 0), "", "гарипов", "тимур", "", 10.0, "Нет", ""],
    )
    job = upload(client, handle, questionnaire, world.organisation_a1, django_capture_on_commit_callbacks)
    mapped = targets(job)
    assert mapped["Отметка времени"] == "filled_at"
    assert mapped["Адрес электронной почты"] == ""
    assert (mapped["Фамилия"], mapped["Имя"], mapped["Отчество"]) == ("surname", "name", "patronymic")
    assert job.status == ImportStatus.VALIDATED, job.errors
    confirm(client, job, django_capture_on_commit_callbacks)
    assert answers_of(people["гарипов"]) == {1: 10, 2: "Нет"}
    assert Response.objects.get(person=people["ёлкина"]).filled_on == date(2026, 11, 19)


@pytest.mark.parametrize("name", ["answers_yandex.xlsx", "answers_google.xlsx"])
def test_the_sample_exports_in_fixtures_import_as_they_are(
    client_as, world, questionnaire, people, django_capture_on_commit_callbacks, name
):
    PersonFactory(organisation=world.organisation_a1, surname="Сафина", name="Дина", patronymic="Ринатовна")
    client = client_as(world.curator_a1)
    handle = io.BytesIO((settings.BASE_DIR / "fixtures" / name).read_bytes())
    job = upload(client, handle, questionnaire, world.organisation_a1, django_capture_on_commit_callbacks)
    assert (job.status, job.created_count) == (ImportStatus.VALIDATED, 3), job.errors
    assert confirm(client, job, django_capture_on_commit_callbacks).status == ImportStatus.DONE
    assert Response.objects.filter(questionnaire=questionnaire).count() == 3


def test_numbering_case_punctuation_and_yo_do_not_matter_when_matching_titles():
    assert normalise_text("  2. Понятны ли были ЗАДАЧИ?! ") == normalise_text(CLEAR)
    assert normalise_text("Вопрос 3) Что было самым ценным") == normalise_text(VALUABLE)
    assert normalise_text("Ёлкина Алёна") == "елкина алена"


# --- errors: all or nothing, then the corrected file ----------------------------------------------------


def test_an_unmatched_row_is_reported_nothing_is_written_and_the_corrected_file_imports(
    client_as, world, questionnaire, people, django_capture_on_commit_callbacks
):
    client = client_as(world.curator_a1)
    rows = [
        ["2026-11-20 14:03:11", "Ёлкина Алёна Игоревна", "7Б", 8, "Да", ""],
        ["2026-11-20 15:00:00", "Сидоров Пётр", "7Б", 6, "Нет", ""],
    ]
    job = upload(client, yandex(*rows), questionnaire, world.organisation_a1, django_capture_on_commit_callbacks)
    assert job.status == ImportStatus.INVALID
    assert job.errors == ["Строка 3, столбец C «ФИО»: участник «Сидоров Пётр» не найден в «МОБУ СОШ с. Булгаково»."]
    assert job.created_count == 1
    assert not Response.objects.exists()
    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "Ничего не записано" in page
    assert "Подтвердить импорт" not in page

    rows[1][1] = "Гарипов Тимур"
    fixed = upload(client, yandex(*rows), questionnaire, world.organisation_a1, django_capture_on_commit_callbacks)
    assert fixed.status == ImportStatus.VALIDATED
    job.refresh_from_db()
    assert not job.file, "the refused upload's file goes once a corrected one is uploaded"
    assert confirm(client, fixed, django_capture_on_commit_callbacks).status == ImportStatus.DONE
    assert Response.objects.filter(questionnaire=questionnaire).count() == 2


def test_an_ambiguous_name_is_a_row_error_unless_the_class_tells_the_two_apart(
    client_as, world, questionnaire, people, django_capture_on_commit_callbacks
):
    PersonFactory(
        organisation=world.organisation_a1,
        surname="Гарипов",
        name="Тимур",
        patronymic="",
        class_name="5В",
        birth_date=date(2014, 1, 9),
    )
    client = client_as(world.curator_a1)
    without_class = workbook(
        ["Отметка времени", "ФИО", USEFUL, CLEAR], [["20.11.2026 10:00:00", "Гарипов Тимур", 5, "Да"]]
    )
    job = upload(client, without_class, questionnaire, world.organisation_a1, django_capture_on_commit_callbacks)
    assert job.errors == [
        "Строка 2, столбец B «ФИО»: в «МОБУ СОШ с. Булгаково» несколько участников «Гарипов Тимур»: добавьте в файл "
        "столбец с классом или внешним идентификатором участника."
    ]
    with_class = yandex(["2026-11-20 10:00:00", "Гарипов Тимур", "8 А", 5, "Да", ""])
    job = upload(client, with_class, questionnaire, world.organisation_a1, django_capture_on_commit_callbacks)
    assert job.status == ImportStatus.VALIDATED, job.errors
    confirm(client, job, django_capture_on_commit_callbacks)
    assert answers_of(people["гарипов"]) == {1: 5, 2: "Да"}


def test_people_are_matched_by_external_id_first(client_as, world, questionnaire, django_capture_on_commit_callbacks):
    person = PersonFactory(organisation=world.organisation_a1, surname="Хабибуллина", external_id="EJ-000777")
    client = client_as(world.curator_a1)
    handle = workbook(
        ["Код участника", "ФИО", USEFUL, CLEAR],
        [["ej-000777", "Фамилия с опечаткой", 4, "Нет"], ["EJ-404", "", 4, "Нет"]],
    )
    job = upload(client, handle, questionnaire, world.organisation_a1, django_capture_on_commit_callbacks)
    assert targets(job)["Код участника"] == "external_id"
    assert job.errors == [
        "Строка 3, столбец A «Код участника»: участник с внешним идентификатором «EJ-404» не найден "
        "в «МОБУ СОШ с. Булгаково»."
    ]
    handle = workbook(["Код участника", USEFUL, CLEAR], [["EJ-000777", 4, "Нет"]])
    job = upload(client, handle, questionnaire, world.organisation_a1, django_capture_on_commit_callbacks)
    confirm(client, job, django_capture_on_commit_callbacks)
    assert answers_of(person) == {1: 4, 2: "Нет"}


@pytest.mark.parametrize(
    ("useful", "clear", "message"),
    [
        (11, "Да", "столбец E «1. " + USEFUL + "»: Вопрос «" + USEFUL + "»: оценка — целое число от 1 до 10."),
        ("12 из 10", "Да", "оценка — целое число от 1 до 10"),
        (0, "Да", "оценка — целое число от 1 до 10"),
        ("семь", "Да", "оценка — целое число от 1 до 10"),
        (7.5, "Да", "оценка — целое число от 1 до 10"),
        (7, "Может быть", "столбец F «2. " + CLEAR + "»: Вопрос «" + CLEAR + "»: выберите один из предложенных"),
        (None, "Да", f"Ответьте на вопрос «{USEFUL}»"),
    ],
)
def test_an_answer_out_of_range_is_a_row_error_and_nothing_is_written(
    client_as, world, questionnaire, people, django_capture_on_commit_callbacks, useful, clear, message
):
    client = client_as(world.curator_a1)
    handle = yandex(["2026-11-20 14:03:11", "Гарипов Тимур", "8А", useful, clear, ""])
    job = upload(client, handle, questionnaire, world.organisation_a1, django_capture_on_commit_callbacks)
    assert job.status == ImportStatus.INVALID
    assert len(job.errors) == 1
    assert job.errors[0].startswith("Строка 2, столбец ")
    assert message in job.errors[0]
    assert not Response.objects.exists()


def test_a_date_in_the_future_or_not_a_date_is_a_row_error(
    client_as, world, questionnaire, people, django_capture_on_commit_callbacks
):
    client = client_as(world.curator_a1)
    handle = yandex(
        ["2026-12-20 14:03:11", "Гарипов Тимур", "8А", 5, "Да", ""],
        ["вчера", "Ёлкина Алёна Игоревна", "7Б", 5, "Да", ""],
    )
    job = upload(client, handle, questionnaire, world.organisation_a1, django_capture_on_commit_callbacks)
    assert job.errors[0] == "Строка 2: Дата заполнения анкеты 20.12.2026 ещё не наступила."
    assert job.errors[1].startswith("Строка 3, столбец B «Время создания»: «вчера» — не дата")


def test_the_same_person_twice_in_the_file_is_a_row_error(
    client_as, world, questionnaire, people, django_capture_on_commit_callbacks
):
    client = client_as(world.curator_a1)
    row = ["2026-11-20 14:03:11", "Гарипов Тимур", "8А", 5, "Да", ""]
    job = upload(client, yandex(row, row), questionnaire, world.organisation_a1, django_capture_on_commit_callbacks)
    assert job.errors == ["Строка 3: участник Гарипов Тимур уже есть в файле в строке 2."]


def test_a_person_who_already_answered_keeps_their_response(
    client_as, world, questionnaire, people, django_capture_on_commit_callbacks
):
    client = client_as(world.curator_a1)
    handle = yandex(["2026-11-20 14:03:11", "Гарипов Тимур", "8А", 5, "Да", ""])
    job = upload(client, handle, questionnaire, world.organisation_a1, django_capture_on_commit_callbacks)
    confirm(client, job, django_capture_on_commit_callbacks)
    again = yandex(["2026-11-21 14:03:11", "Гарипов Тимур", "8А", 9, "Нет", ""])
    job = upload(client, again, questionnaire, world.organisation_a1, django_capture_on_commit_callbacks)
    assert (job.status, job.created_count, job.unchanged_count) == (ImportStatus.VALIDATED, 0, 1)
    assert confirm(client, job, django_capture_on_commit_callbacks).status == ImportStatus.DONE
    assert Response.objects.filter(person=people["гарипов"]).count() == 1
    assert answers_of(people["гарипов"]) == {1: 5, 2: "Да"}


# --- the mapping --------------------------------------------------------------------------------------------


def test_changing_the_mapping_checks_the_file_again(
    client_as, world, questionnaire, people, django_capture_on_commit_callbacks
):
    client = client_as(world.curator_a1)
    handle = workbook(
        ["Отметка времени", "ФИО", "Оцените пользу встреч по шкале", CLEAR, "Комментарий"],
        [["20.11.2026 10:00", "Гарипов Тимур", 6, "Да", "Спасибо"]],
    )
    job = upload(client, handle, questionnaire, world.organisation_a1, django_capture_on_commit_callbacks)
    assert targets(job)["Оцените пользу встреч по шкале"] == ""
    assert job.errors == [f"Строка 2: Ответьте на вопрос «{USEFUL}»."]
    useful, valuable = (f"question-{questionnaire.questions.get(position=p).pk}" for p in (1, 3))
    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "Проверить с этим сопоставлением" in page

    mapping = {"column_0": "filled_at", "column_1": "fio", "column_2": useful, "column_4": valuable}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports:remap", args=[job.pk]), mapping | {"column_3": ""})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.INVALID
    assert "Ни один" not in " ".join(job.errors)
    assert job.errors == [f"Строка 2: Ответьте на вопрос «{CLEAR}»."]

    clear = f"question-{questionnaire.questions.get(position=2).pk}"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:remap", args=[job.pk]), mapping | {"column_3": clear})
    job.refresh_from_db()
    assert (job.status, job.created_count) == (ImportStatus.VALIDATED, 1)
    assert targets(job)["Оцените пользу встреч по шкале"] == useful
    confirm(client, job, django_capture_on_commit_callbacks)
    assert answers_of(people["гарипов"]) == {1: 6, 2: "Да", 3: "Спасибо"}


def test_two_columns_on_one_question_or_none_naming_the_person_are_refused(
    client_as, world, questionnaire, people, django_capture_on_commit_callbacks
):
    client = client_as(world.curator_a1)
    handle = yandex(["2026-11-20 14:03:11", "Гарипов Тимур", "8А", 5, "Да", ""])
    job = upload(client, handle, questionnaire, world.organisation_a1, django_capture_on_commit_callbacks)
    useful = f"question-{questionnaire.questions.get(position=1).pk}"
    with django_capture_on_commit_callbacks(execute=True):
        mapping = {f"column_{index}": target for index, target in enumerate(targets(job).values())}
        client.post(reverse("imports:remap", args=[job.pk]), mapping | {"column_2": "", "column_5": useful})
    job.refresh_from_db()
    assert job.status == ImportStatus.INVALID
    assert job.errors == [
        f"Столбцы E «1. {USEFUL}» и F «2. {CLEAR}» сопоставлены одному и тому же полю. "
        "Сопоставьте столбец с ФИО (или с фамилией) участника либо с его внешним идентификатором: "
        "без него не найти, чьи это ответы."
    ]
    assert job.file, "the file stays while its mapping may change"
    assert "Проверить с этим сопоставлением" in client.get(reverse("imports:job", args=[job.pk])).content.decode()


def test_a_mapping_to_an_unknown_field_changes_nothing(
    client_as, world, questionnaire, people, django_capture_on_commit_callbacks
):
    client = client_as(world.curator_a1)
    handle = yandex(["2026-11-20 14:03:11", "Гарипов Тимур", "8А", 5, "Да", ""])
    job = upload(client, handle, questionnaire, world.organisation_a1, django_capture_on_commit_callbacks)
    response = client.post(reverse("imports:remap", args=[job.pk]), {"column_2": "birth_date"}, follow=True)
    assert "Выберите для каждого столбца поле из списка." in response.content.decode()
    job.refresh_from_db()
    assert job.status == ImportStatus.VALIDATED
    assert "mapping" not in job.options


# --- scope -------------------------------------------------------------------------------------------------


def test_another_schools_questionnaire_cannot_be_chosen(client_as, world, people):
    foreign = QuestionnaireFactory(organisation=world.organisation_b1, title="Анкета Белорецка")
    QuestionFactory(questionnaire=foreign, text=USEFUL)
    client = client_as(world.curator_a1)
    page = client.get(reverse("imports:upload", args=["answers"])).content.decode()
    assert "Анкета Белорецка" not in page
    file = SimpleUploadedFile("ответы.xlsx", yandex().getvalue())
    response = client.post(
        reverse("imports:upload", args=["answers"]),
        {"file": file, "questionnaire": foreign.pk, "school": world.organisation_a1.pk},
    )
    assert response.status_code == 200
    assert "Выберите корректный вариант" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_another_schools_person_is_not_matched(
    client_as, world, questionnaire, people, django_capture_on_commit_callbacks
):
    PersonFactory(organisation=world.organisation_b1, surname="Белорецкая", name="Ольга", patronymic="")
    client = client_as(world.curator_a1)
    handle = yandex(["2026-11-20 14:03:11", "Белорецкая Ольга", "", 5, "Да", ""])
    job = upload(client, handle, questionnaire, world.organisation_a1, django_capture_on_commit_callbacks)
    assert job.errors == ["Строка 2, столбец C «ФИО»: участник «Белорецкая Ольга» не найден в «МОБУ СОШ с. Булгаково»."]


def test_a_curator_cannot_upload_for_another_school_nor_open_anothers_job(
    client_as, world, questionnaire, people, django_capture_on_commit_callbacks
):
    shared = QuestionnaireFactory(organisation=None, title="Общая анкета")
    QuestionFactory(questionnaire=shared, text=USEFUL)
    client = client_as(world.curator_a1)
    file = SimpleUploadedFile("ответы.xlsx", yandex().getvalue())
    response = client.post(
        reverse("imports:upload", args=["answers"]),
        {"file": file, "questionnaire": shared.pk, "school": world.organisation_b1.pk},
    )
    assert response.status_code == 200
    assert not ImportJob.objects.exists()
    handle = yandex(["2026-11-20 14:03:11", "Гарипов Тимур", "8А", 5, "Да", ""])
    job = upload(client, handle, shared, world.organisation_a1, django_capture_on_commit_callbacks)
    assert job.status == ImportStatus.VALIDATED
    other = client_as(world.curator_b1)
    assert other.get(reverse("imports:job", args=[job.pk])).status_code == 404
    assert other.post(reverse("imports:remap", args=[job.pk]), {"column_2": ""}).status_code == 404


def test_a_questionnaire_of_another_school_is_refused_for_this_school(client_as, world, people):
    a2 = QuestionnaireFactory(organisation=world.organisation_a2, title="Анкета Дмитриевки")
    QuestionFactory(questionnaire=a2, text=USEFUL)
    client = client_as(world.superuser)
    file = SimpleUploadedFile("ответы.xlsx", yandex().getvalue())
    response = client.post(
        reverse("imports:upload", args=["answers"]),
        {"file": file, "questionnaire": a2.pk, "school": world.organisation_a1.pk},
    )
    assert "Анкета «Анкета Дмитриевки» принадлежит другой организации." in response.content.decode()
    assert not ImportJob.objects.exists()


def test_the_dry_run_asks_the_database_as_often_for_twenty_rows_as_for_two(
    world, questionnaire, django_assert_max_num_queries
):
    from mentorship.imports import engine
    from mentorship.imports.registry import kind_for

    def export(count: int) -> io.BytesIO:
        people = [
            PersonFactory(
                organisation=world.organisation_a1, surname=f"Участник{count}-{n}", name="Дина", patronymic=""
            )
            for n in range(count)
        ]
        return yandex(*[["2026-11-20 14:03:11", p.full_name, "", 5, "Да", ""] for p in people])

    def check(handle: io.BytesIO) -> engine.Report:
        context = engine.Context(
            user=world.curator_a1,
            file_name="ответы.xlsx",
            options={"questionnaire": questionnaire.pk, "organisation": world.organisation_a1.pk},
        )
        return engine.run(kind_for("answers"), handle, context=context, commit=False)

    two, twenty = export(2), export(20)
    with django_assert_max_num_queries(12) as queries:
        assert check(two).created == 2
    with django_assert_max_num_queries(len(queries.captured_queries)):
        assert check(twenty).created == 20
