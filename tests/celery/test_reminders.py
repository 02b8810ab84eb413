"""Beat reminders: overdue claims, unclaimed requests past the SLA, weekly check-in lists."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from notifications.models import NotificationLog
from requests import services
from requests.tasks import send_checkin_lists, send_reminders
from tests import factories

pytestmark = pytest.mark.django_db


def _keys(prefix):
    return sorted(
        NotificationLog.objects.filter(key__startswith=prefix).values_list("key", "recipient_id")
    )


def _later(**kwargs):
    return time_machine.travel(timezone.now() + timedelta(**kwargs), tick=False)


def test_overdue_claim_reminds_the_volunteer_then_alerts_organizers_once(
    help_request, volunteer, organizer, operator
):
    help_request.due_at = timezone.now() + timedelta(hours=1)
    help_request.save()
    services.help_request_claim(help_request=help_request, volunteer=volunteer)

    send_reminders()
    assert _keys("claim_overdue") == []

    with _later(hours=1, minutes=1):
        send_reminders()
        send_reminders()
    assert _keys("claim_overdue:") == [
        (f"claim_overdue:{help_request.pk}:{volunteer.pk}", volunteer.user_id)
    ]
    assert _keys("claim_overdue_alert:") == []

    with _later(hours=3, minutes=1):
        send_reminders()
        send_reminders()
    # Organizers only: operators are not alerted, the volunteer is not reminded again.
    assert _keys("claim_overdue_alert:") == [
        (f"claim_overdue_alert:{help_request.pk}:{volunteer.pk}:{organizer.pk}", organizer.pk)
    ]
    assert len(_keys("claim_overdue:")) == 1


def test_claim_without_due_date_is_due_a_day_after_claiming(help_request, volunteer):
    services.help_request_claim(help_request=help_request, volunteer=volunteer)
    with _later(hours=23):
        send_reminders()
    assert _keys("claim_overdue:") == []
    with _later(hours=24, minutes=1):
        send_reminders()
    assert len(_keys("claim_overdue:")) == 1


def test_delivered_request_gets_no_reminder(help_request, volunteer):
    services.help_request_claim(help_request=help_request, volunteer=volunteer)
    services.help_request_deliver(help_request=help_request, volunteer=volunteer)
    with _later(days=3):
        send_reminders()
    assert _keys("claim_overdue") == []


def test_unclaimed_request_past_the_sla_alerts_organizers_once(help_request, organizer, group):
    with _later(minutes=119):
        send_reminders()
    assert _keys("unclaimed_alert:") == []
    with _later(minutes=121):
        send_reminders()
        send_reminders()
    assert [recipient for _key, recipient in _keys("unclaimed_alert:")] == [organizer.pk]


def test_urgent_request_has_the_shorter_sla(help_request, organizer):
    help_request.urgency = "urgent"
    help_request.save()
    with _later(minutes=31):
        send_reminders()
    assert len(_keys("unclaimed_alert:")) == 1


def test_released_request_is_alerted_again_for_its_new_open_period(
    operator, block, volunteer, organizer, django_capture_on_commit_callbacks
):
    help_request, _ = services.help_request_create(
        created_by=operator,
        block=block,
        kind="groceries",
        details="Хлеб",
        source="phone",
        neighbor_data={"name": "Анна"},
    )
    with _later(hours=3):
        send_reminders()
        services.help_request_claim(help_request=help_request, volunteer=volunteer)
        services.help_request_release(
            help_request=help_request, volunteer=volunteer, reason="Заболел"
        )
    with _later(hours=6):
        send_reminders()
    assert len(_keys("unclaimed_alert:")) == 2


def test_weekly_checkin_list_goes_to_volunteers_of_blocks_with_isolated_neighbours(
    block, volunteer, second_volunteer, group
):
    factories.NeighborFactory(block=block, is_isolated=True, last_contact_at=None)
    quiet_block = factories.BlockFactory(group=group)
    factories.NeighborFactory(
        block=quiet_block, is_isolated=True, last_contact_at=timezone.now() - timedelta(days=2)
    )
    elsewhere = factories.VolunteerFactory(user__group=group)
    elsewhere.blocks.add(quiet_block)

    assert send_checkin_lists() == 2
    assert send_checkin_lists() == 0
    assert sorted(recipient for _key, recipient in _keys("checkin_list:")) == sorted(
        [volunteer.user_id, second_volunteer.user_id]
    )
    with _later(days=7):
        assert send_checkin_lists() == 3  # next week: the quiet block's neighbour is due too


def test_no_checkin_message_for_neighbours_who_did_not_agree_to_be_contacted(block, volunteer):
    factories.NeighborFactory(block=block, is_isolated=True, consent_to_contact=False)

    assert send_checkin_lists() == 0
    assert _keys("checkin_list:") == []
