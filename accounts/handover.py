"""What a person is responsible for, listed on their card so it can be handed over before they leave.

The accounts app imports no domain app (the import contract), so the domain apps plug their
duties in from their ``AppConfig.ready()``: participants the pairs and groups a person leads as a
mentor, roadmaps the activities they answer for. ``provider(user, viewer)`` returns the rows the
viewer may see, in a fixed number of queries whatever their number; ``transfer``, where given,
is the service handing the chosen rows over to another user in one go («Передать другому»).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Row:
    """One duty: what it is, where, the page where it can be reassigned, and whether the viewer may pass it on here."""

    pk: int
    label: str
    url: str
    place: str = ""
    note: str = ""
    #: the viewer may hand this row over with the duty's ``transfer``
    transferable: bool = False


#: ``provider(user, viewer) -> rows``
Provider = Callable[[Any, Any], Sequence[Row]]
#: ``transfer(*, actor, user, to_user, pks, request) -> how many rows were handed over``
Transfer = Callable[..., int]


@dataclass(frozen=True, slots=True)
class Duty:
    key: str
    label: str
    provider: Provider
    transfer: Transfer | None = None
    order: int = 0


_duties: dict[str, Duty] = {}


def register(key: str, label: str, provider: Provider, *, transfer: Transfer | None = None, order: int = 0) -> None:
    """Add a kind of duty (Russian ``label``: «Пары и группы (наставник)»); ``transfer`` offers «Передать другому»."""
    duty = Duty(key, label, provider, transfer, order)
    if key in _duties and _duties[key] != duty:
        raise ValueError(f"Handover duty {key!r} is registered twice")
    _duties[key] = duty


def duty(key: str) -> Duty:
    """The registered duty ``key`` (``KeyError`` for an unknown one)."""
    return _duties[key]


def registered() -> list[Duty]:
    return sorted(_duties.values(), key=lambda d: (d.order, d.key))


@dataclass(frozen=True, slots=True)
class Duties:
    duty: Duty
    rows: Sequence[Row]

    @property
    def transferable(self) -> list[Row]:
        return [row for row in self.rows if row.transferable] if self.duty.transfer is not None else []


def duties_of(user: Any, viewer: Any) -> list[Duties]:
    """Every registered duty with its rows for ``user`` as ``viewer`` sees them (empty duties left out)."""
    found = [Duties(d, list(d.provider(user, viewer))) for d in registered()]
    return [d for d in found if d.rows]
