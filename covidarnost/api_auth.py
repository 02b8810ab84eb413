"""API token authentication: django-rest-knox's, one query per call.

knox sweeps all of the user's other tokens for expired ones on every authenticated call (a
second query on every API request). Here only the token used is checked; the user's expired
tokens are deleted when a new one is issued (users.services.api_token_create).
"""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox.auth import TokenAuthentication as KnoxTokenAuthentication


class TokenAuthentication(KnoxTokenAuthentication):
    def _cleanup_token(self, auth_token) -> bool:
        # knox's hook (pinned to knox 5): True means "expired, skip it".
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            auth_token.delete()
            return True
        return False


class TokenScheme(KnoxTokenScheme):
    """The OpenAPI security scheme of these tokens: knox's ("Authorization: Token …")."""

    target_class = "covidarnost.api_auth.TokenAuthentication"
