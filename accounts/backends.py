from django.contrib.auth.backends import ModelBackend


class MemberBackend(ModelBackend):
    """Permissions and session users as usual, but no password authentication.

    Every password check goes through accounts.services.login_attempt, which
    applies the CAPTCHA, lockout and throttling rules. Refusing here means no
    other door (Django admin's login form, a stray authenticate() call) can
    check a password around those rules.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        return None
