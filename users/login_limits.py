"""Failed sign-ins, counted in the database for the web form, the admin and the API alike.

Two counters, both stored as an HMAC (covidarnost.api_throttles.hashed), never in the clear:

- per account: keyed on the account the typed text finds (username, or a phone number in any
  spelling), so "8 911 …" and "+7 911 …" share one counter; text that finds no account is
  keyed on its normalised form;
- per client: keyed on the client's address (read like the API reads it: API_NUM_PROXIES).

Failures are recorded from Django's user_login_failed signal, which every entry point's
authenticate() call sends. A new password set by an organizer clears the account's counter.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from rest_framework.throttling import SimpleRateThrottle

from covidarnost.api_throttles import hashed
from covidarnost.phones import normalize_phone
from users.models import LoginFailure


def _rate(name: str) -> tuple[int, int]:
    """(allowed failures, window in seconds) from a DRF-style rate such as "10/hour"."""
    if name == "account":
        rate = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["auth_username"]
    else:
        rate = settings.LOGIN_CLIENT_FAILURES
    return SimpleRateThrottle.parse_rate(None, rate)


def find_account(text: str):
    """The account a typed username or phone number names, or None.

    The username is matched exactly, then ignoring case if only one account fits (so a
    capitalised spelling counts against the same account); then the phone number.
    """
    text = (text or "").strip()
    if not text:
        return None
    users = get_user_model()._default_manager
    account = users.filter(username=text).first()
    if account is None:
        matches = list(users.filter(username__iexact=text)[:2])
        account = matches[0] if len(matches) == 1 else None
    if account is None:
        phone = normalize_phone(text)
        if phone is not None:
            account = users.filter(phone=phone).first()
    return account


def client_address(request) -> str:
    """The client's address, trusting X-Forwarded-For only from API_NUM_PROXIES proxies."""
    if request is None:
        return ""
    request = getattr(request, "_request", request)
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.REST_FRAMEWORK.get("NUM_PROXIES") or 0
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        addresses = [address.strip() for address in forwarded.split(",") if address.strip()]
        if addresses:
            return addresses[-min(proxies, len(addresses))]
    return remote


def _account_key(text: str, account=None) -> str:
    if account is not None:
        return hashed(f"login-account:{account.pk}")
    phone = normalize_phone(text or "")
    return hashed(f"login-name:{phone or (text or '').strip().lower()}")


def _client_key(request) -> str | None:
    address = client_address(request)
    return hashed(f"login-client:{address}") if address else None


def _keys(request, text: str, account) -> list[tuple[str, int, int]]:
    keys = [(_account_key(text, account), *_rate("account"))]
    client = _client_key(request)
    if client is not None:
        keys.append((client, *_rate("client")))
    return keys


def locked_out(request, text: str, account=None) -> bool:
    """Whether the account (or the typed text) or the client had too many failures recently.

    account: pass the account already found, to save a lookup.
    """
    if account is None:
        account = find_account(text)
    now = timezone.now()
    for key, allowed, window in _keys(request, text, account):
        since = now - timedelta(seconds=window)
        if LoginFailure.objects.filter(key=key, created_at__gte=since).count() >= allowed:
            return True
    return False


def lock_seconds() -> int:
    """How long a lock lasts at most: the longer of the two windows (for Retry-After)."""
    return max(_rate("account")[1], _rate("client")[1])


def record_failure(request, text: str) -> None:
    """Count one failed sign-in against the account (or text) and the client."""
    now = timezone.now()
    keys = _keys(request, text, find_account(text))
    LoginFailure.objects.bulk_create([LoginFailure(key=key, created_at=now) for key, *_ in keys])
    for key, _allowed, window in keys:
        # Old rows of these keys count no more: keep the table small as we go.
        LoginFailure.objects.filter(
            key=key, created_at__lt=now - timedelta(seconds=window)
        ).delete()


def clear_account(account) -> None:
    """Lift the account's lock (an organizer set a new password)."""
    LoginFailure.objects.filter(key=_account_key("", account)).delete()


def public_form_allowed(request, purpose: str, rate: str) -> bool:
    """Count one use of a public form (sign-up, password help) from this client; False once
    the client used it `rate` times ("10/hour") within the window. Stored like the sign-in
    failures: an HMAC of purpose and address, never the address; works without Redis."""
    address = client_address(request)
    if not address:
        return True
    key = hashed(f"{purpose}-client:{address}")
    allowed, window = SimpleRateThrottle.parse_rate(None, rate)
    now = timezone.now()
    since = now - timedelta(seconds=window)
    if LoginFailure.objects.filter(key=key, created_at__gte=since).count() >= allowed:
        return False
    LoginFailure.objects.create(key=key, created_at=now)
    LoginFailure.objects.filter(key=key, created_at__lt=since).delete()
    return True
