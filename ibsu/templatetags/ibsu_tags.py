from django import template
from django.utils.translation import get_language

from ibsu.lib.money import format_rupiah
from ibsu.lib.user_agent import describe_user_agent

register = template.Library()


@register.filter
def browser_name(user_agent: str) -> str:
    return describe_user_agent(user_agent or "")


@register.filter
def rupiah(amount) -> str:
    """Rp 1.234.567 in Indonesian, Rp 1,234,567 in English; empty for None."""
    if amount is None or amount == "":
        return ""
    return format_rupiah(int(amount), get_language())
