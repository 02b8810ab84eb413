"""Records that personal data was seen, forgotten or erased: ids and dates, never the data."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ViewChannel(models.TextChoices):
    TASK_PAGE = "task_page", _("Volunteer task page")
    API_TASK = "api_task", _("API: task")
    API_REQUEST = "api_request", _("API: request")
    ADMIN = "admin", _("Admin page")
    CHECKINS = "checkins", _("Check-in list")
    INTAKE = "intake", _("Intake desk")
    ROUTE_SHEET = "route_sheet", _("Route sheet")
    EXPORT = "export", _("Personal data export")


class PersonalDataView(models.Model):
    """Someone was shown a resident's phone or flat. Who, when, which resident; no address."""

    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    # Kept when the resident is erased (the row then says "a resident, since erased").
    neighbor = models.ForeignKey(
        "neighbors.Neighbor",
        verbose_name=_("resident"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    group = models.ForeignKey(
        "neighbors.Group", verbose_name=_("group"), on_delete=models.CASCADE, related_name="+"
    )
    channel = models.CharField(_("where"), max_length=16, choices=ViewChannel.choices)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("personal data view")
        verbose_name_plural = _("personal data views")
        ordering = ["-created_at"]
        indexes = [
            # The organizers' list: their group's views, newest first.
            models.Index(fields=["group", "-created_at"], name="pdview_group_created"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.created_at:%Y-%m-%d %H:%M}"


class ErasureAction(models.TextChoices):
    RESIDENT_FORGOTTEN = "resident_forgotten", _("Resident deleted: no requests for long")
    RESIDENT_ERASED = "resident_erased", _("Resident erased on request")
    VOLUNTEER_ERASED = "volunteer_erased", _("Volunteer erased on request")
    GROUP_LOCKED = "group_locked", _("Group locked")
    GROUP_UNLOCKED = "group_unlocked", _("Group unlocked")
    PERSONAL_DATA_EXPORTED = "data_exported", _("Export with personal data")


class PrivacyEvent(models.Model):
    """Who erased, forgot, locked or exported what, by id: the record that survives the data."""

    action = models.CharField(_("action"), max_length=24, choices=ErasureAction.choices)
    subject_id = models.CharField(_("id"), max_length=64)
    group = models.ForeignKey(
        "neighbors.Group",
        verbose_name=_("group"),
        on_delete=models.CASCADE,
        null=True,
        related_name="+",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # An export with personal columns: which list, how many rows, which columns (names of
    # columns only, never a value).
    details = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("privacy event")
        verbose_name_plural = _("privacy events")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.action} {self.subject_id}"
