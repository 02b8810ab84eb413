"""A request is saved and the helper sees success even when Redis is down; the sweeper
offers it once the queue works again."""

import logging

import pytest

from requests import services
from requests.enqueue import enqueue_matching
from requests.models import HelpRequest, Offer, OfferStatus, Status
from requests.tasks import sweep_matching

pytestmark = pytest.mark.django_db

# Nothing listens on port 1: connecting is refused at once. (The 1-2 s bound for a broker
# that does not answer at all is set by CELERY_BROKER_CONNECTION_TIMEOUT and the socket
# timeouts in settings; bench/enqueue_down.py prints the time.)
DEAD_BROKER = "redis://127.0.0.1:1/5"


def test_enqueue_to_a_dead_broker_returns_false_and_logs_ids_only(
    celery_broker, help_request, caplog
):
    celery_broker(DEAD_BROKER)
    with caplog.at_level(logging.WARNING, logger="requests.enqueue"):
        assert enqueue_matching(help_request.pk) is False
    assert str(help_request.pk) in caplog.text
    assert "sweeper" in caplog.text
    assert help_request.neighbor.name not in caplog.text


def test_request_is_saved_when_redis_is_down_and_offered_after_it_is_back(
    celery_broker, operator, block, volunteer, django_capture_on_commit_callbacks
):
    celery_broker(DEAD_BROKER)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        help_request, created = services.help_request_create(
            created_by=operator,
            block=block,
            kind="groceries",
            details="Хлеб",
            source="phone",
            neighbor_data={"name": "Анна", "flat": "5"},
        )
    assert created
    assert callbacks, "matching is announced after commit"
    assert HelpRequest.objects.get(pk=help_request.pk).status == Status.OPEN
    assert not Offer.objects.exists()

    # Redis is back (here: tasks run inline again); the periodic sweep finds the request.
    from covidarnost.celery import app

    app.conf.task_always_eager = True
    assert sweep_matching()["enqueued"] == 1
    assert Offer.objects.get(help_request=help_request).status == OfferStatus.PENDING


def test_sweeper_with_a_dead_broker_does_not_fail(celery_broker, help_request):
    celery_broker(DEAD_BROKER)
    assert sweep_matching()["enqueued"] == 0
