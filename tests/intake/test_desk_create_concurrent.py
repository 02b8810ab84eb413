"""A double submit of the intake form whose two posts arrive together (two clicks, two tabs)
gives one request and one resident: real threads, real PostgreSQL transactions."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection
from django.test import Client

from intake import services as intake_services
from neighbors.models import Neighbor
from requests.models import HelpRequest
from tests.intake.conftest import request_data

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_simultaneous_submits_of_one_form_make_one_request(operator, block, monkeypatch):
    original = intake_services.neighbor_create

    def slow(**kwargs):
        # Both submits would be past the "already saved?" check by now, were they not
        # made to wait for each other.
        time.sleep(0.3)
        return original(**kwargs)

    monkeypatch.setattr(intake_services, "neighbor_create", slow)
    data = request_data(resident="new", name="Зоя Сидорова", new_block=str(block.pk), flat="3")
    clients = []
    for _ in range(2):
        client = Client()
        client.force_login(operator)
        clients.append(client)
    barrier = threading.Barrier(2)
    answers = []

    def submit(client):
        barrier.wait()
        try:
            answers.append(client.post("/intake/", data))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert [a.status_code for a in answers] == [302, 302]
    assert answers[0]["Location"] == answers[1]["Location"]
    assert HelpRequest.objects.count() == 1
    assert Neighbor.objects.filter(name="Зоя Сидорова").count() == 1
