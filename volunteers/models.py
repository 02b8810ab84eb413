"""Volunteer profiles: verification, blocks, availability, skills and where they start from."""

import uuid
from datetime import time

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR
from django.utils.translation import gettext_lazy as _


class VolunteerStatus(models.TextChoices):
    PENDING = "pending", _("Pending verification")
    VERIFIED = "verified", _("Verified")
    PAUSED = "paused", _("Paused")
    REMOVED = "removed", _("Removed")


class VerificationMethod(models.TextChoices):
    """How the organizer who verified a volunteer knows them."""

    IN_PERSON = "in_person", _("Met in person")
    VOUCHED = "vouched", _("Vouched for by a member")
    DOCUMENT = "document", _("Document seen")


# Why a volunteer was paused or removed (or their application turned down), and the same
# text on each status change's record: the admin's form and the service share it.
STATUS_REASON_MAX_LENGTH = 500


class NotificationChannel(models.TextChoices):
    EMAIL = "email", _("Email")
    TELEGRAM = "telegram", _("Telegram")
    SMS = "sms", _("SMS")
    CONSOLE = "console", _("Log only (development)")


# Languages a volunteer may say they speak (codes as stored in Volunteer.languages), each
# named in itself: the sign-up form offers these, matching compares the codes.
SPOKEN_LANGUAGES = [
    ("ru", "Русский"),
    ("en", "English"),
    ("uk", "Українська"),
    ("uz", "Oʻzbekcha"),
    ("tg", "Тоҷикӣ"),
    ("ky", "Кыргызча"),
    ("kk", "Қазақша"),
    ("hy", "Հայերեն"),
    ("az", "Azərbaycanca"),
    ("ka", "ქართული"),
    ("tt", "Татарча"),
    ("de", "Deutsch"),
    ("fr", "Français"),
    ("es", "Español"),
]

# Tasks held at once: the default for a new volunteer, and the most organizers may allow.
DEFAULT_TASK_LIMIT = 3
MAX_TASK_LIMIT = 20


class Volunteer(models.Model):
    """Profile of a user with the volunteer role. Their group is the user's group."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="volunteer",
    )
    status = models.CharField(
        _("verification"),
        max_length=16,
        choices=VolunteerStatus.choices,
        default=VolunteerStatus.PENDING,
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verification_method = models.CharField(
        _("how we know them"),
        max_length=16,
        choices=VerificationMethod.choices,
        blank=True,
    )
    vouched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vouched for by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Why they were last paused or removed; empty while verified.
    status_reason = models.CharField(_("reason"), max_length=STATUS_REASON_MAX_LENGTH, blank=True)
    blocks = models.ManyToManyField(
        "neighbors.Block", verbose_name=_("blocks"), blank=True, related_name="volunteers"
    )
    is_available = models.BooleanField(_("available now"), default=True)
    max_open_tasks = models.PositiveSmallIntegerField(
        _("maximum open tasks"),
        default=DEFAULT_TASK_LIMIT,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_TASK_LIMIT)],
        help_text=_("Chosen by the volunteer, up to the limit the organizers set."),
    )
    # Set by organizers: a volunteer holding many tasks at once holds many residents' details.
    max_open_tasks_allowed = models.PositiveSmallIntegerField(
        _("task limit set by organizers"),
        default=DEFAULT_TASK_LIMIT,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_TASK_LIMIT)],
        help_text=_("The most tasks this volunteer may hold at once; they may choose fewer."),
    )
    # Too many releases or "could not deliver" in a day stop further claims until an
    # organizer looks (requests.claim_guard): a way to harvest residents' details otherwise.
    claims_blocked_at = models.DateTimeField(_("claims stopped since"), null=True, blank=True)
    claims_cleared_at = models.DateTimeField(_("claims allowed again"), null=True, blank=True)
    claims_cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("claims allowed again by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Where the volunteer usually sets out from; empty means their first block.
    base_latitude = models.FloatField(
        _("base latitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    base_longitude = models.FloatField(
        _("base longitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    radius_km = models.DecimalField(
        _("how far I can go, km"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0.1)],
        help_text=_("Empty: the group's matching radius."),
    )
    # Skills used for matching consultation and pharmacy requests.
    has_car = models.BooleanField(_("has a car"), default=False)
    does_pharmacy = models.BooleanField(_("pharmacy errands"), default=True)
    does_legal_consultation = models.BooleanField(_("legal consultations"), default=False)
    does_psychological_consultation = models.BooleanField(
        _("psychological consultations"), default=False
    )
    languages = models.CharField(
        _("languages"),
        max_length=100,
        default="ru",
        help_text=_("Language codes separated by commas, for example: ru, en, uz."),
    )
    notification_channel = models.CharField(
        _("notify me by"),
        max_length=16,
        choices=NotificationChannel.choices,
        default=NotificationChannel.EMAIL,
    )
    # Offers then go by SMS without links, or to the operators' call list; operators and
    # organizers take tasks and record steps for them (intake desk, admin).
    no_smartphone = models.BooleanField(
        _("no smartphone"),
        default=False,
        help_text=_(
            "Offers go by SMS without links, or to the operators' call-back list; operators "
            "record the steps for them."
        ),
    )
    telegram_chat_id = models.CharField(_("Telegram chat"), max_length=32, blank=True)
    # The entrance flyer of their blocks hangs in public: the name is printed only if they agree.
    show_first_name_on_flyer = models.BooleanField(
        _("show my first name on the flyers of my blocks"), default=False
    )
    safety_protocol_accepted_at = models.DateTimeField(
        _("safety protocol accepted"), null=True, blank=True
    )
    # Set when an operator or organizer read the rules out by phone to a volunteer without a
    # smartphone and recorded their yes; empty when the volunteer accepted on the site.
    safety_protocol_read_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("safety rules read out by phone by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        ordering = ["user__username"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(base_latitude__isnull=True, base_longitude__isnull=True)
                    | models.Q(
                        # Spelled out: NULL in a CHECK passes, so "in range" alone lets
                        # one missing coordinate through.
                        base_latitude__isnull=False,
                        base_longitude__isnull=False,
                        base_latitude__gte=-90,
                        base_latitude__lte=90,
                        base_longitude__gte=-180,
                        base_longitude__lte=180,
                    )
                ),
                name="volunteer_base_location_complete_and_in_range",
                violation_error_message=_(
                    "Give both latitude and longitude of the base location, or neither."
                ),
            ),
            models.CheckConstraint(
                condition=~models.Q(status="verified") | models.Q(verified_at__isnull=False),
                name="volunteer_verified_has_date",
            ),
            models.CheckConstraint(
                condition=models.Q(max_open_tasks__lte=models.F("max_open_tasks_allowed")),
                name="volunteer_task_limit_within_allowed",
                violation_error_message=_("At most the limit the organizers set."),
            ),
        ]
        indexes = [
            # Matching: verified and available volunteers near a point.
            models.Index(
                fields=["status", "is_available", "base_latitude", "base_longitude"],
                name="volunteer_match",
            ),
        ]

    def __str__(self) -> str:
        return self.user.username

    @property
    def group(self):
        return self.user.group

    @property
    def group_id(self):
        return self.user.group_id

    @property
    def is_active_volunteer(self) -> bool:
        return self.status == VolunteerStatus.VERIFIED and self.user.is_active

    def language_codes(self) -> list[str]:
        return [code.strip() for code in self.languages.split(",") if code.strip()]


class VolunteerStatusEvent(models.Model):
    """One change of a volunteer's verification state: who, when, from what to what, how the
    organizer knows them (verification) or why (pause, removal). Organizers read these on the
    volunteer's admin page; written only by volunteers.services."""

    volunteer = models.ForeignKey(
        Volunteer,
        verbose_name=_("volunteer"),
        on_delete=models.CASCADE,
        related_name="status_events",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    old_status = models.CharField(
        _("from"), max_length=16, choices=VolunteerStatus.choices, blank=True
    )
    new_status = models.CharField(_("to"), max_length=16, choices=VolunteerStatus.choices)
    method = models.CharField(
        _("how we know them"), max_length=16, choices=VerificationMethod.choices, blank=True
    )
    vouched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vouched for by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=STATUS_REASON_MAX_LENGTH, blank=True)

    class Meta:
        verbose_name = _("verification change")
        verbose_name_plural = _("verification changes")
        ordering = ["-created_at"]
        indexes = [
            # A volunteer's history on their admin page, newest first.
            models.Index(fields=["volunteer", "-created_at"], name="volunteer_status_event"),
        ]

    def __str__(self) -> str:
        return f"{self.old_status or '—'} → {self.new_status}"


# A slot "until midnight" ends at the last instant of the day: TimeField has no 24:00.
END_OF_DAY = time.max
# Enough for a different pattern every day; a longer list is a mistake, not a schedule.
MAX_WEEKLY_SLOTS = 28


class WeeklySlot(models.Model):
    """A time of the week when the volunteer takes offers, in settings.TIME_ZONE.

    A volunteer without slots takes offers at any time. Matching (requests.matching) offers a
    request to a volunteer with slots only while the present moment is inside one of them:
    weekday = today's (Monday 0, as date.weekday()) and start <= now < end.
    """

    volunteer = models.ForeignKey(
        Volunteer,
        verbose_name=_("volunteer"),
        on_delete=models.CASCADE,
        related_name="weekly_slots",
        # The unique (volunteer, weekday, start) index below serves the lookups by volunteer.
        db_index=False,
    )
    weekday = models.PositiveSmallIntegerField(_("day of the week"), choices=WEEKDAYS.items())
    start = models.TimeField(_("from"))
    end = models.TimeField(_("until"))

    class Meta:
        verbose_name = _("weekly time slot")
        verbose_name_plural = _("weekly time slots")
        ordering = ["volunteer", "weekday", "start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start__lt=models.F("end")),
                name="weekly_slot_starts_before_it_ends",
                violation_error_message=_("A time slot ends after it starts."),
            ),
            models.CheckConstraint(
                condition=models.Q(weekday__gte=0, weekday__lte=6),
                name="weekly_slot_weekday_in_range",
            ),
            # Also the index of matching's "has slots" and "inside a slot now" subqueries.
            models.UniqueConstraint(
                fields=["volunteer", "weekday", "start"], name="weekly_slot_unique_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{WEEKDAYS_ABBR[self.weekday]} {format_slot_time(self.start)}–" + (
            format_slot_time(self.end, end=True)
        )

    def get_additional_data(self) -> dict:
        """Stored with each audit entry of the slot: whose it is (privacy.audit)."""
        return {"volunteer": str(self.volunteer_id)}

    def contains(self, moment) -> bool:
        """Whether a local datetime falls inside the slot (the rule matching applies in SQL)."""
        return moment.weekday() == self.weekday and self.start <= moment.time() < self.end


def format_slot_time(value: time, *, end: bool = False) -> str:
    if end and value == END_OF_DAY:
        return "24:00"
    return value.strftime("%H:%M")
