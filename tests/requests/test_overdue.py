"""The one overdue rule (requests.selectors): the admin, the reminders and the per-row check
agree, count an open request's wait from when it last became open, and give a claimed request
without a due date the default time after the claim."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from notifications.models import NotificationLog
from requests import services
from requests.models import HelpRequest, Status
from requests.selectors import is_overdue, overdue_requests, with_opened_at
from requests.tasks import send_reminders
from tests import factories

pytestmark = pytest.mark.django_db
CHANGELIST = "admin:requests_helprequest_changelist"


def _later(**kwargs):
    return time_machine.travel(timezone.now() + timedelta(**kwargs), tick=False)


def _created(neighbor, minutes_ago, **kwargs):
    help_request = factories.HelpRequestFactory(neighbor=neighbor, **kwargs)
    HelpRequest.objects.filter(pk=help_request.pk).update(
        created_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return help_request


def _overdue_in_admin(client, organizer):
    client.force_login(organizer)
    response = client.get(reverse(CHANGELIST), {"overdue": "yes"})
    return {row.pk for row in response.context["cl"].result_list}


def _alerted_request_ids():
    return {
        key.split(":")[1]
        for key in NotificationLog.objects.filter(
            key__regex=r"^(unclaimed_alert|claim_overdue):"
        ).values_list("key", flat=True)
    }


def test_released_request_waits_again_from_its_release(client, organizer, volunteer, neighbor):
    """Created 3 h ago, released just now: it has waited minutes, not hours."""
    help_request = _created(neighbor, 180)
    services.help_request_claim(help_request=help_request, volunteer=volunteer)
    services.help_request_release(help_request=help_request, volunteer=volunteer, reason="Болею")

    assert not is_overdue(help_request)
    assert help_request.pk not in _overdue_in_admin(client, organizer)
    with _later(minutes=121):
        assert is_overdue(help_request)
        assert help_request.pk in set(overdue_requests().values_list("pk", flat=True))


def test_claim_without_due_date_is_overdue_after_the_default_time(
    client, organizer, volunteer, help_request
):
    services.help_request_claim(help_request=help_request, volunteer=volunteer)

    with _later(hours=23):
        assert not is_overdue(help_request)
        assert help_request.pk not in _overdue_in_admin(client, organizer)
    with _later(hours=24, minutes=1):
        assert is_overdue(help_request)
        assert help_request.pk in _overdue_in_admin(client, organizer)


def test_open_request_past_its_due_date_alerts_the_organizers(organizer, neighbor):
    help_request = _created(neighbor, 5, due_at=timezone.now() - timedelta(minutes=1))

    assert is_overdue(help_request)
    send_reminders()
    assert _alerted_request_ids() == {str(help_request.pk)}


def test_admin_reminders_and_row_check_pick_the_same_requests(
    client, organizer, group, volunteer, second_volunteer, neighbor
):
    group.sla_minutes, group.urgent_sla_minutes = 60, 15
    group.save()
    now = timezone.now()
    late_normal = _created(neighbor, 90)
    _created(neighbor, 30)  # fresh
    late_urgent = _created(neighbor, 20, urgency="urgent")
    past_due = _created(neighbor, 1, due_at=now - timedelta(minutes=5))
    claimed_long_ago = _created(neighbor, 90)
    services.help_request_claim(help_request=claimed_long_ago, volunteer=volunteer)
    HelpRequest.objects.filter(pk=claimed_long_ago.pk).update(claimed_at=now - timedelta(hours=30))
    claimed_late = _created(neighbor, 10, due_at=now + timedelta(hours=1))
    services.help_request_claim(help_request=claimed_late, volunteer=second_volunteer)
    HelpRequest.objects.filter(pk=claimed_late.pk).update(due_at=now - timedelta(minutes=1))
    claimed_in_time = _created(neighbor, 90)
    services.help_request_claim(help_request=claimed_in_time, volunteer=second_volunteer)
    cancelled = _created(neighbor, 90, due_at=now - timedelta(minutes=5))
    HelpRequest.objects.filter(pk=cancelled.pk).update(status=Status.CANCELLED, cancelled_at=now)
    expected = {late_normal.pk, late_urgent.pk, past_due.pk, claimed_long_ago.pk, claimed_late.pk}

    rows = with_opened_at(HelpRequest.objects.select_related("block__group"))
    assert {row.pk for row in rows if is_overdue(row)} == expected
    assert set(overdue_requests().values_list("pk", flat=True)) == expected
    assert _overdue_in_admin(client, organizer) == expected
    send_reminders()
    assert _alerted_request_ids() == {str(pk) for pk in expected}
