"""The weekly check-in call list and its "I have spoken with them" button."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import BlockFactory, NeighborFactory

pytestmark = pytest.mark.django_db

URL = reverse("neighbors:checkins")


@pytest.fixture
def lonely(block):
    return NeighborFactory(block=block, name="Соколова Вера", is_isolated=True)


def test_volunteer_sees_isolated_neighbors_of_own_blocks_only(client, volunteer, block, lonely):
    recently_called = NeighborFactory(
        block=block, name="Орлов Пётр", is_isolated=True, last_contact_at=timezone.now()
    )
    not_isolated = NeighborFactory(block=block, name="Лебедев Иван")
    no_consent = NeighborFactory(
        block=block, name="Зайцева Нина", is_isolated=True, consent_to_contact=False
    )
    other_block = NeighborFactory(
        block=BlockFactory(group=block.group), name="Волкова Ольга", is_isolated=True
    )
    client.force_login(volunteer.user)

    body = client.get(URL).content.decode()

    assert lonely.name in body
    assert f"tel:{lonely.phone.as_e164}" in body
    for hidden in (recently_called, not_isolated, no_consent, other_block):
        assert hidden.name not in body


def test_empty_list_says_so(client, volunteer):
    client.force_login(volunteer.user)
    assert "Nobody to call this week" in client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_recording_a_call_removes_neighbor_from_list(client, volunteer, lonely):
    client.force_login(volunteer.user)
    response = client.post(reverse("neighbors:checkin_done", args=[lonely.pk]))
    assert response.status_code == 302
    lonely.refresh_from_db()
    assert timezone.now() - lonely.last_contact_at < timedelta(minutes=1)
    assert lonely.name not in client.get(URL).content.decode()


def test_volunteer_of_another_block_or_group_gets_404(client, group, lonely, outsider_volunteer):
    from tests.factories import VolunteerFactory

    stranger = VolunteerFactory(user__group=group)
    stranger.blocks.add(BlockFactory(group=group))
    for user in (stranger.user, outsider_volunteer.user):
        client.force_login(user)
        response = client.post(reverse("neighbors:checkin_done", args=[lonely.pk]))
        assert response.status_code == 404
    lonely.refresh_from_db()
    assert lonely.last_contact_at is None


def test_pending_volunteer_and_anonymous_see_no_names(client, pending_volunteer, lonely):
    assert client.get(URL).status_code == 302
    client.force_login(pending_volunteer.user)
    response = client.get(URL)
    assert response.status_code == 403
    assert lonely.name not in response.content.decode()


def test_list_query_count_does_not_grow(client, volunteer, block, django_assert_max_num_queries):
    NeighborFactory.create_batch(3, block=block, is_isolated=True)
    client.force_login(volunteer.user)
    with django_assert_max_num_queries(12) as few:
        client.get(URL)
    NeighborFactory.create_batch(20, block=block, is_isolated=True)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(URL)
