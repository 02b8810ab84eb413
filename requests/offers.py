"""Writes for offers: a volunteer accepts or declines, offers expire or are withdrawn.

An offer is the matcher's suggestion "this request, to this volunteer, until expires_at". Only
one offer of a request is pending at a time (a database constraint). Declining or letting an
offer expire moves matching on to the next candidate (after commit, through the task queue;
the periodic sweeper catches up if the queue is down).
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from covidarnost import permissions
from requests.enqueue import enqueue_matching_after_commit
from requests.exceptions import NotAllowed, TransitionNotAllowed
from requests.matching import rank_candidates
from requests.models import HelpRequest, Offer, OfferStatus, RequestEvent, Status
from requests.services import help_request_claim
from volunteers.models import Volunteer

logger = logging.getLogger(__name__)


def _check_own(offer: Offer, volunteer: Volunteer) -> None:
    if offer.volunteer_id != volunteer.pk:
        raise NotAllowed(_("This offer was made to another volunteer."))


def offer_accept(*, offer: Offer, volunteer: Volunteer, acting_user=None) -> HelpRequest:
    """The offered volunteer takes the request: claims it and marks the offer accepted.

    Rules: only the volunteer the offer was made to; the claim follows every rule of
    help_request_claim (verified, safety rules, task limit, still open). An expired or
    withdrawn offer can still be accepted while the request is open, exactly as anyone
    eligible may claim it from the list; if someone else was faster, AlreadyTaken.
    acting_user: an operator who phoned a volunteer without a smartphone and took the answer.
    """
    _check_own(offer, volunteer)
    if offer.status == OfferStatus.DECLINED:
        raise TransitionNotAllowed(_("You declined this offer."))
    with transaction.atomic():
        help_request = help_request_claim(
            help_request=offer.help_request, volunteer=volunteer, acting_user=acting_user
        )
        Offer.objects.filter(pk=offer.pk).update(
            status=OfferStatus.ACCEPTED, responded_at=timezone.now()
        )
    offer.refresh_from_db()
    logger.info("offer %s accepted", offer.pk)
    return help_request


def offer_decline(*, offer: Offer, volunteer: Volunteer, acting_user=None) -> Offer:
    """The offered volunteer says no; the next candidate gets an offer.

    Rules: only the volunteer the offer was made to; declining twice is harmless; an offer
    they accepted cannot be declined (they release the task instead). A declined or expired
    offer keeps the volunteer out of this request's further offers. acting_user: an operator
    passing on the answer of a volunteer without a smartphone.
    """
    _check_own(offer, volunteer)
    if acting_user is not None and not permissions.can_act_for_volunteer(
        acting_user, offer.help_request, volunteer
    ):
        raise NotAllowed
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
                enqueue_matching_after_commit(current.help_request_id)
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


@dataclass(frozen=True)
class MatchOutcome:
    """What one matching step did. `notify` offers and `alert_key` alerts are sent by the
    caller after commit (a slow channel must not hold the request's row lock)."""

    # "offered", "pending", "not_open", "exhausted", "no_candidates", "missing", "locked"
    status: str
    offer: Offer | None = None
    group_id: object = None
    alert_key: str = ""


def offer_window(urgency: str) -> timedelta:
    windows = settings.MATCHING["OFFER_WINDOW_MINUTES"]
    return timedelta(minutes=windows.get(urgency, windows["normal"]))


def new_short_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


def _round_start(help_request_id):
    """The event that last made the request open: offers and alerts count per round."""
    return (
        RequestEvent.objects.filter(help_request_id=help_request_id, to_status=Status.OPEN)
        .order_by("-created_at", "-pk")
        .values("pk", "created_at")
        .first()
    )


def offer_make_next(*, help_request_id) -> MatchOutcome:
    """Offer an open request to the best remaining candidate, unless an offer is live.

    Rules: only open requests; one pending offer at a time (an expired one is marked so
    first); at most MATCHING["MAX_OFFERS"] offers per round, then (or when nobody is
    eligible) the outcome asks for an organizer alert, keyed by the round so it goes once.
    Running it twice is harmless: the live offer is returned, not a second one.
    """
    now = timezone.now()
    with transaction.atomic():
        help_request = (
            HelpRequest.objects.select_for_update(of=("self",))
            .select_related("block__group", "neighbor")
            .filter(pk=help_request_id)
            .first()
        )
        if help_request is None:
            return MatchOutcome("missing")
        group_id = help_request.block.group_id
        if help_request.block.group.locked_at is not None:
            # Emergency lock (privacy.lock): nobody is offered anything until it is lifted.
            return MatchOutcome("locked", group_id=group_id)
        if help_request.status != Status.OPEN:
            offers_settle_for_request(
                help_request_id=help_request.pk, claimed_by_id=help_request.volunteer_id
            )
            return MatchOutcome("not_open", group_id=group_id)
        live = help_request.offers.filter(status=OfferStatus.PENDING).first()
        if live is not None:
            if live.expires_at > now:
                return MatchOutcome("pending", offer=live, group_id=group_id)
            Offer.objects.filter(pk=live.pk).update(status=OfferStatus.EXPIRED)
        round_start = _round_start(help_request.pk)
        round_key = round_start["pk"] if round_start else "0"
        offers = help_request.offers.all()
        if round_start is not None:
            offers = offers.filter(created_at__gte=round_start["created_at"])
        if offers.count() >= settings.MATCHING["MAX_OFFERS"]:
            return MatchOutcome(
                "exhausted",
                group_id=group_id,
                alert_key=f"no_candidates_alert:{help_request.pk}:{round_key}",
            )
        candidates = rank_candidates(help_request, limit=1, now=now)
        if not candidates:
            return MatchOutcome(
                "no_candidates",
                group_id=group_id,
                alert_key=f"no_candidates_alert:{help_request.pk}:{round_key}",
            )
        best = candidates[0]
        try:
            with transaction.atomic():
                offer = Offer.objects.create(
                    help_request=help_request,
                    volunteer_id=best.volunteer_id,
                    rank=help_request.offers.count() + 1,
                    reason=best.reason,
                    score=best.score,
                    short_code=new_short_code(),
                    expires_at=now + offer_window(help_request.urgency),
                )
        except IntegrityError:
            # Another matcher made an offer meanwhile (possible where rows are not locked).
            live = help_request.offers.filter(status=OfferStatus.PENDING).first()
            return MatchOutcome("pending", offer=live, group_id=group_id)
    logger.info("offer %s made for help_request %s", offer.pk, help_request_id)
    return MatchOutcome("offered", offer=offer, group_id=group_id)
