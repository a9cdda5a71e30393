"""URL converters that refuse malformed tokens and codes at the URL resolver.

A path parameter that cannot be a real token (a NUL byte, which PostgreSQL
refuses with an error, 10 kB of text, direction overrides, emoji) is a 404
before any view, signature check or query sees it. Every route parameter in
the portal's URLconfs uses `int` or one of these
(tests/security/test_url_parameters.py walks the URLconf to keep it so).
"""

from django.urls import register_converter


class _Pattern:
    regex = ""

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class SignedToken(_Pattern):
    """django.core.signing output: URL-safe base64, ':' separators, a leading
    '.' when compressed; an email-change token carries two addresses."""

    regex = r"[A-Za-z0-9_\-:.]{1,2048}"


class VerificationCode(_Pattern):
    """A document's 12-character code, as stored or printed (XXXX-XXXX-XXXX),
    in either case."""

    regex = r"[A-Za-z0-9]{4}-?[A-Za-z0-9]{4}-?[A-Za-z0-9]{4}"


class ResetUid(_Pattern):
    """The member id in a password-reset link, URL-safe base64."""

    regex = r"[A-Za-z0-9_\-]{1,64}"


class ResetToken(_Pattern):
    """Django's reset token (timestamp-hash), or its "set-password" stand-in."""

    regex = r"[A-Za-z0-9]{1,13}-[A-Za-z0-9]{1,128}"


class CaptchaKey(_Pattern):
    """django-simple-captcha's key: a SHA-1 in hex. Its form field reverses
    the image URL with the key "dummy" to check the URLs are installed."""

    regex = r"[0-9a-f]{40}|dummy"


register_converter(CaptchaKey, "captcha_key")
register_converter(SignedToken, "signed")
register_converter(VerificationCode, "code")
register_converter(ResetUid, "uidb64")
register_converter(ResetToken, "reset_token")
