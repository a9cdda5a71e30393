from django import forms
from django.utils.translation import gettext_lazy as _

from contributions.models import Programme
from contributions.selectors import HistoryFilter


class HistoryFilterForm(forms.Form):
    year_from = forms.IntegerField(
        label=_("From year"), required=False, min_value=1970, max_value=2100
    )
    year_to = forms.IntegerField(
        label=_("To year"), required=False, min_value=1970, max_value=2100
    )
    employer = forms.TypedChoiceField(
        label=_("Employer"), required=False, coerce=int, empty_value=None
    )
    programme = forms.ChoiceField(label=_("Programme"), required=False)

    def __init__(self, *args, employers, **kwargs):
        super().__init__(*args, **kwargs)
        # employers: (id, name) pairs.
        self.fields["employer"].choices = [("", _("All employers")), *employers]
        self.fields["programme"].choices = [
            ("", _("All programmes")),
            *Programme.choices,
        ]

    def blank_layout_key(self) -> tuple:
        return tuple(self.fields["employer"].choices)

    def clean(self):
        data = super().clean()
        start, end = data.get("year_from"), data.get("year_to")
        if start and end and start > end:
            raise forms.ValidationError(
                _("The first year must not be after the last year.")
            )
        return data

    def history_filter(self) -> HistoryFilter:
        """The filter to apply: the member's choices, or none when they are invalid."""
        if not self.is_valid():
            return HistoryFilter()
        data = self.cleaned_data
        return HistoryFilter(
            year_from=data["year_from"],
            year_to=data["year_to"],
            employer_id=data["employer"],
            programme=data["programme"],
        )
