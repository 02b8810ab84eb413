""" "Forgot password": the request reaches the organizers, and nobody learns who is registered."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from onboarding.models import PasswordHelpRequest

pytestmark = pytest.mark.django_db

URL = reverse("onboarding:password_help")


def _without_csrf(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def test_sign_in_page_links_to_it(client):
    assert URL in client.get(reverse("login")).content.decode()


def test_request_for_a_registered_phone_is_recorded_for_the_group(client, volunteer, group):
    volunteer.user.phone = "+79215550101"
    volunteer.user.save()

    response = client.post(URL, {"login": "8 921 555-01-01"})

    assert response.status_code == 200
    help_request = PasswordHelpRequest.objects.get()
    assert (help_request.user, help_request.group, help_request.handled_at) == (
        volunteer.user,
        group,
        None,
    )


def test_the_answer_is_the_same_for_an_unknown_phone(client, volunteer, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    volunteer.user.phone = "+79215550101"
    volunteer.user.save()

    known = client.post(URL, {"login": "+79215550101"}, HTTP_ACCEPT_LANGUAGE="en")
    unknown = client.post(URL, {"login": "+79215550999"}, HTTP_ACCEPT_LANGUAGE="en")

    assert known.status_code == unknown.status_code == 200
    assert _without_csrf(known) == _without_csrf(unknown)
    assert PasswordHelpRequest.objects.count() == 1


def test_asking_twice_keeps_one_open_request(client, volunteer):
    client.post(URL, {"login": "volunteer1"})
    client.post(URL, {"login": "volunteer1"})
    assert PasswordHelpRequest.objects.count() == 1


def test_email_link_where_email_is_configured(
    client, volunteer, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(URL, {"login": "volunteer1"})
    # Sent by a Celery task after the request's transaction, never inside the answer.
    assert len(callbacks) == 1

    [message] = mail.outbox
    assert message.to == [volunteer.user.email]
    assert "/accounts/password/set/" in message.body


@pytest.mark.parametrize(
    "backend",
    [
        "django.core.mail.backends.console.EmailBackend",
        "django.core.mail.backends.dummy.EmailBackend",
    ],
)
def test_no_email_without_an_email_server(
    client, volunteer, settings, backend, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = backend
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(URL, {"login": "volunteer1"})
    assert callbacks == []
    assert mail.outbox == []
    assert PasswordHelpRequest.objects.count() == 1


def test_no_email_for_an_account_without_an_address(
    client, volunteer, django_capture_on_commit_callbacks
):
    volunteer.user.email = ""
    volunteer.user.save()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, {"login": "volunteer1"})
    assert mail.outbox == []


def test_requests_are_limited_per_connection(client, volunteer, settings):
    settings.PASSWORD_HELP_CLIENT_ATTEMPTS = "1/hour"
    assert client.post(URL, {"login": "nobody"}).status_code == 200
    assert client.post(URL, {"login": "volunteer1"}).status_code == 429
    assert not PasswordHelpRequest.objects.exists()


@pytest.mark.parametrize("who", ["volunteer", "operator", "organizer"])
def test_page_opens_for_everyone(client, request, who):
    user = request.getfixturevalue(who)
    client.force_login(getattr(user, "user", user))
    assert client.get(URL).status_code == 200


def test_the_organizers_desk_counts_open_requests(client, organizer, volunteer, group):
    client.force_login(organizer)
    assert "asked for a new password" not in client.get("/dashboard/").content.decode()

    PasswordHelpRequest.objects.create(user=volunteer.user, group=group)
    page = client.get("/dashboard/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "1 member asked for a new password" in page
    assert reverse("admin:onboarding_passwordhelprequest_changelist") in page


def test_unknown_accounts_enqueue_nothing(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(URL, {"login": "+79215550999"})
    assert callbacks == []
    assert mail.outbox == []
