"""Checks of Russian registry numbers (ИНН, ОГРН) with their control digits."""

import re

from django.core.exceptions import ValidationError

# str.isdigit() accepts «²», full-width and Arabic-Indic digits; registry numbers are ASCII only.
_ASCII_DIGITS = re.compile(r"[0-9]+")


def _digits(value: str) -> list[int]:
    return [int(ch) for ch in value]


def validate_inn(value: str) -> None:
    """ИНН of a legal entity (10 digits) or of a person (12 digits)."""
    if not _ASCII_DIGITS.fullmatch(value) or len(value) not in (10, 12):
        raise ValidationError("ИНН должен состоять из 10 или 12 цифр.", code="inn_format")
    d = _digits(value)

    def check(weights: list[int], upto: int) -> int:
        return sum(w * x for w, x in zip(weights, d[:upto], strict=True)) % 11 % 10

    if len(d) == 10:
        ok = check([2, 4, 10, 3, 5, 9, 4, 6, 8], 9) == d[9]
    else:
        ok = (
            check([7, 2, 4, 10, 3, 5, 9, 4, 6, 8], 10) == d[10]
            and check([3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8], 11) == d[11]
        )
    if not ok:
        raise ValidationError("ИНН указан с ошибкой: не сходится контрольное число.", code="inn_checksum")


def validate_ogrn(value: str) -> None:
    """ОГРН (13 digits) or ОГРНИП (15 digits)."""
    if not _ASCII_DIGITS.fullmatch(value) or len(value) not in (13, 15):
        raise ValidationError("ОГРН должен состоять из 13 цифр (ОГРНИП — из 15).", code="ogrn_format")
    body, control = int(value[:-1]), int(value[-1])
    modulus = 11 if len(value) == 13 else 13
    if body % modulus % 10 != control:
        raise ValidationError("ОГРН указан с ошибкой: не сходится контрольная цифра.", code="ogrn_checksum")
