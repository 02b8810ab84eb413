"""Claiming a task one already holds: decided once, in help_request_claim."""

import pytest
from django.utils import translation
from knox.models import AuthToken
from rest_framework.test import APIClient

from requests.exceptions import AlreadyYours
from requests.models import RequestEvent
from requests.services import help_request_claim

pytestmark = pytest.mark.django_db
MESSAGE = "You already hold this task."


def test_service_says_already_yours_even_at_the_task_limit(volunteer, help_request):
    volunteer.max_open_tasks = 1
    volunteer.save()
    help_request_claim(help_request=help_request, volunteer=volunteer)

    with translation.override("en"):
        with pytest.raises(AlreadyYours) as raised:
            help_request_claim(help_request=help_request, volunteer=volunteer)
        assert str(raised.value) == MESSAGE
    assert RequestEvent.objects.filter(help_request=help_request, action="claim").count() == 1


def test_web_and_api_give_the_same_answer(client, volunteer, help_request):
    volunteer.max_open_tasks = 1
    volunteer.save()
    help_request_claim(help_request=help_request, volunteer=volunteer)

    client.force_login(volunteer.user)
    page = client.post(f"/tasks/{help_request.pk}/claim/", HTTP_ACCEPT_LANGUAGE="en")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(user=volunteer.user)[1]}")
    response = api.post(f"/api/v1/tasks/{help_request.pk}/claim/", HTTP_ACCEPT_LANGUAGE="en")

    assert page.status_code == 302 and page["Location"] == f"/tasks/{help_request.pk}/"
    shown = [str(message) for message in page.wsgi_request._messages]
    assert shown == [MESSAGE]
    assert response.status_code == 409
    assert response.json() == {"detail": MESSAGE}
