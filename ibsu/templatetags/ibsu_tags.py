from decimal import Decimal
from functools import cache

from django import template
from django.template.loader import render_to_string
from django.utils.formats import get_format
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ibsu.lib.money import format_rupiah
from ibsu.lib.page_cache import cached
from ibsu.lib.user_agent import describe_user_agent

register = template.Library()

# The signed-in menu: URL name, label, and the views it is the current page
# for (a namespace ending in ":", or one view name).
MAIN_MENU = (
    ("dashboard", _("Home"), "dashboard"),
    ("contributions:history", _("Contributions"), "contributions:"),
    ("plan:plan", _("My plan"), "plan:"),
    ("claims:list", _("Claims"), "claims:"),
    ("documents:list", _("Documents"), "documents:list"),
    ("privacy:export", _("My data"), "privacy:"),
    ("accounts:profile", _("Profile"), "accounts:profile"),
    ("accounts:heirs", _("Heirs"), "accounts:heirs"),
    ("accounts:two_factor", _("Two-step verification"), "accounts:two_factor"),
    ("accounts:password_change", _("Password"), "accounts:password_change"),
    ("accounts:activity", _("Login activity"), "accounts:activity"),
)


@register.filter
def browser_name(user_agent: str) -> str:
    return describe_user_agent(user_agent or "")


@register.filter
def rupiah(amount) -> str:
    """Rp 1.234.567 in Indonesian, Rp 1,234,567 in English; empty for None."""
    if amount is None or amount == "":
        return ""
    return format_rupiah(int(amount), get_language())


@register.filter
def number(value) -> str:
    """A decimal as written in the page's language, without trailing zeros:
    5,7 in Indonesian, 5.7 in English; empty for None."""
    if value is None or value == "":
        return ""
    text = format(Decimal(value).normalize(), "f")  # "f": never 1.5E+1
    return text.replace(".", get_format("DECIMAL_SEPARATOR"))


@register.filter
def label(instance, field_name: str):
    """A choices field's label, as get_FOO_display() gives it.

    Django's own rebuilds (and translates) every choice on each call; list
    pages call it per row, and that was a large share of their time.
    """
    field = instance._meta.get_field(field_name)
    value = getattr(instance, field.attname)
    return _choice_labels(field).get(value, value)


@cache
def _choice_labels(field) -> dict:
    # A constant of the code, worked out on first use (not a cache of data):
    # the labels stay lazy, each translated when rendered.
    return dict(field.flatchoices)


@register.simple_tag
def form_fields(form) -> str:
    """Each field of the form, laid out by _field.html.

    A blank form whose class defines `blank_layout_key()` (everything its blank
    layout depends on besides the language: its per-member choices, or
    nothing) is kept as a page part: widgets' templates cost more than the
    rest of some pages.
    """
    layout_key = getattr(form, "blank_layout_key", None)
    if layout_key is None or form.is_bound:
        return _fields_html(form)
    form_class = type(form)
    name = f"form:{form_class.__module__}.{form_class.__name__}:{layout_key()!r}"
    return cached("layout", None, name, lambda: _fields_html(form))


def _fields_html(form) -> str:
    return mark_safe(  # noqa: S308 -- each field rendered by the escaping engine  # nosec B308 B703
        "".join(render_to_string("_field.html", {"field": field}) for field in form)
    )


@register.simple_tag(takes_context=True)
def main_menu(context) -> str:
    """The signed-in menu, kept as a page part per page and staff flag: a
    dozen URL reversals and translations on every page were a measurable
    share of the cheapest pages' time."""
    request = context["request"]
    match = request.resolver_match
    view_name = match.view_name if match else ""
    is_staff = request.user.is_staff
    return cached(
        "layout",
        None,
        f"menu:{view_name}:{is_staff}",
        lambda: _main_menu(view_name, is_staff),
    )


def _main_menu(view_name: str, is_staff: bool) -> str:
    items = [
        (url_name, label, view_name == current or _in_namespace(view_name, current))
        for url_name, label, current in MAIN_MENU
    ]
    return render_to_string("_main_menu.html", {"items": items, "is_staff": is_staff})


def _in_namespace(view_name: str, current: str) -> bool:
    return current.endswith(":") and view_name.startswith(current)


@register.tag("part")
def part_tag(parser, token):
    """{% part parts "name" %}…{% endpart %}: the enclosed markup, kept as a
    page part (ibsu.lib.page_cache) by `parts`, an object with get(**computations)
    (Parts, or MemberFigures for a member's figures). With `parts` None the
    markup is rendered each time (a filtered view, not worth keeping)."""
    bits = token.split_contents()
    if len(bits) != 3:
        raise template.TemplateSyntaxError(f"{bits[0]} takes the parts and a name")
    nodelist = parser.parse(("endpart",))
    parser.delete_first_token()
    return _PartNode(
        nodelist, parser.compile_filter(bits[1]), parser.compile_filter(bits[2])
    )


class _PartNode(template.Node):
    def __init__(self, nodelist, parts, name):
        self.nodelist, self.parts, self.name = nodelist, parts, name

    def render(self, context) -> str:
        parts, name = self.parts.resolve(context), str(self.name.resolve(context))
        if parts is None:
            return self.nodelist.render(context)
        return parts.get(**{name: lambda: self.nodelist.render(context)})[name]
