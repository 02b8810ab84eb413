"""Offers: made after a request is saved, moved on by decline and expiry, settled by claims."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone, translation

from notifications.models import NotificationLog
from requests import services
from requests.exceptions import AlreadyTaken, NotAllowed, TransitionNotAllowed
from requests.models import Offer, OfferStatus, Status
from requests.offers import offer_accept, offer_decline, offer_make_next
from requests.tasks import match_help_request, sweep_matching
from tests import factories

pytestmark = pytest.mark.django_db


def _create(operator, block, django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        help_request, _created = services.help_request_create(
            created_by=operator,
            block=block,
            kind=kwargs.pop("kind", "groceries"),
            details="Хлеб",
            source="phone",
            neighbor_data={"name": "Анна", "flat": "5"},
            **kwargs,
        )
    return help_request


def _offer_keys():
    return sorted(
        NotificationLog.objects.filter(key__startswith="offer:").values_list("key", flat=True)
    )


def test_saving_a_request_offers_it_to_the_block_volunteer_and_notifies_once(
    operator, block, volunteer, django_capture_on_commit_callbacks
):
    with translation.override("en"):
        help_request = _create(operator, block, django_capture_on_commit_callbacks)

    offer = Offer.objects.get(help_request=help_request)
    assert offer.volunteer == volunteer
    assert offer.status == OfferStatus.PENDING
    assert offer.rank == 1
    assert offer.reason.startswith("same block · 0.")
    assert "0 open tasks" in offer.reason
    assert _offer_keys() == [f"offer:{offer.pk}"]
    # A rerun (a redelivered task) neither makes a second offer nor sends again.
    assert match_help_request(str(help_request.pk)) == "pending"
    assert Offer.objects.filter(help_request=help_request).count() == 1
    assert _offer_keys() == [f"offer:{offer.pk}"]


def test_offer_window_depends_on_urgency(
    operator, block, volunteer, django_capture_on_commit_callbacks
):
    before = timezone.now()
    help_request = _create(operator, block, django_capture_on_commit_callbacks, urgency="urgent")
    offer = Offer.objects.get(help_request=help_request)
    assert timedelta(minutes=4) < offer.expires_at - before <= timedelta(minutes=5, seconds=5)


def test_decline_offers_the_request_to_the_next_candidate(
    operator, block, volunteer, second_volunteer, django_capture_on_commit_callbacks
):
    help_request = _create(operator, block, django_capture_on_commit_callbacks)
    first = Offer.objects.get(help_request=help_request)

    with django_capture_on_commit_callbacks(execute=True):
        offer_decline(offer=first, volunteer=first.volunteer)

    first.refresh_from_db()
    assert first.status == OfferStatus.DECLINED
    second = Offer.objects.get(help_request=help_request, status=OfferStatus.PENDING)
    assert second.volunteer != first.volunteer
    assert second.rank == 2
    assert len(_offer_keys()) == 2


def test_expired_offer_moves_on_when_the_sweeper_runs(
    operator, block, volunteer, second_volunteer, django_capture_on_commit_callbacks
):
    help_request = _create(operator, block, django_capture_on_commit_callbacks)
    first = Offer.objects.get(help_request=help_request)

    with time_machine.travel(timezone.now() + timedelta(minutes=16), tick=False):
        result = sweep_matching()

    assert result["expired"] == 1
    first.refresh_from_db()
    assert first.status == OfferStatus.EXPIRED
    second = Offer.objects.get(help_request=help_request, status=OfferStatus.PENDING)
    assert second.volunteer != first.volunteer


def test_sweeper_does_nothing_while_an_offer_is_live(
    operator, block, volunteer, django_capture_on_commit_callbacks
):
    help_request = _create(operator, block, django_capture_on_commit_callbacks)
    result = sweep_matching()
    assert result == {"expired": 0, "settled": 0, "enqueued": 0, "alerts": 0}
    assert Offer.objects.filter(help_request=help_request).count() == 1


def test_no_candidates_alerts_organizers_once_and_keeps_the_request_open(
    operator, organizer, block, django_capture_on_commit_callbacks
):
    help_request = _create(operator, block, django_capture_on_commit_callbacks)
    sweep_matching()
    sweep_matching()

    help_request.refresh_from_db()
    assert help_request.status == Status.OPEN
    alerts = NotificationLog.objects.filter(key__startswith="no_candidates_alert:")
    assert [log.recipient_id for log in alerts] == [organizer.pk]


def test_after_max_offers_organizers_are_alerted(
    operator, organizer, group, block, settings, django_capture_on_commit_callbacks
):
    settings.MATCHING = {**settings.MATCHING, "MAX_OFFERS": 2}
    volunteers = [factories.VolunteerFactory(user__group=group) for _ in range(3)]
    help_request = _create(operator, block, django_capture_on_commit_callbacks)
    for _round in range(2):
        offer = Offer.objects.get(help_request=help_request, status=OfferStatus.PENDING)
        with django_capture_on_commit_callbacks(execute=True):
            offer_decline(offer=offer, volunteer=offer.volunteer)

    assert Offer.objects.filter(help_request=help_request).count() == 2
    assert not Offer.objects.filter(status=OfferStatus.PENDING).exists()
    assert (
        NotificationLog.objects.filter(
            key__startswith=f"no_candidates_alert:{help_request.pk}:", recipient=organizer
        ).count()
        == 1
    )
    assert len(volunteers) == 3  # one volunteer was never asked


def test_accepting_an_offer_claims_the_request(
    operator, block, volunteer, django_capture_on_commit_callbacks
):
    help_request = _create(operator, block, django_capture_on_commit_callbacks)
    offer = Offer.objects.get(help_request=help_request)

    with django_capture_on_commit_callbacks(execute=True):
        claimed = offer_accept(offer=offer, volunteer=volunteer)

    assert claimed.status == Status.CLAIMED
    assert claimed.volunteer == volunteer
    offer.refresh_from_db()
    assert offer.status == OfferStatus.ACCEPTED
    assert offer.responded_at is not None


def test_only_the_offered_volunteer_may_answer(
    operator, block, volunteer, second_volunteer, django_capture_on_commit_callbacks
):
    help_request = _create(operator, block, django_capture_on_commit_callbacks)
    offer = Offer.objects.get(help_request=help_request)
    other = second_volunteer if offer.volunteer == volunteer else volunteer

    with pytest.raises(NotAllowed):
        offer_accept(offer=offer, volunteer=other)
    with pytest.raises(NotAllowed):
        offer_decline(offer=offer, volunteer=other)
    offer.refresh_from_db()
    assert offer.status == OfferStatus.PENDING


def test_claim_from_the_list_withdraws_the_pending_offer(
    operator, block, volunteer, second_volunteer, django_capture_on_commit_callbacks
):
    help_request = _create(operator, block, django_capture_on_commit_callbacks)
    offer = Offer.objects.get(help_request=help_request)
    other = second_volunteer if offer.volunteer == volunteer else volunteer

    with django_capture_on_commit_callbacks(execute=True):
        services.help_request_claim(help_request=help_request, volunteer=other)

    offer.refresh_from_db()
    assert offer.status == OfferStatus.WITHDRAWN
    with pytest.raises(AlreadyTaken):
        offer_accept(offer=offer, volunteer=offer.volunteer)


def test_declining_an_accepted_offer_is_refused(
    operator, block, volunteer, django_capture_on_commit_callbacks
):
    help_request = _create(operator, block, django_capture_on_commit_callbacks)
    offer = Offer.objects.get(help_request=help_request)
    with django_capture_on_commit_callbacks(execute=True):
        offer_accept(offer=offer, volunteer=volunteer)
    with pytest.raises(TransitionNotAllowed):
        offer_decline(offer=offer, volunteer=volunteer)


def test_cancel_withdraws_the_offer_and_reopen_offers_again(
    operator, block, volunteer, second_volunteer, django_capture_on_commit_callbacks
):
    help_request = _create(operator, block, django_capture_on_commit_callbacks)
    offer = Offer.objects.get(help_request=help_request)
    with django_capture_on_commit_callbacks(execute=True):
        services.help_request_cancel(help_request=help_request, actor=operator)
    offer.refresh_from_db()
    assert offer.status == OfferStatus.WITHDRAWN

    with django_capture_on_commit_callbacks(execute=True):
        services.help_request_reopen(help_request=help_request, actor=operator)
    live = Offer.objects.get(help_request=help_request, status=OfferStatus.PENDING)
    assert live.volunteer != offer.volunteer


def test_undeliverable_alerts_organizers_and_offers_again(
    operator, organizer, block, volunteer, second_volunteer, django_capture_on_commit_callbacks
):
    help_request = _create(operator, block, django_capture_on_commit_callbacks)
    offer = Offer.objects.get(help_request=help_request)
    with django_capture_on_commit_callbacks(execute=True):
        offer_accept(offer=offer, volunteer=offer.volunteer)
        services.help_request_report_undeliverable(
            help_request=help_request, volunteer=offer.volunteer, reason="Никто не открыл"
        )

    assert (
        NotificationLog.objects.filter(
            key__startswith="undeliverable_alert:", recipient=organizer
        ).count()
        == 1
    )
    live = Offer.objects.get(help_request=help_request, status=OfferStatus.PENDING)
    assert live.volunteer != offer.volunteer
    # The sweeper does not alert a second time.
    assert sweep_matching()["alerts"] == 0


def test_offer_make_next_on_a_taken_request_settles_and_offers_nothing(help_request, volunteer):
    services.help_request_claim(help_request=help_request, volunteer=volunteer)
    assert offer_make_next(help_request_id=help_request.pk).status == "not_open"
    assert not Offer.objects.exists()
