from captcha.fields import CaptchaField, CaptchaTextInput
from django import forms
from django.utils.translation import gettext_lazy as _


class PortalCaptchaField(CaptchaField):
    """django-simple-captcha with our labels and a template that has a refresh link."""

    def __init__(self, **kwargs):
        widget = CaptchaTextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "none",
                "spellcheck": "false",
                # A multi-part widget gets no automatic link to its help and errors.
                "aria-describedby": "id_captcha_helptext id_captcha_error",
            }
        )
        widget.template_name = "accounts/_captcha_widget.html"
        super().__init__(
            label=_("Characters in the image"),
            help_text=_("Type the characters you see. Not case-sensitive."),
            error_messages={
                "invalid": _("The characters do not match the image. Try the new one.")
            },
            widget=widget,
            **kwargs,
        )


class LoginForm(forms.Form):
    """Identifier, password and CAPTCHA. It only checks that they were filled in.

    The password itself is checked by accounts.services.login_attempt, and only
    once this form (and so the CAPTCHA) is valid: a wrong CAPTCHA never reaches
    the password check and reveals nothing about it.
    """

    identifier = forms.CharField(
        label=_("Member number (KPJ) or email"),
        max_length=254,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "username",
                "autocapitalize": "none",
                "spellcheck": "false",
                # A multi-part widget gets no automatic link to its help and errors.
                "aria-describedby": "id_captcha_helptext id_captcha_error",
            }
        ),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        max_length=1024,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    captcha = PortalCaptchaField()


class SecondStepForm(forms.Form):
    """The code, and where it came from when the member has more than one source.

    Each code is checked against the chosen device only: a wrong guess (or an
    email code) must not throttle the authenticator the member did not use.
    """

    APP, EMAIL = "app", "email"

    method = forms.ChoiceField(
        label=_("Where is your code from?"),
        choices=[(APP, _("Authenticator app")), (EMAIL, _("Email"))],
        widget=forms.RadioSelect,
        required=False,
    )
    code = forms.CharField(
        label=_("Verification code"),
        help_text=_("6 digits from your authenticator app or email, or a backup code."),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "characters",
                "spellcheck": "false",
            }
        ),
    )


class ReauthForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
