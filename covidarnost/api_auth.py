"""API token authentication: django-rest-knox's, one query per call.

knox sweeps all of the user's other tokens for expired ones on every authenticated call (a
second query on every API request). Here only the token used is checked; the user's expired
tokens are deleted when a new one is issued (users.services.api_token_create). A staff
token's idle limit moves forward with each call (users.services.api_token_touch): at most
one UPDATE a minute per token.
"""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox.auth import TokenAuthentication as KnoxTokenAuthentication

from users.services import api_token_touch


class TokenAuthentication(KnoxTokenAuthentication):
    def _cleanup_token(self, auth_token) -> bool:
        # knox's hook (pinned to knox 5): True means "expired, skip it".
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            auth_token.delete()
            return True
        return False

    def validate_user(self, auth_token):
        user, auth_token = super().validate_user(auth_token)
        api_token_touch(token=auth_token)
        return user, auth_token


class TokenScheme(KnoxTokenScheme):
    """The OpenAPI security scheme of these tokens: knox's ("Authorization: Token …")."""

    target_class = "covidarnost.api_auth.TokenAuthentication"
