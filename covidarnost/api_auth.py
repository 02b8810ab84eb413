"""API token authentication: django-rest-knox's tokens, one query per call.

knox sweeps all of the user's other tokens for expired ones on every authenticated call (a
second query on every API request), and loads the user without what every permission check
reads next (the group's lock, the volunteer profile). Here one query brings the token used,
its user, the user's group and volunteer profile; only that token is checked for expiry (the
user's expired tokens are deleted when a new one is issued: users.services.api_token_create).
A staff token's idle limit moves forward with each call (users.services.api_token_touch):
at most one UPDATE a minute per token.
"""

from __future__ import annotations

import binascii
from hmac import compare_digest

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.crypto import hash_token
from knox.models import get_token_model
from knox.settings import CONSTANTS
from rest_framework import exceptions

from users.services import api_token_touch


class TokenAuthentication(KnoxTokenAuthentication):
    def authenticate_credentials(self, token: bytes):
        # knox's lookup (pinned to knox 5): the key prefix finds the candidates, the digest of
        # the whole token decides, compared in constant time.
        token = token.decode("utf-8")
        candidates = (
            get_token_model()
            .objects.filter(token_key=token[: CONSTANTS.TOKEN_KEY_LENGTH])
            .select_related("user__group", "user__volunteer")
        )
        for auth_token in candidates:
            if self._cleanup_token(auth_token):
                continue
            try:
                digest = hash_token(token)
            except (TypeError, binascii.Error) as exc:
                raise exceptions.AuthenticationFailed(_("Invalid token.")) from exc
            if compare_digest(digest, auth_token.digest):
                # No knox AUTO_REFRESH (off in settings): api_token_touch moves staff tokens.
                return self.validate_user(auth_token)
        raise exceptions.AuthenticationFailed(_("Invalid token."))

    def _cleanup_token(self, auth_token) -> bool:
        # True means "expired, skip it".
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
