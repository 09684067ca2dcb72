"""Citizen ID numbers (số định danh cá nhân / CCCD): 12 digits, personal data, masked when shown."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PATTERN = re.compile(r"^\d{12}$")
# The 4th digit codes sex and century of birth: 0/1 = male/female born 1900–1999, 2/3 = 2000–2099, …
CENTURY_START = {0: 1900, 1: 1900, 2: 2000, 3: 2000, 4: 2100, 5: 2100, 6: 2200, 7: 2200, 8: 1800, 9: 1800}


def normalise(value: str) -> str:
    return re.sub(r"[\s.-]", "", value or "")


def validate(value: str, *, birth_year: int | None = None, female: bool | None = None) -> None:
    if not PATTERN.match(value):
        raise ValidationError(_("A citizen ID number has exactly 12 digits."), code="format")
    province = int(value[:3])
    if not 1 <= province <= 96:
        raise ValidationError(
            _("The first three digits of a citizen ID are a province code (001–096)."), code="province"
        )
    if birth_year is not None:
        born = CENTURY_START[int(value[3])] + int(value[4:6])
        if born != birth_year:
            raise ValidationError(
                _("This citizen ID belongs to someone born in %(year)s, not %(given)s.")
                % {"year": born, "given": birth_year},
                code="birth_year",
            )
    if female is not None and bool(int(value[3]) % 2) != female:
        raise ValidationError(_("The citizen ID's fourth digit does not match the member's sex."), code="sex")


def mask(value: str) -> str:
    """ "001203004789" → "0xx…789". Who is shown the number, masked or not at all is decided in one
    place of the app that shows it (households.access.citizen_id_as_shown)."""
    if not value:
        return ""
    return f"{value[0]}xx…{value[-3:]}"
