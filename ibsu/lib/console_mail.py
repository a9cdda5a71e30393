"""The development mail backend: whole messages on the console, or one line each.

Without EMAIL_URL (`make run`) mail is printed to the console, so a developer
can follow the links in it (activation, password reset). A command that sends
many notices at once (seed_demo) wraps its work in `one_line_per_mail()` and
gets one line per message instead of every MIME part.
"""

import contextlib
import contextvars
from collections.abc import Iterator

from django.core.mail.backends.console import EmailBackend as ConsoleBackend

_one_line = contextvars.ContextVar("one_line_per_mail", default=False)


@contextlib.contextmanager
def one_line_per_mail() -> Iterator[None]:
    token = _one_line.set(True)
    try:
        yield
    finally:
        _one_line.reset(token)


class EmailBackend(ConsoleBackend):
    def write_message(self, message) -> None:
        if not _one_line.get():
            super().write_message(message)
            return
        self.stream.write(f"  mail to {', '.join(message.to)}: {message.subject}\n")
