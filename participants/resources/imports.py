"""Excel imports of participants: the mapping of columns (django-import-export resources) and the plans.

A row is checked exactly as the services check one record from a form: the model's field
validation (``clean_fields``, the same validators ``full_clean`` runs) and the service's own
rules (``services.person_validate``…), so the import refuses what the form refuses, with the same
message. The database is asked once per organisation of the file, not per row (see
``mentorship/imports/engine.py`` for why the library's row-by-row defaults are not used).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from import_export import resources

from mentorship.access import organisations_where, refusal_as
from mentorship.errors import DomainError
from mentorship.imports import bulk
from mentorship.imports.engine import (
    CREATED,
    UNCHANGED,
    UPDATED,
    ImportKind,
    Plan,
    RowInvalid,
    validation_problems,
    write_changes,
)
from mentorship.imports.registry import register
from mentorship.imports.widgets import (
    BooleanWidget,
    ChoiceWidget,
    CodeWidget,
    DateWidget,
    IntegerWidget,
    TextWidget,
    column,
)
from mentorship.models import Organisation, Partner

from ..choices import BaseRole, ConsentSigner, MenteeCategory, MentorKind, MentorshipForm, PairStatus, PersonKind
from ..models import BaseEntry, Consent, Pair, Person, Programme
from ..services import PERSON_FIELD_ORDER, base_entry_validate, consent_validate, pair_create, person_validate

# --- people ----------------------------------------------------------------------------------------


class PersonResource(resources.ModelResource):
    """Участники: one row per student, teacher or external participant of an organisation."""

    organisation = column("organisation", "Код организации", CodeWidget(Organisation))
    external_id = column("external_id", "Внешний идентификатор", TextWidget())
    kind = column("kind", "Кто это", ChoiceWidget(PersonKind.choices))
    surname = column("surname", "Фамилия", TextWidget())
    name = column("name", "Имя", TextWidget())
    patronymic = column("patronymic", "Отчество", TextWidget())
    birth_date = column("birth_date", "Дата рождения", DateWidget())
    email = column("email", "Электронная почта", TextWidget())
    phone = column("phone", "Телефон", TextWidget())
    class_name = column("class_name", "Класс (группа)", TextWidget())
    position = column("position", "Должность", TextWidget())
    subject = column("subject", "Предмет (направление)", TextWidget())
    service_start = column("service_start", "Начало педагогического стажа", DateWidget())
    is_manager = column("is_manager", "Руководящая должность", BooleanWidget())
    workplace = column("workplace", "Место работы (учёбы)", TextWidget())
    partner = column("partner", "Код организации-партнёра", CodeWidget(Partner))
    interests = column("interests", "Интересы", TextWidget())
    competences = column("competences", "Компетенции", TextWidget())
    achievements = column("achievements", "Достижения", TextWidget())

    class Meta:
        model = Person
        fields = ("organisation", *PERSON_FIELD_ORDER)
        import_order = ("organisation", *PERSON_FIELD_ORDER)
        export_order = ("organisation", *PERSON_FIELD_ORDER)
        # The natural key of people (the issue): used by the library's own import_data.
        import_id_fields = ("organisation", "surname", "name", "patronymic", "birth_date")
        skip_unchanged = True


#: what is compared and copied for an existing person (the partner by its id)
_STORED = tuple("partner_id" if name == "partner" else name for name in PERSON_FIELD_ORDER)

#: the columns that name a person already in the portal (consents, base entries)
_PERSON_KEYS = ("external_id", "surname", "name", "patronymic", "birth_date")


class PersonPlan(Plan):
    """People of the file, matched per organisation by external id, else by surname, name, patronymic, birth date."""

    scope_phrase = "в которые вам разрешено вносить участников"
    #: the model whose add and change permissions make the plan's scope
    scope_model = "person"

    def __init__(self, kind: ImportKind, context: Any) -> None:
        super().__init__(kind, context)
        user = context.user
        self.add_scope, self.change_scope = (
            set(organisations_where(user, f"participants.{action}_{self.scope_model}").values_list("pk", flat=True))
            for action in ("add", "change")
        )
        self.organisations: dict[str, int | None] = {}
        self.partners: dict[str, int | None] = {}
        self.visible_partners = Partner.objects.restrict(user, "view")
        self.loaded: set[int] = set()
        #: (organisation, external id) → pk and (organisation, surname, name, patronymic, birth date) → pk
        self.by_external: dict[tuple[int, str], int] = {}
        self.by_name: dict[tuple[Any, ...], int] = {}
        #: pk → the stored values (``_STORED`` order), whether anonymised
        self.stored: dict[int, tuple[Any, ...]] = {}
        self.anonymised: set[int] = set()
        self.seen: dict[tuple[Any, ...], int] = {}
        self.creates: list[Person] = []
        self.model_fields = {name: Person._meta.get_field(name) for name in PERSON_FIELD_ORDER if name != "partner"}
        self.cleaned: dict[tuple[str, Any], tuple[Any, list[str]]] = {}
        self.make = bulk.instance_factory(Person)
        self.updates: list[tuple[int, dict[str, Any]]] = []

    # -- look-ups, once per code and per organisation

    def organisation(self, code: str) -> int:
        if code not in self.organisations:
            self.organisations[code] = Organisation.objects.filter(code=code).values_list("pk", flat=True).first()
        pk = self.organisations[code]
        if pk is None or (pk not in self.add_scope and pk not in self.change_scope):
            raise RowInvalid.one(
                "organisation", f"организация с кодом «{code}» не найдена среди тех, {self.scope_phrase}."
            )
        if pk not in self.loaded:
            self._load(pk)
        return pk

    def partner(self, code: str) -> int | None:
        if not code:
            return None
        if code not in self.partners:
            self.partners[code] = self.visible_partners.filter(code=code).values_list("pk", flat=True).first()
        if self.partners[code] is None:
            raise RowInvalid.one("partner", f"организация-партнёр с кодом «{code}» не найдена.")
        return self.partners[code]

    def _load(self, organisation_id: int) -> None:
        self.loaded.add(organisation_id)
        rows = Person.objects.filter(organisation_id=organisation_id).values_list("pk", "anonymised_at", *_STORED)
        for pk, anonymised_at, *values in rows.iterator(chunk_size=5000):
            stored = dict(zip(_STORED, values, strict=True))
            self.stored[pk] = tuple(values)
            if anonymised_at is not None:
                self.anonymised.add(pk)
            if stored["external_id"]:
                self.by_external[(organisation_id, stored["external_id"])] = pk
            self.by_name[self._name_key(organisation_id, stored)] = pk

    @staticmethod
    def _name_key(organisation_id: int, values: dict[str, Any]) -> tuple[Any, ...]:
        return (
            organisation_id,
            values.get("surname", ""),
            values.get("name", ""),
            values.get("patronymic", ""),
            values.get("birth_date"),
        )

    # -- one row

    def row_organisation(self, values: dict[str, Any]) -> tuple[str, int]:
        """The row's organisation code (its column, else the upload's) and its id, within the plan's scope."""
        code = values.pop("organisation", "") or self.context.organisation_code
        if not code:
            raise RowInvalid.one("organisation", "укажите код организации.")
        return code, self.organisation(code)

    @staticmethod
    def label(values: dict[str, Any]) -> str:
        """«Фамилия Имя Отчество» of a row, as the preview names it."""
        return " ".join(part for part in (values.get("surname"), values.get("name"), values.get("patronymic")) if part)

    def known_person(self, values: dict[str, Any], code: str, organisation_id: int) -> tuple[str, Person]:
        """The person already in the portal whom a consent or base-entry row names, with their label.

        The person's columns (``_PERSON_KEYS``) are taken out of ``values``; a person not found,
        or anonymised after withdrawing their consent, makes the row invalid.
        """
        who = {name: values.pop(name) for name in _PERSON_KEYS if name in values}
        pk = self._match(organisation_id, who)
        label = self.label(who)
        if pk is None:
            raise RowInvalid.one(
                "surname", f"участник «{label}» не найден в организации «{code}»: сначала загрузите список участников."
            )
        if pk in self.anonymised:
            raise RowInvalid.one(
                None,
                "Участник отозвал согласие на обработку персональных данных: его данные скрыты и больше не изменяются.",
            )
        return label, self.make(
            id=pk, organisation_id=organisation_id, **dict(zip(_STORED, self.stored[pk], strict=True))
        )

    def add(self, number: int, values: dict[str, Any]) -> tuple[str, str]:
        code, organisation_id = self.row_organisation(values)
        if "partner" in values:
            values["partner_id"] = self.partner(values.pop("partner"))
        label = self.label(values)
        self._check_duplicate(number, organisation_id, values)
        pk = self._match(organisation_id, values)
        if pk is None:
            if organisation_id not in self.add_scope:
                raise RowInvalid.one("organisation", f"в организацию «{code}» вам не разрешено добавлять участников.")
            self._clean_fields(values)
            person = self.make(organisation_id=organisation_id, **values)
            self._validate(person)
            self.creates.append(person)
            return CREATED, label
        stored = dict(zip(_STORED, self.stored[pk], strict=True))
        changes = {name: value for name, value in values.items() if stored[name] != value}
        if not changes:
            return UNCHANGED, label
        if organisation_id not in self.change_scope:
            raise RowInvalid.one("organisation", f"в организации «{code}» вам не разрешено изменять участников.")
        if pk in self.anonymised:
            raise RowInvalid.one(
                None,
                "участник отозвал согласие на обработку персональных данных: его данные скрыты и больше не изменяются.",
            )
        self._clean_fields(changes)
        self._validate(Person(pk=pk, organisation_id=organisation_id, **(stored | changes)))
        self.updates.append((pk, changes))
        return UPDATED, label

    def _check_duplicate(self, number: int, organisation_id: int, values: dict[str, Any]) -> None:
        keys = [("name", *self._name_key(organisation_id, values))]
        if values.get("external_id"):
            keys.append(("external", organisation_id, values["external_id"]))
        for key in keys:
            if key in self.seen:
                raise RowInvalid.one(
                    "external_id" if key[0] == "external" else "surname",
                    f"этот участник уже есть в файле в строке {self.seen[key]}; оставьте одну строку.",
                )
        for key in keys:
            self.seen[key] = number

    def _match(self, organisation_id: int, values: dict[str, Any]) -> int | None:
        external_id = values.get("external_id")
        if external_id and (pk := self.by_external.get((organisation_id, external_id))) is not None:
            return pk
        pk = self.by_name.get(self._name_key(organisation_id, values))
        if pk is not None and external_id:
            stored_external = self.stored[pk][_STORED.index("external_id")]
            if stored_external and stored_external != external_id:
                raise RowInvalid.one(
                    "external_id",
                    f"в организации уже есть участник с такими ФИО и датой рождения, но с внешним идентификатором "
                    f"«{stored_external}».",
                )
        return pk

    def _clean_fields(self, values: dict[str, Any]) -> None:
        """The model's field validation (what ``full_clean`` runs per field), for the values the row sets.

        A field's ``clean`` depends on the value only, so its verdict is remembered per (field,
        value): a file repeats the same class, kind, first name thousands of times. The foreign
        keys were resolved by the plan's look-ups; uniqueness is the natural-key matching.
        """
        problems = []
        for name, value in values.items():
            field = self.model_fields.get(name)
            if field is None:
                continue
            key = (name, value)
            verdict = self.cleaned.get(key)
            if verdict is None:
                try:
                    verdict = (field.clean(value, None), [])
                except ValidationError as exc:
                    verdict = (None, exc.messages)
                if len(self.cleaned) > 200_000:
                    self.cleaned.clear()
                self.cleaned[key] = verdict
            if verdict[1]:
                problems += [(name, message) for message in verdict[1]]
            else:
                values[name] = verdict[0]
        if problems:
            raise RowInvalid(problems)

    @staticmethod
    def _validate(person: Person) -> None:
        # The service's rules, with their messages (after the field validation of _clean_fields).
        try:
            person_validate(person)
        except DomainError as exc:
            raise RowInvalid.one(exc.field, exc.message) from exc

    # -- the write

    def write(self) -> None:
        write_changes(Person, self.creates, self.updates, context=self.context)


@register
class PersonImport(ImportKind):
    key = "people"
    title = "Участники (обучающиеся, педагоги, внешние наставники)"
    resource_class = PersonResource
    plan_class = PersonPlan
    permission = "participants.add_person"
    takes_organisation = True
    required = frozenset({"organisation", "kind", "surname", "name"})
    synonyms = {
        "organisation": ("Код ОО", "Код образовательной организации"),
        "kind": ("Категория участника", "Категория"),
        "birth_date": ("Дата рождения (ДД.ММ.ГГГГ)",),
        "class_name": ("Класс",),
        "workplace": ("Место работы или учёбы", "Место работы/учёбы"),
        "email": ("E-mail", "Email", "Эл. почта"),
    }
    example = {
        "organisation": "A1",
        "external_id": "EJ-000123",
        "kind": PersonKind.STUDENT.label,
        "surname": "Иванова",
        "name": "Анна",
        "patronymic": "Петровна",
        "birth_date": date(2012, 3, 14),
        "class_name": "8Б",
        "is_manager": "нет",
        "interests": "робототехника, шахматы",
    }


# --- consents ----------------------------------------------------------------------------------------


class ConsentResource(resources.ModelResource):
    """Согласия на обработку персональных данных: the person (as in the people list) and the consent they signed."""

    organisation = column("organisation", "Код организации", CodeWidget(Organisation))
    external_id = column("external_id", "Внешний идентификатор", TextWidget())
    surname = column("surname", "Фамилия", TextWidget())
    name = column("name", "Имя", TextWidget())
    patronymic = column("patronymic", "Отчество", TextWidget())
    birth_date = column("birth_date", "Дата рождения", DateWidget())
    signer = column("signer", "Кто подписал", ChoiceWidget(ConsentSigner.choices))
    signer_name = column("signer_name", "ФИО подписавшего", TextWidget())
    signed_on = column("signed_on", "Дата подписания", DateWidget())
    valid_until = column("valid_until", "Действует до", DateWidget())

    class Meta:
        model = Consent
        fields = (
            "organisation",
            "external_id",
            "surname",
            "name",
            "patronymic",
            "birth_date",
            "signer",
            "signer_name",
            "signed_on",
            "valid_until",
        )
        import_order = fields


class ConsentPlan(PersonPlan):
    """Consents of people already in the portal, found as the people import finds them; checked by ``consent_validate``.

    A consent is the same one when the same person signed it on the same day with the same signer:
    re-importing the file changes nothing, an edited «действует до» or signer's name updates it.
    """

    scope_phrase = "в которых вам разрешено вносить согласия"
    scope_model = "consent"

    def __init__(self, kind: ImportKind, context: Any) -> None:
        super().__init__(kind, context)
        self.consents: dict[tuple[int, Any, str], tuple[int, str, Any]] = {}
        self.consents_loaded: set[int] = set()
        self.consent_creates: list[Consent] = []
        self.consent_updates: list[tuple[int, dict[str, Any]]] = []
        self.make_consent = bulk.instance_factory(Consent)

    def add(self, number: int, values: dict[str, Any]) -> tuple[str, str]:
        code, organisation_id = self.row_organisation(values)
        label, person = self.known_person(values, code, organisation_id)
        consent = self.make_consent(organisation_id=organisation_id, person_id=person.pk, **values)
        consent.clean_fields(exclude=["organisation", "person", "document", "scope"])
        consent_validate(consent, person)
        key = (person.pk, consent.signed_on, consent.signer)
        if key in self.seen:
            raise RowInvalid.one("signed_on", f"это согласие уже есть в файле в строке {self.seen[key]}.")
        self.seen[key] = number
        self._load_consents(organisation_id)
        existing = self.consents.get(key)
        if existing is None:
            if organisation_id not in self.add_scope:
                raise RowInvalid.one("organisation", f"в организации «{code}» вам не разрешено вносить согласия.")
            self.consent_creates.append(consent)
            return CREATED, label
        consent_pk, signer_name, valid_until = existing
        changes: dict[str, Any] = {}
        if consent.signer_name != signer_name:
            changes["signer_name"] = consent.signer_name
        if "valid_until" in values and consent.valid_until != valid_until:
            changes["valid_until"] = consent.valid_until
        if not changes:
            return UNCHANGED, label
        if organisation_id not in self.change_scope:
            raise RowInvalid.one("organisation", f"в организации «{code}» вам не разрешено изменять согласия.")
        self.consent_updates.append((consent_pk, changes))
        return UPDATED, label

    def _load_consents(self, organisation_id: int) -> None:
        if organisation_id in self.consents_loaded:
            return
        self.consents_loaded.add(organisation_id)
        rows = Consent.objects.filter(organisation_id=organisation_id).values_list(
            "pk", "person_id", "signed_on", "signer", "signer_name", "valid_until"
        )
        for pk, person_id, signed_on, signer, signer_name, valid_until in rows.iterator(chunk_size=5000):
            self.consents[(person_id, signed_on, signer)] = (pk, signer_name, valid_until)

    def write(self) -> None:
        write_changes(Consent, self.consent_creates, self.consent_updates, context=self.context)


@register
class ConsentImport(ImportKind):
    key = "consents"
    title = "Согласия на обработку персональных данных"
    resource_class = ConsentResource
    plan_class = ConsentPlan
    permission = "participants.add_consent"
    takes_organisation = True
    required = frozenset({"organisation", "surname", "name", "signer", "signed_on"})
    synonyms = PersonImport.synonyms
    example = {
        "organisation": "A1",
        "external_id": "EJ-000123",
        "surname": "Иванова",
        "name": "Анна",
        "patronymic": "Петровна",
        "birth_date": date(2012, 3, 14),
        "signer": ConsentSigner.PARENT.label,
        "signer_name": "Иванова Мария Сергеевна",
        "signed_on": date(2026, 9, 1),
    }


# --- mentor and mentee bases ---------------------------------------------------------------------------

#: the base entry's own fields an import sets, in the template's order
ENTRY_IMPORT_FIELDS = (
    "mentor_kind",
    "mentee_category",
    "form",
    "request",
    "capacity",
    "preferred_age_min",
    "preferred_age_max",
    "availability",
    "is_active",
)


class BaseEntryResource(resources.ModelResource):
    """Базы наставников и наставляемых: the person (as in the people list), the base, the school year, the category."""

    organisation = column("organisation", "Код организации", CodeWidget(Organisation))
    external_id = column("external_id", "Внешний идентификатор", TextWidget())
    surname = column("surname", "Фамилия", TextWidget())
    name = column("name", "Имя", TextWidget())
    patronymic = column("patronymic", "Отчество", TextWidget())
    birth_date = column("birth_date", "Дата рождения", DateWidget())
    role = column("role", "База", ChoiceWidget(BaseRole.choices))
    school_year = column("school_year", "Учебный год (год начала)", IntegerWidget())
    mentor_kind = column("mentor_kind", "Категория наставника", ChoiceWidget(MentorKind.choices))
    mentee_category = column("mentee_category", "Категория наставляемого", ChoiceWidget(MenteeCategory.choices))
    form = column("form", "Желаемая форма", ChoiceWidget(MentorshipForm.choices))
    request = column("request", "Запрос или предложение", TextWidget())
    capacity = column("capacity", "Сколько наставляемых может вести", IntegerWidget())
    preferred_age_min = column("preferred_age_min", "Возраст наставляемых от", IntegerWidget())
    preferred_age_max = column("preferred_age_max", "Возраст наставляемых до", IntegerWidget())
    availability = column("availability", "Удобное время встреч", TextWidget())
    is_active = column("is_active", "В базе", BooleanWidget())

    class Meta:
        model = BaseEntry
        fields = ("organisation", *_PERSON_KEYS, "role", "school_year", *ENTRY_IMPORT_FIELDS)
        import_order = fields


class BaseEntryPlan(PersonPlan):
    """Entries of people already in the portal, found as the people import finds them; ``base_entry_validate`` rules.

    An entry is the same one for the same person, school year and base (the model's unique
    constraint): re-importing the file changes nothing, an edited category or request updates it.
    """

    scope_phrase = "в базы которых вам разрешено вносить участников"
    scope_model = "baseentry"

    def __init__(self, kind: ImportKind, context: Any) -> None:
        super().__init__(kind, context)
        #: (person, school year, role) → (pk, the stored ``ENTRY_IMPORT_FIELDS``)
        self.entries: dict[tuple[int, int, str], tuple[int, tuple[Any, ...]]] = {}
        self.entries_loaded: set[int] = set()
        self.entry_creates: list[BaseEntry] = []
        self.entry_updates: list[tuple[int, dict[str, Any]]] = []
        self.make_entry = bulk.instance_factory(BaseEntry)

    def add(self, number: int, values: dict[str, Any]) -> tuple[str, str]:
        code, organisation_id = self.row_organisation(values)
        label, person = self.known_person(values, code, organisation_id)
        for name in ("role", "school_year"):
            if values.get(name) in (None, ""):
                raise RowInvalid.one(name, "заполните ячейку.")
        if values.get("capacity") is None:
            values.pop("capacity", None)
        values.setdefault("is_active", True)
        entry = self.make_entry(organisation_id=organisation_id, person_id=person.pk, **values)
        try:
            entry.clean_fields(exclude=["organisation", "person"])
        except ValidationError as exc:
            raise RowInvalid(validation_problems(exc)) from exc
        try:
            base_entry_validate(entry, person)
        except DomainError as exc:
            raise RowInvalid.one(exc.field, exc.message) from exc
        key = (person.pk, entry.school_year, entry.role)
        if key in self.seen:
            raise RowInvalid.one("role", f"этот участник уже есть в этой базе в строке {self.seen[key]}.")
        self.seen[key] = number
        self._load_entries(organisation_id)
        existing = self.entries.get(key)
        if existing is None:
            if organisation_id not in self.add_scope:
                raise RowInvalid.one(
                    "organisation", f"в базы организации «{code}» вам не разрешено вносить участников."
                )
            self.entry_creates.append(entry)
            return CREATED, label
        entry_pk, stored = existing
        new = tuple(getattr(entry, name) for name in ENTRY_IMPORT_FIELDS)
        changes = {
            name: value for name, old, value in zip(ENTRY_IMPORT_FIELDS, stored, new, strict=True) if old != value
        }
        if not changes:
            return UNCHANGED, label
        if organisation_id not in self.change_scope:
            raise RowInvalid.one("organisation", f"в базах организации «{code}» вам не разрешено изменять записи.")
        self.entry_updates.append((entry_pk, changes))
        return UPDATED, label

    def _load_entries(self, organisation_id: int) -> None:
        if organisation_id in self.entries_loaded:
            return
        self.entries_loaded.add(organisation_id)
        rows = BaseEntry.objects.filter(organisation_id=organisation_id).values_list(
            "pk", "person_id", "school_year", "role", *ENTRY_IMPORT_FIELDS
        )
        for pk, person_id, school_year, role, *stored in rows.iterator(chunk_size=5000):
            self.entries[(person_id, school_year, role)] = (pk, tuple(stored))

    def write(self) -> None:
        write_changes(BaseEntry, self.entry_creates, self.entry_updates, context=self.context)


@register
class BaseEntryImport(ImportKind):
    key = "base-entries"
    title = "Базы наставников и наставляемых"
    resource_class = BaseEntryResource
    plan_class = BaseEntryPlan
    permission = "participants.add_baseentry"
    takes_organisation = True
    required = frozenset({"organisation", "surname", "name", "role", "school_year"})
    synonyms = PersonImport.synonyms | {"school_year": ("Учебный год",), "request": ("Запрос", "Предложение")}
    example = {
        "organisation": "A1",
        "external_id": "EJ-000123",
        "surname": "Иванова",
        "name": "Анна",
        "patronymic": "Петровна",
        "birth_date": date(2012, 3, 14),
        "role": BaseRole.MENTEE.label,
        "school_year": 2026,
        "mentee_category": MenteeCategory.choices[0][1],
        "request": "подготовка к олимпиаде по математике",
    }


# --- pairs and groups -----------------------------------------------------------------------------------


class _TrialOnly(Exception):
    """Rolls back a row's trial of ``pair_create``."""


class PairResource(resources.ModelResource):
    """Наставнические пары и группы: the programme by its title and year, people by external id or full name."""

    organisation = column("organisation", "Код организации", CodeWidget(Organisation))
    programme = column("programme", "Программа", TextWidget())
    school_year = column("school_year", "Учебный год (год начала)", IntegerWidget())
    title = column("title", "Название группы", TextWidget())
    mentors = column("mentors", "Наставники", TextWidget())
    mentees = column("mentees", "Наставляемые", TextWidget())
    started_on = column("started_on", "Начало работы", DateWidget())
    planned_end = column("planned_end", "Плановое окончание", DateWidget())

    class Meta:
        model = Pair
        fields = (
            "organisation",
            "programme",
            "school_year",
            "title",
            "mentors",
            "mentees",
            "started_on",
            "planned_end",
        )
        import_order = fields


class PairPlan(Plan):
    """Pairs and groups, each checked by ``pair_create`` itself and written by it, row by row.

    The rules of a pair read the database (consents on the start date, the bases, capacity, open
    memberships), and files of pairs are short (hundreds of rows), so each row is tried through
    the service inside a savepoint that is rolled back, and the write calls the service again in
    the import's single transaction. What only the rows together break (a mentor over capacity
    across two rows) is refused at the write with the row's number, and nothing is written.

    People are named in a cell one per line or separated by «;»: by external id, or by full name
    when it is unique in the organisation. A pair whose people already form an open pair of the
    programme is the same pair: unchanged when the file says what the portal has.
    """

    def __init__(self, kind: ImportKind, context: Any) -> None:
        super().__init__(kind, context)
        self.scope = set(organisations_where(context.user, "participants.add_pair").values_list("pk", flat=True))
        self.organisations: dict[str, int | None] = {}
        self.programmes: dict[tuple[int, int, str], Programme | None] = {}
        #: organisation → external id → pk, and full name (lower case) → pks
        self.by_external: dict[int, dict[str, int]] = {}
        self.by_name: dict[int, dict[str, list[int]]] = {}
        self.taken: dict[tuple[int, int], int] = {}
        self.creates: list[tuple[int, dict[str, Any]]] = []

    def organisation(self, code: str) -> int:
        if code not in self.organisations:
            self.organisations[code] = Organisation.objects.filter(code=code).values_list("pk", flat=True).first()
        pk = self.organisations[code]
        if pk is None or pk not in self.scope:
            raise RowInvalid.one(
                "organisation", f"организация с кодом «{code}» не найдена среди тех, где вам разрешено создавать пары."
            )
        if pk not in self.by_external:
            external: dict[str, int] = {}
            names: dict[str, list[int]] = {}
            rows = Person.objects.filter(organisation_id=pk, anonymised_at__isnull=True).values_list(
                "pk", "external_id", "surname", "name", "patronymic"
            )
            for person_pk, external_id, *parts in rows.iterator(chunk_size=5000):
                if external_id:
                    external[external_id] = person_pk
                names.setdefault(" ".join(part for part in parts if part).lower(), []).append(person_pk)
            self.by_external[pk], self.by_name[pk] = external, names
        return pk

    def programme(self, organisation_id: int, year: int, title: str) -> Programme:
        key = (organisation_id, year, title.lower())
        if key not in self.programmes:
            self.programmes[key] = (
                Programme.objects.restrict(self.context.user, "view")
                .filter(organisation_id=organisation_id, school_year=year, title__iexact=title)
                .first()
            )
        programme = self.programmes[key]
        if programme is None:
            raise RowInvalid.one("programme", f"программа «{title}» на {year}/{year + 1} учебный год не найдена.")
        return programme

    def people(self, organisation_id: int, column: str, cell: str) -> list[int]:
        found = []
        for item in (part.strip() for part in cell.replace("\n", ";").split(";")):
            if not item:
                continue
            pk = self.by_external[organisation_id].get(item)
            if pk is None:
                named = self.by_name[organisation_id].get(" ".join(item.split()).lower(), [])
                if len(named) > 1:
                    raise RowInvalid.one(
                        column, f"в организации несколько участников «{item}»: укажите внешний идентификатор."
                    )
                if not named:
                    raise RowInvalid.one(column, f"участник «{item}» не найден в организации.")
                pk = named[0]
            found.append(pk)
        if not found:
            raise RowInvalid.one(column, "заполните ячейку.")
        return found

    def add(self, number: int, values: dict[str, Any]) -> tuple[str, str]:
        code = values.get("organisation", "") or self.context.organisation_code
        if not code:
            raise RowInvalid.one("organisation", "укажите код организации.")
        for name in ("programme", "school_year", "started_on"):
            if values.get(name) in (None, ""):
                raise RowInvalid.one(name, "заполните ячейку.")
        organisation_id = self.organisation(code)
        programme = self.programme(organisation_id, values["school_year"], values["programme"])
        mentor_ids = self.people(organisation_id, "mentors", values.get("mentors") or "")
        mentee_ids = self.people(organisation_id, "mentees", values.get("mentees") or "")
        label = f"{programme.title}: {len(mentor_ids)} + {len(mentee_ids)}"
        existing = self._existing(programme, set(mentor_ids), set(mentee_ids))
        if existing is not None:
            same = (existing.started_on, existing.title, existing.planned_end) == (
                values["started_on"],
                values.get("title") or "",
                values.get("planned_end"),
            )
            if same:
                return UNCHANGED, label
            raise RowInvalid.one(
                "started_on",
                f"эта пара (группа) уже есть (№ {existing.pk}); её даты и название меняются на странице пары.",
            )
        for person_pk in (*mentor_ids, *mentee_ids):
            key = (programme.pk, person_pk)
            if key in self.taken:
                raise RowInvalid.one(
                    "mentees", f"участник уже входит в пару этой программы в строке {self.taken[key]} файла."
                )
        arguments = {
            "programme_id": programme.pk,
            "mentor_ids": mentor_ids,
            "mentee_ids": mentee_ids,
            "started_on": values["started_on"],
            "title": values.get("title") or "",
            "planned_end": values.get("planned_end"),
        }
        try:
            with (
                transaction.atomic(),
                refusal_as(
                    lambda _: RowInvalid.one("organisation", f"создавать пары в организации «{code}» вам не разрешено.")
                ),
            ):
                self._create(arguments)
                raise _TrialOnly
        except _TrialOnly:
            pass
        except ValidationError as exc:
            raise RowInvalid(validation_problems(exc)) from exc
        for person_pk in (*mentor_ids, *mentee_ids):
            self.taken[(programme.pk, person_pk)] = number
        self.creates.append((number, arguments))
        return CREATED, label

    @staticmethod
    def _existing(programme: Programme, mentors: set[int], mentees: set[int]) -> Pair | None:
        candidates = Pair.objects.filter(
            programme=programme, status__in=PairStatus.open(), members__person_id__in=mentors | mentees
        ).distinct()
        for pair in candidates.prefetch_related("members"):
            current = [m for m in pair.members.all() if m.left_on is None]
            if {m.person_id for m in current if m.role == BaseRole.MENTOR} == mentors and {
                m.person_id for m in current if m.role == BaseRole.MENTEE
            } == mentees:
                return pair
        return None

    def _create(self, arguments: dict[str, Any]) -> Pair:
        people = Person.objects.in_bulk([*arguments["mentor_ids"], *arguments["mentee_ids"]])
        return pair_create(
            actor=self.context.user,
            programme=Programme.objects.get(pk=arguments["programme_id"]),
            mentors=[people[pk] for pk in arguments["mentor_ids"]],
            mentees=[people[pk] for pk in arguments["mentee_ids"]],
            started_on=arguments["started_on"],
            title=arguments["title"],
            planned_end=arguments["planned_end"],
        )

    def write(self) -> None:
        for number, arguments in self.creates:
            try:
                self._create(arguments)
            except DomainError as exc:
                raise DomainError(f"Строка {number}: {exc.message} Ничего не записано.") from exc


@register
class PairImport(ImportKind):
    key = "pairs"
    title = "Наставнические пары и группы"
    resource_class = PairResource
    plan_class = PairPlan
    permission = "participants.add_pair"
    takes_organisation = True
    required = frozenset({"organisation", "programme", "school_year", "mentors", "mentees", "started_on"})
    synonyms = {
        "organisation": ("Код ОО", "Код образовательной организации"),
        "mentors": ("Наставник",),
        "mentees": ("Наставляемый",),
        "school_year": ("Учебный год",),
    }
    example = {
        "organisation": "A1",
        "programme": "Учитель – ученик: первые шаги",
        "school_year": 2026,
        "mentors": "Петрова Анна Сергеевна",
        "mentees": "EJ-000123; Сидоров Илья Сергеевич",
        "started_on": date(2026, 10, 1),
    }
