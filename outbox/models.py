from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Messages that carry a working secret (a link or a code): once sent, their
# bodies are cleared, and staff never see them in admin.
SECRET_TEMPLATES = frozenset(
    {"password_reset", "activation", "email_change_confirm", "login_code"}
)


class OutboxMessage(models.Model):
    """An email written in the same transaction as the change that caused it.

    A Celery task sends it after commit; the beat task re-queues any left
    unsent, so a broker or SMTP outage delays mail but never loses it.
    """

    created_at = models.DateTimeField(_("created"), default=timezone.now)
    to = models.EmailField(_("recipient"))
    subject = models.CharField(_("subject"), max_length=200)
    body_text = models.TextField(_("text body"))
    body_html = models.TextField(_("HTML body"), blank=True)
    template = models.CharField(_("template"), max_length=100)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(sent_at__isnull=True),
                name="outbox_unsent_created",
            )
        ]

    def __str__(self) -> str:
        return f"{self.template} → {self.to}"

    @property
    def carries_secret(self) -> bool:
        return self.template in SECRET_TEMPLATES
