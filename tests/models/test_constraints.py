"""Database constraints hold even when code forgets the rules (they guard data, not forms)."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from requests.models import Offer
from tests.factories import (
    BlockFactory,
    HelpRequestFactory,
    UserFactory,
    VolunteerFactory,
)

pytestmark = pytest.mark.django_db


def _violates(callable_):
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_()


def test_block_code_unique_within_group_but_not_across(group, other_group):
    BlockFactory(group=group, code="A1")
    BlockFactory(group=other_group, code="A1")
    _violates(lambda: BlockFactory(group=group, code="A1"))


@pytest.mark.parametrize(("lat", "lon"), [(91, 30), (-91, 30), (59, 181), (59, -181)])
def test_block_coordinates_in_range(group, lat, lon):
    _violates(lambda: BlockFactory(group=group, latitude=lat, longitude=lon))


def test_user_with_role_needs_group():
    _violates(lambda: UserFactory(group=None, role="operator"))


def test_volunteer_base_location_needs_both_coordinates(group):
    _violates(lambda: VolunteerFactory(user__group=group, base_latitude=59.9, base_longitude=None))


def test_verified_volunteer_has_verification_date(group):
    _violates(lambda: VolunteerFactory(user__group=group, status="verified", verified_at=None))


def test_open_request_cannot_have_volunteer(neighbor, volunteer):
    _violates(lambda: HelpRequestFactory(neighbor=neighbor, status="open", volunteer=volunteer))


def test_claimed_request_needs_volunteer(neighbor):
    _violates(lambda: HelpRequestFactory(neighbor=neighbor, status="claimed"))


def test_delivered_request_needs_delivery_date(neighbor, volunteer):
    _violates(
        lambda: HelpRequestFactory(neighbor=neighbor, status="delivered", volunteer=volunteer)
    )


def test_spent_not_negative(neighbor):
    _violates(lambda: HelpRequestFactory(neighbor=neighbor, spent=-5))


def test_idempotency_key_unique_per_helper(neighbor, operator):
    HelpRequestFactory(neighbor=neighbor, created_by=operator, idempotency_key="k")
    HelpRequestFactory(neighbor=neighbor, created_by=operator, idempotency_key=None)
    HelpRequestFactory(neighbor=neighbor, created_by=operator, idempotency_key=None)
    _violates(
        lambda: HelpRequestFactory(neighbor=neighbor, created_by=operator, idempotency_key="k")
    )


def test_one_pending_offer_per_request_and_one_offer_per_volunteer(
    help_request, volunteer, second_volunteer
):
    expires = timezone.now()
    Offer.objects.create(
        help_request=help_request, volunteer=volunteer, rank=1, short_code="A", expires_at=expires
    )
    _violates(
        lambda: Offer.objects.create(
            help_request=help_request,
            volunteer=second_volunteer,
            rank=2,
            short_code="B",
            expires_at=expires,
        )
    )
    _violates(
        lambda: Offer.objects.create(
            help_request=help_request,
            volunteer=volunteer,
            rank=3,
            short_code="C",
            expires_at=expires,
            status="declined",
        )
    )
