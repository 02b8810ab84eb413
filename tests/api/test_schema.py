import re

import pytest
from django.core.management import call_command
from django.test import override_settings

from covidarnost.api_schema import PHONE_PATTERN, TEXT_PATTERN
from neighbors.models import Neighbor
from requests.api.views import IDEMPOTENCY_KEY_RE
from requests.models import DETAILS_MAX_LENGTH, NOTE_MAX_LENGTH, HelpRequest
from tests.api.conftest import token_client, user_of

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


# --- The schema tells the truth: what scripts/api_fuzz.sh holds the server to -------------


def _operations(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            yield path, method, operation


def _component(schema, name):
    return schema["components"]["schemas"][name]


def _branches(prop):
    """A property's schema, or its non-empty branch where blank is a oneOf of its own."""
    for branch in prop.get("oneOf", [prop]):
        if branch.get("maxLength") != 0:
            return branch
    return prop


def test_every_operation_documents_the_answers_any_request_can_get(schema):
    for path, method, operation in _operations(schema):
        responses = operation["responses"]
        label = f"{method.upper()} {path}"
        assert {"406", "503"} <= set(responses), label
        assert "Retry-After" in responses["503"]["headers"], label
        if operation.get("security"):
            assert "401" in responses, label
        if "requestBody" in operation:
            assert {"400", "413", "415"} <= set(responses), label


def test_every_error_answer_is_documented_as_json(schema):
    for path, method, operation in _operations(schema):
        for status, response in operation["responses"].items():
            if status.startswith(("4", "5")):
                assert list(response["content"]) == ["application/json"], (method, path, status)


def test_paginated_lists_document_404_for_a_page_past_the_end(schema):
    for path in ("/api/v1/tasks/", "/api/v1/blocks/"):
        operation = schema["paths"][path]["get"]
        assert "page" in [p["name"] for p in operation["parameters"]]
        assert "404" in operation["responses"], path


def test_idempotency_key_pattern_is_the_one_the_server_enforces(schema):
    create = schema["paths"]["/api/v1/requests/"]["post"]
    [key] = [p for p in create["parameters"] if p["name"] == "Idempotency-Key"]
    pattern = re.compile(key["schema"]["pattern"])
    assert key["schema"]["maxLength"] == 64
    for value in ["form-2024-0001", "x" * 64, "!~", "a"]:
        assert pattern.search(value) and IDEMPOTENCY_KEY_RE.fullmatch(value), value
    for value in ["", "x" * 65, "with space", "tab\there", "кириллица"]:
        assert not (pattern.search(value) and len(value) <= 64), value
        assert not IDEMPOTENCY_KEY_RE.fullmatch(value), value
    # (Python's $ matches before a final newline, JSON Schema's does not; the server refuses.)
    assert not IDEMPOTENCY_KEY_RE.fullmatch("key\n")


def test_amounts_cannot_be_negative_in_the_schema(schema):
    spent = _component(schema, "DeliverInputRequest")["properties"]["spent"]
    budget = _component(schema, "RequestInputRequest")["properties"]["budget"]
    for prop in (spent, budget):
        pattern = re.compile(prop["pattern"])
        assert pattern.search("412.50") and pattern.search("0")
        assert not pattern.search("-1") and not pattern.search("") and not pattern.search(".")


def test_reasons_are_required_and_not_blank(schema):
    reason = _component(schema, "ReasonInputRequest")
    assert reason["required"] == ["reason"]
    assert reason["properties"]["reason"]["minLength"] == 1
    assert reason["properties"]["reason"]["pattern"] == TEXT_PATTERN
    for path in ("/api/v1/tasks/{id}/release/", "/api/v1/tasks/{id}/undeliverable/"):
        body = schema["paths"][path]["post"]["requestBody"]
        assert body["required"] is True, path


def test_text_limits_are_the_models(schema):
    request = _component(schema, "RequestInputRequest")["properties"]
    neighbor = _component(schema, "NeighborInputRequest")["properties"]
    note = _component(schema, "DeliverInputRequest")["properties"]["note"]
    reason = _component(schema, "ReasonInputRequest")["properties"]["reason"]

    assert request["details"]["maxLength"] == DETAILS_MAX_LENGTH
    assert _branches(request["form_serial"])["maxLength"] == (
        HelpRequest._meta.get_field("form_serial").max_length
    )
    assert _branches(note)["maxLength"] == NOTE_MAX_LENGTH == reason["maxLength"]
    for name in ("name", "flat", "notes", "phone"):
        assert _branches(neighbor[name])["maxLength"] == Neighbor._meta.get_field(name).max_length


def test_text_pattern_is_what_the_server_accepts():
    pattern = re.compile(TEXT_PATTERN)
    for text in ["Хлеб", " x ", "a\tb"]:
        assert pattern.search(text), text
    for text in ["", " ", "\t\n", "\u3000", "a\x00b"]:
        assert not pattern.search(text), repr(text)


def test_phone_pattern_only_admits_numbers_the_server_accepts():
    import phonenumbers

    pattern = re.compile(PHONE_PATTERN)
    for number in ["+79001234567", "+79219876543", "+79499999999", "+79999999999"]:
        assert pattern.search(number)
        assert phonenumbers.is_valid_number(phonenumbers.parse(number, "RU")), number
    assert not pattern.search("+79300812448")  # a +7 93… number that is not valid


def test_a_request_names_a_new_resident_or_a_known_one(schema):
    create = _component(schema, "RequestInputRequest")
    assert create["oneOf"] == [{"required": ["neighbor"]}, {"required": ["neighbor_id"]}]


def test_links_lead_from_a_new_request_to_its_delivery(schema):
    ids = {op["operationId"] for _p, _m, op in _operations(schema)}

    def links(path, method, status):
        return schema["paths"][path][method]["responses"][status]["links"]

    blocks = links("/api/v1/blocks/", "get", "200")
    assert blocks["CreateRequestInBlock"]["operationId"] == "v1_requests_create"
    created = links("/api/v1/requests/", "post", "201")
    assert {link["operationId"] for link in created.values()} == {
        "v1_requests_retrieve",
        "v1_tasks_retrieve",
        "v1_tasks_claim_create",
    }
    claimed = links("/api/v1/tasks/{id}/claim/", "post", "200")
    assert {"v1_tasks_deliver_create", "v1_tasks_release_create"} <= {
        link["operationId"] for link in claimed.values()
    }
    for _p, _m, operation in _operations(schema):
        for response in operation["responses"].values():
            for link in response.get("links", {}).values():
                assert link["operationId"] in ids
                for expression in link.get("parameters", {}).values():
                    assert expression.startswith("$response.body#/")


# --- The answers the schema documents are the server's ----------------------------------
@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/nothing-here/"),
        ("post", "/api/v2/requests/"),
        ("get", "/api/v1/tasks/not-a-uuid/"),
        ("get", "/api/v1/tasks"),
        ("delete", "/api/"),
    ],
)
def test_unknown_api_paths_answer_json_404(client, db, settings, debug, method, path):
    settings.DEBUG = debug
    response = getattr(client, method)(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


def test_unknown_api_paths_answer_json_404_even_to_a_post_with_cookies(client, volunteer):
    client.force_login(volunteer.user)  # a session cookie, and no CSRF token
    response = client.post("/api/v1/tasks/4/claim/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/tasks/?page=99",
        "/api/v1/blocks/?page=0",
        "/api/v1/blocks/?page=",
        "/api/v1/blocks/?page=last",
    ],
)
def test_a_page_past_the_end_is_a_json_404(volunteer, path):
    response = token_client(user_of(volunteer)).get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_accept_without_json_is_a_json_406(volunteer):
    response = token_client(user_of(volunteer)).get("/api/v1/me/", HTTP_ACCEPT="text/html")

    assert response.status_code == 406
    assert response["Content-Type"] == "application/json"


@override_settings(DEBUG=False)
def test_the_api_has_no_html_browsable_pages(volunteer):
    response = token_client(user_of(volunteer)).get("/api/v1/me/", HTTP_ACCEPT="*/*")

    assert response["Content-Type"] == "application/json"
