"""The API's one body parser: JSON, at most DATA_UPLOAD_MAX_MEMORY_SIZE, text storable anywhere.

DRF reads the body as a stream, which skips Django's DATA_UPLOAD_MAX_MEMORY_SIZE check, so the
limit is enforced here. Every way a body can be malformed becomes a 400 (413 when too large),
never a 500: bad UTF-8, NaN, nesting deep enough to exhaust the recursion limit, and lone
surrogates (valid JSON escapes that PostgreSQL cannot store).
"""

from __future__ import annotations

import json

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from covidarnost.api_errors import RequestTooLarge


class LimitedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        # DRF passes no stream for an empty body; reading one byte past the limit tells "over".
        raw = stream.read(-1 if limit is None else limit + 1) if stream is not None else b""
        if limit is not None and len(raw) > limit:
            raise RequestTooLarge
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = raw.decode(encoding)
            data = json.loads(text, parse_constant=_reject_constant)
            # Fails on lone surrogates such as "\ud800", which no database accepts.
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except (ValueError, RecursionError, LookupError) as exc:
            # ValueError covers JSONDecodeError, UnicodeDecodeError and UnicodeEncodeError.
            raise ParseError(_("The request body is not valid JSON.")) from exc
        return data


def _reject_constant(name: str):
    raise ValueError(f"{name} is not allowed")
