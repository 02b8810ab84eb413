"""Joining a group: invite links, and volunteers' requests for a new password."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

# How long an invite may stay valid: a week by default, a month at most.
INVITE_DAYS_DEFAULT = 7
INVITE_DAYS_MAX = 30
# 32 random bytes, URL-safe: 43 characters, not guessable, unique in practice.
INVITE_TOKEN_BYTES = 32
INVITE_TOKEN_MAX_LENGTH = 64
INVITE_NAME_MAX_LENGTH = 150


def new_invite_token() -> str:
    return secrets.token_urlsafe(INVITE_TOKEN_BYTES)


class InviteState(models.TextChoices):
    LIVE = "live", _("valid")
    EXPIRED = "expired", _("expired")
    REVOKED = "revoked", _("revoked")
    USED = "used", _("used")


class Invite(models.Model):
    """A link (/join/<token>/) that lets people sign up as volunteers of one group.

    An invite for one named person (for_name or for_phone) is used once; a group's open
    invite lets anyone with the link sign up until it expires or is revoked. Either way the
    new account waits for an organizer's verification.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    group = models.ForeignKey(
        "neighbors.Group",
        verbose_name=_("group"),
        on_delete=models.CASCADE,
        related_name="invites",
    )
    # Kept in the clear so organizers can copy the link again; it only opens a sign-up form
    # whose accounts wait for verification.
    token = models.CharField(
        _("token"),
        max_length=INVITE_TOKEN_MAX_LENGTH,
        unique=True,
        default=new_invite_token,
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("valid until"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    for_name = models.CharField(
        _("for (name)"),
        max_length=INVITE_NAME_MAX_LENGTH,
        blank=True,
        help_text=_("For one person: the link can then be used once."),
    )
    for_phone = PhoneNumberField(
        _("for (phone)"),
        blank=True,
        null=True,
        help_text=_("For one person: only this phone number can sign up, once."),
    )
    uses = models.PositiveIntegerField(_("sign-ups"), default=0, editable=False)
    # The account a one-person invite was used for.
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("used by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("invite")
        verbose_name_plural = _("invites")
        ordering = ["-created_at"]
        indexes = [
            # The admin's list of a group's invites, newest first.
            models.Index(fields=["group", "-created_at"], name="invite_group_created"),
        ]

    def __str__(self) -> str:
        return self.for_name or str(self.for_phone or "") or f"{self.token[:6]}…"

    @property
    def is_personal(self) -> bool:
        """An invite for one person is used once."""
        return bool(self.for_name or self.for_phone)

    def state(self, now=None) -> str:
        """live, expired, revoked or used (in that order of precedence: revoked first)."""
        now = now or timezone.now()
        if self.revoked_at is not None:
            return InviteState.REVOKED
        if self.is_personal and self.uses > 0:
            return InviteState.USED
        if self.expires_at <= now:
            return InviteState.EXPIRED
        return InviteState.LIVE

    def get_state_display(self) -> str:
        return InviteState(self.state()).label

    @property
    def path(self) -> str:
        return reverse("onboarding:join", kwargs={"token": self.token})

    @property
    def url(self) -> str:
        return settings.SITE_URL + self.path


class PasswordHelpRequest(models.Model):
    """A member asked for a new password ("forgot password"); their organizers see it and
    issue a one-time link (onboarding.services.password_link_issue)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="password_help_requests",
    )
    group = models.ForeignKey(
        "neighbors.Group",
        verbose_name=_("group"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(_("asked"), default=timezone.now)
    handled_at = models.DateTimeField(_("link issued"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("link issued by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("password request")
        verbose_name_plural = _("password requests")
        ordering = ["-created_at"]
        indexes = [
            # "Open requests of this group": the admin list and the one-open-request check.
            models.Index(fields=["group", "handled_at"], name="pwhelp_group_open"),
        ]

    def __str__(self) -> str:
        return str(self.user)
