"""Recurring requests: "every week on Tuesday", "every two weeks". Celery beat makes each
occurrence a HelpRequest ahead of its due time (recurring.services.recurring_requests_spawn).
"""

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from requests.models import DETAILS_MAX_LENGTH, KIND_SLUG_MAX_LENGTH


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


# "on Tuesday" needs its own words in Russian ("во вторник", "в среду"), not the day's name.
ON_WEEKDAY = {
    Weekday.MONDAY: pgettext_lazy("schedule", "on Monday"),
    Weekday.TUESDAY: pgettext_lazy("schedule", "on Tuesday"),
    Weekday.WEDNESDAY: pgettext_lazy("schedule", "on Wednesday"),
    Weekday.THURSDAY: pgettext_lazy("schedule", "on Thursday"),
    Weekday.FRIDAY: pgettext_lazy("schedule", "on Friday"),
    Weekday.SATURDAY: pgettext_lazy("schedule", "on Saturday"),
    Weekday.SUNDAY: pgettext_lazy("schedule", "on Sunday"),
}
MAX_INTERVAL_WEEKS = 8


def interval_label(weeks: int) -> str:
    """ "Every week", "every 2 weeks": the interval alone, as the setup form offers it."""
    if weeks == 1:
        # Its own string: Russian says "Каждую неделю", never "Каждую 1 неделю".
        return gettext("Every week")
    return ngettext("Every %(count)d week", "Every %(count)d weeks", weeks) % {"count": weeks}


def schedule_label(*, weeks: int, weekday: int, at) -> str:
    """ "Every week on Tuesday, by 12:00" in the active language, with the right plural."""
    values = {"count": weeks, "on_day": ON_WEEKDAY[weekday], "time": at.strftime("%H:%M")}
    if weeks == 1:
        return gettext("Every week %(on_day)s, by %(time)s") % values
    return (
        ngettext(
            "Every %(count)d week %(on_day)s, by %(time)s",
            "Every %(count)d weeks %(on_day)s, by %(time)s",
            weeks,
        )
        % values
    )


class RecurringState(models.TextChoices):
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    STOPPED = "stopped", _("Stopped")


class RecurringRequest(models.Model):
    """What a resident needs again and again, and when; each time becomes a HelpRequest."""

    # Empty once anonymised (privacy.retention); a running one keeps its resident from deletion.
    neighbor = models.ForeignKey(
        "neighbors.Neighbor",
        verbose_name=_("resident"),
        on_delete=models.PROTECT,
        null=True,
        related_name="recurring_requests",
    )
    block = models.ForeignKey(
        "neighbors.Block", verbose_name=_("block"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=KIND_SLUG_MAX_LENGTH)
    needs = models.JSONField(_("needs"), default=list, blank=True)
    details = models.TextField(
        _("what is needed"), validators=[MaxLengthValidator(DETAILS_MAX_LENGTH)]
    )
    interval_weeks = models.PositiveSmallIntegerField(
        _("every how many weeks"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_INTERVAL_WEEKS)],
    )
    weekday = models.PositiveSmallIntegerField(_("day of the week"), choices=Weekday.choices)
    time = models.TimeField(_("needed by (time of day)"))
    next_due_at = models.DateTimeField(_("next one needed by"))
    state = models.CharField(
        _("state"), max_length=8, choices=RecurringState.choices, default=RecurringState.ACTIVE
    )
    last_volunteer = models.ForeignKey(
        "volunteers.Volunteer",
        verbose_name=_("volunteer of the last one"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Set when the short-memory rule (privacy.retention) took the resident and the text away.
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("recurring request")
        verbose_name_plural = _("recurring requests")
        ordering = ["next_due_at"]
        indexes = [
            # The beat task: active ones due within the lead time.
            models.Index(fields=["state", "next_due_at"], name="recurring_state_due"),
        ]

    def __str__(self) -> str:
        return f"{self.block.code} · {self.get_weekday_display()} · {self.pk}"

    @property
    def schedule(self) -> str:
        return schedule_label(weeks=self.interval_weeks, weekday=self.weekday, at=self.time)


class RecurringOccurrence(models.Model):
    """One due time of a recurring request and the HelpRequest made for it.

    The unique (recurring, due_at) pair is what makes the beat task idempotent: a second run,
    or two beats at once, can never make a second request for the same time.
    """

    recurring = models.ForeignKey(
        RecurringRequest, on_delete=models.CASCADE, related_name="occurrences"
    )
    due_at = models.DateTimeField(_("needed by"))
    help_request = models.OneToOneField(
        "requests.HelpRequest",
        verbose_name=_("help request"),
        on_delete=models.CASCADE,
        related_name="recurring_occurrence",
    )
    # Offered first to whoever did the previous occurrence (requests.matching reads this).
    offer_first_to = models.ForeignKey(
        "volunteers.Volunteer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("occurrence")
        verbose_name_plural = _("occurrences")
        ordering = ["-due_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["recurring", "due_at"], name="recurring_occurrence_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recurring_id} · {self.due_at:%Y-%m-%d %H:%M}"


class RecurringChange(models.Model):
    """Who paused, resumed or stopped a recurring request, and when."""

    recurring = models.ForeignKey(
        RecurringRequest, on_delete=models.CASCADE, related_name="changes"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=16)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.recurring_id}: {self.action}"
