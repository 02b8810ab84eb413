"""One-time links to set a new password: organizers issue them, they work once, for a day."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from onboarding.models import PasswordHelpRequest
from onboarding.services import password_link_issue
from requests.exceptions import NotAllowed
from tests import factories

pytestmark = pytest.mark.django_db

NEW = "Novyi-Parol-2026"
VOLUNTEERS = reverse("admin:volunteers_volunteer_changelist")
REQUESTS = reverse("admin:onboarding_passwordhelprequest_changelist")
USERS = reverse("admin:users_user_changelist")


def _path(link: str) -> str:
    assert link.startswith(settings.SITE_URL)
    return link.removeprefix(settings.SITE_URL)


def _set_password(client, link, password=NEW):
    """Follow a link like a browser: Django swaps the token for a session and redirects."""
    first = client.get(_path(link))
    if first.status_code != 302:
        return first
    return client.post(first["Location"], {"new_password1": password, "new_password2": password})


def test_organizer_issues_a_link_from_the_volunteer_list(client, organizer, volunteer):
    client.force_login(organizer)
    response = client.post(
        VOLUNTEERS, {"action": "issue_password_link", "_selected_action": [volunteer.pk]}
    )

    assert response.status_code == 200
    [(account, link)] = response.context["links"]
    assert account == volunteer.user
    assert link in response.content.decode()
    assert link.startswith("http")


def test_link_sets_the_password_once(client, organizer, volunteer):
    link = password_link_issue(user=volunteer.user, actor=organizer)

    done = _set_password(client, link)
    assert done.status_code == 302
    assert done["Location"] == reverse("onboarding:password_set_done")
    volunteer.user.refresh_from_db()
    assert volunteer.user.check_password(NEW)

    again = _set_password(client, link, password="Tretii-Parol-2026")
    assert again.status_code == 200
    assert not again.context["validlink"]
    volunteer.user.refresh_from_db()
    assert volunteer.user.check_password(NEW)


def test_link_lasts_a_day(client, organizer, volunteer):
    link = password_link_issue(user=volunteer.user, actor=organizer)
    # Django's token reads the naive local clock: keep clear of the time zone's offset (3 h).
    with time_machine.travel(timezone.now() + timedelta(hours=30)):
        response = _set_password(client, link)
    assert response.status_code == 200
    assert not response.context["validlink"]
    with time_machine.travel(timezone.now() + timedelta(hours=20)):
        assert _set_password(client, link).status_code == 302


def test_link_dies_when_the_person_signs_in(client, organizer, volunteer):
    link = password_link_issue(user=volunteer.user, actor=organizer)
    client.post(reverse("login"), {"username": "volunteer1", "password": "pass-Word-123"})
    client.logout()
    assert not _set_password(client, link).context["validlink"]


def test_issuing_answers_the_open_requests(organizer, volunteer, group):
    asked = PasswordHelpRequest.objects.create(user=volunteer.user, group=group)
    password_link_issue(user=volunteer.user, actor=organizer)
    asked.refresh_from_db()
    assert (asked.handled_by, asked.handled_at is not None) == (organizer, True)


def test_coordinator_issues_for_their_network(network_coordinator, volunteer):
    assert password_link_issue(user=volunteer.user, actor=network_coordinator)


@pytest.mark.parametrize("who", ["other_organizer", "operator", "second_volunteer"])
def test_others_cannot_issue(request, volunteer, who):
    actor = request.getfixturevalue(who)
    with pytest.raises(NotAllowed):
        password_link_issue(user=volunteer.user, actor=getattr(actor, "user", actor))


def test_organizer_cannot_issue_for_a_coordinator_or_themselves(organizer, group, network):
    coordinator = factories.CoordinatorFactory(network=network)
    for account in (coordinator, organizer):
        with pytest.raises(NotAllowed):
            password_link_issue(user=account, actor=organizer)


def test_organizer_issues_for_another_organizer_of_the_group(organizer, group):
    colleague = factories.OrganizerFactory(group=group)
    assert password_link_issue(user=colleague, actor=organizer)


def test_requests_list_per_role(client, organizer, other_organizer, operator, volunteer, group):
    PasswordHelpRequest.objects.create(user=volunteer.user, group=group)
    client.force_login(organizer)
    assert "volunteer1" in client.get(REQUESTS).content.decode()
    client.force_login(other_organizer)
    assert "volunteer1" not in client.get(REQUESTS).content.decode()
    client.force_login(operator)
    assert client.get(REQUESTS).status_code == 403
    client.force_login(volunteer.user)
    assert client.get(REQUESTS).status_code == 302


def test_requests_list_query_count(client, organizer, group, django_assert_max_num_queries):
    for _ in range(5):
        user = factories.VolunteerFactory(user__group=group).user
        PasswordHelpRequest.objects.create(user=user, group=group)
    client.force_login(organizer)
    with django_assert_max_num_queries(12):
        assert client.get(REQUESTS).status_code == 200


def test_issue_from_the_requests_list(client, organizer, volunteer, group):
    asked = PasswordHelpRequest.objects.create(user=volunteer.user, group=group)
    client.force_login(organizer)
    response = client.post(
        REQUESTS, {"action": "issue_password_link", "_selected_action": [asked.pk]}
    )
    assert response.status_code == 200
    assert len(response.context["links"]) == 1


def test_other_groups_organizer_cannot_issue_from_the_lists(
    client, other_organizer, volunteer, group
):
    asked = PasswordHelpRequest.objects.create(user=volunteer.user, group=group)
    client.force_login(other_organizer)
    for url, pk in ((REQUESTS, asked.pk), (VOLUNTEERS, volunteer.pk), (USERS, volunteer.user.pk)):
        response = client.post(url, {"action": "issue_password_link", "_selected_action": [pk]})
        assert "links" not in (response.context or {}), url


def test_issue_from_the_users_list(client, coordinator, volunteer):
    client.force_login(coordinator)
    response = client.post(
        USERS, {"action": "issue_password_link", "_selected_action": [volunteer.user.pk]}
    )
    assert len(response.context["links"]) == 1


def test_set_password_page_refuses_a_bad_link(client):
    response = client.get("/accounts/password/set/MQ/bad-token/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "does not work any more" in response.content.decode()


def test_network_coordinator_sees_their_networks_requests(
    client, network_coordinator, volunteer, group, outsider_volunteer, other_group
):
    PasswordHelpRequest.objects.create(user=volunteer.user, group=group)
    PasswordHelpRequest.objects.create(user=outsider_volunteer.user, group=other_group)
    client.force_login(network_coordinator)
    page = client.get(REQUESTS).content.decode()
    assert "volunteer1" in page
    assert "volunteer21" not in page
