from django import forms
from django.utils.translation import gettext_lazy as _

from claims.eligibility import REASONS
from claims.models import Claim, ClaimDocument
from contributions.models import Programme


class ClaimStartForm(forms.Form):
    programme = forms.ChoiceField(choices=[(p, Programme(p).label) for p in REASONS])
    reason = forms.ChoiceField(choices=Claim.Reason.choices)


class ClaimDetailsForm(forms.Form):
    bank_name = forms.CharField(label=_("Bank"), max_length=100)
    bank_account_number = forms.RegexField(
        label=_("Account number"),
        regex=r"^[0-9]{6,20}$",
        error_messages={
            "invalid": _("An account number has 6 to 20 digits, no spaces.")
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    bank_account_holder = forms.CharField(
        label=_("Account holder's name"),
        max_length=150,
        help_text=_("It must be your own name, as on your ID card."),
    )
    holder_differs_reason = forms.CharField(
        label=_("If the account is not in your name, why?"),
        max_length=300,
        required=False,
    )
    npwp = forms.RegexField(
        label=_("Tax number (NPWP)"),
        regex=r"^[0-9]{15,16}$",
        required=False,
        help_text=_(
            "15 or 16 digits. Needed when your JHT balance is over Rp 50,000,000."
        ),
        error_messages={"invalid": _("An NPWP has 15 or 16 digits.")},
    )
    accident_date = forms.DateField(
        label=_("Date of the accident"), widget=forms.DateInput(attrs={"type": "date"})
    )
    accident_place = forms.CharField(label=_("Place of the accident"), max_length=200)
    accident_description = forms.CharField(
        label=_("What happened"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    accident_report_number = forms.CharField(
        label=_("Employer's accident report number"), max_length=50
    )

    ACCIDENT_FIELDS = (
        "accident_date",
        "accident_place",
        "accident_description",
        "accident_report_number",
    )
    DETAIL_FIELDS = ("npwp", *ACCIDENT_FIELDS)

    def __init__(self, *args, claim: Claim, **kwargs):
        initial = {
            "bank_name": claim.bank_name,
            "bank_account_number": claim.bank_account_number,
            "bank_account_holder": claim.bank_account_holder or claim.member.full_name,
            "holder_differs_reason": claim.holder_differs_reason,
            **claim.details,
        }
        super().__init__(*args, initial=initial, **kwargs)
        if claim.programme != Programme.JKK:
            for name in self.ACCIDENT_FIELDS:
                del self.fields[name]
        if claim.programme != Programme.JHT:
            del self.fields["npwp"]

    def claim_data(self) -> dict:
        data = dict(self.cleaned_data)
        details = {name: data.pop(name) for name in self.DETAIL_FIELDS if name in data}
        if details.get("accident_date"):
            details["accident_date"] = details["accident_date"].isoformat()
        return {**data, "details": details}


class DocumentUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Which document"), choices=ClaimDocument.Kind.choices
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, JPEG or PNG, at most 5 MB. A clear phone photo is fine."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def blank_layout_key(self) -> tuple:
        return ()  # no per-member choices or initial values
