"""The volunteer admin saves blocks through volunteer_assign_blocks and availability through
volunteer_update_availability."""

import pytest
from django.urls import reverse

from tests.factories import BlockFactory, VolunteerFactory

pytestmark = pytest.mark.django_db


def _form_data(response):
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is not None and value is not False:
            data[name] = value
    return data


def test_blocks_chosen_in_the_admin_set_the_base_location(login, organizer, group, block):
    volunteer = VolunteerFactory(user__group=group, base_latitude=None, base_longitude=None)
    far = BlockFactory(group=group, latitude=60.1, longitude=30.5)
    url = reverse("admin:volunteers_volunteer_change", args=[volunteer.pk])
    client = login(organizer)
    data = _form_data(client.get(url))
    data["blocks"] = [far.pk]

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    volunteer.refresh_from_db()
    assert list(volunteer.blocks.all()) == [far]
    assert (volunteer.base_latitude, volunteer.base_longitude) == (60.1, 30.5)


def test_another_groups_block_is_refused_next_to_the_form(login, coordinator, group, other_block):
    volunteer = VolunteerFactory(user__group=group)
    url = reverse("admin:volunteers_volunteer_change", args=[volunteer.pk])
    client = login(coordinator)
    data = _form_data(client.get(url))
    data["blocks"] = [other_block.pk]

    response = client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert not volunteer.blocks.filter(pk=other_block.pk).exists()
