from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.signin.forms import PortalCaptchaField


class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    captcha = PortalCaptchaField()


class ActivationForm(forms.Form):
    kpj_number = forms.CharField(
        label=_("Member number (KPJ)"),
        help_text=_("11 digits, on your membership card."),
        max_length=11,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    nik = forms.CharField(
        label=_("National ID number (NIK)"),
        help_text=_("16 digits, on your ID card (KTP)."),
        max_length=16,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}),
    )
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("We send the activation link here; it becomes your sign-in email."),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    captcha = PortalCaptchaField()

    def clean_kpj_number(self):
        return self.cleaned_data["kpj_number"].strip()

    def clean_nik(self):
        return self.cleaned_data["nik"].strip()
