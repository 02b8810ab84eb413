"""Who may open which admin page at all: rights per role come from permissions.can_admin."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "admin:users_user_changelist",
    "admin:neighbors_group_changelist",
    "admin:neighbors_network_changelist",
    "admin:neighbors_block_changelist",
    "admin:neighbors_neighbor_changelist",
    "admin:volunteers_volunteer_changelist",
    "admin:requests_helprequest_changelist",
    "admin:requests_requestevent_changelist",
    "admin:requests_offer_changelist",
    "admin:notifications_notificationlog_changelist",
]


def test_volunteer_without_staff_flag_is_sent_to_login(login, volunteer):
    response = login(volunteer.user).get(reverse("admin:index"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_volunteer_with_staff_flag_still_sees_no_model(login, volunteer):
    volunteer.user.is_staff = True
    volunteer.user.save()
    client = login(volunteer.user)

    assert client.get(reverse("admin:requests_helprequest_changelist")).status_code == 403
    assert client.get(reverse("admin:index")).context["available_apps"] == []


@pytest.mark.parametrize("url_name", CHANGELISTS)
def test_coordinator_opens_every_changelist(login, coordinator, url_name):
    assert login(coordinator).get(reverse(url_name)).status_code == 200


@pytest.mark.parametrize(
    ("url_name", "status"),
    [
        ("admin:users_user_changelist", 200),
        ("admin:neighbors_group_changelist", 200),
        ("admin:neighbors_network_changelist", 403),
        ("admin:neighbors_block_changelist", 200),
        ("admin:neighbors_neighbor_changelist", 200),
        ("admin:volunteers_volunteer_changelist", 200),
        ("admin:requests_helprequest_changelist", 200),
        ("admin:requests_requestevent_changelist", 200),
        ("admin:requests_offer_changelist", 200),
        ("admin:notifications_notificationlog_changelist", 200),
    ],
)
def test_organizer_opens_their_group_changelists_not_networks(login, organizer, url_name, status):
    assert login(organizer).get(reverse(url_name)).status_code == status


@pytest.mark.parametrize(
    ("url_name", "status"),
    [
        ("admin:users_user_changelist", 403),
        ("admin:neighbors_group_changelist", 403),
        ("admin:neighbors_network_changelist", 403),
        ("admin:neighbors_block_changelist", 200),
        ("admin:neighbors_neighbor_changelist", 200),
        ("admin:volunteers_volunteer_changelist", 403),
        ("admin:requests_helprequest_changelist", 200),
        ("admin:requests_requestevent_changelist", 403),
        ("admin:requests_offer_changelist", 403),
        ("admin:notifications_notificationlog_changelist", 403),
    ],
)
def test_operator_opens_blocks_neighbors_and_requests_only(login, operator, url_name, status):
    assert login(operator).get(reverse(url_name)).status_code == status


def test_operator_views_blocks_but_cannot_add_or_change_them(login, operator, block):
    client = login(operator)

    assert client.get(reverse("admin:neighbors_block_add")).status_code == 403
    response = client.get(reverse("admin:neighbors_block_change", args=[block.pk]))
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert 'name="code"' not in response.content.decode()


def test_operator_cannot_add_users_or_volunteers(login, operator):
    client = login(operator)

    assert client.get(reverse("admin:users_user_add")).status_code == 403
    assert client.get(reverse("admin:volunteers_volunteer_add")).status_code == 403


def test_operator_index_lists_only_their_models(login, operator):
    response = login(operator).get(reverse("admin:index"))

    models = {
        model["object_name"]
        for app in response.context["available_apps"]
        for model in app["models"]
    }
    assert models == {"Block", "Neighbor", "HelpRequest", "CallLog", "RecurringRequest"}


def test_django_permission_groups_are_not_in_the_admin(login, coordinator):
    response = login(coordinator).get("/admin/auth/group/")

    assert response.status_code == 404
