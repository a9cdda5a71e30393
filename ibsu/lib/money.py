"""Rupiah amounts as members read them: Rp 1.234.567 (Indonesian), Rp 1,234,567."""

from django.utils.translation import get_language

# Plain string work, not Django's number localisation: a history page formats
# thousands of amounts and the localised path costs several times more per cell.
_SEPARATORS = {"id": "."}


def format_rupiah(amount: int, language: str | None = None) -> str:
    separator = _SEPARATORS.get(language or get_language() or "id", ",")
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp {abs(amount):,}".replace(",", separator)
