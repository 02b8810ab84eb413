"""Telling residents what happened to their request: who was told what, how and when."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeChannel(models.TextChoices):
    SMS = "sms", _("SMS")
    CALL = "call", _("Operator's call")


class NoticeStatus(models.TextChoices):
    PENDING = "pending", _("To tell")
    SENT = "sent", _("Sent by SMS")
    TOLD = "told", _("Told by phone")
    SUPERSEDED = "superseded", _("Replaced by a later change")


class ResidentNotice(models.Model):
    """One change a resident must hear about (a volunteer is coming, or is not, and the code
    word), one row per request event; the unique event makes a retried SMS go once."""

    help_request = models.ForeignKey(
        "requests.HelpRequest",
        verbose_name=_("help request"),
        on_delete=models.CASCADE,
        related_name="resident_notices",
    )
    event = models.OneToOneField(
        "requests.RequestEvent",
        verbose_name=_("change"),
        on_delete=models.CASCADE,
        related_name="resident_notice",
    )
    channel = models.CharField(_("how"), max_length=8, choices=NoticeChannel.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=NoticeStatus.choices, default=NoticeStatus.PENDING
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    told_at = models.DateTimeField(_("told at"), null=True, blank=True)
    told_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("told by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("notice to a resident")
        verbose_name_plural = _("notices to residents")
        ordering = ["created_at", "pk"]
        indexes = [
            # The call-back list: pending notices, oldest first (intake.selectors).
            models.Index(fields=["status", "created_at"], name="notice_status_created"),
        ]

    def __str__(self) -> str:
        return f"{self.help_request_id} {self.event_id} {self.channel} {self.status}"
