"""Accounts. Every person who signs in is a User with one role inside one group."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField


class Role(models.TextChoices):
    ORGANIZER = "organizer", _("Organizer")
    OPERATOR = "operator", _("Operator")
    VOLUNTEER = "volunteer", _("Volunteer")


class User(AbstractUser):
    """A person who signs in: organizer, operator (hotline, paper forms) or volunteer.

    Membership is one group and one role; the group is the boundary of what the user sees.
    Superusers (network coordinators) have no group and see every group.
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
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, blank=True)

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role="") | models.Q(group__isnull=False),
                name="user_role_needs_group",
                violation_error_message=_("A user with a role must belong to a group."),
            ),
        ]

    def __str__(self) -> str:
        return self.username
