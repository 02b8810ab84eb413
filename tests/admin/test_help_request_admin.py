"""Help requests in the admin: created by the service, status only through actions."""

import re
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone, translation

from requests.models import HelpRequest, Offer, PaidBy, RequestEvent, Status
from requests.services import help_request_claim, help_request_deliver
from tests import factories

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:requests_helprequest_changelist"


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def _add_data(neighbor, **extra):
    return {
        "neighbor": neighbor.pk,
        "block": "",
        "kind": "medicine",
        "urgency": "urgent",
        "details": "  Валидол, 2 упаковки ",
        "payment": "cash_on_delivery",
        "source": "phone",
        "form_serial": "",
        **extra,
    }


def test_operator_adds_request_through_the_service(login, operator, neighbor):
    response = login(operator).post(reverse("admin:requests_helprequest_add"), _add_data(neighbor))

    assert response.status_code == 302
    help_request = HelpRequest.objects.get()
    assert help_request.block == neighbor.block  # empty block: the neighbor's
    assert help_request.created_by == operator
    assert help_request.status == Status.OPEN
    assert help_request.details == "Валидол, 2 упаковки"
    assert help_request.code_word
    event = RequestEvent.objects.get(help_request=help_request)
    assert (event.action, event.actor, event.to_status) == ("create", operator, "open")
    assert response.url == reverse(CHANGELIST)


def test_add_rejects_a_neighbor_of_another_group_for_coordinator(
    login, coordinator, block, other_neighbor
):
    response = login(coordinator).post(
        reverse("admin:requests_helprequest_add"), _add_data(other_neighbor, block=block.pk)
    )

    assert response.status_code == 200
    assert "neighbor" in response.context["adminform"].form.errors
    assert not HelpRequest.objects.exists()


def test_change_form_edits_details_but_never_status(login, organizer, help_request):
    url = reverse("admin:requests_helprequest_change", args=[help_request.pk])
    client = login(organizer)
    form = client.get(url).context["adminform"].form
    assert set(form.fields) == {"details", "due_at", "urgency", "budget", "payment"}

    response = client.post(
        url,
        {
            "details": "Хлеб и кефир",
            "urgency": "urgent",
            "payment": "prepaid",
            "budget": "500",
            "status": "delivered",
            "volunteer": "",
            "code_word": "хакер",
            "events-TOTAL_FORMS": 0,
            "events-INITIAL_FORMS": 0,
            "offers-TOTAL_FORMS": 0,
            "offers-INITIAL_FORMS": 0,
        },
    )

    assert response.status_code == 302
    help_request.refresh_from_db()
    assert help_request.details == "Хлеб и кефир"
    assert help_request.urgency == "urgent"
    assert str(help_request.budget) == "500.00"
    assert help_request.status == Status.OPEN
    assert help_request.code_word != "хакер"


def test_saving_the_form_keeps_a_claim_made_meanwhile(login, organizer, help_request, volunteer):
    url = reverse("admin:requests_helprequest_change", args=[help_request.pk])
    client = login(organizer)
    client.get(url)
    help_request_claim(help_request=help_request, volunteer=volunteer)

    client.post(
        url,
        {
            "details": "Исправлено",
            "urgency": "normal",
            "payment": "cash_on_delivery",
            "budget": "",
            "events-TOTAL_FORMS": 0,
            "events-INITIAL_FORMS": 0,
            "offers-TOTAL_FORMS": 0,
            "offers-INITIAL_FORMS": 0,
        },
    )

    help_request.refresh_from_db()
    assert help_request.details == "Исправлено"
    assert help_request.status == Status.CLAIMED
    assert help_request.volunteer == volunteer


def test_change_page_shows_history_and_offer_reasons(login, organizer, help_request, volunteer):
    RequestEvent.objects.create(
        help_request=help_request, actor=organizer, action="create", to_status="open"
    )
    Offer.objects.create(
        help_request=help_request,
        volunteer=volunteer,
        rank=1,
        reason="ближе всех, 350 м",
        short_code="A1B2",
        expires_at=timezone.now() + timedelta(minutes=15),
    )

    with translation.override("en"):
        response = login(organizer).get(
            reverse("admin:requests_helprequest_change", args=[help_request.pk]),
            HTTP_ACCEPT_LANGUAGE="en",
        )

    page = response.content.decode()
    assert "ближе всех, 350 м" in page
    assert "volunteer1" in page
    assert re.search(r'class="field-action_label">\s*<p>Created</p>', page)
    assert 'name="offers-0-reason"' not in page  # read-only rows


def test_cancel_action_cancels_own_and_ignores_other_groups(
    login, operator, help_request, other_help_request
):
    response = login(operator).post(
        reverse(CHANGELIST),
        {"action": "cancel", "_selected_action": [help_request.pk, other_help_request.pk]},
        follow=True,
    )

    help_request.refresh_from_db()
    other_help_request.refresh_from_db()
    assert help_request.status == Status.CANCELLED
    assert other_help_request.status == Status.OPEN
    assert any("1" in m for m in _messages(response))
    assert RequestEvent.objects.filter(help_request=help_request, action="cancel").exists()


def test_cancel_action_reports_a_delivered_request_instead_of_failing(
    login, organizer, neighbor, volunteer
):
    delivered = factories.HelpRequestFactory(neighbor=neighbor)
    help_request_claim(help_request=delivered, volunteer=volunteer)
    help_request_deliver(help_request=delivered, volunteer=volunteer)

    response = login(organizer).post(
        reverse(CHANGELIST), {"action": "cancel", "_selected_action": [delivered.pk]}, follow=True
    )

    assert response.status_code == 200
    delivered.refresh_from_db()
    assert delivered.status == Status.DELIVERED
    assert any(str(delivered) in m for m in _messages(response))


def _delivered_paid_by_volunteer(neighbor, volunteer):
    help_request = factories.HelpRequestFactory(neighbor=neighbor)
    help_request_claim(help_request=help_request, volunteer=volunteer)
    help_request_deliver(
        help_request=help_request, volunteer=volunteer, spent=350, paid_by=PaidBy.VOLUNTEER
    )
    return help_request


def test_reimbursement_filter_and_mark_reimbursed(login, organizer, neighbor, volunteer):
    owed = _delivered_paid_by_volunteer(neighbor, volunteer)
    factories.HelpRequestFactory(neighbor=neighbor)  # open: nothing owed
    client = login(organizer)

    listed = client.get(reverse(CHANGELIST), {"reimbursement": "outstanding"})
    assert [r.pk for r in listed.context["cl"].result_list] == [owed.pk]

    client.post(reverse(CHANGELIST), {"action": "mark_reimbursed", "_selected_action": [owed.pk]})

    owed.refresh_from_db()
    assert owed.reimbursed_at is not None
    assert owed.reimbursed_by == organizer
    listed = client.get(reverse(CHANGELIST), {"reimbursement": "outstanding"})
    assert list(listed.context["cl"].result_list) == []


def test_mark_reimbursed_reports_requests_with_nothing_owed(login, organizer, help_request):
    response = login(organizer).post(
        reverse(CHANGELIST),
        {"action": "mark_reimbursed", "_selected_action": [help_request.pk]},
        follow=True,
    )

    assert response.status_code == 200
    help_request.refresh_from_db()
    assert help_request.reimbursed_at is None
    assert any(str(help_request) in m for m in _messages(response))


def test_operator_is_not_offered_mark_reimbursed(login, operator, help_request):
    response = login(operator).get(reverse(CHANGELIST))

    actions = {name for name, _label in response.context["action_form"].fields["action"].choices}
    assert "cancel" in actions
    assert "mark_reimbursed" not in actions
    assert "delete_selected" not in actions


def test_overdue_filter(login, organizer, group, neighbor, volunteer):
    group.sla_minutes = 60
    group.urgent_sla_minutes = 15
    group.save()
    now = timezone.now()

    def request_created(minutes_ago, **kwargs):
        help_request = factories.HelpRequestFactory(neighbor=neighbor, **kwargs)
        HelpRequest.objects.filter(pk=help_request.pk).update(
            created_at=now - timedelta(minutes=minutes_ago)
        )
        return help_request

    late_normal = request_created(90)
    fresh_normal = request_created(30)
    late_urgent = request_created(20, urgency="urgent")
    past_due = request_created(1, due_at=now - timedelta(minutes=5))
    claimed_past_sla = request_created(90)
    help_request_claim(help_request=claimed_past_sla, volunteer=volunteer)
    cancelled_past_due = request_created(90, due_at=now - timedelta(minutes=5))
    HelpRequest.objects.filter(pk=cancelled_past_due.pk).update(
        status=Status.CANCELLED, cancelled_at=now
    )

    response = login(organizer).get(reverse(CHANGELIST), {"overdue": "yes"})

    assert {r.pk for r in response.context["cl"].result_list} == {
        late_normal.pk,
        late_urgent.pk,
        past_due.pk,
    }
    assert fresh_normal.pk not in {r.pk for r in response.context["cl"].result_list}


@pytest.mark.parametrize("term", ["short", "full", "not-a-uuid"])
def test_search_by_request_number(login, organizer, help_request, other_help_request, term):
    query = {"short": help_request.short_id, "full": str(help_request.pk)}.get(term, term)

    response = login(organizer).get(reverse(CHANGELIST), {"q": query})

    assert response.status_code == 200
    expected = [] if term == "not-a-uuid" else [help_request.pk]
    assert [r.pk for r in response.context["cl"].result_list] == expected
