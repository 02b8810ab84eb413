"""Fixtures of the intake desk tests: a signed-in client per role."""

import pytest

from tests import factories

PASSWORD = "pass-Word-123"


@pytest.fixture
def signed_in(client):
    def _sign_in(user):
        client.force_login(getattr(user, "user", user))  # a Volunteer profile or a User
        return client

    return _sign_in


@pytest.fixture
def caller(block):
    """A known resident who calls the hotline."""
    return factories.NeighborFactory(
        block=block, name="Петрова Анна Ивановна", flat="12", phone="+79211234567"
    )


def request_data(**overrides):
    """A complete, valid request form for a known resident (give `resident`)."""
    data = {
        "token": "tok-1",
        "source": "phone",
        "form_serial": "",
        "kind": "groceries",
        "needs": ["bread_milk"],
        "details": "Хлеб и кефир",
        "urgency": "normal",
        "due_at": "",
        "payment": "cash_on_delivery",
        "budget": "",
        "consent": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}
