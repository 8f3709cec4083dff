"""The documents' world and helpers to read PDFs back.

On top of the participants' world (schools A1, B1 with people and programmes): school A1 has a
named director and curator, two pairs of 2026/2027 and a school roadmap whose items name orders
as their results; school B1 has one pair.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from pypdf import PdfReader

from mentorship.tests.factories import World
from participants.choices import BaseRole
from participants.tests.factories import PairFactory, build_participants_world, enrolled
from roadmaps.choices import ItemKind
from roadmaps.tests.factories import RoadmapFactory, RoadmapItemFactory

ORDER_DAY = date(2026, 11, 20)


def build_documents_world() -> World:
    world = build_participants_world()
    o = world.objects
    a1, b1 = o["organisation_a1"], o["organisation_b1"]
    a1.full_name = (
        "Муниципальное общеобразовательное бюджетное учреждение средняя общеобразовательная школа с. Булгаково"
    )
    a1.save()
    director = world.personas["director_a1"]
    director.last_name, director.first_name, director.patronymic = "Максименко", "Сергей", "Геннадьевич"
    director.position = "Директор"
    director.save()
    curator = world.personas["curator_a1"]
    curator.last_name, curator.first_name, curator.patronymic = "Ахмедова", "Зарема", "Руслановна"
    curator.position = "заместитель директора по УВР"
    curator.save()
    o["pair_a1"] = PairFactory(
        programme=o["programme_a1"], mentors=[o["mentor_a1_person"]], mentees=[o["mentee_a1_person"]]
    )
    second_mentor = enrolled(BaseRole.MENTOR, organisation=a1, surname="Гарипова", name="Лилия")
    o["pair_a1_second"] = PairFactory(
        programme=o["programme_a1"], mentors=[second_mentor], mentees=[o["mentee_a1_second"]]
    )
    b1_mentor = enrolled(BaseRole.MENTOR, organisation=b1, surname="Орлов", name="Денис")
    o["pair_b1"] = PairFactory(programme=o["programme_b1"], mentors=[b1_mentor], mentees=[o["student_b1_person"]])
    roadmap = RoadmapFactory(organisation=a1, title="Дорожная карта внедрения ЦМН в МОБУ СОШ с. Булгаково")
    section = RoadmapItemFactory(roadmap=roadmap, number="1.", kind=ItemKind.SECTION, title="Нормативное регулирование")
    o["roadmap_a1"] = roadmap
    o["item_curators"] = RoadmapItemFactory(
        roadmap=roadmap,
        parent=section,
        number="1.1.",
        title="Назначение кураторов внедрения целевой модели наставничества",
        deadline_text="до 15.03.2021 г.",
        responsible_text="Руководители ОО",
        document_type="Приказы ОО",
    )
    o["item_no_order"] = RoadmapItemFactory(
        roadmap=roadmap,
        parent=section,
        number="1.2.",
        title="Формирование баз наставников",
        deadline_text="март-апрель",
        responsible_text="ОО",
        expected_result="Базы наставников",
        document_type="",
    )
    return world


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def pdf_pages(content: bytes) -> int:
    return len(PdfReader(io.BytesIO(content)).pages)


def pdf_fonts(content: bytes) -> dict[str, Any]:
    """Base font name → whether its program is embedded (/FontFile2 for TrueType)."""
    reader = PdfReader(io.BytesIO(content))
    fonts: dict[str, Any] = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and font.get("/DescendantFonts"):
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            fonts[str(font["/BaseFont"])] = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    return fonts


def normalised(text: str) -> str:
    """PDF text with line breaks and runs of spaces folded, for phrase checks across wrapped lines."""
    return " ".join(text.split())
