from captcha.fields import CaptchaField, CaptchaTextInput
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Member, Nominee
from accounts.profile import (
    NOMINEE_FIELDS,
    PROFILE_FIELDS,
    email_in_use,
    nominees_check,
)
from accounts.validators import nik_matches_birth_date, validate_nik
from ibsu.lib.phone import normalize_phone


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


class ReauthForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


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


class NomineeForm(forms.ModelForm):
    class Meta:
        model = Nominee
        fields = list(NOMINEE_FIELDS)
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


class BaseNomineeFormSet(forms.BaseModelFormSet):
    """The whole set of nominees in one form, so shares can be fixed in one step."""

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
            row = {name: form.cleaned_data.get(name) for name in NOMINEE_FIELDS}
            row["id"] = form.instance.pk
            rows.append(row)
        return rows

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        try:
            nominees_check(member=self.member, keep=self.kept_rows())
        except forms.ValidationError as error:
            raise forms.ValidationError(error.messages) from error


NomineeFormSet = forms.modelformset_factory(
    Nominee, form=NomineeForm, formset=BaseNomineeFormSet, extra=3, can_delete=True
)
