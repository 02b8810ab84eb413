"""The hotline log: calls that are not requests for an errand, with a follow-up flag."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

CALL_TEXT_MAX_LENGTH = 5000


class CallTopic(models.TextChoices):
    QUESTION = "question", _("Question")
    LEGAL = "legal", _("Wants a legal consultation")
    PSYCHOLOGICAL = "psychological", _("Wants a psychological consultation")
    COMPLAINT = "complaint", _("Complaint")
    FAKE_VOLUNTEER = "fake_volunteer", _("Report of a fake volunteer")


class CallLog(models.Model):
    """One call to the hotline that is not a request: who logged it, what it was about."""

    group = models.ForeignKey(
        "neighbors.Group", verbose_name=_("group"), on_delete=models.CASCADE, related_name="+"
    )
    topic = models.CharField(_("about"), max_length=16, choices=CallTopic.choices)
    text = models.TextField(
        _("what was said"), validators=[MaxLengthValidator(CALL_TEXT_MAX_LENGTH)]
    )
    neighbor = models.ForeignKey(
        "neighbors.Neighbor",
        verbose_name=_("resident"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    follow_up = models.BooleanField(_("follow-up needed"), default=False)
    followed_up_at = models.DateTimeField(_("followed up"), null=True, blank=True)
    followed_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("followed up by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("logged by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)
    # Set when the short-memory rule (privacy.retention) took the text and the resident away.
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("hotline call")
        verbose_name_plural = _("hotline calls")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(followed_up_at__isnull=True) | models.Q(follow_up=True),
                name="call_log_done_only_if_follow_up",
            ),
        ]
        indexes = [
            # The group's call list: follow-ups waiting first, newest first.
            models.Index(fields=["group", "-created_at"], name="call_log_group_created"),
        ]

    def __str__(self) -> str:
        return f"{self.get_topic_display()} · {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def waiting(self) -> bool:
        """A follow-up someone still has to do."""
        return self.follow_up and self.followed_up_at is None
