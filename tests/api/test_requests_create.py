import json
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from requests.models import HelpRequest, RequestEvent
from tests.api.conftest import token_client, user_of
from tests.factories import NeighborFactory

URL = "/api/v1/requests/"


@pytest.fixture
def payload(block):
    return {
        "block": str(block.pk),
        "kind": "groceries",
        "details": "Хлеб, молоко",
        "source": "paper_form",
        "neighbor": {"name": "Петрова Анна", "flat": "12", "phone": "+7 911 765-43-21"},
    }


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 401),
        ("volunteer", 201),
        ("outsider_volunteer", 404),  # the block is another group's
        ("pending_volunteer", 403),
        ("operator", 201),
        ("organizer", 201),
        ("other_organizer", 404),
    ],
)
def test_who_may_create_a_request_for_this_groups_block(client_for, role, expected, payload):
    response = client_for(role).post(URL, payload, format="json")

    assert response.status_code == expected, response.content
    assert HelpRequest.objects.count() == (1 if expected == 201 else 0)


def test_created_request_is_open_with_a_code_word(client_for, payload, operator, block):
    response = client_for("operator").post(URL, payload, format="json")

    body = response.json()
    help_request = HelpRequest.objects.get()
    assert body["id"] == str(help_request.pk)
    assert body["status"] == "open"
    assert body["code_word"] == help_request.code_word != ""
    assert body["block"]["id"] == str(block.pk)
    assert help_request.created_by == operator
    assert help_request.neighbor.phone == "+79117654321"
    assert help_request.neighbor.flat == "12"
    assert RequestEvent.objects.filter(help_request=help_request, action="create").count() == 1


def test_existing_neighbor_by_id(client_for, payload, neighbor):
    del payload["neighbor"]
    payload["neighbor_id"] = str(neighbor.pk)

    response = client_for("operator").post(URL, payload, format="json")

    assert response.status_code == 201
    assert response.json()["neighbor_id"] == str(neighbor.pk)


def test_neighbor_of_another_group_is_404(client_for, payload, other_block):
    del payload["neighbor"]
    payload["neighbor_id"] = str(NeighborFactory(block=other_block).pk)

    response = client_for("operator").post(URL, payload, format="json")

    assert response.status_code == 404
    assert not HelpRequest.objects.exists()


def test_missing_neighbor_is_a_field_error(client_for, payload):
    del payload["neighbor"]

    response = client_for("operator").post(URL, payload, format="json", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response.json() == {"neighbor": ["Say who the request is for."]}


def test_both_neighbor_and_neighbor_id_is_400(client_for, payload, neighbor):
    payload["neighbor_id"] = str(neighbor.pk)

    response = client_for("operator").post(URL, payload, format="json")

    assert response.status_code == 400
    assert "neighbor_id" in response.json()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "weapons"}, "kind"),
        ({"source": "pigeon"}, "source"),
        ({"details": "x" * 5001}, "details"),
        ({"details": ""}, "details"),
        ({"block": "not-a-uuid"}, "block"),
        ({"budget": "-1"}, "budget"),
        ({"budget": "1e400"}, "budget"),
        ({"due_at": "yesterday"}, "due_at"),
        # A typo's year: and before 1920 Moscow's offset had seconds, not RFC 3339.
        ({"due_at": "0062-06-20T12:05:07Z"}, "due_at"),
        ({"due_at": "2062-06-20T12:05:07Z"}, "due_at"),
        ({"details": "bad\x00byte"}, "details"),
        ({"neighbor": "Петрова"}, "neighbor"),
        ({"neighbor": {"name": "Петрова", "phone": "12"}}, "neighbor"),
        ({"neighbor": {"name": "Петрова", "entrance": 10**30}}, "neighbor"),
        ({"neighbor": {"name": "x" * 201}}, "neighbor"),
    ],
)
def test_bad_fields_are_400_naming_the_field(client_for, payload, change, field):
    payload.update(change)

    response = client_for("operator").post(URL, payload, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not HelpRequest.objects.exists()


def test_unparseable_phone_names_phone(client_for, payload):
    payload["neighbor"]["phone"] = "call me maybe"

    response = client_for("operator").post(URL, payload, format="json", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response.json() == {"neighbor": {"phone": ["Enter a valid phone number."]}}


def test_details_of_exactly_5000_characters_are_accepted(client_for, payload):
    payload["details"] = "x" * 5000

    assert client_for("operator").post(URL, payload, format="json").status_code == 201


def test_unknown_fields_are_ignored(client_for, payload):
    payload["colour"] = "blue"

    assert client_for("operator").post(URL, payload, format="json").status_code == 201


def test_block_of_another_group_is_404(client_for, payload, other_block):
    payload["block"] = str(other_block.pk)

    response = client_for("operator").post(URL, payload, format="json")

    assert response.status_code == 404
    assert not HelpRequest.objects.exists()


def test_malformed_json_is_400(client_for):
    response = client_for("operator").post(
        URL, '{"block": ', content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    assert response.json() == {"detail": "The request body is not valid JSON."}


@pytest.mark.parametrize(
    "body",
    [
        b'{"details": "\\ud800"}',  # a lone surrogate: valid JSON, not storable text
        b"[" * 100_000 + b"]" * 100_000,  # deep enough to exhaust recursion
        b'{"budget": NaN}',
        b"\xff\xfe not utf-8",
        b"[1, 2]",
        b'"just a string"',
    ],
)
def test_hostile_bodies_are_400_never_500(client_for, body):
    response = client_for("operator").post(URL, body, content_type="application/json")

    assert response.status_code == 400
    assert not HelpRequest.objects.exists()


def test_body_over_one_megabyte_is_413(client_for, payload):
    payload["details"] = "x" * (1024 * 1024)

    response = client_for("operator").post(URL, payload, format="json", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 413
    assert response.json() == {"detail": "The request body is too large."}


def test_other_content_types_are_415(client_for, payload):
    response = client_for("operator").post(
        URL, "kind=groceries", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 415
    assert "detail" in response.json()


def test_idempotency_key_makes_a_retry_return_the_same_request(client_for, payload):
    client = client_for("operator")

    first = client.post(URL, payload, format="json", HTTP_IDEMPOTENCY_KEY="form-2024-0001")
    retry = client.post(URL, payload, format="json", HTTP_IDEMPOTENCY_KEY="form-2024-0001")

    assert first.status_code == 201
    assert retry.status_code == 200
    assert retry.json() == first.json()
    assert HelpRequest.objects.count() == 1


def test_same_key_from_another_helper_is_a_different_request(client_for, payload):
    client_for("operator").post(URL, payload, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    other = client_for("organizer").post(URL, payload, format="json", HTTP_IDEMPOTENCY_KEY="k1")

    assert other.status_code == 201
    assert HelpRequest.objects.count() == 2


def test_without_a_key_two_posts_are_two_requests(client_for, payload):
    client = client_for("operator")
    client.post(URL, payload, format="json")
    client.post(URL, payload, format="json")

    assert HelpRequest.objects.count() == 2


@pytest.mark.parametrize("key", ["x" * 65, "with space", "tab\there"])
def test_bad_idempotency_key_is_400(client_for, payload, key):
    response = client_for("operator").post(URL, payload, format="json", HTTP_IDEMPOTENCY_KEY=key)

    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()
    assert not HelpRequest.objects.exists()


def test_errors_follow_accept_language(client_for, payload):
    del payload["kind"]
    client = client_for("operator")

    english = client.post(URL, payload, format="json", HTTP_ACCEPT_LANGUAGE="en")
    russian = client.post(URL, payload, format="json", HTTP_ACCEPT_LANGUAGE="ru")

    assert english.json() == {"kind": ["This field is required."]}
    assert russian.json() == {"kind": ["Обязательное поле."]}


def _rates(**overrides):
    from django.conf import settings

    return override_settings(
        REST_FRAMEWORK={
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {
                **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
                **overrides,
            },
        }
    )


def test_creation_is_throttled_per_user(client_for, payload, organizer):
    client = client_for("operator")
    with _rates(request_create_user="2/min"):
        codes = [client.post(URL, payload, format="json").status_code for _ in range(3)]
        other_user = client_for("organizer").post(URL, payload, format="json")

    assert codes == [201, 201, 429]
    assert other_user.status_code == 201
    assert HelpRequest.objects.count() == 3


def test_creation_is_throttled_per_address_across_accounts(payload, operator, organizer):
    with _rates(request_create_ip="2/min"):
        codes = [
            token_client(user_of(user), REMOTE_ADDR="198.51.100.7")
            .post(URL, payload, format="json")
            .status_code
            for user in (operator, organizer, operator)
        ]

    assert codes == [201, 201, 429]


def test_session_auth_needs_csrf_for_writes(payload, operator):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(operator)

    response = client.post(URL, json.dumps(payload), content_type="application/json")

    assert response.status_code == 403
    assert not HelpRequest.objects.exists()


def test_a_due_date_within_the_year_is_accepted(client_for, payload):
    due = (timezone.now() + timedelta(days=300)).replace(microsecond=0)
    payload["due_at"] = due.isoformat()

    response = client_for("operator").post(URL, payload, format="json")

    assert response.status_code == 201, response.content
    assert HelpRequest.objects.get().due_at == due
