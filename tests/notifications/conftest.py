"""Fixtures for notification tests: offers built on the model, fake Bot API and SMS gateway."""

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from requests.models import Offer


@pytest.fixture
def make_offer():
    def _make(help_request, volunteer, *, rank=1, short_code="K7Q2"):
        return Offer.objects.create(
            help_request=help_request,
            volunteer=volunteer,
            rank=rank,
            short_code=short_code,
            expires_at=timezone.now() + timedelta(minutes=30),
        )

    return _make


@pytest.fixture
def offer(help_request, volunteer, make_offer):
    return make_offer(help_request, volunteer)


class FakeHttpServer:
    """A real HTTP server on 127.0.0.1 that records JSON POSTs and answers from a script.

    `responses` is a queue of (status, json_body); when empty, 200 {"ok": true}.
    """

    def __init__(self):
        self.requests: list[dict] = []
        self.responses: list[tuple[int, dict]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                fake.requests.append(
                    {
                        "path": self.path,
                        "headers": dict(self.headers),
                        "json": json.loads(raw) if raw else None,
                    }
                )
                status, body = (
                    fake.responses.pop(0) if fake.responses else (200, {"ok": True, "result": {}})
                )
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format, *args):  # keep test output quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        # A short poll interval makes shutdown() at teardown quick.
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def methods(self) -> list[str]:
        return [request["path"].rsplit("/", 1)[-1] for request in self.requests]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


BOT_TOKEN = "123456:TEST-token"
WEBHOOK_SECRET = "webhook-Secret_42"
SMS_SECRET = "sms-inbound-secret"


@pytest.fixture
def fake_telegram(settings):
    """A fake Bot API; settings point the Telegram channel at it."""
    with FakeHttpServer() as server:
        settings.TELEGRAM_API_URL = server.url
        settings.TELEGRAM_BOT_TOKEN = BOT_TOKEN
        settings.TELEGRAM_BOT_USERNAME = "covidarnost_test_bot"
        settings.TELEGRAM_WEBHOOK_SECRET = WEBHOOK_SECRET
        yield server


@pytest.fixture
def fake_sms(settings):
    """A fake SMS gateway; settings point the SMS channel at it."""
    with FakeHttpServer() as server:
        settings.SMS_GATEWAY_URL = f"{server.url}/send"
        settings.SMS_GATEWAY_TEMPLATE = '{"to": "{phone}", "message": {"body": "{text}"}}'
        settings.SMS_GATEWAY_TOKEN = "gateway-token"
        settings.SMS_INBOUND_SECRET = SMS_SECRET
        yield server


@pytest.fixture
def personal_data(help_request):
    """Every piece of a request's personal data that must never leave in a notification."""
    neighbor = help_request.neighbor
    return [
        neighbor.name,
        str(neighbor.phone),
        f"кв. {neighbor.flat}",
        neighbor.notes,
        help_request.block.address,
        help_request.code_word,
        help_request.details,
    ]
