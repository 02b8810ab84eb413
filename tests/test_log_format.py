"""Structured logs: JSON lines with ids only; gunicorn's access line without client data."""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from types import SimpleNamespace

from covidarnost.gunicorn_logging import JsonLogger
from covidarnost.log_format import JsonFormatter


def test_json_formatter_writes_one_object_with_the_message_and_no_extras():
    record = logging.LogRecord(
        "requests.services", logging.INFO, __file__, 1, "help_request %s: created", ("abc",), None
    )
    record.neighbor_name = "Иванова"  # an extra attribute must not be copied into the line
    line = JsonFormatter().format(record)
    entry = json.loads(line)
    assert entry["message"] == "help_request abc: created"
    assert entry["level"] == "INFO"
    assert entry["logger"] == "requests.services"
    assert "Иванова" not in line
    assert "\n" not in line


def test_json_formatter_keeps_the_traceback():
    try:
        raise ValueError("boom")
    except ValueError:
        import sys

        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    entry = json.loads(JsonFormatter().format(record))
    assert "ValueError: boom" in entry["exception"]


def test_gunicorn_access_line_has_no_address_agent_or_query(caplog):
    from gunicorn.config import Config

    config = Config()
    config.set("accesslog", "-")
    logger = JsonLogger(config)
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/notifications/sms/inbound/",
        "QUERY_STRING": "token=secret-token",
        "RAW_URI": "/notifications/sms/inbound/?token=secret-token",
        "REMOTE_ADDR": "203.0.113.7",
        "HTTP_USER_AGENT": "Phone/1.0",
        "HTTP_X_FORWARDED_FOR": "198.51.100.2",
        "SERVER_PROTOCOL": "HTTP/1.1",
    }
    response = SimpleNamespace(status="200 OK", sent=12, headers=[])
    request = SimpleNamespace(headers=[("X-FORWARDED-FOR", "198.51.100.2")])
    logger.access_log.propagate = True
    try:
        with caplog.at_level(logging.INFO, logger="gunicorn.access"):
            logger.access(response, request, environ, timedelta(milliseconds=12))
    finally:
        logger.access_log.propagate = False
    line = caplog.records[-1].getMessage()
    entry = json.loads(line)
    assert entry["path"] == "/notifications/sms/inbound/"
    assert entry["status"] == 200
    assert entry["method"] == "POST"
    for secret in ("203.0.113.7", "198.51.100.2", "secret-token", "Phone/1.0"):
        assert secret not in line
