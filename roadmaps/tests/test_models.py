"""The roadmap models' own rules: item order, one place per roadmap, evidence needs a file or a link."""

from datetime import date

import pytest
from django.db import IntegrityError

from mentorship.tests.factories import MunicipalityFactory, OrganisationFactory
from roadmaps.models import ItemEvidence, Roadmap, RoadmapItem, number_sort_key


@pytest.mark.parametrize(
    ("earlier", "later"),
    [
        ("1", "1.1"),
        ("1.2", "1.10"),
        ("2", "10"),
        ("7.1", "7.1.1"),
        ("7.1.1", "7.2"),
        ("1.9", "2."),
    ],
)
def test_item_numbers_sort_as_numbers_not_as_text(earlier, later):
    assert number_sort_key(earlier) < number_sort_key(later)


def test_unnumbered_item_follows_its_parents_numbered_children_in_document_order():
    parent = number_sort_key("7.1")
    first = number_sort_key("", parent_key=parent, position=3)
    second = number_sort_key("", parent_key=parent, position=4)
    assert number_sort_key("7.1.1") < first < second < number_sort_key("7.2")


@pytest.mark.django_db
def test_items_come_back_in_document_order():
    school = OrganisationFactory()
    roadmap = Roadmap.objects.create(
        organisation=school, title="Дорожная карта", period_start=date(2023, 9, 1), period_end=date(2024, 8, 31)
    )
    stage = RoadmapItem.objects.create(roadmap=roadmap, number="1", title="Подготовка условий", kind="section")
    for position, title in enumerate(["Изучение материалов", "Подготовка нормативной базы"], start=1):
        RoadmapItem.objects.create(roadmap=roadmap, parent=stage, position=position, title=title)
    RoadmapItem.objects.create(roadmap=roadmap, number="2", title="Формирование базы наставляемых", kind="section")
    RoadmapItem.objects.create(roadmap=roadmap, number="1.10", title="Десятый пункт")
    RoadmapItem.objects.create(roadmap=roadmap, number="1.2", title="Второй пункт")
    titles = list(roadmap.items.values_list("title", flat=True))
    assert titles == [
        "Подготовка условий",
        "Второй пункт",
        "Десятый пункт",
        "Изучение материалов",
        "Подготовка нормативной базы",
        "Формирование базы наставляемых",
    ]


@pytest.mark.django_db
def test_a_roadmap_belongs_to_exactly_one_place():
    municipality = MunicipalityFactory()
    school = OrganisationFactory(municipality=municipality)
    with pytest.raises(IntegrityError):
        Roadmap.objects.create(
            municipality=municipality,
            organisation=school,
            title="Две принадлежности",
            period_start=date(2023, 1, 1),
            period_end=date(2023, 12, 31),
        )


@pytest.mark.django_db
def test_evidence_needs_a_file_or_a_link():
    school = OrganisationFactory()
    roadmap = Roadmap.objects.create(
        organisation=school, title="Дорожная карта", period_start=date(2023, 1, 1), period_end=date(2023, 12, 31)
    )
    item = RoadmapItem.objects.create(roadmap=roadmap, number="1", title="Приказ о внедрении ЦМН")
    with pytest.raises(IntegrityError):
        ItemEvidence.objects.create(item=item, description="Без файла и без ссылки")
