"""The residents' admin: the "due a call" filter is the check-in rule; additions go through
neighbor_create."""

from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from neighbors.selectors import isolated_neighbors_due
from neighbors.services import neighbor_create
from tests.factories import NeighborFactory

pytestmark = pytest.mark.django_db
CHANGELIST = "admin:neighbors_neighbor_changelist"


def test_due_a_call_filter_lists_exactly_the_check_in_list(login, organizer, block, settings):
    settings.MATCHING = {**settings.MATCHING, "CHECKIN_AFTER_DAYS": 3}
    now = timezone.now()
    due = NeighborFactory(block=block, is_isolated=True, consent_to_contact=True)
    NeighborFactory(
        block=block, is_isolated=True, consent_to_contact=True, last_contact_at=now
    )  # called today
    NeighborFactory(
        block=block,
        is_isolated=True,
        consent_to_contact=True,
        last_contact_at=now - timedelta(days=4),
    )  # past the configured 3 days, before the old hard-coded 7
    NeighborFactory(block=block, is_isolated=True, consent_to_contact=False)  # did not agree

    response = login(organizer).get(reverse(CHANGELIST), {"isolated": "stale"})

    listed = {neighbor.pk for neighbor in response.context["cl"].result_list}
    assert listed == set(isolated_neighbors_due().values_list("pk", flat=True))
    assert due.pk in listed
    assert len(listed) == 2


def test_resident_added_in_the_admin_goes_through_neighbor_create(
    login, organizer, block, monkeypatch
):
    from neighbors import admin as neighbors_admin
    from neighbors.models import Neighbor

    calls = []

    def spy(**kwargs):
        calls.append(kwargs)
        return neighbor_create(**kwargs)

    monkeypatch.setattr(neighbors_admin, "neighbor_create", spy)
    response = login(organizer).post(
        reverse("admin:neighbors_neighbor_add"),
        {
            "block": block.pk,
            "name": "Анна Петровна",
            "flat": "12",
            "phone": "+79215550123",
            "notes": "",
            "consent_to_contact": "on",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert [call["name"] for call in calls] == ["Анна Петровна"]
    neighbor = Neighbor.objects.get(name="Анна Петровна")
    assert neighbor.block == block and neighbor.consent_to_contact
    # The admin's own log says who added her.
    assert LogEntry.objects.get(object_id=str(neighbor.pk)).user == organizer
