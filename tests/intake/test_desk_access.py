"""Who may open the intake desk and its request page: operators and organizers of the group."""

import pytest

from tests import factories

URL = "/intake/"


@pytest.mark.parametrize("role", ["operator", "organizer"])
def test_staff_of_the_group_open_the_desk(request, signed_in, role):
    client = signed_in(request.getfixturevalue(role))
    response = client.get(URL)
    assert response.status_code == 200
    assert 'name="phone"' in response.content.decode()


@pytest.mark.parametrize(
    "role",
    ["volunteer", "pending_volunteer", "outsider_volunteer", "coordinator", "network_coordinator"],
)
def test_everyone_else_gets_404(request, signed_in, role):
    client = signed_in(request.getfixturevalue(role))
    assert client.get(URL).status_code == 404
    assert client.post(URL, {}).status_code == 404


def test_another_groups_organizer_gets_their_own_desk_without_our_residents(
    signed_in, other_organizer, caller
):
    page = signed_in(other_organizer).get(URL, {"phone": "89211234567"}).content.decode()
    assert caller.name not in page


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("role", ["operator", "organizer"])
def test_request_page_for_staff_of_the_group(request, signed_in, help_request, role):
    client = signed_in(request.getfixturevalue(role))
    response = client.get(f"/intake/requests/{help_request.pk}/")
    assert response.status_code == 200
    assert help_request.code_word in response.content.decode()


@pytest.mark.parametrize("role", ["volunteer", "other_organizer", "outsider_volunteer"])
def test_request_page_404_for_others(request, signed_in, help_request, role):
    client = signed_in(request.getfixturevalue(role))
    assert client.get(f"/intake/requests/{help_request.pk}/").status_code == 404


def test_request_page_anonymous_redirected(client, help_request):
    response = client.get(f"/intake/requests/{help_request.pk}/")
    assert response.status_code == 302


def test_another_groups_request_is_404_for_an_operator(signed_in, operator, other_block):
    foreign = factories.HelpRequestFactory(neighbor__block=other_block)
    assert signed_in(operator).get(f"/intake/requests/{foreign.pk}/").status_code == 404
