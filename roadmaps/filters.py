"""Filters of the roadmap list."""

import django_filters

from mentorship.filters import ScopedFilterSet

from .choices import RoadmapStatus
from .models import Roadmap


class RoadmapFilter(ScopedFilterSet):
    status = django_filters.ChoiceFilter(choices=RoadmapStatus.choices, label="Статус", empty_label="Все статусы")

    class Meta:
        model = Roadmap
        fields = ["status"]
