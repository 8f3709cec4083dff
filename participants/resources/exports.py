"""Exports of participants' lists to .xlsx (``mentorship.exports``): people, the bases, pairs, programmes."""

from __future__ import annotations

from typing import Any

from mentorship.access import organisations_where
from mentorship.exports import ListExport, register_export

from ..choices import BaseRole, MentorshipForm, PersonKind
from ..models import school_year_label
from ..views import MenteesListView, MentorsListView, PairsListView, PeopleListView, ProgrammesListView


@register_export
class PeopleExport(ListExport):
    """«Участники» as on the list page; birth dates, contacts and external ids only for the person's school staff.

    Whoever sees a person sees their name and role; the personal data a spreadsheet would carry
    away (152-ФЗ) go only to those who keep the person's record: users who may change people of
    that organisation (its director, curator, coordinator) and administrators.
    """

    key = "people"
    title = "Участники"
    list_view = PeopleListView
    select_related = ("organisation", "partner")
    PERSONAL = ("Внешний идентификатор", "Дата рождения", "Электронная почта", "Телефон")

    def headers(self) -> list[str]:
        return [
            "Код организации",
            "Организация",
            "Кто это",
            "Фамилия",
            "Имя",
            "Отчество",
            *self.PERSONAL,
            "Класс (группа)",
            "Должность",
            "Место работы (учёбы)",
            "Код организации-партнёра",
        ]

    def rows(self, queryset: Any) -> Any:
        keeps = set(organisations_where(self.user, "participants.change_person").values_list("pk", flat=True))
        kinds = dict(PersonKind.choices)
        for person in queryset.iterator(chunk_size=self.chunk_size):
            personal = (
                [person.external_id, person.birth_date, person.email, person.phone]
                if person.organisation_id in keeps and person.anonymised_at is None
                else ["", None, "", ""]
            )
            yield [
                person.organisation.code,
                person.organisation.short_name,
                kinds.get(person.kind, person.kind),
                person.surname,
                person.name,
                person.patronymic,
                *personal,
                person.class_name,
                person.position,
                person.workplace,
                person.partner.code if person.partner_id else "",
            ]


class _BaseExport(ListExport):
    """A mentor or mentee base of the school year in ``?year=`` (as on its list page): names, categories, requests.

    Birth dates and contacts are not in it: the people list's export carries them, to those who
    keep the person's record.
    """

    role: BaseRole

    def headers(self) -> list[str]:
        return [
            "Код организации",
            "Организация",
            "Учебный год",
            "Фамилия",
            "Имя",
            "Отчество",
            "Категория",
            "Желаемая форма",
            "Запрос или предложение",
            *(["Может вести", "Ведёт"] if self.role == BaseRole.MENTOR else []),
            "Согласие действует",
            "В паре",
            "В базе",
        ]

    def rows(self, queryset: Any) -> Any:
        forms_ = dict(MentorshipForm.choices)
        mentors = self.role == BaseRole.MENTOR
        for entry in queryset.iterator(chunk_size=self.chunk_size):
            person = entry.person
            hidden = person.anonymised_at is not None
            yield [
                entry.organisation.code,
                entry.organisation.short_name,
                school_year_label(entry.school_year),
                "" if hidden else person.surname,
                f"Участник № {person.pk} (данные скрыты)" if hidden else person.name,
                "" if hidden else person.patronymic,
                entry.get_mentor_kind_display()
                if self.role == BaseRole.MENTOR
                else entry.get_mentee_category_display(),
                forms_.get(entry.form, "любая"),
                entry.request,
                *([entry.capacity, entry.mentees_count] if mentors else []),
                "да" if entry.has_consent else "нет",
                "да" if entry.in_pair else "нет",
                "да" if entry.is_active else "выбыл",
            ]


@register_export
class MentorsExport(_BaseExport):
    key = "mentors"
    title = "База наставников"
    role = BaseRole.MENTOR
    list_view = MentorsListView


@register_export
class MenteesExport(_BaseExport):
    key = "mentees"
    title = "База наставляемых"
    role = BaseRole.MENTEE
    list_view = MenteesListView


@register_export
class PairsExport(ListExport):
    """«Наставнические пары и группы» as on the list page (its search and filters)."""

    key = "pairs"
    title = "Наставнические пары и группы"
    list_view = PairsListView

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: the people the rows name (a pair's mentors and mentees; someone in two pairs counts once)
        self.named: set[int] = set()

    def people_count(self, rows_written: int) -> int:
        return len(self.named)

    def headers(self) -> list[str]:
        return [
            "Код организации",
            "Организация",
            "Пара (группа)",
            "Программа",
            "Форма",
            "Учебный год",
            "Наставники",
            "Наставляемые",
            "Этап",
            "Статус",
            "Начало работы",
            "Окончание",
            "Проведено встреч",
        ]

    def rows(self, queryset: Any) -> Any:
        def named(members: list[Any]) -> str:
            self.named.update(m.person_id for m in members)
            return "; ".join(
                f"Участник № {m.person_id} (данные скрыты)" if m.person.anonymised_at else m.person.full_name
                for m in members
            )

        for pair in queryset.iterator(chunk_size=self.chunk_size):
            yield [
                pair.organisation.code,
                pair.organisation.short_name,
                str(pair),
                pair.programme.title,
                pair.get_form_display(),
                school_year_label(pair.school_year),
                named(pair.current_mentors),
                named(pair.current_mentees),
                pair.stage,
                pair.get_status_display(),
                pair.started_on,
                pair.ended_on,
                pair.meetings_held,
            ]


@register_export
class ProgrammesExport(ListExport):
    """«Программы наставничества» as on the list page."""

    key = "programmes"
    title = "Программы наставничества"
    # Programmes (title, form, goals, the number of pairs): nobody is named.
    personal_data = False
    list_view = ProgrammesListView

    def headers(self) -> list[str]:
        return [
            "Код организации",
            "Организация",
            "Программа",
            "Форма",
            "Учебный год",
            "Цели",
            "В банке программ",
            "Пар и групп",
        ]

    def rows(self, queryset: Any) -> Any:
        for programme in queryset.iterator(chunk_size=self.chunk_size):
            yield [
                programme.organisation.code,
                programme.organisation.short_name,
                programme.title,
                programme.get_form_display(),
                school_year_label(programme.school_year),
                programme.goals,
                "да" if programme.is_published else "нет",
                programme.pairs_count,
            ]
