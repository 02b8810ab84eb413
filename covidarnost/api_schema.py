"""What the OpenAPI schema says beyond what drf-spectacular infers, so that it tells the truth.

scripts/api_fuzz.sh holds the server to it (schemathesis, every check, stateful phase included)
and tests/api/test_schema.py pins the facts below.

- Text fields: the server trims text and refuses NUL characters, so a required text field
  needs a character that is not a space (a `pattern`), and no text may hold U+0000.
- Amounts: decimals as strings; a field with min_value 0 has no minus sign in its pattern.
- Phone numbers: the pattern gives the numbers always accepted (Russian mobile numbers in
  E.164); the description says what else is.
- Responses every operation can give: 406 (an Accept header that excludes JSON), 503 with
  Retry-After (the database briefly unreachable, covidarnost.errors); 401 where a token is
  needed; 413 and 415 where a body is read; 404 for a page number past the end of a list.
  Any other path under /api/ answers a JSON 404 (covidarnost.api_errors.api_not_found).
- Links between operations (create a request → read it → claim it → deliver it): for
  clients, and for the fuzzer's stateful phase.

Extensions register on import: covidarnost.api_urls imports this module.
"""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiSerializerFieldExtension

# A trimmed, required text: some character that is not whitespace, and no NUL anywhere.
TEXT_PATTERN = r"^[^\u0000]*[^\u0000\s][^\u0000]*$"
# Untrimmed text, or text that may be blank: no NUL. (For a blank-allowed field
# drf-spectacular adds the empty string as a oneOf branch: this pattern must not match it.)
ANY_TEXT_PATTERN = r"^[^\u0000]+$"
# Always accepted: Russian mobile numbers in E.164 (phonenumbers' metadata for RU mobiles).
PHONE_PATTERN = r"^\+79[0-24-9]\d{8}$"

DETAIL_SCHEMA = {"type": "object", "properties": {"detail": {"type": "string"}}}
FIELD_ERRORS_SCHEMA = {"type": "object", "additionalProperties": True}


class TextFieldExtension(OpenApiSerializerFieldExtension):
    """CharField (exactly: not its subclasses) as request input: trimmed, no NUL."""

    target_class = "rest_framework.fields.CharField"

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        if direction == "request" and schema.get("type") == "string" and "pattern" not in schema:
            required_text = not self.target.allow_blank and self.target.trim_whitespace
            schema["pattern"] = TEXT_PATTERN if required_text else ANY_TEXT_PATTERN
        return schema


class DecimalFieldExtension(OpenApiSerializerFieldExtension):
    """An amount as a string: digits the field accepts, and no minus sign when min_value >= 0."""

    target_class = "rest_framework.fields.DecimalField"

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        field = self.target
        if direction == "request" and schema.get("type") == "string":
            sign = "" if field.min_value is not None and field.min_value >= 0 else "-?"
            whole = field.max_whole_digits if field.max_whole_digits is not None else ""
            schema["pattern"] = rf"^{sign}\d{{1,{whole}}}(?:\.\d{{1,{field.decimal_places}}})?$"
            if field.min_value is not None and field.min_value >= 0:
                schema.setdefault("description", "Not negative.")
        return schema


class PhoneFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "phonenumber_field.serializerfields.PhoneNumberField"

    def map_serializer_field(self, auto_schema, direction):
        schema = {"type": "string"}
        if direction == "request":
            # A blank-allowed field gets the empty string as a oneOf branch from drf-spectacular.
            schema["pattern"] = PHONE_PATTERN
            schema["description"] = (
                "A phone number. Always accepted: Russian mobile numbers in E.164 (+79…). "
                "Other numbers valid in their country are accepted too, in E.164 or in the "
                "Russian national format (8 921 …); invalid ones answer 400."
            )
        return schema


# --- Responses every operation may give ----------------------------------------------------
def _detail(description: str, headers: dict | None = None) -> dict:
    response = {
        "description": description,
        "content": {"application/json": {"schema": DETAIL_SCHEMA}},
    }
    if headers:
        response["headers"] = headers
    return response


RETRY_AFTER = {
    "Retry-After": {
        "schema": {"type": "integer", "minimum": 0},
        "description": "Seconds to wait before trying again.",
        "required": True,
    }
}


def _add(responses: dict, status: str, response: dict) -> None:
    if status not in responses:
        responses[status] = response
    elif "content" not in responses[status]:
        # Documented without a body, but the server always answers JSON.
        responses[status] = {**response, "description": responses[status]["description"]}


def complete_responses(result, generator, request, public):
    """POSTPROCESSING_HOOKS: the statuses and bodies any operation can answer with."""
    for operations in result["paths"].values():
        for operation in operations.values():
            responses = operation["responses"]
            _add(responses, "406", _detail("The Accept header excludes application/json."))
            _add(
                responses,
                "503",
                _detail("The database is briefly unreachable: try again.", RETRY_AFTER),
            )
            if operation.get("security") and {} not in operation["security"]:
                _add(responses, "401", _detail("No token, or a token that is not valid."))
            if "requestBody" in operation:
                _add(responses, "400", _detail("The body is not valid JSON, or a field is wrong."))
                responses["400"]["content"]["application/json"]["schema"] = FIELD_ERRORS_SCHEMA
                _add(responses, "413", _detail("The body is too large."))
                _add(responses, "415", _detail("The body is not application/json."))
            if any(p["name"] == "page" and p["in"] == "query" for p in _params(operation)):
                _add(responses, "404", _detail("No such page: past the end of the list."))
    _require_one_resident(result)
    _add_links(result)
    return result


def _params(operation) -> list[dict]:
    return operation.get("parameters", [])


def _require_one_resident(result) -> None:
    """A request is for a new resident (neighbor) or a known one (neighbor_id): one of the two."""
    schema = result["components"]["schemas"].get("RequestInputRequest")
    if schema is not None:
        schema["oneOf"] = [{"required": ["neighbor"]}, {"required": ["neighbor_id"]}]


# --- Links ----------------------------------------------------------------------------------
ID = "$response.body#/id"
FIRST_LISTED = "$response.body#/results/0/id"
LINKS = {
    # (source operationId, status): {link name: (target operationId, extra link fields)}
    ("v1_blocks_list", "200"): {
        "CreateRequestInBlock": (
            "v1_requests_create",
            # A built-in kind every group offers unless it turned it off.
            {"requestBody": {"block": FIRST_LISTED, "kind": "groceries"}},
        ),
    },
    ("v1_requests_create", "201"): {
        "GetRequest": ("v1_requests_retrieve", {"parameters": {"id": ID}}),
        "GetTask": ("v1_tasks_retrieve", {"parameters": {"id": ID}}),
        "ClaimTask": ("v1_tasks_claim_create", {"parameters": {"id": ID}}),
    },
    ("v1_requests_create", "200"): {
        "GetRequest": ("v1_requests_retrieve", {"parameters": {"id": ID}}),
    },
    ("v1_tasks_list", "200"): {
        "GetListedTask": ("v1_tasks_retrieve", {"parameters": {"id": FIRST_LISTED}}),
        "ClaimListedTask": ("v1_tasks_claim_create", {"parameters": {"id": FIRST_LISTED}}),
    },
    ("v1_tasks_retrieve", "200"): {
        "ClaimTask": ("v1_tasks_claim_create", {"parameters": {"id": ID}}),
    },
    ("v1_tasks_claim_create", "200"): {
        "GetTask": ("v1_tasks_retrieve", {"parameters": {"id": ID}}),
        "MarkBought": ("v1_tasks_mark_bought_create", {"parameters": {"id": ID}}),
        "Deliver": ("v1_tasks_deliver_create", {"parameters": {"id": ID}}),
        "Release": ("v1_tasks_release_create", {"parameters": {"id": ID}}),
        "ReportUndeliverable": ("v1_tasks_undeliverable_create", {"parameters": {"id": ID}}),
    },
    ("v1_tasks_mark_bought_create", "200"): {
        "Deliver": ("v1_tasks_deliver_create", {"parameters": {"id": ID}}),
        "ReportUndeliverable": ("v1_tasks_undeliverable_create", {"parameters": {"id": ID}}),
    },
    ("v1_tasks_release_create", "200"): {
        "ClaimAgain": ("v1_tasks_claim_create", {"parameters": {"id": ID}}),
    },
    ("v1_tasks_undeliverable_create", "200"): {
        "ClaimAgain": ("v1_tasks_claim_create", {"parameters": {"id": ID}}),
    },
    ("v1_tasks_deliver_create", "200"): {
        "GetTask": ("v1_tasks_retrieve", {"parameters": {"id": ID}}),
    },
}


def _add_links(result) -> None:
    by_id = {
        operation.get("operationId"): operation
        for operations in result["paths"].values()
        for operation in operations.values()
    }
    for (source, status), links in LINKS.items():
        operation = by_id.get(source)
        if operation is None or status not in operation["responses"]:
            continue
        operation["responses"][status]["links"] = {
            name: {"operationId": target, **fields}
            for name, (target, fields) in links.items()
            if target in by_id
        }
