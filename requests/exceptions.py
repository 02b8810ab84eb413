"""Errors the request services raise. Views map them to messages, the API to status codes."""

from django.utils.translation import gettext_lazy as _


class RequestError(Exception):
    """A rule stopped the change; nothing was saved. str() is a message for the user."""

    default_message = _("This change is not possible.")

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(str(self.message))

    def __str__(self) -> str:
        return str(self.message)


class TransitionNotAllowed(RequestError):
    """The request's status does not allow this action (API: 409)."""

    default_message = _("This action is not possible in the request's current status.")


class AlreadyTaken(TransitionNotAllowed):
    """Another volunteer claimed the request first (API: 409)."""

    default_message = _("This task has already been taken by another volunteer.")


class AlreadyYours(TransitionNotAllowed):
    """The volunteer claims a task they already hold: nothing changes (web: a notice on the
    task page; API: 409 with this message)."""

    default_message = _("You already hold this task.")


class NotAllowed(RequestError):
    """The user may not take this action on this request (API: 403 or 404)."""

    default_message = _("You are not allowed to do this.")


class VolunteerCannotClaim(RequestError):
    """The volunteer is not verified, not available or already has enough tasks (API: 409)."""

    default_message = _("You cannot take more tasks right now.")


class SafetyProtocolNotAccepted(VolunteerCannotClaim):
    default_message = _("Please read and accept the safety rules before your first task.")


class ClaimsStopped(VolunteerCannotClaim):
    """Too many releases or "could not deliver" in a day; an organizer must allow claims again
    (API: 429)."""

    default_message = _(
        "You gave back more than 3 tasks within 24 hours, so you cannot take new tasks for now. "
        "An organizer of your group has been told and can allow it again."
    )
