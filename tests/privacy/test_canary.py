"""Canary: a resident's name, phone and flat never leave through logs, tasks or messages.

Unique strings go into a resident's name, phone and flat; the main flows then run: the API
(operator files a request, a volunteer claims and reads it), matching in Celery with offers by
Telegram, SMS and email (the fake Bot API and gateway of tests/notifications), the volunteer
web pages (claim, bought, deliver, check-in calls), reminders and alerts, admin pages, and
three server errors. Every log line, Celery task argument, notification and error mail is
captured; any canary in any of them fails the test and says where.
"""

from __future__ import annotations

import logging
import re
import secrets
from datetime import timedelta

import pytest
import time_machine
from celery.app.task import Task
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from neighbors.models import Neighbor
from requests.models import HelpRequest
from requests.tasks import send_checkin_lists, send_reminders, sweep_matching
from tests import factories
from tests.notifications.conftest import FakeHttpServer
from volunteers.models import NotificationChannel

pytestmark = pytest.mark.django_db

TOKEN = secrets.token_hex(3)
CANARY_NAME = f"Канарейкина Зоя {TOKEN}"
CANARY_FLAT = f"Ъ{TOKEN[:5]}"
CANARY_DIGITS = f"999{secrets.randbelow(10**7):07d}"
CANARY_PHONE = f"+7{CANARY_DIGITS}"


def leaks(text: str) -> list[str]:
    """The canaries found in text: the name (or its unique token), the flat, the phone in any
    spelling (digits with spaces, dashes or brackets between them)."""
    found = [canary for canary in (CANARY_NAME, TOKEN, CANARY_FLAT) if canary in text]
    if CANARY_DIGITS in re.sub(r"[\s\-()]", "", text):
        found.append(CANARY_PHONE)
    return found


class Sink:
    """Everything that leaves the app during the flows, with where it went."""

    def __init__(self):
        self.items: list[tuple[str, str]] = []

    def add(self, where: str, text) -> None:
        self.items.append((where, str(text)))

    def add_log_lines(self) -> int:
        """Every record logged so far, formatted with its traceback, as a handler would."""
        formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
        for record in self.caplog.records:
            self.add(f"log {record.name}", formatter.format(record))
        return len(self.caplog.records)

    def leaked(self) -> list[str]:
        return [
            f"{where}: {leaks(text)} in {text[:300]!r}" for where, text in self.items if leaks(text)
        ]


@pytest.fixture
def sink(monkeypatch, caplog):
    sink = Sink()
    caplog.set_level(logging.DEBUG)
    original = Task.apply_async

    def apply_async(self, args=None, kwargs=None, **options):
        sink.add(f"task {self.name} arguments", (args, kwargs))
        return original(self, args, kwargs, **options)

    monkeypatch.setattr(Task, "apply_async", apply_async)
    sink.caplog = caplog
    return sink


@pytest.fixture
def fake_channels(settings):
    with FakeHttpServer() as telegram, FakeHttpServer() as sms:
        settings.TELEGRAM_API_URL = telegram.url
        settings.TELEGRAM_BOT_TOKEN = "123456:canary-token"
        settings.TELEGRAM_BOT_USERNAME = "canary_bot"
        settings.SMS_GATEWAY_URL = f"{sms.url}/send"
        settings.SMS_GATEWAY_TOKEN = "gateway-token"
        yield telegram, sms


@pytest.fixture
def people(group, block, organizer, operator):
    def volunteer(name, channel, **user):
        profile = factories.VolunteerFactory(
            user__username=name, user__group=group, notification_channel=channel, **user
        )
        profile.blocks.add(block)
        return profile

    by_telegram = volunteer("v_telegram", NotificationChannel.TELEGRAM)
    by_telegram.telegram_chat_id = "424242"
    by_telegram.save()
    return {
        "telegram": by_telegram,
        "sms": volunteer("v_sms", NotificationChannel.SMS, user__phone="+79110000001"),
        "email": volunteer("v_email", NotificationChannel.EMAIL),
        "organizer": organizer,
        "operator": operator,
    }


def later(minutes):
    return time_machine.travel(timezone.now() + timedelta(minutes=minutes), tick=False)


def run_flows(block, people, capture):
    operator_api = APIClient()
    operator_api.force_authenticate(people["operator"])
    resident = {"name": CANARY_NAME, "flat": CANARY_FLAT, "phone": CANARY_PHONE,
                "notes": f"Звонить {CANARY_PHONE}"}  # fmt: skip
    # API: a request for a new resident; matching offers it to a first volunteer.
    with capture(execute=True):
        created = operator_api.post(
            "/api/v1/requests/",
            {"block": str(block.pk), "kind": "groceries", "details": "Хлеб", "neighbor": resident},
            format="json",
        )
    assert created.status_code == 201, created.content
    first = HelpRequest.objects.get(pk=created.json()["id"])
    assert operator_api.get(f"/api/v1/requests/{first.pk}/").status_code == 200

    # Celery: unanswered offers expire; the next volunteers are offered it on every channel.
    for step in (20, 40):
        with later(step), capture(execute=True):
            sweep_matching.delay()

    # Web: a volunteer claims from the page, reads the details, buys and delivers.
    web = Client()
    web.force_login(people["email"].user)
    with later(45), capture(execute=True):
        web.post(f"/tasks/{first.pk}/claim/")
        assert CANARY_FLAT in web.get(f"/tasks/{first.pk}/").content.decode()
        web.post(f"/tasks/{first.pk}/bought/")
        web.post(f"/tasks/{first.pk}/deliver/", {"spent": "120", "paid_by": "resident_cash"})

    # API volunteer: a second request for her, claimed and read; reminders, then alerts.
    with capture(execute=True):
        second = operator_api.post(
            "/api/v1/requests/",
            {"block": str(block.pk), "kind": "medicine", "details": "Капли",
             "neighbor_id": str(first.neighbor_id)},
            format="json",
        ).json()["id"]  # fmt: skip
    volunteer_api = APIClient()
    volunteer_api.force_authenticate(people["telegram"].user)
    with capture(execute=True):
        assert volunteer_api.post(f"/api/v1/tasks/{second}/claim/").status_code == 200
        assert volunteer_api.get(f"/api/v1/tasks/{second}/").status_code == 200
    for hours in (25, 28):
        with later(hours * 60), capture(execute=True):
            send_reminders.delay()

    # Check-in calls: she is isolated; block volunteers get the list and open the page.
    Neighbor.objects.filter(pk=first.neighbor_id).update(
        is_isolated=True, consent_to_contact=True, last_contact_at=None
    )
    with capture(execute=True):
        send_checkin_lists.delay()
    calls = Client()
    calls.force_login(people["sms"].user)
    assert CANARY_NAME in calls.get("/checkins/").content.decode()

    # Admin: the organizer finds her by phone and opens her page.
    admin = Client()
    admin.force_login(people["organizer"])
    found = admin.get("/admin/neighbors/neighbor/", {"q": CANARY_PHONE})
    assert CANARY_NAME in found.content.decode()
    admin.get(f"/admin/neighbors/neighbor/{first.neighbor_id}/change/")
    return resident


def run_errors(monkeypatch, people, block, resident):
    """Three server errors with her data in the JSON body, a form and the query string."""

    def boom(*args, **kwargs):
        raise RuntimeError("simulated failure")

    monkeypatch.setattr("requests.services.help_request_create", boom)
    monkeypatch.setattr("intake.views._find", boom)
    api = APIClient(raise_request_exception=False)
    api.force_authenticate(people["operator"])
    response = api.post(
        "/api/v1/requests/",
        {"block": str(block.pk), "kind": "groceries", "details": "Хлеб", "neighbor": resident},
        format="json",
    )
    assert response.status_code == 500
    desk = Client(raise_request_exception=False)
    desk.force_login(people["operator"])
    assert desk.get(reverse("intake:desk"), {"phone": CANARY_PHONE}).status_code == 500
    form = {"name": CANARY_NAME, "phone": CANARY_PHONE, "flat": CANARY_FLAT}
    assert desk.post(reverse("intake:desk"), form).status_code == 500


def test_no_canary_leaves_in_logs_tasks_notifications_or_error_mail(
    settings, sink, fake_channels, people, block, monkeypatch, django_capture_on_commit_callbacks
):
    settings.ADMINS = [("Admins", "admins@example.org")]
    telegram, sms = fake_channels

    resident = run_flows(block, people, django_capture_on_commit_callbacks)
    run_errors(monkeypatch, people, block, resident)

    for message in mail.outbox:
        sink.add(f"email to {message.to}", f"{message.subject}\n{message.body}")
        for content, _type in getattr(message, "alternatives", []):
            sink.add(f"email to {message.to} ({_type})", content)
    for server, name in ((telegram, "Telegram"), (sms, "SMS")):
        for request in server.requests:
            sink.add(f"{name} {request['path']}", request["json"])

    assert sink.add_log_lines() > 10
    # The flows did reach every channel, so a clean result means something.
    assert telegram.requests, "no Telegram message was sent"
    assert sms.requests, "no SMS was sent"
    error_mails = [m for m in mail.outbox if m.to == ["admins@example.org"]]
    assert len(error_mails) == 3, [m.subject for m in mail.outbox]
    assert any(m.to == [people["email"].user.email] for m in mail.outbox)
    assert any(where.startswith("task requests.match_help_request") for where, _ in sink.items)
    assert NeighborNamed(CANARY_NAME)

    assert not sink.leaked(), "personal data leaked:\n" + "\n".join(sink.leaked())


def NeighborNamed(name: str) -> bool:  # noqa: N802 - reads as a sentence in the assert
    return Neighbor.objects.filter(name=name).exists()
