from django import template

from ibsu.lib.user_agent import describe_user_agent

register = template.Library()


@register.filter
def browser_name(user_agent: str) -> str:
    return describe_user_agent(user_agent or "")
