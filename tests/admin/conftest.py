"""Data in two groups for the admin tests: `group` (ours) and `other_group` (theirs)."""

import pytest

from tests import factories


@pytest.fixture
def other_neighbor(other_block):
    return factories.NeighborFactory(block=other_block, name="Чужая Соседка")


@pytest.fixture
def other_help_request(other_neighbor):
    return factories.HelpRequestFactory(neighbor=other_neighbor, details="Чужие продукты")


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login
