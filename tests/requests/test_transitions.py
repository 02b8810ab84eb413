"""Every allowed and every forbidden move of the transition table, through the services."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from requests import services
from requests.exceptions import (
    AlreadyTaken,
    NotAllowed,
    SafetyProtocolNotAccepted,
    TransitionNotAllowed,
    VolunteerCannotClaim,
)
from requests.models import HelpRequest, RequestEvent, Status
from requests.transitions import TRANSITIONS, Action
from tests.factories import HelpRequestFactory, NeighborFactory

pytestmark = pytest.mark.django_db


def _put_in_status(help_request, status, volunteer, organizer):
    """Drive a fresh request to `status` through the services only."""
    if status == Status.OPEN:
        return help_request
    if status == Status.CANCELLED:
        return services.help_request_cancel(help_request=help_request, actor=organizer)
    services.help_request_claim(help_request=help_request, volunteer=volunteer)
    if status in (Status.BOUGHT, Status.DELIVERED):
        services.help_request_mark_bought(help_request=help_request, volunteer=volunteer)
    if status == Status.DELIVERED:
        services.help_request_deliver(help_request=help_request, volunteer=volunteer)
    return help_request


def _do(action, help_request, volunteer, organizer):
    actions = {
        Action.CLAIM: lambda: services.help_request_claim(
            help_request=help_request, volunteer=volunteer
        ),
        Action.RELEASE: lambda: services.help_request_release(
            help_request=help_request, volunteer=volunteer, reason="заболела"
        ),
        Action.MARK_BOUGHT: lambda: services.help_request_mark_bought(
            help_request=help_request, volunteer=volunteer
        ),
        Action.DELIVER: lambda: services.help_request_deliver(
            help_request=help_request, volunteer=volunteer
        ),
        Action.UNDELIVERABLE: lambda: services.help_request_report_undeliverable(
            help_request=help_request, volunteer=volunteer, reason="никто не открыл"
        ),
        Action.CANCEL: lambda: services.help_request_cancel(
            help_request=help_request, actor=organizer
        ),
        Action.REOPEN: lambda: services.help_request_reopen(
            help_request=help_request, actor=organizer
        ),
    }
    return actions[action]()


CASES = [
    (status, action)
    for status in Status.values
    for action in TRANSITIONS
    # Claiming a request someone holds is covered by the AlreadyTaken tests below.
    if not (action == Action.CLAIM and status in (Status.CLAIMED, Status.BOUGHT))
]


@pytest.mark.parametrize(("status", "action"), CASES)
def test_transition_table_is_enforced(status, action, neighbor, volunteer, organizer):
    help_request = _put_in_status(
        HelpRequestFactory(neighbor=neighbor), status, volunteer, organizer
    )
    events_before = RequestEvent.objects.filter(help_request=help_request).count()
    rule = TRANSITIONS[action]

    if status in rule.sources:
        _do(action, help_request, volunteer, organizer)
        help_request.refresh_from_db()
        assert help_request.status == rule.target
        # Giving a task back also records a new code word: the transition's event is the
        # latest one that is not that.
        event = (
            RequestEvent.objects.filter(help_request=help_request)
            .exclude(action="new_code_word")
            .latest("id")
        )
        assert (event.action, event.from_status, event.to_status) == (action, status, rule.target)
        assert event.actor is not None
    else:
        with pytest.raises((TransitionNotAllowed, NotAllowed)):
            _do(action, help_request, volunteer, organizer)
        help_request.refresh_from_db()
        assert help_request.status == status
        assert RequestEvent.objects.filter(help_request=help_request).count() == events_before


def test_second_claim_raises_already_taken(help_request, volunteer, second_volunteer):
    services.help_request_claim(help_request=help_request, volunteer=volunteer)
    with pytest.raises(AlreadyTaken):
        services.help_request_claim(help_request=help_request, volunteer=second_volunteer)
    help_request.refresh_from_db()
    assert help_request.volunteer == volunteer


def test_claim_with_stale_object_still_loses(help_request, volunteer, second_volunteer):
    stale = HelpRequest.objects.get(pk=help_request.pk)
    services.help_request_claim(help_request=help_request, volunteer=volunteer)
    with pytest.raises(AlreadyTaken):
        services.help_request_claim(help_request=stale, volunteer=second_volunteer)


def test_release_by_someone_else_is_refused(help_request, volunteer, second_volunteer):
    services.help_request_claim(help_request=help_request, volunteer=volunteer)
    with pytest.raises(NotAllowed):
        services.help_request_release(
            help_request=help_request, volunteer=second_volunteer, reason="x"
        )
    help_request.refresh_from_db()
    assert help_request.status == Status.CLAIMED


def test_release_returns_task_to_open_and_keeps_reason(help_request, volunteer):
    services.help_request_claim(help_request=help_request, volunteer=volunteer)
    services.help_request_release(help_request=help_request, volunteer=volunteer, reason="уезжаю")
    assert help_request.status == Status.OPEN
    assert help_request.volunteer is None
    assert help_request.events.get(action="release").note == "уезжаю"


def test_release_without_reason_is_a_field_error(help_request, volunteer):
    services.help_request_claim(help_request=help_request, volunteer=volunteer)
    with pytest.raises(ValidationError) as excinfo:
        services.help_request_release(help_request=help_request, volunteer=volunteer, reason=" ")
    assert "reason" in excinfo.value.message_dict


def test_pending_volunteer_cannot_claim(help_request, pending_volunteer):
    with pytest.raises(NotAllowed):
        services.help_request_claim(help_request=help_request, volunteer=pending_volunteer)


def test_volunteer_of_other_group_cannot_claim(help_request, outsider_volunteer):
    with pytest.raises(NotAllowed):
        services.help_request_claim(help_request=help_request, volunteer=outsider_volunteer)
    help_request.refresh_from_db()
    assert help_request.status == Status.OPEN


def test_claim_needs_accepted_safety_protocol(help_request, volunteer):
    volunteer.safety_protocol_accepted_at = None
    volunteer.save()
    with pytest.raises(SafetyProtocolNotAccepted):
        services.help_request_claim(help_request=help_request, volunteer=volunteer)


def test_claim_limit_is_max_open_tasks(block, volunteer):
    volunteer.max_open_tasks = 1
    volunteer.save()
    first, second = HelpRequestFactory.create_batch(2, neighbor=NeighborFactory(block=block))
    services.help_request_claim(help_request=first, volunteer=volunteer)
    with pytest.raises(VolunteerCannotClaim):
        services.help_request_claim(help_request=second, volunteer=volunteer)


def test_deliver_records_money_and_who_paid(help_request, volunteer):
    services.help_request_claim(help_request=help_request, volunteer=volunteer)
    services.help_request_deliver(
        help_request=help_request, volunteer=volunteer, spent=Decimal("412.50"), paid_by="volunteer"
    )
    assert help_request.status == Status.DELIVERED
    assert help_request.spent == Decimal("412.50")
    assert help_request.delivered_at is not None


@pytest.mark.parametrize(
    ("spent", "paid_by", "field"),
    [
        (Decimal("-1"), "", "spent"),
        (Decimal("1"), "bank", "paid_by"),
    ],
)
def test_deliver_with_bad_money_saves_nothing(help_request, volunteer, spent, paid_by, field):
    services.help_request_claim(help_request=help_request, volunteer=volunteer)
    with pytest.raises(ValidationError) as excinfo:
        services.help_request_deliver(
            help_request=help_request, volunteer=volunteer, spent=spent, paid_by=paid_by
        )
    assert field in excinfo.value.message_dict
    help_request.refresh_from_db()
    assert help_request.status == Status.CLAIMED


@pytest.mark.parametrize(
    ("payment", "paid_by"),
    [("cash_on_delivery", "resident_cash"), ("prepaid", "group_fund"), ("free", "volunteer")],
)
def test_deliver_without_payer_follows_the_payment_arrangement(
    neighbor, volunteer, payment, paid_by
):
    help_request = HelpRequestFactory(neighbor=neighbor, payment=payment)
    services.help_request_claim(help_request=help_request, volunteer=volunteer)
    services.help_request_deliver(help_request=help_request, volunteer=volunteer, spent=Decimal(5))
    assert help_request.paid_by == paid_by


def test_volunteer_cannot_cancel(help_request, volunteer):
    with pytest.raises(NotAllowed):
        services.help_request_cancel(help_request=help_request, actor=volunteer.user)


def test_organizer_of_other_group_cannot_cancel(help_request, other_organizer):
    with pytest.raises(NotAllowed):
        services.help_request_cancel(help_request=help_request, actor=other_organizer)


def test_reimbursement_only_for_volunteer_paid_delivery(help_request, volunteer, organizer):
    services.help_request_claim(help_request=help_request, volunteer=volunteer)
    services.help_request_deliver(
        help_request=help_request, volunteer=volunteer, spent=Decimal("100"), paid_by="group_fund"
    )
    with pytest.raises(TransitionNotAllowed):
        services.help_request_mark_reimbursed(help_request=help_request, actor=organizer)


def test_reimbursement_is_recorded_once(help_request, volunteer, organizer):
    services.help_request_claim(help_request=help_request, volunteer=volunteer)
    services.help_request_deliver(
        help_request=help_request, volunteer=volunteer, spent=Decimal("100"), paid_by="volunteer"
    )
    services.help_request_mark_reimbursed(help_request=help_request, actor=organizer)
    assert help_request.reimbursed_by == organizer
    with pytest.raises(TransitionNotAllowed):
        services.help_request_mark_reimbursed(help_request=help_request, actor=organizer)
