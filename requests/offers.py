"""Writes for offers: a volunteer accepts or declines, offers expire or are withdrawn.

An offer is the matcher's suggestion "this request, to this volunteer, until expires_at". Only
one offer of a request is pending at a time (a database constraint). Declining or letting an
offer expire moves matching on to the next candidate (after commit, through the task queue;
the periodic sweeper catches up if the queue is down).
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from requests.exceptions import NotAllowed, TransitionNotAllowed
from requests.models import HelpRequest, Offer, OfferStatus, Status
from volunteers.models import Volunteer

logger = logging.getLogger(__name__)


def _check_own(offer: Offer, volunteer: Volunteer) -> None:
    if offer.volunteer_id != volunteer.pk:
        raise NotAllowed(_("This offer was made to another volunteer."))


def _after_commit_match(help_request_id) -> None:
    # Imported late: tasks imports this module.
    from requests.tasks import enqueue_matching

    transaction.on_commit(lambda: enqueue_matching(help_request_id))


def offer_accept(*, offer: Offer, volunteer: Volunteer) -> HelpRequest:
    """The offered volunteer takes the request: claims it and marks the offer accepted.

    Rules: only the volunteer the offer was made to; the claim follows every rule of
    help_request_claim (verified, safety rules, task limit, still open). An expired or
    withdrawn offer can still be accepted while the request is open, exactly as anyone
    eligible may claim it from the list; if someone else was faster, AlreadyTaken.
    """
    from requests.services import help_request_claim

    _check_own(offer, volunteer)
    if offer.status == OfferStatus.DECLINED:
        raise TransitionNotAllowed(_("You declined this offer."))
    with transaction.atomic():
        help_request = help_request_claim(help_request=offer.help_request, volunteer=volunteer)
        Offer.objects.filter(pk=offer.pk).update(
            status=OfferStatus.ACCEPTED, responded_at=timezone.now()
        )
    offer.refresh_from_db()
    logger.info("offer %s accepted", offer.pk)
    return help_request


def offer_decline(*, offer: Offer, volunteer: Volunteer) -> Offer:
    """The offered volunteer says no; the next candidate gets an offer.

    Rules: only the volunteer the offer was made to; declining twice is harmless; an offer
    they accepted cannot be declined (they release the task instead). A declined or expired
    offer keeps the volunteer out of this request's further offers.
    """
    _check_own(offer, volunteer)
    with transaction.atomic():
        current = Offer.objects.select_for_update().get(pk=offer.pk)
        if current.status == OfferStatus.ACCEPTED:
            raise TransitionNotAllowed(
                _("You have taken this task. Release it from the task page instead.")
            )
        if current.status in (OfferStatus.PENDING, OfferStatus.EXPIRED, OfferStatus.WITHDRAWN):
            was_pending = current.status == OfferStatus.PENDING
            current.status = OfferStatus.DECLINED
            current.responded_at = timezone.now()
            current.save(update_fields=["status", "responded_at"])
            if was_pending:
                _after_commit_match(current.help_request_id)
    logger.info("offer %s declined", offer.pk)
    offer.refresh_from_db()
    return offer


def offers_expire_due(*, now=None) -> list:
    """Mark pending offers past their window expired; returns the ids of their requests.

    Each expiry is a conditional UPDATE, so two sweepers running at once expire an offer once.
    """
    now = now or timezone.now()
    due = list(
        Offer.objects.filter(status=OfferStatus.PENDING, expires_at__lte=now).values_list(
            "pk", "help_request_id"
        )
    )
    request_ids = []
    for offer_id, help_request_id in due:
        updated = Offer.objects.filter(pk=offer_id, status=OfferStatus.PENDING).update(
            status=OfferStatus.EXPIRED
        )
        if updated:
            logger.info("offer %s expired", offer_id)
            request_ids.append(help_request_id)
    return request_ids


def offers_settle_for_request(*, help_request_id, claimed_by_id=None) -> int:
    """The request left the open state: its pending offer is accepted or withdrawn.

    claimed_by_id: the volunteer who claimed it; their own pending offer counts as accepted.
    Returns the number of offers changed. Idempotent.
    """
    now = timezone.now()
    pending = Offer.objects.filter(help_request_id=help_request_id, status=OfferStatus.PENDING)
    changed = 0
    if claimed_by_id is not None:
        changed += pending.filter(volunteer_id=claimed_by_id).update(
            status=OfferStatus.ACCEPTED, responded_at=now
        )
    changed += pending.update(status=OfferStatus.WITHDRAWN)
    return changed


def offers_settle_stale(*, limit: int = 500) -> int:
    """Withdraw pending offers of requests that are no longer open (a missed receiver)."""
    stale = list(
        Offer.objects.filter(status=OfferStatus.PENDING)
        .exclude(help_request__status=Status.OPEN)
        .values_list("help_request_id", "help_request__volunteer_id")[:limit]
    )
    return sum(
        offers_settle_for_request(help_request_id=request_id, claimed_by_id=volunteer_id)
        for request_id, volunteer_id in stale
    )
