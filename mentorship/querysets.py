"""The queryset every domain model uses: scoping and an unescapable change log."""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from django.db import models, transaction

from . import access

#: set while ``bulk_update`` runs: Django implements it with ``update()`` per batch, whose own
#: history rows would duplicate the ones ``bulk_update`` writes from the objects
_bulk_updating: ContextVar[bool] = ContextVar("bulk_updating", default=False)


class HistoryQuerySet(models.QuerySet):
    """Bulk writes that stay in the change log.

    django-simple-history records save() and delete() through signals; bulk
    operations send no signals, so they write their history rows here. This
    keeps every bulk write of a tracked model in the change log, whoever calls it.
    """

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[Any]:
        with transaction.atomic(using=self.db, savepoint=False):
            created = super().bulk_create(objs, *args, **kwargs)
            if _tracked(self.model) and not kwargs.get("ignore_conflicts"):
                self.model.history.bulk_history_create([obj for obj in created if obj.pk is not None])
        return created

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        objs = list(objs)
        with transaction.atomic(using=self.db, savepoint=False):
            token = _bulk_updating.set(True)
            try:
                updated = super().bulk_update(objs, fields, batch_size=batch_size)
            finally:
                _bulk_updating.reset(token)
            if _tracked(self.model):
                self.model.history.bulk_history_create(objs, update=True)
        return updated

    def update(self, **kwargs: Any) -> int:
        if not _tracked(self.model) or _bulk_updating.get():
            return super().update(**kwargs)
        with transaction.atomic(using=self.db, savepoint=False):
            pks = list(self.values_list("pk", flat=True))
            updated = super().update(**kwargs)
            changed = self.model._base_manager.using(self.db).filter(pk__in=pks)
            self.model.history.bulk_history_create(list(changed), update=True)
        return updated

    update.alters_data = True
    bulk_create.alters_data = True
    bulk_update.alters_data = True


def _tracked(model: type[models.Model]) -> bool:
    return hasattr(model, "history")


class RestrictedQuerySet(HistoryQuerySet):
    #: the action this queryset was restricted for, carried through chaining so that
    #: base views can refuse a queryset that never went through restrict()
    restricted_action: str | None = None

    def restrict(self, user: Any, action: str = "view") -> RestrictedQuerySet:
        """Only the objects ``user`` may ``action`` (view, add, change, delete or a custom one)."""
        q = access.scope_q(self.model, user, action)
        restricted = self.all() if q is None else self.filter(q)
        restricted.restricted_action = action
        return restricted

    def _clone(self) -> RestrictedQuerySet:
        clone = super()._clone()
        clone.restricted_action = self.restricted_action
        return clone
