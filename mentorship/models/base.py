from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q

from ..choices import Level
from ..expressions import InSubquery
from ..querysets import RestrictedQuerySet
from ..validators import validate_inn, validate_ogrn

code_validator = RegexValidator(
    r"^[0-9A-Za-z][0-9A-Za-z._-]*$",
    "Код может содержать только латинские буквы, цифры, точку, дефис и подчёркивание.",
)


class ScopedModel(models.Model):
    """A domain object that lives somewhere in the region → municipality → organisation tree.

    ``access.scope_q`` hands ``scope_filter`` the places the user holds roles at
    (``{level: subquery of place pks}``) and gets back one filter:

    - a record kept by one organisation names the lookup to it in
      ``scope_anchor``; its scope is one comparison of that column with the
      organisations reachable from those places (``InSubquery``), which the
      database answers from the anchor's index whatever the table's size;
    - otherwise ``scope_paths`` says, per level, the lookup from this model to
      the pk of the place at that level, and ``scope_q`` may be overridden where
      the relation is not a plain path (the hierarchy's own models look upward
      too).

    ``object_permissions`` marks the models whose single objects may also be
    granted with django-guardian (``assign_perm``); only their filter looks at
    guardian's tables, since an OR with those subqueries makes the database scan
    the whole table.
    """

    scope_anchor: ClassVar[str | None] = None
    scope_paths: ClassVar[Mapping[Level, str]] = {}
    object_permissions: ClassVar[bool] = False
    #: a summary rebuilt from other records (monitoring's figures): it keeps no change history of its own
    derived: ClassVar[bool] = False
    #: a log whose rows are only ever added (the security event log): no change history either
    append_only: ClassVar[bool] = False

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        abstract = True

    @classmethod
    def scope_filter(cls, places: Mapping[Level, Any], action: str) -> Q:
        """The objects reachable from ``places`` (``{level: subquery of place pks}``) for ``action``."""
        if cls.scope_anchor is not None:
            from .hierarchy import organisations_within

            return Q(InSubquery(F(cls.scope_anchor), organisations_within(places)))
        q = Q(pk__in=[])
        for level, level_places in places.items():
            level_q = cls.scope_q(level, level_places, action)
            if level_q is not None:
                q |= level_q
        return q

    @classmethod
    def scope_q(cls, level: Level, places: Any, action: str) -> Q | None:
        """The objects related to ``places`` (a subquery of place pks at ``level``)."""
        path = cls.scope_paths.get(level)
        return None if path is None else Q(**{f"{path}__in": places})


class OwnedModel(models.Model):
    """A record that belongs to one user rather than to a place: their import, document, notification.

    ``owner_field`` names the foreign key to that user; ``restrict(user, action)`` keeps the
    user's own records for every action (``access.scope_q``), so another user's answers 404.
    ``administrators_see_all``: whether administrators see every user's records (an import log)
    or, like everyone, only their own (a notification list).
    """

    owner_field: ClassVar[str] = "user"
    administrators_see_all: ClassVar[bool] = False

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        abstract = True


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField("создано", auto_now_add=True)
    updated_at = models.DateTimeField("изменено", auto_now=True)

    class Meta:
        abstract = True


class LegalEntity(models.Model):
    """Fields every legal entity in the directory shares."""

    code = models.CharField(
        "код",
        max_length=64,
        unique=True,
        validators=[code_validator],
        help_text="Постоянный код для импорта и обмена данными, не меняется при переименовании.",
    )
    full_name = models.CharField("полное наименование", max_length=500)
    short_name = models.CharField("краткое наименование", max_length=255)
    inn = models.CharField("ИНН", max_length=12, blank=True, validators=[validate_inn])
    ogrn = models.CharField("ОГРН", max_length=15, blank=True, validators=[validate_ogrn])
    address = models.CharField("адрес", max_length=500, blank=True)
    is_active = models.BooleanField("действует", default=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.short_name or self.full_name
