"""Fixed vocabularies of the documents, with Russian labels."""

from django.db import models


class OrderKind(models.TextChoices):
    """The orders (приказы) of the mentorship programme a school issues (seed 003, «Перечень документов»)."""

    IMPLEMENTATION = "implementation", "О внедрении целевой модели наставничества"
    CURATOR = "curator", "О назначении куратора (координатора) внедрения целевой модели наставничества"
    ROADMAP = "roadmap", "Об утверждении дорожной карты"
    PAIRS = "pairs", "Об утверждении наставнических пар/групп"
    MENTOR_SCHOOL = "mentor_school", "Об организации Школы наставников"
    AWARDS = "awards", "О поощрении участников наставнической деятельности"
    FINAL_EVENT = "final_event", "О проведении итогового мероприятия"


class OrderStatus(models.TextChoices):
    DRAFT = "draft", "Проект"
    SIGNED = "signed", "Подписан"


class RenderStatus(models.TextChoices):
    """Where the PDF of a document stands (a large one is rendered by a background task)."""

    NONE = "", "Не формировался"
    PENDING = "pending", "Формируется"
    READY = "ready", "Готов"
    FAILED = "failed", "Ошибка формирования"


class OrderEventKind(models.TextChoices):
    CREATED = "created", "Проект создан"
    UPDATED = "updated", "Проект изменён"
    REFRESHED = "refreshed", "Приложение обновлено по данным портала"
    SIGNED = "signed", "Подписан, присвоен номер"
    PDF_STORED = "pdf_stored", "PDF подписанного приказа сохранён"
    SCAN_ATTACHED = "scan_attached", "Приложен скан подписанного приказа"
    ITEM_LINKED = "item_linked", "Связан с пунктом дорожной карты"


class AwardKind(models.TextChoices):
    """Rewards of stage 7 (seed 003): certificates and letters of thanks for mentors."""

    BEST_MENTOR = "best_mentor", "Лучший наставник"
    MENTOR_OF_YEAR = "mentor_of_year", "Наставник года"
    BEST_PAIR = "best_pair", "Лучшая пара"
    THANKS = "thanks", "Благодарственное письмо"


class DocumentKind(models.TextChoices):
    """What a background rendering job produces."""

    ORDER = "order", "Приказ"
    ROADMAP = "roadmap", "Дорожная карта"
