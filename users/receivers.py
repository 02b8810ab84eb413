"""Reactions to account events: a new password, a failed sign-in."""

from __future__ import annotations

from users import login_limits
from users.services import user_revoke_tokens


def on_user_saved(sender, instance, created, **kwargs) -> None:
    """post_save of User: a changed password revokes every API token and lifts the sign-in
    lock (an organizer's reset). Browser sessions end by themselves: their hash covers it.

    set_password() keeps the raw password in _password until the save finishes; a hash
    upgrade at sign-in clears it first, so only a real change is seen here.
    """
    if created or getattr(instance, "_password", None) is None:
        return
    user_revoke_tokens(user=instance, reason="password changed")
    login_limits.clear_account(instance)


def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    """user_login_failed: the web form, the admin and the API all end up here."""
    username = credentials.get("username") or ""
    if username:
        login_limits.record_failure(request, username)
