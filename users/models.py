"""Accounts. Every person who signs in is a User with one role inside one group."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Network coordinator")
    ORGANIZER = "organizer", _("Organizer")
    OPERATOR = "operator", _("Operator")
    VOLUNTEER = "volunteer", _("Volunteer")


class User(AbstractUser):
    """A person who signs in: coordinator, organizer, operator (hotline, paper forms) or volunteer.

    Membership is one group and one role; the group is the boundary of what the user sees.
    A network coordinator belongs to a network instead of a group and sees the network's groups.
    Superusers (the site's administrators) see every group.
    """

    phone = PhoneNumberField(
        _("phone"),
        blank=True,
        null=True,
        unique=True,
        help_text=_("Can be used instead of the username to sign in."),
    )
    group = models.ForeignKey(
        "neighbors.Group",
        verbose_name=_("group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    # Only for network coordinators, who look after every group of one network.
    network = models.ForeignKey(
        "neighbors.Network",
        verbose_name=_("network"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coordinators",
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, blank=True)
    # Part of every session's auth hash: raising it signs the user out of every browser at
    # once (users.services.user_sign_out_everywhere), without scanning the session table.
    session_epoch = models.PositiveIntegerField(default=0, editable=False)

    objects = UserManager()

    def _get_session_auth_hash(self, secret=None):
        # Django's hash covers the password (a change signs every session out); the epoch
        # lets pausing, removing or "sign out everywhere" do the same.
        key_salt = "users.User.session_auth_hash"
        value = f"{self.password}:{self.session_epoch}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role="")
                | models.Q(role="coordinator")
                | models.Q(group__isnull=False),
                name="user_role_needs_group",
                violation_error_message=_("A user with a role must belong to a group."),
            ),
            models.CheckConstraint(
                condition=(
                    ~models.Q(role="coordinator")
                    | models.Q(network__isnull=False, group__isnull=True)
                )
                & (models.Q(role="coordinator") | models.Q(network__isnull=True)),
                name="user_coordinator_has_network",
                violation_error_message=_(
                    "A network coordinator belongs to a network and to no group; "
                    "other roles belong to no network."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.username


class LoginFailure(models.Model):
    """One failed sign-in, counted under a keyed hash: of the account found (or, when none
    is, of the text typed), and of the client's address. Neither is stored in the clear.

    The web form, the admin and the API share these rows (users.login_limits), and being in
    the database they hold when Redis is down.
    """

    key = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            # "Failures under this key since …": the check before every sign-in.
            models.Index(fields=["key", "created_at"], name="login_failure_key_time"),
        ]

    def __str__(self) -> str:
        return f"{self.key[:8]}… {self.created_at:%Y-%m-%d %H:%M}"
