"""Claim: the winner gets the details; the loser a message, never an error page."""

from uuid import uuid4

import pytest

from requests.models import HelpRequest, RequestEvent, Status
from requests.services import help_request_claim
from tests import factories
from tests.volunteers.conftest import messages_of, page_text


def test_volunteer_claims_an_open_task(volunteer_client, volunteer, help_request):
    response = volunteer_client.post(
        f"/tasks/{help_request.pk}/claim/", {"expected_status": "open"}, follow=True
    )
    help_request.refresh_from_db()
    assert help_request.status == Status.CLAIMED
    assert help_request.volunteer_id == volunteer.pk
    assert response.redirect_chain[-1][0] == f"/tasks/{help_request.pk}/"
    assert help_request.neighbor.name in page_text(response)
    assert RequestEvent.objects.filter(help_request=help_request, action="claim").count() == 1


def test_second_volunteer_is_told_the_task_is_taken(client, second_volunteer, claimed_request):
    client.force_login(second_volunteer.user)
    response = client.post(
        f"/tasks/{claimed_request.pk}/claim/", {"expected_status": "open"}, follow=True
    )
    assert response.status_code == 200
    assert messages_of(response) == ["This task has already been taken by another volunteer."]
    # The loser lands on the list, and never sees the winner's neighbor.
    assert response.redirect_chain[-1][0] == "/tasks/"
    assert claimed_request.neighbor.name not in page_text(response)
    claimed_request.refresh_from_db()
    assert claimed_request.volunteer_id != second_volunteer.pk


def test_claiming_twice_by_the_same_volunteer_is_harmless(volunteer_client, claimed_request):
    response = volunteer_client.post(f"/tasks/{claimed_request.pk}/claim/", follow=True)
    assert messages_of(response) == ["You already hold this task."]
    assert RequestEvent.objects.filter(help_request=claimed_request, action="claim").count() == 1


def test_first_claim_asks_for_the_safety_rules(volunteer_client, volunteer, help_request):
    volunteer.safety_protocol_accepted_at = None
    volunteer.save()
    response = volunteer_client.post(f"/tasks/{help_request.pk}/claim/")
    assert response.status_code == 302
    assert response["Location"] == f"/safety/?next=%2Ftasks%2F{help_request.pk}%2F"
    help_request.refresh_from_db()
    assert help_request.status == Status.OPEN


def test_claim_over_the_limit_is_refused_with_a_message(volunteer_client, volunteer, neighbor):
    volunteer.max_open_tasks = 1
    volunteer.save()
    held = factories.HelpRequestFactory(neighbor=neighbor)
    help_request_claim(help_request=held, volunteer=volunteer)
    another = factories.HelpRequestFactory(neighbor=neighbor)
    response = volunteer_client.post(f"/tasks/{another.pk}/claim/", follow=True)
    assert messages_of(response) == [
        "You already hold 1 tasks, your limit. Deliver or release one first."
    ]
    another.refresh_from_db()
    assert another.status == Status.OPEN


def test_cancelled_task_cannot_be_claimed(volunteer_client, organizer, help_request):
    from requests.services import help_request_cancel

    help_request_cancel(help_request=help_request, actor=organizer)
    response = volunteer_client.post(f"/tasks/{help_request.pk}/claim/", follow=True)
    assert response.status_code == 200
    assert messages_of(response) == ["This task is not open any more; it is “Cancelled”."]
    assert HelpRequest.objects.get(pk=help_request.pk).status == Status.CANCELLED


def test_volunteer_of_another_group_gets_404(client, outsider_volunteer, help_request):
    client.force_login(outsider_volunteer.user)
    assert client.post(f"/tasks/{help_request.pk}/claim/").status_code == 404
    help_request.refresh_from_db()
    assert help_request.status == Status.OPEN


def test_unknown_task_gets_404(volunteer_client):
    assert volunteer_client.post(f"/tasks/{uuid4()}/claim/").status_code == 404


def test_claim_needs_post(volunteer_client, help_request):
    assert volunteer_client.get(f"/tasks/{help_request.pk}/claim/").status_code == 405


def test_claim_without_csrf_token_is_refused(volunteer, help_request):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(volunteer.user)
    assert client.post(f"/tasks/{help_request.pk}/claim/").status_code == 403
    help_request.refresh_from_db()
    assert help_request.status == Status.OPEN


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_claims_through_the_page_have_one_winner_and_no_error(group, block, neighbor):
    import threading

    from django.db import connection
    from django.test import Client

    racers = [factories.VolunteerFactory(user__group=group) for _ in range(6)]
    task = factories.HelpRequestFactory(neighbor=neighbor)
    barrier = threading.Barrier(len(racers))
    results = []

    def claim(volunteer):
        client = Client()
        client.force_login(volunteer.user)
        barrier.wait()
        response = client.post(f"/tasks/{task.pk}/claim/", follow=True, HTTP_ACCEPT_LANGUAGE="en")
        results.append((response.status_code, messages_of(response)))
        connection.close()

    threads = [threading.Thread(target=claim, args=(v,)) for v in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert [status for status, _ in results] == [200] * 6
    messages = sorted(m[0] for _, m in results)
    task.refresh_from_db()
    assert messages.count("This task has already been taken by another volunteer.") == 5
    assert messages.count("The task is yours. The neighbor's details are below.") == 1
