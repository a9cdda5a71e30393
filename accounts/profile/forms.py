from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Heir, Member
from accounts.profile.services import (
    HEIR_FIELDS,
    PROFILE_FIELDS,
    email_in_use,
    heirs_check,
)
from accounts.validators import nik_matches_birth_date, validate_nik
from ibsu.lib.phone import normalize_phone


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = list(PROFILE_FIELDS)
        widgets = {
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "address_street": forms.TextInput(attrs={"autocomplete": "address-line1"}),
            "address_city": forms.TextInput(attrs={"autocomplete": "address-level2"}),
            "address_postcode": forms.TextInput(
                attrs={"autocomplete": "postal-code", "inputmode": "numeric"}
            ),
        }
        help_texts = {"phone": _("For example 0812 3456 7890.")}

    def clean_phone(self):
        phone = self.cleaned_data["phone"]
        return normalize_phone(phone) if phone else ""


class EmailChangeForm(forms.Form):
    email = forms.EmailField(
        label=_("New email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member

    def clean_email(self):
        email = self.cleaned_data["email"]
        if email.lower() == (self.member.email or "").lower():
            raise forms.ValidationError(_("This is already your email address."))
        if email_in_use(email=email, member=self.member):
            # Same words whoever owns it: never reveal another member's address.
            raise forms.ValidationError(
                _("This email address cannot be used. Choose another.")
            )
        return email


class HeirForm(forms.ModelForm):
    class Meta:
        model = Heir
        fields = list(HEIR_FIELDS)
        widgets = {
            "date_of_birth": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "nik": forms.TextInput(
                attrs={"inputmode": "numeric", "autocomplete": "off"}
            ),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
            "share_percent": forms.NumberInput(attrs={"min": 1, "max": 100}),
        }

    def clean_phone(self):
        phone = self.cleaned_data["phone"]
        return normalize_phone(phone) if phone else ""

    def clean(self):
        data = super().clean()
        nik, born = data.get("nik"), data.get("date_of_birth")
        if not (nik and born):
            return data
        try:
            validate_nik(nik)
        except forms.ValidationError:
            return data  # the model's own validation says what is wrong with it
        if not nik_matches_birth_date(nik, born):
            self.add_error(
                "nik",
                _(
                    "The birth date in this NIK does not match "
                    "the date of birth entered."
                ),
            )
        return data


class BaseHeirFormSet(forms.BaseModelFormSet):
    """The whole set of heirs in one form, so shares can be fixed in one step."""

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member

    def kept_rows(self) -> list[dict]:
        rows = []
        for form in self.forms:
            if not form.has_changed() and form.instance.pk is None:
                continue  # an empty extra row
            if self.can_delete and self._should_delete_form(form):
                continue
            row = {name: form.cleaned_data.get(name) for name in HEIR_FIELDS}
            row["id"] = form.instance.pk
            rows.append(row)
        return rows

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        try:
            heirs_check(member=self.member, keep=self.kept_rows())
        except forms.ValidationError as error:
            raise forms.ValidationError(error.messages) from error


HeirFormSet = forms.modelformset_factory(
    Heir, form=HeirForm, formset=BaseHeirFormSet, extra=3, can_delete=True
)
