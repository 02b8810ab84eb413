"""PostgreSQL connections lost mid-run (a restart, a failover, a killed backend), against a
real gunicorn: requests in flight answer 503 with a retry message and leave no half-written
rows; the next requests work again without restarting the app.

The shared PostgreSQL is not restarted: the app's backends are ended with
pg_terminate_backend, which is what a restart does to them.
"""

from __future__ import annotations

import json
import threading
import time
from contextlib import closing

import psycopg2
import pytest
from django.db import connection

from neighbors.models import Neighbor
from requests.models import HelpRequest, RequestEvent
from tests.faults.conftest import live_app

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _admin():
    """An autocommit connection of the test's own; not used as `with conn:`, which opens a
    transaction even in autocommit (psycopg2 2.9) and so freezes pg_stat_activity."""
    settings = connection.settings_dict
    conn = psycopg2.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
    )
    conn.autocommit = True
    return conn


def _app_backends(cursor) -> list[tuple]:
    """(pid, started) of the gunicorn worker's connections: every client of the test
    database but ours."""
    connection.ensure_connection()
    cursor.execute(
        "SELECT pid, backend_start FROM pg_stat_activity WHERE datname = current_database() "
        "AND pid NOT IN (pg_backend_pid(), %s) AND backend_type = 'client backend'",
        [connection.connection.get_backend_pid()],
    )
    return cursor.fetchall()


def _token(app, user) -> str:
    status, _headers, body = app.request(
        "POST",
        "/api/v1/auth/token/",
        json.dumps({"username": user.username, "password": "pass-Word-123"}).encode(),
        {"Content-Type": "application/json"},
    )
    assert status == 200, body
    return json.loads(body)["token"]


def _create(app, token, block, key):
    payload = {
        "block": str(block.pk),
        "kind": "groceries",
        "details": "Хлеб",
        "source": "phone",
        "neighbor": {"name": "Петрова Анна", "flat": "12"},
    }
    return app.request(
        "POST",
        "/api/v1/requests/",
        json.dumps(payload).encode(),
        {
            "Content-Type": "application/json",
            "Authorization": f"Token {token}",
            "Idempotency-Key": key,
            "Accept-Language": "en",
        },
    )


def test_a_request_in_flight_gets_503_and_nothing_is_half_written(tmp_path, operator, block):
    neighbors_before = Neighbor.objects.count()
    with live_app(tmp_path) as app, closing(_admin()) as admin, admin.cursor() as watch:
        token = _token(app, operator)
        # Hold the event table: the request writes its neighbor and its row, then waits here.
        locker = _admin()
        locker.autocommit = False
        lock = locker.cursor()
        lock.execute("LOCK TABLE requests_requestevent IN ACCESS EXCLUSIVE MODE")
        answer = {}
        thread = threading.Thread(
            target=lambda: answer.update(result=_create(app, token, block, "form-1"))
        )
        thread.start()
        deadline = time.monotonic() + 30
        while True:
            watch.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
            waiting = [row[0] for row in watch.fetchall()]
            if waiting:
                break
            assert time.monotonic() < deadline, "the request never reached the event insert"
            time.sleep(0.1)
        # What a PostgreSQL restart does to the app's connection, mid-transaction.
        watch.execute("SELECT pg_terminate_backend(%s)", [waiting[0]])
        locker.rollback()
        locker.close()
        thread.join(timeout=30)

        status, headers, body = answer["result"]
        assert status == 503
        assert headers["Retry-After"] == "5"
        assert headers["Content-Type"] == "application/json"
        assert "try again" in json.loads(body)["detail"].lower()
        # The transaction died with the connection: no request, event or new resident.
        assert HelpRequest.objects.count() == 0
        assert RequestEvent.objects.count() == 0
        assert Neighbor.objects.count() == neighbors_before

        # The same worker process, without a restart, serves the retry.
        status, _headers, body = _create(app, token, block, "form-1")
        assert status == 201, body
        assert HelpRequest.objects.count() == 1
        assert "Traceback" not in app.log.read_text() or "Service Unavailable" in (
            app.log.read_text()
        )


def test_the_app_recovers_after_its_connections_are_killed(tmp_path, operator, block):
    with live_app(tmp_path) as app, closing(_admin()) as admin, admin.cursor() as cursor:
        token = _token(app, operator)
        assert _create(app, token, block, "before")[0] == 201
        killed = _app_backends(cursor)
        assert killed, "the app keeps a connection open (CONN_MAX_AGE)"
        for pid, _started in killed:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            assert cursor.fetchone() == (True,)
        deadline = time.monotonic() + 15
        while set(killed) & set(_app_backends(cursor)):
            assert time.monotonic() < deadline, "the terminated backend did not exit"
            time.sleep(0.1)
        # CONN_HEALTH_CHECKS finds the dead connection before use and opens a new one.
        for key in ("after-1", "after-2"):
            status, _headers, body = _create(app, token, block, key)
            assert status == 201, body
        assert app.request("GET", "/healthz")[0] == 200
        assert HelpRequest.objects.count() == 3
        assert not set(killed) & set(_app_backends(cursor))


def test_a_page_gets_the_retry_page_not_a_server_error(client, monkeypatch, volunteer):
    """The HTML side of the same handler: a short page in the user's language, with
    Retry-After, rendered without the database."""
    from django.db import OperationalError

    from volunteers import views

    def broken(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(views, "tasks_for_volunteer", broken)
    client.raise_request_exception = False
    client.force_login(volunteer.user)
    response = client.get("/tasks/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert b"try again" in response.content.lower()
