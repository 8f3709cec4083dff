"""A small monitoring world on top of the participants' one: pairs at A1, A2 and B1, targets, refreshed figures.

Region R: A1 (students 100) has 3 involved students, A2 (students 50) none, B1 (students 40) 8 — so
municipality A (150 pupils, 3 involved: 2 %) is below the regional 10 % and B (20 %) above it.
"""

from __future__ import annotations

from decimal import Decimal

from mentorship.models import Organisation
from monitoring.choices import IndicatorCode
from monitoring.models import Target
from monitoring.services import figures_refresh
from participants.choices import MentorshipForm, PairStatus
from participants.tests.factories import PairFactory, PersonFactory, ProgrammeFactory

YEAR = 2026


def build_monitoring_world(world):
    o = world.objects
    a1, a2, b1 = o["organisation_a1"], o["organisation_a2"], o["organisation_b1"]
    Organisation.objects.filter(pk=a1.pk).update(students_count=100, teachers_count=10)
    Organisation.objects.filter(pk=a2.pk).update(students_count=50, teachers_count=5)
    Organisation.objects.filter(pk=b1.pk).update(students_count=40, teachers_count=4)
    teacher = PersonFactory(organisation=a1, teacher=True, surname="Наставникова")
    pupils = [PersonFactory(organisation=a1, surname=f"Учеников{i}") for i in range(3)]
    PairFactory(programme=o["programme_a1"], status=PairStatus.ACTIVE, mentors=[teacher], mentees=pupils)
    peer_programme = ProgrammeFactory(organisation=b1, form=MentorshipForm.STUDENT_STUDENT)
    for i in range(4):
        PairFactory(
            programme=peer_programme,
            status=PairStatus.ACTIVE,
            mentors=[PersonFactory(organisation=b1, surname=f"Старший{i}")],
            mentees=[PersonFactory(organisation=b1, surname=f"Младший{i}")],
        )
    Target.objects.create(region=o["region_r"], indicator=IndicatorCode.STUDENTS_SHARE, year=YEAR, value=Decimal(10))
    figures_refresh(school_year=YEAR)
    return world
