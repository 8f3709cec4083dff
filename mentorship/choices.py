"""Fixed vocabularies of the hierarchy and of roles, with Russian labels."""

from django.db import models


class Level(models.TextChoices):
    """A level of the hierarchy at which a role is held."""

    REGION = "region", "Регион"
    MUNICIPALITY = "municipality", "Муниципалитет"
    ORGANISATION = "organisation", "Образовательная организация"


class MunicipalityKind(models.TextChoices):
    DISTRICT = "district", "Муниципальный район"
    MUNICIPAL_OKRUG = "municipal_okrug", "Муниципальный округ"
    CITY_OKRUG = "city_okrug", "Городской округ"


class OrganisationKind(models.TextChoices):
    SCHOOL = "school", "Общеобразовательная организация (школа)"
    COLLEGE = "college", "Профессиональная образовательная организация (колледж)"
    KINDERGARTEN = "kindergarten", "Дошкольная образовательная организация (детский сад)"
    ADDITIONAL = "additional", "Организация дополнительного образования"


class BodyKind(models.TextChoices):
    """Bodies that act at a level of the hierarchy (docs/domain.md, «The hierarchy»)."""

    REGIONAL_MINISTRY = "regional_ministry", "Региональный орган управления образованием"
    REGIONAL_CENTRE = "regional_centre", "Региональный наставнический центр"
    MUNICIPAL_AUTHORITY = "municipal_authority", "Муниципальный орган управления образованием"
    MUNICIPAL_CENTRE = "municipal_centre", "Муниципальный методический (наставнический) центр"

    @classmethod
    def municipal(cls) -> list[str]:
        # A list, not a set: its order ends up in a migration and must not vary between runs.
        return [cls.MUNICIPAL_AUTHORITY, cls.MUNICIPAL_CENTRE]


class PartnerKind(models.TextChoices):
    COMPANY = "company", "Предприятие, организация-работодатель"
    UNIVERSITY = "university", "Вуз, научная организация"
    NGO = "ngo", "Некоммерческая (общественная) организация"
    OTHER = "other", "Иная организация"


class Role(models.TextChoices):
    """A role a user holds at one place of the hierarchy."""

    REGIONAL_COORDINATOR = "regional_coordinator", "Региональный координатор"
    REGIONAL_OBSERVER = "regional_observer", "Специалист регионального центра (просмотр)"
    SECURITY_OFFICER = "security_officer", "Ответственный за информационную безопасность"
    MUNICIPAL_OFFICER = "municipal_officer", "Специалист муниципального органа управления образованием"
    MUNICIPAL_OBSERVER = "municipal_observer", "Методист муниципального центра (просмотр)"
    DIRECTOR = "director", "Руководитель образовательной организации"
    CURATOR = "curator", "Куратор внедрения ЦМН"
    COORDINATOR = "coordinator", "Координатор ЦМН"
    MENTOR = "mentor", "Наставник"

    @property
    def level(self) -> "Level":
        return ROLE_LEVELS[self]


ROLE_LEVELS: dict[str, Level] = {
    Role.REGIONAL_COORDINATOR: Level.REGION,
    Role.REGIONAL_OBSERVER: Level.REGION,
    Role.SECURITY_OFFICER: Level.REGION,
    Role.MUNICIPAL_OFFICER: Level.MUNICIPALITY,
    Role.MUNICIPAL_OBSERVER: Level.MUNICIPALITY,
    Role.DIRECTOR: Level.ORGANISATION,
    Role.CURATOR: Level.ORGANISATION,
    Role.COORDINATOR: Level.ORGANISATION,
    Role.MENTOR: Level.ORGANISATION,
}


class SecurityEventKind(models.TextChoices):
    """What the security event log records (issue 15: ФСТЭК order 117, OWASP ASVS level 2)."""

    LOGIN = "login", "Вход"
    LOGIN_FAILED = "login_failed", "Неудачная попытка входа"
    LOCKED_OUT = "locked_out", "Вход заблокирован"
    LOGOUT = "logout", "Выход"
    PASSWORD_CHANGED = "password_changed", "Смена пароля"
    PASSWORD_RESET = "password_reset", "Сброс пароля"
    ROLE_GRANTED = "role_granted", "Назначение роли"
    ROLE_REVOKED = "role_revoked", "Снятие роли"
    USER_DEACTIVATED = "user_deactivated", "Отключение учётной записи"
    USER_ACTIVATED = "user_activated", "Включение учётной записи"
    INVITATION_SENT = "invitation_sent", "Приглашение отправлено"
    INVITATION_ACCEPTED = "invitation_accepted", "Приглашение принято"
    TWO_FACTOR_ENABLED = "two_factor_enabled", "Двухфакторная аутентификация включена"
    TWO_FACTOR_DISABLED = "two_factor_disabled", "Двухфакторная аутентификация отключена"
    RECOVERY_CODES = "recovery_codes", "Новые резервные коды"
    PERSONAL_DATA_EXPORT = "personal_data_export", "Выгрузка персональных данных"
