from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.signin.forms import SecondStepForm


class ConfirmCodeForm(forms.Form):
    code = forms.CharField(
        label=_("6-digit code"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9]*",
            }
        ),
    )


class DisableTwoFactorForm(forms.Form):
    """Both factors again: the password and a current code."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    method = SecondStepForm.base_fields["method"]
    code = SecondStepForm.base_fields["code"]

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.member.check_password(password):
            raise forms.ValidationError(_("The password is not correct."))
        return password
