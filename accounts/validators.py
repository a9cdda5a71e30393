"""Formats of the agency's identifiers (see DOMAIN.md, Identifiers)."""

import calendar
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.provinces import PROVINCES

# Province codes of the first two NIK digits: those of the province list.
NIK_PROVINCE_CODES = frozenset(int(code) for code, _name in PROVINCES)
_KPJ = re.compile(r"[0-9]{11}")
_NIK = re.compile(r"[0-9]{16}")
# What a printed NPWP may hold besides digits: 12.345.678.9-012.000.
_NPWP_PUNCTUATION = re.compile(r"[\s.\-]")


def validate_kpj(value: str) -> None:
    if not _KPJ.fullmatch(value or ""):
        raise ValidationError(
            _("A member number (KPJ) has exactly 11 digits."), code="kpj_format"
        )


def validate_nik(value: str) -> None:
    """16 digits: province, regency, district, birth date (+40 for women), serial."""
    if not _NIK.fullmatch(value or ""):
        raise ValidationError(
            _("A national ID number (NIK) has exactly 16 digits."), code="nik_format"
        )
    if int(value[:2]) not in NIK_PROVINCE_CODES:
        raise ValidationError(
            _("This NIK does not start with a valid province code."),
            code="nik_province",
        )
    if nik_birth_day_month(value) is None:
        raise ValidationError(
            _("The birth date inside this NIK is not a valid date."), code="nik_date"
        )
    if value[12:] == "0000":
        raise ValidationError(
            _("The last 4 digits of a NIK start from 0001."), code="nik_serial"
        )


def nik_birth_day_month(nik: str) -> tuple[int, int] | None:
    """The (day, month) of birth encoded in a NIK, or None if it is not a date."""
    day, month = int(nik[6:8]), int(nik[8:10])
    if day > 40:
        day -= 40
    if not 1 <= month <= 12:
        return None
    # A leap year, so 29 February is accepted; the year digits are only two.
    if not 1 <= day <= calendar.monthrange(2000, month)[1]:
        return None
    return day, month


def nik_matches_birth_date(nik: str, born) -> bool:
    """True when the NIK's DDMMYY is this birth date (day + 40 for women)."""
    return (
        nik_birth_day_month(nik) == (born.day, born.month)
        and nik[10:12] == f"{born:%y}"
    )


def normalise_npwp(value: str) -> str:
    """A tax number (NPWP) as printed, reduced to its digits.

    Accepts the 15-digit form printed as 12.345.678.9-012.000 and the 16-digit
    form (PMK 112/2022): a person's NIK, or an older number with a leading 0.
    """
    digits = _NPWP_PUNCTUATION.sub("", value or "")
    if not digits.isdigit() or len(digits) not in (15, 16):
        raise ValidationError(
            _(
                "Enter the NPWP as printed on the card, for example "
                "12.345.678.9-012.000, or your 16-digit NIK."
            ),
            code="npwp_format",
        )
    if len(digits) == 16 and not digits.startswith("0"):
        try:
            validate_nik(digits)
        except ValidationError as error:
            raise ValidationError(
                _("A 16-digit NPWP is your NIK, and this is not a valid NIK: %(why)s")
                % {"why": error.messages[0]},
                code="npwp_nik",
            ) from error
    return digits
