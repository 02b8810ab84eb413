import pytest
from django.core.management import call_command

CONTRACT = {
    "/api/v1/auth/token/": {"post"},
    "/api/v1/me/": {"get"},
    "/api/v1/me/accept-safety-protocol/": {"post"},
    "/api/v1/blocks/": {"get"},
    "/api/v1/requests/": {"post"},
    "/api/v1/requests/{id}/": {"get"},
    "/api/v1/tasks/": {"get"},
    "/api/v1/tasks/{id}/": {"get"},
    "/api/v1/tasks/{id}/claim/": {"post"},
    "/api/v1/tasks/{id}/release/": {"post"},
    "/api/v1/tasks/{id}/deliver/": {"post"},
    "/api/v1/tasks/{id}/undeliverable/": {"post"},
}


@pytest.fixture
def schema(client, db):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()


def test_schema_has_every_contract_path(schema):
    for path, methods in CONTRACT.items():
        assert path in schema["paths"], path
        assert methods <= set(schema["paths"][path]), path


def test_schema_documents_conflicts_not_found_and_idempotency(schema):
    claim = schema["paths"]["/api/v1/tasks/{id}/claim/"]["post"]
    create = schema["paths"]["/api/v1/requests/"]["post"]

    assert {"200", "404", "409"} <= set(claim["responses"])
    assert {"200", "201", "400", "404", "413", "429"} <= set(create["responses"])
    headers = [p["name"] for p in create["parameters"] if p["in"] == "header"]
    assert headers == ["Idempotency-Key"]


def test_task_schema_makes_personal_fields_optional(schema):
    task = schema["components"]["schemas"]["TaskOutput"]

    assert {"neighbor", "code_word", "distance_m"} <= set(task["properties"])
    assert not {"neighbor", "code_word"} & set(task["required"])


def test_schema_generates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))


def test_docs_page_is_served(client, db):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    assert b"swagger" in response.content.lower()
