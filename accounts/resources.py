"""The Excel import «Пользователи и роли» (invitations by the hundred, through the import engine), and
the .xlsx exports of «Пользователи» and of the security event log (``mentorship.exports``).

One row per person and role: «ФИО» in one cell, e-mail, the role (its Russian label or code), the
code of the place at the role's level (a region's, a municipality's or an organisation's code) and
the position. Every row is checked against the grant table for the uploading user
(``access.may_grant`` with one cache for the file: a query per role, not per row).

What a row becomes:

* an address with no account: an invitation; the letters go out only after the whole file has
  committed (``transaction.on_commit``, one task per 500 invitations, ids only);
* an address of an active account: the role is added to that account when the file commits (the
  uploader may grant it, which is all an invitation would prove), with no letter and no second
  account; a role the account already holds there is «без изменений»;
* an address with a pending invitation to the same role and place: «без изменений», so importing
  the same file again sends nothing twice;
* an address of a deactivated account: an error of that row.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.utils import timezone
from import_export import resources

from mentorship import access
from mentorship.choices import ROLE_LEVELS, Level, Role
from mentorship.exports import ListExport, register_export
from mentorship.imports import bulk
from mentorship.imports.engine import CREATED, UNCHANGED, UPDATED, ImportKind, Plan, RowInvalid
from mentorship.imports.registry import register
from mentorship.imports.widgets import ChoiceWidget, TextWidget, column
from mentorship.models import Municipality, Organisation, Region, RoleAssignment, User
from mentorship.selectors import place_label
from mentorship.views.generic import enforce

from . import selectors
from .models import Invitation
from .services import invitations as services
from .services.users import users_ensure_administrator
from .views.security import SecurityEventListView
from .views.users import UserListView

LEVEL_MODELS = {Level.REGION: Region, Level.MUNICIPALITY: Municipality, Level.ORGANISATION: Organisation}
LEVEL_GENITIVE = {
    Level.REGION: "регионов",
    Level.MUNICIPALITY: "муниципалитетов",
    Level.ORGANISATION: "образовательных организаций",
}


class UserRoleResource(resources.Resource):
    """Пользователи и роли: one row per person and the role they are invited to."""

    full_name = column("full_name", "ФИО", TextWidget())
    email = column("email", "Электронная почта", TextWidget())
    role = column("role", "Роль", ChoiceWidget(Role.choices))
    place = column("place", "Код места", TextWidget())
    position = column("position", "Должность", TextWidget())

    class Meta:
        fields = ("full_name", "email", "role", "place", "position")
        import_order = fields


def split_name(full_name: str) -> tuple[str, str, str]:
    """«Фамилия Имя Отчество» → its parts; the patronymic may have several words («Рашид оглы»)."""
    parts = full_name.split()
    if len(parts) < 2:
        raise RowInvalid.one("full_name", "укажите фамилию и имя (и отчество, если есть) через пробел.")
    return parts[0], parts[1], " ".join(parts[2:])


class UserRolePlan(Plan):
    """Rows checked against the grant table and the accounts and invitations already there, read once per file."""

    def __init__(self, kind: ImportKind, context: Any) -> None:
        super().__init__(kind, context)
        self.user = context.user
        self.grant_cache: dict[str, frozenset[int]] = {}
        self.places: dict[tuple[Level, str], Any] = {}
        self.seen: dict[tuple[str, str, int], int] = {}
        self.accounts: dict[str, list[tuple[int, bool]]] | None = None
        self.held: dict[int, set[tuple[str, int]]] = {}
        self.pending: set[tuple[str, str, int]] | None = None
        self.make = bulk.instance_factory(Invitation)
        self.make_assignment = bulk.instance_factory(RoleAssignment)
        self.invitations: list[Invitation] = []
        self.grants: list[RoleAssignment] = []
        self.fields = {name: Invitation._meta.get_field(name) for name in ("last_name", "first_name", "patronymic")}
        self.fields["position"] = Invitation._meta.get_field("position")

    # -- look-ups, once per file

    def place(self, level: Level, code: str) -> Any:
        key = (level, code)
        if key not in self.places:
            queryset = LEVEL_MODELS[level].objects.filter(code=code)
            if level == Level.ORGANISATION:
                queryset = queryset.select_related("municipality")
            self.places[key] = queryset.first()
        found = self.places[key]
        if found is None:
            raise RowInvalid.one("place", f"места с кодом «{code}» нет среди {LEVEL_GENITIVE[level]} справочника.")
        return found

    def account(self, email: str) -> tuple[int, bool] | None:
        """The account of an address (the active one first): by e-mail or by user name, all read in one query."""
        if self.accounts is None:
            self.accounts = {}
            rows = (
                User.objects.annotate(email_lower=Lower("email"), username_lower=Lower("username"))
                .values_list("pk", "is_active", "email_lower", "username_lower")
                .order_by()
            )
            for pk, is_active, email_lower, username_lower in rows.iterator(chunk_size=5000):
                for address in {email_lower, username_lower} - {""}:
                    self.accounts.setdefault(address, []).append((pk, is_active))
        found = sorted(self.accounts.get(email, []), key=lambda account: (not account[1], account[0]))
        return found[0] if found else None

    def holds(self, user_id: int, role: str, place_id: int) -> bool:
        if user_id not in self.held:
            # The roles the uploader may grant (or revoke) are the only ones a row may add: read those.
            rows = RoleAssignment.objects.restrict(self.user, "grant").filter(user_id=user_id)
            self.held[user_id] = {
                (role_held, region or municipality or organisation)
                for role_held, region, municipality, organisation in rows.values_list(
                    "role", "region_id", "municipality_id", "organisation_id"
                )
            }
        return (role, place_id) in self.held[user_id]

    def invited(self, email: str, role: str, place_id: int) -> bool:
        if self.pending is None:
            rows = services.pending(Invitation.objects.restrict(self.user, "view")).values_list(
                "email", "role", "region_id", "municipality_id", "organisation_id"
            )
            self.pending = {
                (address, role_offered, region or municipality or organisation)
                for address, role_offered, region, municipality, organisation in rows.iterator(chunk_size=5000)
            }
        return (email, role, place_id) in self.pending

    # -- one row

    def add(self, number: int, values: dict[str, Any]) -> tuple[str, str]:
        last_name, first_name, patronymic = split_name(values.get("full_name", ""))
        email = services.normalise_email(values.get("email", ""))
        if not email:
            raise RowInvalid.one("email", "укажите адрес электронной почты.")
        try:
            validate_email(email)
        except ValidationError:
            raise RowInvalid.one("email", f"«{values['email']}» — не адрес электронной почты.") from None
        role = values.get("role", "")
        if not role:
            raise RowInvalid.one("role", "укажите роль.")
        level = ROLE_LEVELS[role]
        code = values.get("place", "")
        if not code:
            raise RowInvalid.one("place", "укажите код места: региона, муниципалитета или организации.")
        place = self.place(level, code)
        role_label = Role(role).label
        if not access.may_grant(self.user, role, place, cache=self.grant_cache):
            raise RowInvalid.one("role", f"назначать роль «{role_label}» в месте с кодом «{code}» вам не разрешено.")
        key = (email, role, place.pk)
        if key in self.seen:
            raise RowInvalid.one(
                "email", f"этот адрес с той же ролью и местом уже есть в файле в строке {self.seen[key]}."
            )
        self.seen[key] = number
        label = f"{last_name} {first_name} ({email}): {role_label}, {place_label(place)}"
        names = {"last_name": last_name, "first_name": first_name, "patronymic": patronymic}
        names["position"] = values.get("position", "")
        self._clean_fields(names)
        account = self.account(email)
        if account is not None:
            user_id, is_active = account
            if not is_active:
                raise RowInvalid.one(
                    "email", "учётная запись с этим адресом отключена: включите её, затем назначьте роль."
                )
            if self.holds(user_id, role, place.pk):
                return UNCHANGED, f"{label} — роль уже есть"
            self.held[user_id].add((role, place.pk))
            self.grants.append(self.make_assignment(user_id=user_id, role=role, **{f"{level.value}_id": place.pk}))
            return UPDATED, f"{label} — роль будет добавлена учётной записи"
        if self.invited(email, role, place.pk):
            return UNCHANGED, f"{label} — приглашение уже отправлено"
        self.invitations.append(
            self.make(email=email, role=role, **names, **{f"{level.value}_id": place.pk}, send_pending=True)
        )
        return CREATED, label

    def _clean_fields(self, values: dict[str, str]) -> None:
        problems = []
        for name, value in values.items():
            try:
                self.fields[name].clean(value, None)
            except ValidationError as exc:
                problems += [("position" if name == "position" else "full_name", m) for m in exc.messages]
        if problems:
            raise RowInvalid(problems)

    def write(self) -> None:
        services.import_write(
            actor=self.user,
            history_user=self.context.history_user,
            reason=self.context.reason,
            invitations=self.invitations,
            grants=self.grants,
        )


@register
class UserRoleImport(ImportKind):
    key = "users"
    title = "Пользователи и роли (приглашения по электронной почте)"
    resource_class = UserRoleResource
    plan_class = UserRolePlan
    permission = "accounts.add_invitation"
    required = frozenset({"full_name", "email", "role", "place"})
    synonyms = {
        "full_name": ("Фамилия Имя Отчество", "Фамилия, имя, отчество", "Ф.И.О."),
        "email": ("E-mail", "Email", "Эл. почта", "Адрес электронной почты"),
        "place": ("Код организации", "Код ОО", "Код муниципалитета", "Код региона"),
    }
    example = {
        "full_name": "Иванова Анна Петровна",
        "email": "ivanova@school.example",
        "role": Role.CURATOR.label,
        "place": "UFA-SCH-01",
        "position": "заместитель директора по учебно-воспитательной работе",
    }


@register_export
class UsersExport(ListExport):
    """The users the viewer administers, with the roles the viewer sees (read per chunk, one query each)."""

    key = "users"
    title = "Пользователи"
    list_view = UserListView

    def queryset(self) -> Any:
        view = self.list_view()
        view.setup(self.request)
        # The page's own guard: only those who administer users get its rows.
        enforce(users_ensure_administrator, self.user)
        return view.get_queryset()

    def headers(self) -> list[str]:
        return ["ФИО", "Логин", "E-mail", "Должность", "Телефон", "Роли", "Последний вход", "Учётная запись"]

    def rows(self, queryset: Any) -> Any:
        chunk: list[Any] = []
        for user in queryset.iterator(chunk_size=self.chunk_size):
            chunk.append(user)
            if len(chunk) == self.chunk_size:
                yield from self._rows(chunk)
                chunk = []
        yield from self._rows(chunk)

    def _rows(self, users: list[Any]) -> Any:
        if not users:
            return
        roles = selectors.roles_of(viewer=self.user, user_ids=[u.pk for u in users])
        for user in users:
            yield [
                user.get_full_name(),
                user.username,
                user.email,
                user.position,
                user.phone,
                "\n".join(f"{a.get_role_display()} — {a.place_label}" for a in roles.get(user.pk, [])),
                timezone.localtime(user.last_login).strftime("%d.%m.%Y %H:%M") if user.last_login else "ещё не входил",
                "действует" if user.is_active else "отключена",
            ]


@register_export
class SecurityEventsExport(ListExport):
    """«Журнал безопасности» as the page filters it; names and addresses of people, so itself recorded."""

    key = "security-events"
    title = "Журнал безопасности"
    list_view = SecurityEventListView

    def headers(self) -> list[str]:
        return [
            "Когда",
            "Событие",
            "Кто",
            "Чья учётная запись",
            "Введённое имя пользователя",
            "IP-адрес",
            "Регион",
            "Подробности",
            "Сколько человек",
        ]

    def rows(self, queryset: Any) -> Any:
        for event in queryset.iterator(chunk_size=self.chunk_size):
            yield [
                # Excel keeps no time zone: the local time, as on the page.
                timezone.localtime(event.at),
                event.get_kind_display(),
                event.actor_name,
                event.subject_name,
                event.username,
                event.ip or "",
                event.region.name if event.region_id else "",
                event.what,
                event.people,
            ]
