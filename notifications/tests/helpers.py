"""Building dated roadmap items the way the item service stores them."""

from __future__ import annotations

from typing import Any

from roadmaps.choices import ResponsibleKind
from roadmaps.models import ResponsibleParty, Roadmap, RoadmapItem
from roadmaps.services import _apply_deadline
from roadmaps.tests.factories import RoadmapItemFactory


def dated_item(roadmap: Roadmap, deadline_text: str, *, responsible: Any = None, **fields: Any) -> RoadmapItem:
    """An activity of ``roadmap`` with ``deadline_text`` parsed as ``roadmap_item_create`` parses it."""
    item = RoadmapItemFactory.build(roadmap=roadmap, deadline_text=deadline_text, **fields)
    _apply_deadline(item, roadmap)
    item.save()
    if responsible is not None:
        ResponsibleParty.objects.create(
            item=item, kind=ResponsibleKind.USER, name=responsible.get_full_name(), user=responsible
        )
    return item
