"""Password rules beyond Django's: a longer common list and the member's own data.

No composition rules (NIST SP 800-63B): length, and refusing guessable choices.
"""

import re
from pathlib import Path

from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

_LONG_COMMON = Path(__file__).resolve().parent / "data" / "common-passwords-long.txt"
# The agency's own names, the first thing anyone would try against its members.
_AGENCY_WORDS = ("bpjs", "ketenagakerjaan", "jamsostek", "ibsu")
_PERSONAL = gettext_lazy(
    "Your password cannot contain your name, the name in your email address, "
    "your member number, NIK or date of birth."
)


def _letters_and_digits(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.lower())


class PortalCommonPasswordValidator(CommonPasswordValidator):
    """Django's list of 20,000 common passwords plus common ones of 12+ characters.

    Django's list has few passwords long enough to pass our length rule, and
    none of the Indonesian favourites (bismillah123, indonesia123 …).
    """

    def __init__(self):
        super().__init__()
        self.passwords |= {
            line.strip().lower() for line in _LONG_COMMON.read_text().splitlines()
        }

    def validate(self, password, user=None):
        lowered = password.lower().strip()
        if lowered in self.passwords or _letters_and_digits(password) in self.passwords:
            raise ValidationError(
                _(
                    "This password is too common. "
                    "Choose one that others would not guess."
                ),
                code="password_too_common",
            )

    def get_help_text(self):
        return _("Your password cannot be a commonly used password.")


class PersonalInformationValidator:
    """Refuse passwords built from the member's own data or the agency's name."""

    def validate(self, password, user=None):
        folded = _letters_and_digits(password)
        if any(word in folded for word in _AGENCY_WORDS):
            raise ValidationError(
                _("Your password cannot contain the agency's name."),
                code="password_agency_name",
            )
        if user is None:
            return
        for fragment in self._personal_fragments(user):
            if fragment and fragment in folded:
                raise ValidationError(_PERSONAL, code="password_personal_information")

    @staticmethod
    def _personal_fragments(user) -> list[str]:
        fragments = [
            _letters_and_digits(part)
            for part in (user.full_name or "").split()
            if len(part) >= 3
        ]
        fragments += [user.kpj_number or "", user.nik or ""]
        # Long runs of the NIK are as guessable as the whole of it.
        if user.nik:
            fragments += [user.nik[:8], user.nik[-8:]]
        born = user.date_of_birth
        if born:
            fragments += [
                born.strftime("%d%m%Y"),
                born.strftime("%Y%m%d"),
                born.strftime("%d%m%y"),
            ]
        email_name = (user.email or "").partition("@")[0]
        if len(email_name) >= 4:
            fragments.append(_letters_and_digits(email_name))
        return fragments

    def get_help_text(self):
        return str(_PERSONAL)
