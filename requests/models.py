"""Help requests, their append-only history, and offers made to volunteers."""

import time
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

DETAILS_MAX_LENGTH = 5000
# Reasons (release, could not deliver, cancel) and delivery notes, wherever they are typed:
# the volunteer forms and the API serializers read this, and RequestEvent.note stores them.
NOTE_MAX_LENGTH = 2000
KIND_SLUG_MAX_LENGTH = 16


class Status(models.TextChoices):
    OPEN = "open", _("Open")
    CLAIMED = "claimed", _("Claimed")
    BOUGHT = "bought", _("Bought, on the way")
    DELIVERED = "delivered", _("Delivered")
    CANCELLED = "cancelled", _("Cancelled")


# A volunteer holds the request: claimed, or bought and on the way.
IN_HAND = frozenset({Status.CLAIMED, Status.BOUGHT})


class Kind(models.TextChoices):
    """Slugs of the built-in kinds. The kinds themselves are RequestKind rows (a data
    migration made these); the labels here keep the built-in names in the catalogs.
    """

    GROCERIES = "groceries", _("Groceries")
    MEDICINE = "medicine", _("Medicine")
    PRESCRIPTION = "prescription", _("Pharmacy with prescription")
    ERRAND = "errand", _("Household errand")
    LEGAL_CONSULTATION = "legal", _("Legal consultation")
    PSYCHOLOGICAL_CONSULTATION = "psychological", _("Psychological consultation")
    # Before legal and psychological consultations were split: kept for the requests made
    # then, no longer offered for new ones.
    CONSULTATION = "consultation", _("Consultation callback")
    OTHER = "other", _("Other")


class Skill(models.TextChoices):
    """What a kind of request asks of the volunteer.

    Consultation skills are required: only volunteers who give that consultation see, get
    offered or claim such a request, and its notes stay between them and the organizers.
    Pharmacy and car only rank volunteers who have them first.
    """

    NONE = "none", _("None")
    PHARMACY = "pharmacy", _("Pharmacy runs")
    CAR = "car", _("A car")
    LEGAL = "legal", _("Legal consultations")
    PSYCHOLOGICAL = "psychological", _("Psychological consultations")
    # The old joint kind: either consultation skill will do.
    ANY_CONSULTATION = "consultation", _("Legal or psychological consultations")


# Skills that restrict who sees a request and make its notes confidential.
CONSULTATION_SKILLS = frozenset({Skill.LEGAL, Skill.PSYCHOLOGICAL, Skill.ANY_CONSULTATION})


class Payment(models.TextChoices):
    CASH_ON_DELIVERY = "cash_on_delivery", _("Cash on delivery")
    PREPAID = "prepaid", _("Prepaid")
    FREE = "free", _("Free")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")


class Source(models.TextChoices):
    PAPER_FORM = "paper_form", _("Paper form")
    PHONE = "phone", _("Phone call")
    IN_PERSON = "in_person", _("In person")
    WEB = "web", _("Web")
    VOLUNTEER = "volunteer", _("Volunteer")


class PaidBy(models.TextChoices):
    RESIDENT_CASH = "resident_cash", _("Resident paid cash")
    GROUP_FUND = "group_fund", _("Group fund")
    VOLUNTEER = "volunteer", _("Volunteer paid, to be reimbursed")


class RequestKindManager(models.Manager):
    """Kind names (and skills, for matching) from a small per-process cache of the table.

    Pages show the kind of many requests at once; the cache keeps that at one query per
    process and LABEL_CACHE_SECONDS instead of one per request. Saving a kind clears it here;
    other processes see a changed kind within LABEL_CACHE_SECONDS, a new one at once (a slug
    not in the cache reloads it). Permission decisions read the table, never this cache.
    """

    LABEL_CACHE_SECONDS = 60
    _rows: dict[tuple[int | None, str], tuple[str, str]] | None = None
    _loaded_at = 0.0

    def clear_label_cache(self) -> None:
        type(self)._rows = None

    def _load(self) -> dict[tuple[int | None, str], tuple[str, str]]:
        rows = {
            (group_id, slug): (name, skill)
            for group_id, slug, name, skill in self.values_list("group_id", "slug", "name", "skill")
        }
        type(self)._rows, type(self)._loaded_at = rows, time.monotonic()
        return rows

    def _fresh(self) -> dict[tuple[int | None, str], tuple[str, str]]:
        rows = self._rows
        if rows is None or time.monotonic() - self._loaded_at > self.LABEL_CACHE_SECONDS:
            rows = self._load()
        return rows

    def _cached(self, slug: str, group_id: int | None) -> tuple[int | None, str, str] | None:
        """(group id or None for a built-in, name, skill) of a kind, or None."""
        rows = self._fresh()
        for attempt in range(2):
            # A group's own kind never takes a built-in's slug (clean()).
            for key in ((None, slug), (group_id, slug)):
                if key in rows:
                    return (key[0], *rows[key])
            if attempt == 0:
                rows = self._load()
        return None

    def is_built_in(self, slug: str) -> bool:
        return (None, slug) in self._fresh()

    def label(self, slug: str, group_id: int | None) -> str:
        """The name of a kind as people of the group see it; built-ins translated."""
        found = self._cached(slug, group_id)
        if found is None:
            return slug
        owner, name, _skill = found
        return gettext(name) if owner is None else name

    def cached_skill(self, slug: str, group_id: int | None) -> str:
        """The skill a kind needs, for ranking offers (the claim re-checks the table)."""
        found = self._cached(slug, group_id)
        return found[2] if found is not None else Skill.NONE


class RequestKind(models.Model):
    """A kind of request: built-in (no group, offered to every group) or a group's own."""

    group = models.ForeignKey(
        "neighbors.Group",
        verbose_name=_("group"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="request_kinds",
        help_text=_("Empty: a built-in kind, offered to every group."),
    )
    slug = models.SlugField(
        _("short name"),
        max_length=KIND_SLUG_MAX_LENGTH,
        help_text=_("Latin letters, digits and dashes; stored on each request, never changed."),
    )
    # Built-ins keep the English source name and are translated when shown; a group's own
    # kinds are shown as typed.
    name = models.CharField(_("name"), max_length=80)
    skill = models.CharField(
        _("needed skill"), max_length=16, choices=Skill.choices, default=Skill.NONE
    )
    home_visit = models.BooleanField(
        _("needs a home visit"),
        default=True,
        help_text=_("Off for help given by phone, such as a consultation."),
    )
    is_active = models.BooleanField(
        _("offered"),
        default=True,
        help_text=_("Off: no new requests of this kind; the old ones keep it."),
    )
    position = models.PositiveSmallIntegerField(_("position in lists"), default=100)

    objects = RequestKindManager()

    class Meta:
        verbose_name = _("kind of request")
        verbose_name_plural = _("kinds of request")
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug"],
                condition=models.Q(group__isnull=True),
                name="request_kind_builtin_slug_unique",
            ),
            models.UniqueConstraint(
                fields=["group", "slug"],
                condition=models.Q(group__isnull=False),
                name="request_kind_group_slug_unique",
                violation_error_message=_("Your group already has a kind with this short name."),
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        RequestKind.objects.clear_label_cache()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        RequestKind.objects.clear_label_cache()
        return result

    @property
    def label(self) -> str:
        return gettext(self.name) if self.group_id is None else self.name

    @property
    def is_consultation(self) -> bool:
        return self.skill in CONSULTATION_SKILLS

    def clean(self) -> None:
        if self.group_id is not None and (
            RequestKind.objects.filter(group__isnull=True, slug=self.slug).exists()
        ):
            raise ValidationError({"slug": _("A built-in kind already has this short name.")})


class HelpRequest(models.Model):
    """One errand for one neighbor. Status changes only through requests.services."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Empty once the request is anonymised (privacy.retention): statistics keep the rest.
    neighbor = models.ForeignKey(
        "neighbors.Neighbor",
        verbose_name=_("neighbor"),
        on_delete=models.PROTECT,
        null=True,
        related_name="help_requests",
    )
    block = models.ForeignKey(
        "neighbors.Block",
        verbose_name=_("block"),
        on_delete=models.PROTECT,
        related_name="help_requests",
    )
    # The slug of a RequestKind offered to the block's group (checked by the create service,
    # not by choices: a group's own kinds are data).
    kind = models.CharField(_("kind"), max_length=KIND_SLUG_MAX_LENGTH)
    details = models.TextField(
        _("what is needed"),
        validators=[MaxLengthValidator(DETAILS_MAX_LENGTH)],
    )
    budget = models.DecimalField(
        _("budget"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    payment = models.CharField(
        _("payment"), max_length=16, choices=Payment.choices, default=Payment.CASH_ON_DELIVERY
    )
    urgency = models.CharField(
        _("urgency"), max_length=8, choices=Urgency.choices, default=Urgency.NORMAL
    )
    due_at = models.DateTimeField(_("needed by"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    # Slugs of requests.needs: the checkboxes of the paper form and the intake desk.
    needs = models.JSONField(_("needs"), default=list, blank=True)
    form_serial = models.CharField(
        _("paper form number"),
        max_length=32,
        blank=True,
        help_text=_("The number printed on the paper form, when the request came on paper."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # A retry of the same API call (same helper, same key) returns this request, never a copy.
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, editable=False)
    volunteer = models.ForeignKey(
        "volunteers.Volunteer",
        verbose_name=_("volunteer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="help_requests",
    )
    code_word = models.CharField(
        _("code word"),
        max_length=32,
        help_text=_("Told to the resident at intake; the volunteer says it at the door."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    bought_at = models.DateTimeField(_("bought"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    # Delivery report.
    spent = models.DecimalField(
        _("amount spent"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    paid_by = models.CharField(_("paid by"), max_length=16, choices=PaidBy.choices, blank=True)
    receipt = models.ImageField(_("receipt photo"), upload_to="receipts/%Y/%m/", blank=True)
    reimbursed_at = models.DateTimeField(_("reimbursed"), null=True, blank=True)
    reimbursed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reimbursed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("help request")
        verbose_name_plural = _("help requests")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(status__in=["open", "cancelled"], volunteer__isnull=True)
                    | models.Q(
                        status__in=["claimed", "bought", "delivered"], volunteer__isnull=False
                    )
                ),
                name="help_request_volunteer_matches_status",
                violation_error_message=_(
                    "A claimed or delivered request has a volunteer; an open one has none."
                ),
            ),
            models.CheckConstraint(
                condition=~models.Q(status="delivered") | models.Q(delivered_at__isnull=False),
                name="help_request_delivered_has_date",
            ),
            models.CheckConstraint(
                condition=models.Q(spent__isnull=True) | models.Q(spent__gte=0),
                name="help_request_spent_not_negative",
            ),
            models.UniqueConstraint(
                fields=["created_by", "idempotency_key"],
                condition=models.Q(idempotency_key__isnull=False),
                name="help_request_idempotency_key_unique",
            ),
        ]
        indexes = [
            # Volunteer task list and sweeper: open requests of a block, oldest first.
            models.Index(fields=["status", "block", "created_at"], name="hr_status_block_created"),
            # "My tasks": requests a volunteer holds.
            models.Index(fields=["volunteer", "status"], name="hr_volunteer_status"),
            # The desk's weekly response times: a group's requests of the last eight weeks.
            models.Index(fields=["block", "created_at"], name="hr_block_created"),
            # The desk's figures (desk.selectors.group_figures): delivered today / this week,
            # one arm of its OR with the unfinished (hr_status_block_created) and owed ones.
            models.Index(
                fields=["delivered_at", "block"],
                name="hr_delivered_block",
                condition=models.Q(status="delivered"),
            ),
            # Reimbursements owed (requests.selectors.reimbursement_owed_q): the desk's totals
            # and per-volunteer list (desk.selectors.reimbursements_owed, group_figures).
            models.Index(
                fields=["block"],
                name="hr_owed_block",
                condition=models.Q(
                    status="delivered", paid_by="volunteer", reimbursed_at__isnull=True
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.block.code} · {str(self.id)[:8]}"

    @property
    def short_id(self) -> str:
        return str(self.id)[:8]

    def get_kind_display(self) -> str:
        """The kind's name in the current language. A group's own kind reads the block's
        group: lists of such requests load the block with them.
        """
        kinds = RequestKind.objects
        group_id = None if kinds.is_built_in(self.kind) else self.block.group_id
        return kinds.label(self.kind, group_id)


class PaperForm(models.Model):
    """One printed request form. Its id is the serial printed on the form and in its QR code,
    so the intake desk can tell a real form of this block from a mistyped or foreign number.
    """

    # The serial: allocated by the database, never reused.
    id = models.BigAutoField(_("serial"), primary_key=True)
    block = models.ForeignKey(
        "neighbors.Block",
        verbose_name=_("block"),
        on_delete=models.CASCADE,
        related_name="paper_forms",
    )
    # Which printed layout (field positions) the form has; printed on it and in the QR code.
    layout_version = models.PositiveSmallIntegerField(_("layout version"), default=1)
    printed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("printed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    printed_at = models.DateTimeField(_("printed"), auto_now_add=True)

    class Meta:
        verbose_name = _("paper form")
        verbose_name_plural = _("paper forms")
        ordering = ["-id"]

    def __str__(self) -> str:
        return str(self.pk)


class RequestEvent(models.Model):
    """Append-only history: one row per transition, written by requests.services."""

    help_request = models.ForeignKey(
        HelpRequest, verbose_name=_("help request"), on_delete=models.CASCADE, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Set when an organizer or operator (actor) acted for a volunteer without a smartphone.
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("on behalf of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=24)
    from_status = models.CharField(_("from"), max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=Status.choices)
    note = models.TextField(_("note"), blank=True, max_length=NOTE_MAX_LENGTH)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("request event")
        verbose_name_plural = _("request events")
        ordering = ["created_at", "id"]
        indexes = [
            # The desk's inactive volunteers: has this person done anything since a date?
            models.Index(fields=["actor", "created_at"], name="event_actor_created"),
        ]

    def __str__(self) -> str:
        return f"{self.action}: {self.from_status or '-'} → {self.to_status}"


class OfferStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")
    WITHDRAWN = "withdrawn", _("Withdrawn (taken by someone else)")


class Offer(models.Model):
    """A request offered to one volunteer by the matcher, with the reason for the choice."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    help_request = models.ForeignKey(
        HelpRequest, verbose_name=_("help request"), on_delete=models.CASCADE, related_name="offers"
    )
    volunteer = models.ForeignKey(
        "volunteers.Volunteer",
        verbose_name=_("volunteer"),
        on_delete=models.CASCADE,
        related_name="offers",
    )
    rank = models.PositiveSmallIntegerField(_("offer number"))
    reason = models.CharField(_("why this volunteer"), max_length=200, blank=True)
    score = models.FloatField(_("score"), default=0)
    # Short code a volunteer can reply by SMS to accept.
    short_code = models.CharField(_("reply code"), max_length=8)
    status = models.CharField(
        _("status"), max_length=16, choices=OfferStatus.choices, default=OfferStatus.PENDING
    )
    created_at = models.DateTimeField(_("offered"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["help_request", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["help_request", "volunteer"], name="offer_once_per_volunteer"
            ),
            # At most one live offer per request at a time.
            models.UniqueConstraint(
                fields=["help_request"],
                condition=models.Q(status="pending"),
                name="offer_one_pending_per_request",
            ),
        ]
        indexes = [models.Index(fields=["status", "expires_at"], name="offer_status_expires")]

    def __str__(self) -> str:
        return f"#{self.rank} {self.help_request.short_id} → {self.volunteer_id}"
