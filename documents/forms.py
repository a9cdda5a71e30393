from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.models import GeneratedDocument

K = GeneratedDocument.Kind


class DocumentRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=K.choices)
    year_from = forms.IntegerField(label=_("From year"), required=False, min_value=1970)
    year_to = forms.IntegerField(label=_("To year"), required=False, min_value=1970)
    claim = forms.TypedChoiceField(
        label=_("Claim"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, claims, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["claim"].choices = [("", "—")] + [(c.pk, c.number) for c in claims]

    def blank_layout_key(self) -> tuple:
        return tuple(self.fields["claim"].choices)

    def clean(self):
        data = super().clean()
        kind, this_year = data.get("kind"), timezone.localdate().year
        start, end = data.get("year_from"), data.get("year_to")
        if kind == K.CONTRIBUTION_STATEMENT:
            start, end = start or this_year, end or start or this_year
            if start > end or end > this_year:
                raise forms.ValidationError(
                    _("Choose years up to this year, the first not after the last.")
                )
            data["params"] = {"year_from": start, "year_to": end}
        elif kind == K.JHT_STATEMENT:
            year = start or end or this_year - 1
            if year > this_year:
                raise forms.ValidationError(_("Choose a year up to this year."))
            data["params"] = {"year": year}
        elif kind == K.CLAIM_RECEIPT:
            if not data.get("claim"):
                self.add_error("claim", _("Choose the claim."))
            data["params"] = {"claim_id": data.get("claim")}
        else:
            data["params"] = {}
        return data
