"""Redis stopped mid-run, against a real gunicorn and Celery worker on a redis-server of this
test's own (the shared one is never touched): pages and request creation keep working with no
5xx, /healthz says Redis failed, and once Redis is back the sweeper makes the missing offer.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

from requests.models import HelpRequest, Offer
from tests.faults.conftest import ROOT, app_environment, live_app, private_redis

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _session_cookie(user) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "users.backends.UsernameOrPhoneBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"sessionid={session.session_key}"


def _token(app, user) -> str:
    status, _headers, body = app.request(
        "POST",
        "/api/v1/auth/token/",
        json.dumps({"username": user.username, "password": "pass-Word-123"}).encode(),
        {"Content-Type": "application/json"},
    )
    assert status == 200, body
    return json.loads(body)["token"]


def _create(app, token, block) -> tuple[int, dict, float]:
    payload = {
        "block": str(block.pk),
        "kind": "groceries",
        "details": "Хлеб",
        "source": "phone",
        "neighbor": {"name": "Петрова Анна", "flat": "12"},
    }
    started = time.monotonic()
    status, _headers, body = app.request(
        "POST",
        "/api/v1/requests/",
        json.dumps(payload).encode(),
        {"Content-Type": "application/json", "Authorization": f"Token {token}"},
    )
    return status, json.loads(body), time.monotonic() - started


def _wait(predicate, what: str, seconds: float = 40) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.3)


def _worker(tmp_path, redis_url) -> subprocess.Popen:
    log = open(tmp_path / "worker.log", "ab")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(  # noqa: S603 - fixed arguments
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "covidarnost",
            "worker",
            "--pool=solo",
            "--without-mingle",
            "--without-gossip",
            "--loglevel=INFO",
        ],
        cwd=ROOT,
        env=app_environment(REDIS_URL=redis_url, CELERY_TASK_ALWAYS_EAGER="0", CONN_MAX_AGE="0"),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _sweep(redis_url) -> None:
    """What beat does every MATCHING_SWEEP_SECONDS: run the sweeper on the worker."""
    subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-m", "celery", "-A", "covidarnost", "call", "requests.sweep_matching"],
        cwd=ROOT,
        env=app_environment(REDIS_URL=redis_url, CELERY_TASK_ALWAYS_EAGER="0"),
        check=True,
        capture_output=True,
        timeout=60,
    )


def test_redis_stopped_mid_run(tmp_path, operator, block, volunteer):
    with private_redis(tmp_path) as (port, redis_server):
        redis_url = f"redis://127.0.0.1:{port}/0"
        worker = _worker(tmp_path, redis_url)
        try:
            with live_app(tmp_path, REDIS_URL=redis_url, CELERY_TASK_ALWAYS_EAGER="0") as app:
                token = _token(app, operator)
                status, first, _seconds = _create(app, token, block)
                assert status == 201
                _wait(
                    lambda: Offer.objects.filter(help_request_id=first["id"]).exists(),
                    "the first offer",
                )

                redis_server.send_signal(signal.SIGTERM)
                redis_server.wait(timeout=10)

                status, second, seconds = _create(app, token, block)
                assert status == 201, second
                assert seconds < 5  # enqueueing gives up fast; the request is saved
                cookie = {"Cookie": _session_cookie(volunteer.user), "Accept-Language": "en"}
                status, _headers, body = app.request("GET", "/tasks/", headers=cookie)
                assert status == 200, app.log.read_text()[-4000:]
                assert second["id"].encode() in body  # the list, with the new request
                status, _headers, page = app.request(
                    "GET", f"/tasks/{second['id']}/", headers=cookie
                )
                assert status == 200
                status, _headers, health = app.request("GET", "/healthz")
                assert (status, json.loads(health)["checks"]["redis"]) == (200, "fail")
                assert not Offer.objects.filter(help_request_id=second["id"]).exists()
                assert '"status": 5' not in app.log.read_text()

                # Redis comes back; the sweeper (beat, every minute) offers what was missed.
                with private_redis(tmp_path, port=port):
                    _sweep(redis_url)
                    _wait(
                        lambda: Offer.objects.filter(help_request_id=second["id"]).exists(),
                        "the offer of the request saved while Redis was down",
                    )
                    status, _headers, health = app.request("GET", "/healthz")
                    assert json.loads(health)["status"] == "ok"
        finally:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=20)
    assert HelpRequest.objects.count() == 2
