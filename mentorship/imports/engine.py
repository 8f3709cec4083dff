"""The import engine: read the whole file, validate every row, then write everything or nothing.

Why not ``Resource.import_data`` as it comes (the benchmark runs it for comparison):

* it works row by row — an instance loader query per row, a foreign-key query per row, a
  ``save()`` (and a history row) per row: some hundreds of rows a second;
* with ``use_transactions`` it still commits the valid rows when other rows have *validation*
  errors (``rollback_on_validation_errors`` is off by default), and its ``use_bulk`` mode skips
  validation hooks altogether;
* its errors name fields, not «Строка N, столбец X».

So each kind keeps django-import-export's ``ModelResource`` as the declarative mapping (Russian
column titles, widgets that convert cells), and this engine drives it: the sheet is streamed
with openpyxl; each row is converted by the resource's widgets and checked by the same pure
validators the services use (``full_clean`` minus the database look-ups, plus the service's
rules); natural keys are resolved from caches loaded once per organisation, not per row; the
file is validated to the end first, and only a file without a single error is written, in one
transaction, with ``bulk_create``/``bulk_update`` in batches (which write django-simple-history
rows too, see ``mentorship/querysets.py``).
"""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import IO, Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from mentorship.errors import DomainError

from . import bulk
from .reading import FileRefused, column_letter, normalise_header, open_sheet
from .widgets import CodeWidget

CREATED, UPDATED, UNCHANGED, ERROR = "created", "updated", "unchanged", "error"
OUTCOME_LABELS = {CREATED: "будет создана", UPDATED: "будет изменена", UNCHANGED: "без изменений", ERROR: "ошибка"}
#: rows written per INSERT/UPDATE statement (and per batch of history rows)
BATCH_SIZE = bulk.BATCH_SIZE
PROGRESS_EVERY = 2000


def max_errors() -> int:
    return settings.IMPORT_MAX_ERRORS


class RowInvalid(Exception):
    """One row's problems: ``[(field or None, message)]``."""

    def __init__(self, problems: list[tuple[str | None, str]]) -> None:
        super().__init__(problems)
        self.problems = problems

    @classmethod
    def one(cls, field_name: str | None, message: str) -> RowInvalid:
        return cls([(field_name, message)])


@dataclass
class Report:
    """What a check or an import found: counts, errors as «Строка N, столбец X: причина», the rows."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    error_count: int = 0
    errors: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)
    total: int = 0
    written: bool = False
    #: a kind that maps the file's columns: ``[{"index", "letter", "title", "target"}]`` as read and mapped
    columns: list[dict[str, Any]] | None = None

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def add_error(self, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < max_errors():
            self.errors.append(message)

    def summary(self) -> str:
        verb = ("создано", "изменено") if self.written else ("будет создано", "будет изменено")
        return (
            f"Строк: {self.total}; {verb[0]}: {self.created}; {verb[1]}: {self.updated}; "
            f"без изменений: {self.unchanged}; ошибок: {self.error_count}."
        )


@dataclass
class Context:
    user: Any
    file_name: str
    #: the organisation of rows that name none (``--org CODE``, the form's choice)
    organisation_code: str = ""
    #: what the kind asked at upload and the column mapping (``ImportJob.options``)
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def history_user(self) -> Any:
        """The user the change log names (none for a command run on the server)."""
        from mentorship.models import User

        return self.user if isinstance(self.user, User) else None

    @property
    def reason(self) -> str:
        return f"Импорт из Excel: {self.file_name}"[:100]


class Plan(ABC):
    """One kind's work on one file: ``add`` checks a row and remembers what to write; ``write`` writes it."""

    def __init__(self, kind: ImportKind, context: Context) -> None:
        self.kind = kind
        self.context = context

    @abstractmethod
    def add(self, number: int, values: dict[str, Any]) -> tuple[str, str]:
        """Check a converted row; returns ``(outcome, label)`` or raises ``RowInvalid``."""

    @abstractmethod
    def write(self) -> None:
        """Write what ``add`` remembered, in the import's transaction."""


class ImportKind:
    """A kind of import (people, organisations…): its resource, template, columns and plan.

    Subclasses live in the apps' ``resources.py`` and are registered with ``@register``.
    """

    key: ClassVar[str]
    title: ClassVar[str]
    #: the django-import-export resource: fields with Russian column titles and widgets
    resource_class: ClassVar[type]
    plan_class: ClassVar[type[Plan]]
    #: fields whose column must be in the file
    required: ClassVar[frozenset[str]] = frozenset()
    #: other titles people give the same column (Р-145 lists, older templates)
    synonyms: ClassVar[dict[str, tuple[str, ...]]] = {}
    #: the template's example row, by field
    example: ClassVar[dict[str, Any]] = {}
    #: the permission (``app.codename``) that lets a user open this import at all
    permission: ClassVar[str]
    #: whether rows may omit the organisation (``--org``, the form's organisation)
    takes_organisation: ClassVar[bool] = False

    # -- a kind whose columns are the file's own (a web form's questions) and are mapped per upload.
    #: Such a kind's header is the file's first non-empty row; each column is mapped to one of
    #: ``column_targets`` (or left out) by ``default_target``, or as the user chose on the job's page
    #: (``options["mapping"]``: column index as text → target, "" for «не загружать»); the values reach
    #: the plan as they are in the cells, keyed by target. The resource then only makes the template.
    maps_columns: ClassVar[bool] = False
    #: the upload form's hint for the file, where the template's does not fit (an export of another system)
    upload_help: ClassVar[str] = ""

    def __init__(self) -> None:
        self.resource = self.resource_class()

    def upload_fields(self, user: Any) -> dict[str, Any]:
        """Extra form fields the upload asks (``{name: forms.Field}``), such as which questionnaire."""
        return {}

    def upload_options(self, user: Any, cleaned: dict[str, Any]) -> dict[str, Any]:
        """The upload fields' values as JSON for ``ImportJob.options``; may raise ``forms.ValidationError``."""
        return {}

    def column_targets(self, context: Context) -> list[tuple[str, str]]:
        """What a column may be mapped to: ``[(target, label)]`` (a mapping kind only)."""
        return []

    def default_target(self, context: Context, title: str, taken: set[str]) -> str:
        """The target a column titled ``title`` maps to unless the user chose otherwise; "" for none."""
        return ""

    def check_mapping(self, context: Context, targets: dict[str, str]) -> list[str]:
        """Problems of a mapping as a whole (``{target: column title}``), such as no column naming the person."""
        return []

    def map_columns(self, context: Context, header: list[Any], report: Report) -> dict[int, str]:
        """Map the header's columns (kept in ``report.columns`` for the job's page); refuse a wrong mapping."""
        chosen = context.options.get("mapping") or {}
        known = {target for target, _ in self.column_targets(context)}
        columns: dict[int, str] = {}
        report.columns = []
        taken: set[str] = set()
        problems: list[str] = []
        where: dict[str, str] = {}
        for index, value in enumerate(header):
            title = "" if value is None else str(value).strip()
            if not title:
                continue
            letter = column_letter(index)
            if str(index) in chosen:
                target = chosen[str(index)] if chosen[str(index)] in known else ""
            else:
                target = self.default_target(context, title, taken)
            report.columns.append({"index": index, "letter": letter, "title": title, "target": target})
            if not target:
                continue
            if target in taken:
                problems.append(f"Столбцы {where[target]} и {letter} «{title}» сопоставлены одному и тому же полю.")
                continue
            taken.add(target)
            where[target] = f"{letter} «{title}»"
            columns[index] = target
        problems += self.check_mapping(context, where)
        if problems:
            raise FileRefused(" ".join(problems))
        return columns

    def fields(self) -> list[Any]:
        """The resource's import fields, in the template's order."""
        return list(self.resource.get_import_fields())

    def expected_titles(self) -> dict[str, str]:
        expected: dict[str, str] = {}
        for resource_field in self.fields():
            expected[normalise_header(resource_field.column_name)] = resource_field.attribute
        for name, titles in self.synonyms.items():
            for title in titles:
                expected.setdefault(normalise_header(title), name)
        return expected


def sha256_of(handle: IO[bytes]) -> str:
    digest = hashlib.sha256()
    handle.seek(0)
    for chunk in iter(lambda: handle.read(1024 * 1024), b""):
        digest.update(chunk)
    handle.seek(0)
    return digest.hexdigest()


def validation_problems(exc: ValidationError) -> list[tuple[str | None, str]]:
    if hasattr(exc, "error_dict"):
        return [
            (None if name == "__all__" else name, message)
            for name, messages in exc.message_dict.items()
            for message in messages
        ]
    return [(None, message) for message in exc.messages]


def run(
    kind: ImportKind,
    handle: IO[bytes],
    *,
    context: Context,
    commit: bool,
    keep_rows: bool = True,
    progress: Callable[[int, int | None], None] | None = None,
) -> Report:
    """Check the file and, with ``commit`` and no error anywhere, write it in one transaction."""
    report = Report()
    required = set(kind.required)
    if kind.takes_organisation and context.organisation_code:
        required.discard("organisation")
    try:
        workbook, sheet = open_sheet(
            handle,
            context.file_name,
            expected=kind.expected_titles(),
            required=required,
            labels={resource_field.attribute: resource_field.column_name for resource_field in kind.fields()},
            mapper=(lambda header: kind.map_columns(context, header, report)) if kind.maps_columns else None,
        )
    except FileRefused as exc:
        report.add_error(exc.message)
        return report
    titles = sheet.titles
    fields = {resource_field.attribute: resource_field for resource_field in kind.fields()}
    plan = kind.plan_class(kind, context)
    try:
        for number, values in sheet.rows:
            report.total += 1
            outcome, label = _check_row(plan, fields, sheet.columns, titles, number, values, report)
            if keep_rows:
                report.rows.append([number, outcome, label])
            if progress is not None and report.total % PROGRESS_EVERY == 0:
                progress(report.total, sheet.declared_rows)
    except FileRefused as exc:
        # A sheet broken or too long mid-way: the rows read so far are not enough to import.
        report.add_error(exc.message)
    finally:
        workbook.close()
    if progress is not None:
        progress(report.total, report.total)
    if report.total == 0 and report.ok:
        report.add_error("В файле нет ни одной строки с данными под строкой заголовков.")
    if not report.ok or not commit:
        return report
    try:
        with transaction.atomic():
            plan.write()
    except IntegrityError as exc:
        # Someone saved the same record between the check and the write: nothing of this file is kept.
        report.add_error(
            "Пока файл проверялся, такие же записи добавил кто-то другой; ничего не записано. "
            f"Загрузите файл ещё раз ({exc.__class__.__name__})."
        )
        return report
    except DomainError as exc:
        report.add_error(exc.message)
        return report
    report.written = True
    return report


def _check_row(
    plan: Plan,
    fields: dict[str, Any],
    columns: dict[int, str],
    titles: dict[str, str],
    number: int,
    values: list[Any],
    report: Report,
) -> tuple[str, str]:
    cleaned: dict[str, Any] = {}
    problems: list[tuple[str | None, str]] = []
    width = len(values)
    for index, name in columns.items():
        value = values[index] if index < width else None
        if isinstance(value, str):
            value = value.strip()
            if value.startswith("="):
                problems.append((name, "в ячейке формула; впишите значение, формулы не импортируются."))
                continue
        if name not in fields:
            # A mapped column (a kind with ``maps_columns``): the plan reads the cell itself.
            cleaned[name] = value
            continue
        widget = fields[name].widget
        if isinstance(widget, CodeWidget):
            cleaned[name] = widget.code(value)
            continue
        try:
            cleaned[name] = widget.clean(value)
        except ValueError as exc:
            problems.append((name, str(exc)))
    if not problems:
        try:
            outcome, label = plan.add(number, cleaned)
        except RowInvalid as exc:
            problems = exc.problems
        except DomainError as exc:
            problems = [(exc.field if exc.field in titles else None, exc.message)]
        except ValidationError as exc:
            problems = validation_problems(exc)
        else:
            if outcome == CREATED:
                report.created += 1
            elif outcome == UPDATED:
                report.updated += 1
            else:
                report.unchanged += 1
            return outcome, label
    for name, message in problems:
        where = f", столбец {titles[name]}" if name in titles else ""
        report.add_error(f"Строка {number}{where}: {message}")
    return ERROR, "; ".join(message for _, message in problems)


def batches(items: Iterable[Any], size: int = BATCH_SIZE) -> Iterable[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def write_changes(
    model: type[models.Model],
    creates: list[Any],
    updates: list[tuple[int, dict[str, Any]]],
    *,
    context: Context,
) -> None:
    """Insert a plan's new records and apply its ``(pk, {attname: value})`` changes, with their history rows."""
    user, reason = context.history_user, context.reason
    for objs in batches(creates, 10 * BATCH_SIZE):
        bulk.insert(model, objs, user=user, reason=reason)
    for batch in batches(updates):
        objs = model.objects.in_bulk([pk for pk, _ in batch])
        changed: set[str] = set()
        for pk, changes in batch:
            for attname, value in changes.items():
                setattr(objs[pk], attname, value)
            changed.update(changes)
        # A foreign key changes by its attname (``partner_id``); the update names the field.
        names = sorted({model._meta.get_field(attname).name for attname in changed})
        bulk.update(model, list(objs.values()), names, user=user, reason=reason)
