"""API test helpers: a token-authenticated client per role, and a clean throttle cache."""

import pytest
from django.core.cache import cache
from knox.models import AuthToken
from rest_framework.test import APIClient

# Every role the API distinguishes; tests parametrize over these fixture names.
ROLES = [
    "anonymous",
    "volunteer",
    "outsider_volunteer",
    "pending_volunteer",
    "operator",
    "organizer",
    "other_organizer",
]


@pytest.fixture(autouse=True)
def _clean_cache():
    """Throttle counters live in the cache; each test starts from zero."""
    cache.clear()
    yield
    cache.clear()


def user_of(obj):
    """Fixtures give users for staff and Volunteer profiles for volunteers."""
    return getattr(obj, "user", obj)


def token_client(user, **extra) -> APIClient:
    client = APIClient(**extra)
    if user is not None:
        _instance, token = AuthToken.objects.create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@pytest.fixture
def client_for(request):
    """client_for("operator") → an APIClient signed in with that role's token."""

    def make(role: str) -> APIClient:
        if role == "anonymous":
            return APIClient()
        return token_client(user_of(request.getfixturevalue(role)))

    return make
