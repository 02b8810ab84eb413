"""Corrections and reimbursements go through services that record who did what."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from requests.exceptions import NotAllowed
from requests.models import PaidBy, RequestEvent, Status
from requests.services import (
    help_request_claim,
    help_request_deliver,
    help_request_mark_reimbursed,
    help_request_update,
)

pytestmark = pytest.mark.django_db


def test_correction_in_the_admin_records_who_changed_what(client, organizer, help_request):
    url = reverse("admin:requests_helprequest_change", args=[help_request.pk])
    client.force_login(organizer)
    with translation.override("en"):
        client.post(
            url,
            {
                "details": "Хлеб и кефир",
                "urgency": "urgent",
                "payment": help_request.payment,
                "budget": "",
                "events-TOTAL_FORMS": 0,
                "events-INITIAL_FORMS": 0,
                "offers-TOTAL_FORMS": 0,
                "offers-INITIAL_FORMS": 0,
            },
            HTTP_ACCEPT_LANGUAGE="en",
        )

    event = RequestEvent.objects.get(help_request=help_request, action="update")
    assert event.actor == organizer
    assert event.from_status == event.to_status == Status.OPEN
    assert event.note == "what is needed; urgency: Normal → Urgent"


def test_nothing_changed_writes_no_event(organizer, help_request):
    help_request_update(
        help_request=help_request, actor=organizer, changes={"details": help_request.details}
    )
    assert not RequestEvent.objects.filter(action="update").exists()


@pytest.mark.parametrize(
    "changes", [{"status": "delivered"}, {"code_word": "x"}, {"volunteer": None}]
)
def test_only_correctable_fields(organizer, help_request, changes):
    with pytest.raises(ValidationError):
        help_request_update(help_request=help_request, actor=organizer, changes=changes)


def test_bad_value_is_refused_and_nothing_saved(organizer, help_request):
    with pytest.raises(ValidationError) as raised:
        help_request_update(
            help_request=help_request, actor=organizer, changes={"budget": Decimal("-5")}
        )
    assert "budget" in raised.value.message_dict
    help_request.refresh_from_db()
    assert help_request.budget is None
    assert not RequestEvent.objects.filter(action="update").exists()


@pytest.mark.parametrize("who", ["volunteer", "other_organizer"])
def test_volunteers_and_other_groups_cannot_correct(request, help_request, who):
    actor = request.getfixturevalue(who)
    actor = getattr(actor, "user", actor)
    with pytest.raises(NotAllowed):
        help_request_update(help_request=help_request, actor=actor, changes={"details": "x"})


def test_reimbursement_leaves_an_event(organizer, help_request, volunteer):
    help_request_claim(help_request=help_request, volunteer=volunteer)
    help_request_deliver(
        help_request=help_request, volunteer=volunteer, spent=100, paid_by=PaidBy.VOLUNTEER
    )

    help_request_mark_reimbursed(help_request=help_request, actor=organizer)

    event = RequestEvent.objects.get(help_request=help_request, action="reimburse")
    assert event.actor == organizer
    assert (event.from_status, event.to_status) == (Status.DELIVERED, Status.DELIVERED)
