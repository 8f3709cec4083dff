"""Responsible parties («Ответственные») as a roadmap cell names them, parsed into parties.

A pure parser beside ``deadlines``: no database; ``services`` matches the parties to users and bodies.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from mentorship.choices import BodyKind, Role
from roadmaps.choices import ResponsibleKind


@dataclass(frozen=True, slots=True)
class ParsedResponsible:
    """One responsible party as written in a roadmap cell, classified.

    ``name`` is exactly the text of the cell's part. ``role`` is the portal role that answers for
    the party at the roadmap's place (also for bodies: «УО» → the municipal officer), ``body_kind``
    a hint for matching a body, ``surname``/``initials`` the parts of a person's short name.
    """

    name: str
    kind: ResponsibleKind
    role: str = ""
    body_kind: str = ""
    surname: str = ""
    initials: str = ""


_LEGAL_FORMS = (
    "ФГБОУ|ФГАОУ|ГАПОУ|ГБПОУ|МБДОУ|МАДОУ|МКДОУ|МБОУ|МАОУ|МКОУ|МОБУ|ГАОУ|ГБОУ|КГАУ|КГБУ|МКУ|МБУ|МАУ|ГАУ|ГБУ|ГКУ|"
    "АНО|ООО|ПАО|АО|БУ"
)
_LEGAL_FORM_START = re.compile(rf"(?<![\w«\"])(?:{_LEGAL_FORMS})(?=[\s«\"])")
# «Руководители органов местного самоуправления, осуществляющих управление…»: a participle after a
# comma continues the phrase, it does not start a new party.
_CONTINUATION = re.compile(r"^[а-яё]+(?:щих|щим|щего|щей|щие|вших|емых|имых)\b")
_SHORT_NAME = re.compile(r"^(?P<surname>[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?)\s+(?P<initials>[А-ЯЁ]\.\s*(?:[А-ЯЁ]\.)?)$")
_INITIALS_FIRST = re.compile(
    r"^(?P<initials>[А-ЯЁ]\.\s*(?:[А-ЯЁ]\.)?)\s*(?P<surname>[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?)$"
)
_FULL_NAME = re.compile(r"^[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?\s+[А-ЯЁ][а-яё]+\s+[А-ЯЁ][а-яё]+(?:вич|вна|чна|ична|ьич)$")
_ABBREVIATION = re.compile(r"^[А-ЯЁA-Z]{2,}(?:\s+[А-ЯЁA-Z]{2,})*$")

# Phrase (lower case, «ё» as «е») → the role answering for it. Checked in order, first match wins.
_ROLE_PHRASES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^(?:оо|образовательные организации|школы)$"), Role.DIRECTOR),
    (re.compile(r"региональн\w* координатор"), Role.REGIONAL_COORDINATOR),
    (re.compile(r"органов местного самоуправления|муниципальн\w* координатор"), Role.MUNICIPAL_OFFICER),
    (re.compile(r"куратор"), Role.CURATOR),
    (re.compile(r"координатор"), Role.COORDINATOR),
    (re.compile(r"^(?:руководител\w*|директор\w*)\s+(?:оо|ОО|образовательн\w* организац\w*|школ\w*)"), Role.DIRECTOR),
    (re.compile(r"^директор"), Role.DIRECTOR),
    (re.compile(r"^наставник"), Role.MENTOR),
)
_POSITION_WORDS = re.compile(
    r"^(?:руководител|заместител|специалист|методист|педагог|учител|классн|директор|завуч|председател|член|"
    r"ответственн|сотрудник|воспитател|психолог|социальн|наставник|тьютор|родител|обучающ|выпускник|ученик)"
)
# Body phrase → the body kind to look for and the role that answers for such a body.
_BODY_ALIASES: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (
        re.compile(r"^(?:уо|управлени\w* образования|отдел\w* образования|департамент\w* образования|ооа)$"),
        BodyKind.MUNICIPAL_AUTHORITY,
        Role.MUNICIPAL_OFFICER,
    ),
    (
        re.compile(r"\bимц\b|методическ\w* центр|муниципальн\w* наставническ"),
        BodyKind.MUNICIPAL_CENTRE,
        Role.MUNICIPAL_OFFICER,
    ),
    (re.compile(r"министерств"), BodyKind.REGIONAL_MINISTRY, Role.REGIONAL_COORDINATOR),
    (
        re.compile(r"\b(?:ипк|иро|рнц)\b|региональн\w* наставническ"),
        BodyKind.REGIONAL_CENTRE,
        Role.REGIONAL_COORDINATOR,
    ),
)
_BODY_WORDS = re.compile(
    r"управлени|департамент|министерств|отдел|центр|лаборатори|институт|учреждени|организаци|администраци|"
    r"комитет|сообществ|совет|ассоциаци|университет|колледж|предприяти"
)


def responsible_parse(text: str) -> list[ParsedResponsible]:
    """Split a «Ответственные» cell into parties and classify each; pure, never raises.

    Parties are separated by new lines, commas and semicolons outside quotes, and a new legal
    form («Руководители ОО МКУ «ИМЦ»») starts a new party even without a comma. Each part keeps
    its text exactly as written.
    """
    return [_classify(part) for part in _split_parties(text or "")]


def _split_parties(text: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    ascii_quote = False
    for char in text:
        if char == "«":
            depth += 1
        elif char == "»":
            depth = max(0, depth - 1)
        elif char == '"':
            ascii_quote = not ascii_quote
        if char in ",;\n" and depth == 0 and not ascii_quote:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))

    merged: list[str] = []
    for raw in parts:
        part = raw.strip()
        if not part:
            continue
        if merged and _CONTINUATION.match(part):
            merged[-1] = f"{merged[-1]}, {part}"
            continue
        merged.extend(_split_on_legal_forms(part))
    return merged


def _split_on_legal_forms(part: str) -> list[str]:
    """«Департамент образования МКУ «ИМЦ»» → «Департамент образования», «МКУ «ИМЦ»»."""
    cuts = [0]
    for match in _LEGAL_FORM_START.finditer(part):
        before = part[: match.start()]
        if match.start() > 0 and before.count("«") == before.count("»") and before.count('"') % 2 == 0:
            cuts.append(match.start())
    cuts.append(len(part))
    return [part[a:b].strip() for a, b in itertools.pairwise(cuts) if part[a:b].strip()]


def _classify(name: str) -> ParsedResponsible:
    squeezed = " ".join(name.split())
    if m := _SHORT_NAME.match(squeezed) or _INITIALS_FIRST.match(squeezed):
        return ParsedResponsible(
            name, ResponsibleKind.PERSON, surname=m["surname"], initials=m["initials"].replace(" ", "")
        )
    if _FULL_NAME.match(squeezed):
        surname, first, patronymic = squeezed.split()
        return ParsedResponsible(name, ResponsibleKind.PERSON, surname=surname, initials=f"{first[0]}.{patronymic[0]}.")
    lower = squeezed.lower().replace("ё", "е")
    for pattern, role in _ROLE_PHRASES:
        if pattern.search(lower):
            return ParsedResponsible(name, ResponsibleKind.ROLE, role=str(role))
    for pattern, body_kind, role in _BODY_ALIASES:
        if pattern.search(lower):
            return ParsedResponsible(name, ResponsibleKind.BODY, role=str(role), body_kind=str(body_kind))
    if _POSITION_WORDS.match(lower):
        return ParsedResponsible(name, ResponsibleKind.ROLE)
    if _LEGAL_FORM_START.match(squeezed + " ") or _BODY_WORDS.search(lower) or _ABBREVIATION.match(squeezed):
        return ParsedResponsible(name, ResponsibleKind.BODY)
    # Anything else («творческая группа», «все участники»): described by words, not a named person.
    return ParsedResponsible(name, ResponsibleKind.ROLE)
