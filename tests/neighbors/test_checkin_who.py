"""A check-in call records who made it, like every write of a resident."""

import pytest
from django.urls import reverse

from neighbors.services import neighbor_record_contact
from tests.factories import NeighborFactory

pytestmark = pytest.mark.django_db


def test_recording_a_call_records_who_called(client, volunteer, block):
    lonely = NeighborFactory(block=block, is_isolated=True, consent_to_contact=True)
    client.force_login(volunteer.user)

    client.post(reverse("neighbors:checkin_done", args=[lonely.pk]))

    lonely.refresh_from_db()
    assert lonely.last_contact_by == volunteer.user


def test_organizers_see_who_called_last_in_the_admin(client, organizer, volunteer, block):
    lonely = NeighborFactory(block=block, is_isolated=True, consent_to_contact=True)
    neighbor_record_contact(neighbor=lonely, actor=volunteer.user)
    client.force_login(organizer)

    response = client.get(reverse("admin:neighbors_neighbor_change", args=[lonely.pk]))

    assert volunteer.user.username in response.content.decode()
