"""Display filters: distances in metres/kilometres and money in the user's locale."""

from decimal import Decimal

import pytest
from django.utils import translation

from tests import factories
from volunteers.templatetags.volunteer_tags import distance, geo_uri, money


@pytest.mark.parametrize(
    ("metres", "shown"),
    [
        (0, "0 m"),
        (44, "40 m"),
        (850.4, "850 m"),
        (994, "990 m"),
        (1000, "1.0 km"),
        (1234, "1.2 km"),
        (15_600, "15.6 km"),
    ],
)
def test_distance_in_english(metres, shown):
    with translation.override("en"):
        assert distance(metres) == shown


def test_distance_uses_the_russian_decimal_comma():
    with translation.override("ru"):
        assert distance(1234).startswith("1,2")


def test_no_base_location_means_no_distance():
    assert distance(None) == ""


def test_money_in_russian_groups_thousands():
    with translation.override("ru"):
        assert money(Decimal("1234.5")).replace("\xa0", " ").startswith("1 234,50")


def test_money_in_english():
    with translation.override("en"):
        assert money(Decimal("1234.5")).startswith("1,234.50")


def test_geo_uri_encodes_the_address(db):
    block = factories.BlockFactory.build(latitude=59.9851, longitude=30.3002, address="ул. Мира, 1")
    assert geo_uri(block) == (
        "geo:59.985100,30.300200?q=59.985100,30.300200(%D1%83%D0%BB.%20%D0%9C%D0%B8%D1%80%D0%B0%2C%201)"
    )
