"""Message kinds and their texts: translated templates holding ids, short codes and links only.

A text never contains a resident's name, flat, phone, address or code word: the volunteer or
organizer opens the link and signs in to see those, where permissions decide.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from notifications.backends.base import Button


class MessageKind(StrEnum):
    OFFER = "offer"
    CLAIM_OVERDUE = "claim_overdue"
    CLAIM_OVERDUE_ALERT = "claim_overdue_alert"
    UNCLAIMED_ALERT = "unclaimed_alert"
    UNDELIVERABLE_ALERT = "undeliverable_alert"
    NO_CANDIDATES_ALERT = "no_candidates_alert"
    CLAIMS_STOPPED_ALERT = "claims_stopped_alert"
    CHECKIN_LIST = "checkin_list"
    FAKE_VOLUNTEER_ALERT = "fake_volunteer_alert"


SUBJECTS = {
    MessageKind.OFFER: _("New task %(short_id)s: can you take it?"),
    MessageKind.CLAIM_OVERDUE: _("Task %(short_id)s: how is it going?"),
    MessageKind.CLAIM_OVERDUE_ALERT: _("Task %(short_id)s is overdue"),
    MessageKind.UNCLAIMED_ALERT: _("Request %(short_id)s has no volunteer yet"),
    MessageKind.UNDELIVERABLE_ALERT: _("Request %(short_id)s could not be delivered"),
    MessageKind.NO_CANDIDATES_ALERT: _("Request %(short_id)s: no volunteer to offer it to"),
    MessageKind.CLAIMS_STOPPED_ALERT: _("A volunteer's claims are stopped"),
    MessageKind.CHECKIN_LIST: _("Neighbours to call today"),
    MessageKind.FAKE_VOLUNTEER_ALERT: _("A caller reported a fake volunteer"),
}


@dataclass(frozen=True)
class RenderedMessage:
    kind: str
    subject: str
    text: str
    buttons: tuple[Button, ...] = field(default_factory=tuple)


def language_for(*, user, volunteer=None) -> str:
    """The user's language if the site has it, else the site default (Russian).

    Users have no language field yet; a volunteer's first spoken language the site offers
    is used instead.
    """
    available = {code for code, _name in settings.LANGUAGES}
    candidates = [getattr(user, "language", "") or ""]
    if volunteer is not None:
        candidates += volunteer.language_codes()
    for code in candidates:
        if code in available:
            return code
    return settings.LANGUAGE_CODE


def site_link(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def build_context(
    *, channel: str, help_request_id=None, offer_id=None, short_code: str = ""
) -> dict:
    """Ids and links for a template; nothing here comes from a resident's record."""
    context: dict = {"channel": channel, "short_code": short_code}
    if help_request_id:
        help_request_id = str(help_request_id)
        context.update(
            help_request_id=help_request_id,
            short_id=help_request_id[:8],
            task_url=site_link(f"/tasks/{help_request_id}/"),
            admin_url=site_link(f"/admin/requests/helprequest/{help_request_id}/change/"),
        )
    if offer_id:
        context.update(
            offer_id=str(offer_id),
            claim_url=site_link(f"/offers/{offer_id}/claim/"),
            decline_url=site_link(f"/offers/{offer_id}/decline/"),
        )
    context["checkin_url"] = site_link(settings.NOTIFICATIONS["CHECKIN_LIST_PATH"])
    context["calls_url"] = site_link("/intake/calls/")
    context["claims_stopped_url"] = site_link("/admin/volunteers/volunteer/?claims=stopped")
    return context


def render_message(*, kind: str, language: str, context: dict) -> RenderedMessage:
    """Render the text, subject and answer buttons of one message in the given language."""
    kind = MessageKind(kind)
    with translation.override(language):
        text = render_to_string(f"notifications/{kind}.txt", context).strip() + "\n"
        subject = str(SUBJECTS[kind]) % {"short_id": context.get("short_id", "")}
        buttons: tuple[Button, ...] = ()
        if kind == MessageKind.OFFER and context.get("offer_id"):
            buttons = (
                Button(label=gettext("Take it"), callback_data=f"claim:{context['offer_id']}"),
                Button(label=gettext("Decline"), callback_data=f"decline:{context['offer_id']}"),
            )
    return RenderedMessage(kind=kind, subject=subject, text=text, buttons=buttons)
