"""Consent to be contacted is never assumed: false unless said, in the API, service and model."""

import pytest

from neighbors.models import Neighbor
from neighbors.services import neighbor_create


@pytest.mark.parametrize("role", ["volunteer", "operator", "organizer"])
def test_api_without_consent_records_none(client_for, block, role):
    payload = {
        "block": str(block.pk),
        "kind": "groceries",
        "details": "Хлеб",
        "neighbor": {"name": "Петрова Анна", "flat": "12"},
    }

    response = client_for(role).post("/api/v1/requests/", payload, format="json")

    assert response.status_code == 201, response.content
    assert Neighbor.objects.get().consent_to_contact is False


def test_api_records_consent_when_given(client_for, block):
    payload = {
        "block": str(block.pk),
        "kind": "groceries",
        "details": "Хлеб",
        "neighbor": {"name": "Петрова Анна", "consent_to_contact": True},
    }

    assert (
        client_for("operator").post("/api/v1/requests/", payload, format="json").status_code == 201
    )
    assert Neighbor.objects.get().consent_to_contact is True


def test_service_and_model_default_to_false(block):
    assert neighbor_create(actor=None, block=block, name="Петрова Анна").consent_to_contact is False
    assert Neighbor(block=block, name="x").consent_to_contact is False


def test_schema_says_false(client):
    schema = client.get("/api/schema/?format=json").json()
    field = schema["components"]["schemas"]["NeighborInputRequest"]["properties"][
        "consent_to_contact"
    ]
    assert field["default"] is False
