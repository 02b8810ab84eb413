"""The network coordinator is a role: their network's groups, no superuser flag, no residents."""

import pytest
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import reverse

from covidarnost import permissions
from neighbors.models import Block, Group, Network
from tests import factories
from users.models import Role, User
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def sister_group(network):
    """A second group of the same network."""
    return factories.GroupFactory(name="Сестринская группа", slug="sister", network=network)


def test_coordinator_is_a_role_not_a_superuser(network_coordinator):
    assert permissions.is_coordinator(network_coordinator)
    assert not network_coordinator.is_superuser
    assert permissions.coordinator_network_id(network_coordinator) == network_coordinator.network_id


def test_superuser_is_still_a_coordinator_of_everything(coordinator, group, other_group):
    assert permissions.is_coordinator(coordinator)
    assert set(permissions.scope(Group.objects.all(), coordinator)) == {group, other_group}


def test_coordinator_sees_the_groups_of_their_network_only(
    network_coordinator, group, sister_group, other_group, block, other_block, volunteer
):
    user = network_coordinator

    assert set(permissions.scope(Group.objects.all(), user)) == {group, sister_group}
    assert set(permissions.scope(Block.objects.all(), user)) == {block}
    assert set(permissions.scope(Volunteer.objects.all(), user)) == {volunteer}
    assert set(permissions.scope(Network.objects.all(), user)) == {group.network}
    assert not permissions.can_see(user, other_block)


def test_coordinator_gets_no_resident_personal_data(network_coordinator, help_request):
    user = network_coordinator

    assert not permissions.is_staff_of_group(user)
    assert not permissions.can_see_personal_details(user, help_request)
    with pytest.raises(Http404):
        permissions.get_request_for_staff(user, help_request.pk)


@pytest.mark.parametrize(
    "role", [Role.ORGANIZER, Role.OPERATOR, Role.VOLUNTEER, ""], ids=lambda r: r or "none"
)
def test_other_roles_are_not_coordinators(role, group):
    user = factories.UserFactory(role=role, group=group if role else None)
    assert not permissions.is_coordinator(user)
    assert permissions.coordinator_network_id(user) is None


def test_coordinator_needs_a_network_and_no_group(network, group):
    with transaction.atomic(), pytest.raises(IntegrityError):
        factories.UserFactory(role=Role.COORDINATOR, group=None, network=None)
    with transaction.atomic(), pytest.raises(IntegrityError):
        factories.UserFactory(role=Role.COORDINATOR, group=group, network=network)
    with transaction.atomic(), pytest.raises(IntegrityError):
        factories.UserFactory(role=Role.ORGANIZER, group=group, network=network)


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:neighbors_group_changelist",
        "admin:neighbors_network_changelist",
        "admin:neighbors_block_changelist",
        "admin:volunteers_volunteer_changelist",
        "admin:users_user_changelist",
    ],
)
def test_coordinator_opens_the_network_admin_pages(login, network_coordinator, url_name):
    assert login(network_coordinator).get(reverse(url_name)).status_code == 200


@pytest.mark.parametrize(
    "url_name",
    ["admin:neighbors_neighbor_changelist", "admin:requests_helprequest_changelist"],
)
def test_coordinator_has_no_resident_pages_in_the_admin(login, network_coordinator, url_name):
    assert login(network_coordinator).get(reverse(url_name)).status_code == 403


def test_coordinator_lists_only_their_networks_groups(
    login, network_coordinator, group, sister_group, other_group
):
    response = login(network_coordinator).get(reverse("admin:neighbors_group_changelist"))

    shown = {obj.pk for obj in response.context["cl"].result_list}
    assert shown == {group.pk, sister_group.pk}


def test_coordinator_gets_404_for_another_networks_group(login, network_coordinator, other_group):
    url = reverse("admin:neighbors_group_change", args=[other_group.pk])
    response = login(network_coordinator).get(url)
    assert response.status_code == 302  # the admin's "does not exist" redirect to its index
    assert response.url == reverse("admin:index")


def test_coordinator_creates_a_group_in_their_network(login, network_coordinator, other_group):
    response = login(network_coordinator).post(
        reverse("admin:neighbors_group_add"),
        {
            "name": "Новая группа",
            "slug": "new-group",
            "city": "Санкт-Петербург",
            "network": other_group.pk,  # ignored: the field is read-only
            "sla_minutes": 120,
            "urgent_sla_minutes": 30,
            "match_radius_km": "3",
            "anonymise_after_days": 30,
            "delete_residents_after_days": 180,
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    created = Group.objects.get(slug="new-group")
    assert created.network_id == network_coordinator.network_id


def test_coordinator_creates_an_organizer_of_a_network_group(
    login, network_coordinator, group, other_group
):
    client = login(network_coordinator)
    data = {
        "username": "new-organizer",
        "usable_password": "true",
        "password1": "a-Long-pass-phrase-42",
        "password2": "a-Long-pass-phrase-42",
        "role": "organizer",
    }

    refused = client.post(reverse("admin:users_user_add"), {**data, "group": other_group.pk})
    assert refused.status_code == 200
    assert "group" in refused.context["adminform"].form.errors

    response = client.post(reverse("admin:users_user_add"), {**data, "group": group.pk})
    assert response.status_code == 302
    created = User.objects.get(username="new-organizer")
    assert (created.group, created.role, created.is_staff) == (group, "organizer", True)
    assert not created.is_superuser


@pytest.mark.parametrize("role", ["coordinator", ""])
def test_coordinator_cannot_create_coordinators(login, network_coordinator, group, role):
    response = login(network_coordinator).post(
        reverse("admin:users_user_add"),
        {
            "username": "new-one",
            "usable_password": "true",
            "password1": "a-Long-pass-phrase-42",
            "password2": "a-Long-pass-phrase-42",
            "role": role,
            "group": group.pk,
        },
    )

    assert response.status_code == 200
    assert "role" in response.context["adminform"].form.errors
    assert not User.objects.filter(username="new-one").exists()


def test_organizer_cannot_give_the_coordinator_role(login, organizer):
    response = login(organizer).post(
        reverse("admin:users_user_add"),
        {
            "username": "new-one",
            "usable_password": "true",
            "password1": "a-Long-pass-phrase-42",
            "password2": "a-Long-pass-phrase-42",
            "role": "coordinator",
        },
    )

    assert response.status_code == 200
    assert "role" in response.context["adminform"].form.errors
