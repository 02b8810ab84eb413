"""Retries of one create sent at the same time (a phone retrying on a flaky network) give one
request and one resident: real threads, real PostgreSQL transactions."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection

from neighbors import services as neighbor_services
from neighbors.models import Neighbor
from requests import services as request_services
from requests.models import HelpRequest, RequestEvent
from tests.api.conftest import token_client

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

URL = "/api/v1/requests/"


@pytest.fixture
def slow_neighbor_create(monkeypatch):
    """Widen the window between "no request with this key yet" and saving one, so both
    retries are inside it unless the service makes them wait for each other."""
    original = neighbor_services.neighbor_create

    def slow(**kwargs):
        time.sleep(0.3)
        return original(**kwargs)

    monkeypatch.setattr(request_services, "neighbor_create", slow)


def _post_together(clients, payload, key):
    barrier = threading.Barrier(len(clients))
    answers = []

    def post(client):
        barrier.wait()
        try:
            response = client.post(URL, payload, format="json", HTTP_IDEMPOTENCY_KEY=key)
            answers.append((response.status_code, response.json()))
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return answers


def test_concurrent_retries_with_one_key_make_one_request_and_one_resident(
    operator, block, slow_neighbor_create
):
    payload = {
        "block": str(block.pk),
        "kind": "groceries",
        "details": "Хлеб, молоко",
        "neighbor": {"name": "Зоя Сидорова", "flat": "7"},
    }
    # Two devices of the same operator (two tokens), or one retrying on a new connection.
    clients = [token_client(operator), token_client(operator)]

    answers = _post_together(clients, payload, "retry-0001")

    assert sorted(status for status, _body in answers) == [200, 201]
    assert answers[0][1]["id"] == answers[1][1]["id"]
    assert HelpRequest.objects.count() == 1
    assert Neighbor.objects.filter(name="Зоя Сидорова").count() == 1
    assert RequestEvent.objects.filter(action="create").count() == 1


def test_concurrent_creates_with_different_keys_make_two_requests(
    operator, block, slow_neighbor_create
):
    payload = {
        "block": str(block.pk),
        "kind": "groceries",
        "details": "Хлеб",
        "neighbor": {"name": "Анна", "flat": "1"},
    }
    clients = [token_client(operator), token_client(operator)]
    barrier = threading.Barrier(2)
    codes = []

    def post(client, key):
        barrier.wait()
        try:
            codes.append(
                client.post(URL, payload, format="json", HTTP_IDEMPOTENCY_KEY=key).status_code
            )
        finally:
            connection.close()

    threads = [
        threading.Thread(target=post, args=(client, f"key-{n}")) for n, client in enumerate(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert codes == [201, 201]
    assert HelpRequest.objects.count() == 2
