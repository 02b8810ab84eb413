"""gunicorn's logs as JSON lines, like the app's (covidarnost.log_format).

The access line holds method, path (without the query string: the SMS webhook may carry its
secret there), status, bytes and duration. No client address, user agent, referer or header.
"""

from __future__ import annotations

import json
import logging
import os
from datetime import UTC, datetime

from gunicorn import glogging

from covidarnost.log_format import JsonFormatter


class JsonLogger(glogging.Logger):
    def setup(self, cfg):
        super().setup(cfg)
        for handler in self.error_log.handlers:
            handler.setFormatter(JsonFormatter())
        for handler in self.access_log.handlers:
            handler.setFormatter(logging.Formatter("%(message)s"))

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        status = resp.status
        if isinstance(status, str):
            status = status.split(None, 1)[0]
        entry = {
            "time": datetime.now(tz=UTC).isoformat(timespec="milliseconds"),
            "level": "INFO",
            "logger": "gunicorn.access",
            "method": environ.get("REQUEST_METHOD"),
            "path": environ.get("PATH_INFO"),
            "status": int(status),
            "bytes": getattr(resp, "sent", None),
            "duration_ms": round(request_time.total_seconds() * 1000, 1),
            "process": os.getpid(),
        }
        self.access_log.info(json.dumps(entry, ensure_ascii=False))
