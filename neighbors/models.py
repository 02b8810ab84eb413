"""Groups, the blocks (buildings) they split their district into, and the neighbors living there."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField


class Network(models.Model):
    """A wider network of initiative groups (a city-wide movement, for example)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=200, unique=True)

    class Meta:
        verbose_name = _("network")
        verbose_name_plural = _("networks")

    def __str__(self) -> str:
        return self.name


class Group(models.Model):
    """A local initiative group: the boundary of who sees what."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    network = models.ForeignKey(
        Network,
        verbose_name=_("network"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="groups",
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=50, unique=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    # Printed large on every form and flyer; residents without internet call it.
    hotline_phone = PhoneNumberField(_("hotline phone"), blank=True)
    # Unclaimed requests older than this alert the organizers.
    sla_minutes = models.PositiveIntegerField(_("time to claim, minutes"), default=120)
    urgent_sla_minutes = models.PositiveIntegerField(
        _("time to claim an urgent request, minutes"), default=30
    )
    match_radius_km = models.DecimalField(
        _("matching radius, km"),
        max_digits=5,
        decimal_places=2,
        default=3,
        validators=[MinValueValidator(0.1)],
    )
    safety_protocol = models.TextField(
        _("safety protocol"),
        blank=True,
        help_text=_("Shown to every volunteer before their first task. Empty: the default text."),
    )
    # Short memory (privacy.retention): what is forgotten, and when.
    anonymise_after_days = models.PositiveSmallIntegerField(
        _("anonymise requests after, days"),
        default=30,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Days after a request is delivered or cancelled before the resident's details are "
            "removed from it. Kind, block, dates, status and amounts stay for statistics."
        ),
    )
    delete_residents_after_days = models.PositiveSmallIntegerField(
        _("delete residents after, days"),
        default=180,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Days without a request or a check-in call before a resident is deleted, unless "
            "marked to keep."
        ),
    )
    # Emergency lock (privacy.lock): set while the group is frozen.
    locked_at = models.DateTimeField(_("locked since"), null=True, blank=True, editable=False)
    locked_by = models.ForeignKey(
        "users.User",
        verbose_name=_("locked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Block(models.Model):
    """A residential building; volunteers are assigned blocks, paper forms hang in its entrances."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    group = models.ForeignKey(
        Group, verbose_name=_("group"), on_delete=models.PROTECT, related_name="blocks"
    )
    code = models.CharField(
        _("code"),
        max_length=12,
        help_text=_("Short code printed on forms and flyers, unique within the group."),
    )
    address = models.CharField(_("address"), max_length=300)
    entrances = models.PositiveSmallIntegerField(
        _("entrances"), default=1, validators=[MinValueValidator(1), MaxValueValidator(99)]
    )
    floors = models.PositiveSmallIntegerField(
        _("floors"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    latitude = models.FloatField(
        _("latitude"), validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    longitude = models.FloatField(
        _("longitude"), validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )

    class Meta:
        verbose_name = _("block")
        verbose_name_plural = _("blocks")
        ordering = ["group", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "code"],
                name="block_code_unique_in_group",
                violation_error_message=_("This group already has a block with this code."),
            ),
            models.CheckConstraint(
                condition=models.Q(latitude__gte=-90, latitude__lte=90),
                name="block_latitude_range",
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__gte=-180, longitude__lte=180),
                name="block_longitude_range",
            ),
        ]
        indexes = [
            # Bounding-box prefilter when looking for blocks near a point.
            models.Index(fields=["latitude", "longitude"], name="block_lat_lon"),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.address}"


# Consent is asked, never assumed: the model, the service and the API share this default.
CONSENT_TO_CONTACT_DEFAULT = False


class Neighbor(models.Model):
    """A resident who may need help. Personal data: shown only to whom it must be."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    block = models.ForeignKey(
        Block, verbose_name=_("block"), on_delete=models.PROTECT, related_name="neighbors"
    )
    name = models.CharField(_("name"), max_length=200)
    flat = models.CharField(_("flat"), max_length=10, blank=True)
    entrance = models.PositiveSmallIntegerField(
        _("entrance"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    floor = models.SmallIntegerField(_("floor"), null=True, blank=True)
    phone = PhoneNumberField(_("phone"), blank=True)
    # Matching prefers a volunteer who speaks it (requests.matching).
    language = models.CharField(
        _("language"),
        max_length=8,
        blank=True,
        help_text=_("Language code if not Russian, for example: uz, tg, en."),
    )
    notes = models.TextField(
        _("notes for volunteers"),
        blank=True,
        max_length=2000,
        help_text=_("For example: hard of hearing, ring twice, allergic to nuts."),
    )
    consent_to_contact = models.BooleanField(
        _("agreed to be contacted"),
        default=CONSENT_TO_CONTACT_DEFAULT,
        help_text=_("The resident agreed that volunteers may phone or visit them."),
    )
    # Section 2 of the intake desk: "help is coming" and the code word by SMS, only if she
    # agreed and her number is a mobile; otherwise an operator calls her back.
    consent_to_sms = models.BooleanField(
        _("agreed to SMS"),
        default=False,
        help_text=_("The resident agreed to get SMS about her requests (with the code word)."),
    )
    consent_recorded_at = models.DateTimeField(_("consent recorded"), null=True, blank=True)
    is_isolated = models.BooleanField(
        _("isolated"),
        default=False,
        help_text=_("Lives alone and rarely goes out: volunteers check in every week."),
    )
    last_contact_at = models.DateTimeField(_("last contact"), null=True, blank=True)
    last_contact_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last contact by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    keep_data = models.BooleanField(
        _("keep"),
        default=False,
        help_text=_("Never delete this resident for a long time without requests."),
    )
    # The newest request's date, kept when old requests are anonymised (no longer linked).
    last_request_at = models.DateTimeField(_("last request"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("neighbor")
        verbose_name_plural = _("neighbors")
        ordering = ["block", "flat", "name"]
        indexes = [
            # Intake desk: find a caller by her phone number (intake.selectors).
            models.Index(fields=["phone"], name="neighbor_phone"),
            # Weekly check-in list: isolated neighbors by last contact.
            models.Index(
                fields=["is_isolated", "last_contact_at"], name="neighbor_isolated_contact"
            ),
        ]

    def __str__(self) -> str:
        # Admin and logs show the block and flat, never the name.
        flat = _("flat %(flat)s") % {"flat": self.flat} if self.flat else ""
        return f"{self.block.code} {flat}".strip()
