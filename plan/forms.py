"""The plan page's assumptions form: a GET form, so a plan can be bookmarked.

Every field is optional: left empty, it takes its default. A field that is
wrong keeps what the member typed, says how to put it right, and the page
shows the defaults for it meanwhile.
"""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from plan.services import Choices

# Sensible bounds: JHT has returned 5-7.5 % a year; wages rarely rise 20 %.
RETURN_RANGE = (Decimal(0), Decimal(15))
GROWTH_RANGE = (Decimal(0), Decimal(20))
DECIMALS = 2


class PercentField(forms.DecimalField):
    """A percentage as members type it: 5.5, 5,5 and 5.5 % are all 5.5.

    Shown with the decimal mark of the member's language. Bounds and decimals
    are checked by the form, in messages without the validators' placeholders.
    """

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def __init__(self, **kwargs):
        super().__init__(required=False, localize=True, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().removesuffix("%").strip()
            if value.count(",") == 1 and "." not in value:
                value = value.replace(",", ".")
        return super().to_python(value)


class PlanForm(forms.Form):
    return_percent = PercentField(
        label=_("Yearly return on your JHT (%)"),
        error_messages={
            "invalid": _("Enter the return as a number, such as 5.5."),
        },
    )
    wage_growth = PercentField(
        label=_("Yearly wage rise (%)"),
        error_messages={
            "invalid": _("Enter the wage rise as a number, such as 5."),
        },
    )
    age = forms.IntegerField(
        label=_("Show my JHT at the age of"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={
            "invalid": _("Enter the age in whole years, such as 60."),
        },
    )

    def __init__(self, data=None, *, defaults: Choices, ages: range):
        super().__init__(
            data,
            initial={
                "return_percent": _plain(defaults.return_percent),
                "wage_growth": _plain(defaults.wage_growth_percent),
                "age": defaults.age,
            },
        )
        self.defaults, self.ages = defaults, ages
        if ages:
            self.fields["age"].help_text = gettext("From %(low)s to %(high)s.") % {
                "low": ages[0],
                "high": ages[-1],
            }
        else:
            del self.fields["age"]
        self.fields["return_percent"].help_text = _range_text(*RETURN_RANGE)
        self.fields["wage_growth"].help_text = _range_text(*GROWTH_RANGE)

    def clean_return_percent(self):
        return _percent_within(
            self.cleaned_data["return_percent"],
            RETURN_RANGE,
            gettext("Enter a return from %(low)s to %(high)s a year."),
        )

    def clean_wage_growth(self):
        return _percent_within(
            self.cleaned_data["wage_growth"],
            GROWTH_RANGE,
            gettext("Enter a wage rise from %(low)s to %(high)s a year."),
        )

    def clean_age(self):
        value = self.cleaned_data["age"]
        if value is not None and value not in self.ages:
            raise ValidationError(
                gettext("Enter an age from %(low)d to %(high)d.")
                % {"low": self.ages[0], "high": self.ages[-1]}
            )
        return value

    def choices(self) -> Choices:
        """The member's values where they are right, the defaults elsewhere."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})  # none on a blank form

        def chosen(name, default):
            value = data.get(name)
            return default if value is None else value

        return Choices(
            return_percent=chosen("return_percent", self.defaults.return_percent),
            wage_growth_percent=chosen(
                "wage_growth", self.defaults.wage_growth_percent
            ),
            age=chosen("age", self.defaults.age) if self.ages else None,
        )


def _plain(value: Decimal) -> Decimal:
    """5.00 as 5 and 5.50 as 5.5, as a member would type them."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def _percent_within(
    value: Decimal | None, bounds: tuple[Decimal, Decimal], message: str
) -> Decimal | None:
    """The value, if it has at most two decimals and lies within `bounds`."""
    if value is None:
        return None
    if value.as_tuple().exponent < -DECIMALS:
        raise ValidationError(gettext("Use at most two decimals, such as 5.25."))
    if not bounds[0] <= value <= bounds[1]:
        raise ValidationError(message % _range_values(*bounds))
    return value


def _range_values(low: Decimal, high: Decimal) -> dict[str, str]:
    return {"low": f"{low}%", "high": f"{high}%"}


def _range_text(low: Decimal, high: Decimal) -> str:
    return gettext("From %(low)s to %(high)s.") % _range_values(low, high)
