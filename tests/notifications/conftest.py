"""Fixtures for notification tests: offers built on the model, fake Bot API and SMS gateway."""

from datetime import timedelta

import pytest
from django.utils import timezone

from requests.models import Offer


@pytest.fixture
def make_offer():
    def _make(help_request, volunteer, *, rank=1, short_code="K7Q2"):
        return Offer.objects.create(
            help_request=help_request,
            volunteer=volunteer,
            rank=rank,
            short_code=short_code,
            expires_at=timezone.now() + timedelta(minutes=30),
        )

    return _make


@pytest.fixture
def offer(help_request, volunteer, make_offer):
    return make_offer(help_request, volunteer)
