"""Two volunteers pressing Claim at the same moment: exactly one wins (real PostgreSQL locks)."""

import threading

import pytest
from django.db import connection

from requests.exceptions import AlreadyTaken
from requests.models import HelpRequest, RequestEvent, Status
from requests.services import help_request_claim
from tests.factories import HelpRequestFactory, VolunteerFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_claims_have_exactly_one_winner(group, block, neighbor):
    volunteers = [VolunteerFactory(user__username=f"racer{i}", user__group=group) for i in range(8)]
    help_request = HelpRequestFactory(neighbor=neighbor)
    barrier = threading.Barrier(len(volunteers))
    outcomes: list[str] = []
    lock = threading.Lock()

    def claim(volunteer):
        try:
            barrier.wait()
            help_request_claim(
                help_request=HelpRequest.objects.get(pk=help_request.pk), volunteer=volunteer
            )
            result = "won"
        except AlreadyTaken:
            result = "lost"
        except Exception as exc:  # noqa: BLE001 - any other error fails the test below
            result = f"error: {exc!r}"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=claim, args=(v,)) for v in volunteers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["lost"] * 7 + ["won"]
    help_request.refresh_from_db()
    assert help_request.status == Status.CLAIMED
    assert RequestEvent.objects.filter(help_request=help_request, action="claim").count() == 1


def test_one_volunteer_racing_for_two_tasks_respects_the_limit(group, block, neighbor):
    volunteer = VolunteerFactory(user__username="greedy", user__group=group, max_open_tasks=1)
    tasks = HelpRequestFactory.create_batch(6, neighbor=neighbor)
    barrier = threading.Barrier(len(tasks))

    def claim(task):
        try:
            barrier.wait()
            help_request_claim(help_request=task, volunteer=volunteer)
        except Exception:  # noqa: BLE001, S110 - refusals are expected; the count is asserted
            pass
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(t,)) for t in tasks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert HelpRequest.objects.filter(volunteer=volunteer, status=Status.CLAIMED).count() == 1
