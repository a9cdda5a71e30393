"""Indonesian phone numbers in one form: +62 and the digits, e.g. +6281234567890."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def normalize_phone(raw: str) -> str:
    """Accept 0812-3456-7890, +62 812 3456 7890 or 62812…; return +62812…."""
    digits = re.sub(r"[\s().-]", "", raw or "")
    if digits.startswith("+62"):
        digits = digits[3:]
    elif digits.startswith("62"):
        digits = digits[2:]
    elif digits.startswith("0"):
        digits = digits[1:]
    if not re.fullmatch(r"[1-9][0-9]{7,12}", digits):
        raise ValidationError(
            _("Enter an Indonesian phone number, for example 0812 3456 7890."),
            code="phone_format",
        )
    return "+62" + digits
