"""Admin actions leave a record of who did them in the admin's log, as form saves do."""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def _log_of(obj):
    return list(
        LogEntry.objects.filter(object_id=str(obj.pk), action_flag=CHANGE).values_list(
            "user_id", "change_message"
        )
    )


@pytest.mark.parametrize(
    ("action", "answer"),
    [("verify", {"method": "in_person"}), ("pause", {"reason": "x"}), ("remove", {"reason": "x"})],
)
def test_volunteer_status_actions_are_logged_with_who(login, organizer, volunteer, action, answer):
    login(organizer).post(
        reverse("admin:volunteers_volunteer_changelist"),
        {"action": action, "_selected_action": [volunteer.pk], "apply": "1", **answer},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    [(user_id, message)] = _log_of(volunteer)
    assert user_id == organizer.pk
    assert "selected volunteers" in message


def test_assigning_blocks_is_logged_on_the_volunteer(login, organizer, group, block):
    volunteer = factories.VolunteerFactory(user__group=group)

    login(organizer).post(
        reverse("admin:neighbors_block_changelist"),
        {
            "action": "assign_to_volunteer",
            "_selected_action": [block.pk],
            "volunteer": volunteer.pk,
            "apply": "1",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )

    [(user_id, message)] = _log_of(volunteer)
    assert user_id == organizer.pk
    assert block.code in message
