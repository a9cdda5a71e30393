from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.validators import normalise_npwp
from claims.eligibility import REASONS
from claims.models import Claim, ClaimDocument
from contributions.models import Programme


class ClaimStartForm(forms.Form):
    programme = forms.ChoiceField(choices=[(p, Programme(p).label) for p in REASONS])
    reason = forms.ChoiceField(choices=Claim.Reason.choices)
    dismissal_date = forms.DateField(
        label=_("Date of your dismissal"),
        required=False,
        help_text=_("As on the termination letter (PHK)."),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "invalid": _("Enter the date as on the letter, e.g. 2025-06-30.")
        },
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("programme") == Programme.JKP
            and not data.get("dismissal_date")
            and "dismissal_date" not in self.errors
        ):
            self.add_error("dismissal_date", _("Tell us the date of your dismissal."))
        return data

    def claim_details(self) -> dict:
        dismissed = self.cleaned_data.get("dismissal_date")
        return {"dismissal_date": dismissed.isoformat()} if dismissed else {}


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
    npwp = forms.CharField(
        label=_("Tax number (NPWP)"),
        max_length=30,
        required=False,
        help_text=_(
            "As printed on the card, e.g. 12.345.678.9-012.000, or your 16-digit NIK. "
            "Needed when your JHT balance is over Rp 50,000,000 or after a partial "
            "JHT payment."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    dismissal_date = forms.DateField(
        label=_("Date of your dismissal"),
        help_text=_("As on the termination letter (PHK)."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    citizen = forms.BooleanField(
        label=_("I am an Indonesian citizen."),
        required=False,
        help_text=_("Job-loss benefit is for Indonesian citizens; we check your KTP."),
    )
    jkn_enrolled = forms.BooleanField(
        label=_(
            "I am enrolled in the national health insurance (JKN, BPJS Kesehatan)."
        ),
        required=False,
        help_text=_("We check this with BPJS Kesehatan."),
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
    JKP_FIELDS = ("dismissal_date", "citizen", "jkn_enrolled")
    DETAIL_FIELDS = ("npwp", *ACCIDENT_FIELDS, *JKP_FIELDS)

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
        if claim.programme != Programme.JKP:
            for name in self.JKP_FIELDS:
                del self.fields[name]

    def clean_npwp(self) -> str:
        value = self.cleaned_data["npwp"]
        return normalise_npwp(value) if value.strip() else ""

    def claim_data(self) -> dict:
        data = dict(self.cleaned_data)
        details = {name: data.pop(name) for name in self.DETAIL_FIELDS if name in data}
        for name in ("accident_date", "dismissal_date"):
            if details.get(name):
                details[name] = details[name].isoformat()
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
