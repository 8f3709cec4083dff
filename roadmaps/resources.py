"""Export of the roadmaps list to .xlsx (``mentorship.exports``); roadmaps are imported from Word or Excel in
``importing.py``, with their own preview."""

from __future__ import annotations

from typing import Any

from mentorship.exports import ListExport, register_export

from .views import RoadmapListView


@register_export
class RoadmapsExport(ListExport):
    """«Дорожные карты» as on the list page: place, period, status and progress of the activities."""

    key = "roadmaps"
    title = "Дорожные карты"
    # Places, periods, statuses and counts of activities: nobody is named.
    personal_data = False
    list_view = RoadmapListView

    def headers(self) -> list[str]:
        return [
            "Уровень",
            "Где",
            "Дорожная карта",
            "Начало периода",
            "Окончание периода",
            "Статус",
            "Редакция",
            "Мероприятий",
            "Выполнено",
        ]

    def rows(self, queryset: Any) -> Any:
        for roadmap in queryset.iterator(chunk_size=self.chunk_size):
            yield [
                roadmap.level.label,
                str(roadmap.place),
                roadmap.title,
                roadmap.period_start,
                roadmap.period_end,
                roadmap.get_status_display(),
                roadmap.revision,
                roadmap.activity_count,
                roadmap.done_count,
            ]
