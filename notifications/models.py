"""What was sent to whom: the record that makes every notification go out once."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationLog(models.Model):
    """One row per notification sent; its unique key makes reminders and offers send once."""

    key = models.CharField(max_length=200, unique=True)
    channel = models.CharField(max_length=16)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+"
    )
    help_request = models.ForeignKey(
        "requests.HelpRequest", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("notification sent")
        verbose_name_plural = _("notifications sent")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.key
