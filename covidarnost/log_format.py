"""Structured (JSON lines) logging: one object per record, for log collectors.

Fields: time, level, logger, message, and the exception's traceback when there is one. Messages
are written with ids only (see the modules' log calls); this formatter adds no request data,
no client address and no extra attributes, so nothing personal can slip in through it.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
