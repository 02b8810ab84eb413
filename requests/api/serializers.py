"""Input and output shapes of the help-request and task endpoints.

Serializers check shape only (types, lengths, known choices); every rule lives in
requests.services and covidarnost.permissions. Output serializers are plain Serializers over
model instances: no ModelSerializer introspection on list endpoints.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from phonenumber_field.serializerfields import PhoneNumberField
from rest_framework import serializers

from neighbors.models import CONSENT_TO_CONTACT_DEFAULT, Neighbor
from requests.models import (
    DETAILS_MAX_LENGTH,
    KIND_SLUG_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    HelpRequest,
    Kind,
    PaidBy,
    Payment,
    Source,
    Status,
    Urgency,
)
from requests.services import check_due_at

# Kinds are data: each group offers the built-ins and its own. The schema documents the
# built-in slugs; which ones a group offers is checked against requests.kinds.
KIND_HELP = format_lazy(
    _("The slug of a kind the group offers: a built-in one ({slugs}) or one of the group's own."),
    slugs=", ".join(slug for slug in Kind.values if slug != Kind.CONSULTATION),
)


# How far from now a request's due date may be, either way.


def kind_field(**kwargs) -> serializers.CharField:
    return serializers.CharField(max_length=KIND_SLUG_MAX_LENGTH, help_text=KIND_HELP, **kwargs)


# --- Input --------------------------------------------------------------------------------
def _max_length(model, name: str) -> int:
    """A text limit where it lives, on the model: form, serializer and schema share it."""
    return model._meta.get_field(name).max_length


class NeighborInput(serializers.Serializer):
    name = serializers.CharField(max_length=_max_length(Neighbor, "name"))
    flat = serializers.CharField(
        max_length=_max_length(Neighbor, "flat"), required=False, allow_blank=True, default=""
    )
    phone = PhoneNumberField(
        max_length=_max_length(Neighbor, "phone"), required=False, allow_blank=True, default=""
    )
    entrance = serializers.IntegerField(
        min_value=1, max_value=99, required=False, allow_null=True, default=None
    )
    floor = serializers.IntegerField(
        min_value=-5, max_value=200, required=False, allow_null=True, default=None
    )
    notes = serializers.CharField(
        max_length=_max_length(Neighbor, "notes"),
        required=False,
        allow_blank=True,
        default="",
    )
    consent_to_contact = serializers.BooleanField(
        required=False, default=CONSENT_TO_CONTACT_DEFAULT
    )


class RequestInput(serializers.Serializer):
    block = serializers.UUIDField()
    kind = kind_field()
    details = serializers.CharField(max_length=DETAILS_MAX_LENGTH)
    source = serializers.ChoiceField(choices=Source.choices, required=False, default="")
    neighbor = NeighborInput(required=False, help_text=_("A new resident; or give neighbor_id."))
    neighbor_id = serializers.UUIDField(required=False, help_text=_("A resident already known."))
    budget = serializers.DecimalField(
        max_digits=9, decimal_places=2, min_value=0, required=False, allow_null=True, default=None
    )
    payment = serializers.ChoiceField(choices=Payment.choices, required=False, default="")
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False, default="")
    due_at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("At most a year before or after now."),
    )
    form_serial = serializers.CharField(
        max_length=_max_length(HelpRequest, "form_serial"),
        required=False,
        allow_blank=True,
        default="",
    )

    def validate_due_at(self, value):
        # The service's rule (requests.services.check_due_at), checked here too so that the
        # answer names the field before anything else is looked at.
        try:
            check_due_at(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict["due_at"]) from error
        return value

    def validate(self, attrs):
        if attrs.get("neighbor") and attrs.get("neighbor_id"):
            raise serializers.ValidationError(
                {"neighbor_id": [_("Give either a new neighbor or neighbor_id, not both.")]}
            )
        return attrs


class ReasonInput(serializers.Serializer):
    # Required, as the services require it (help_request_release, …_report_undeliverable).
    reason = serializers.CharField(max_length=NOTE_MAX_LENGTH)


class DeliverInput(serializers.Serializer):
    # Not negative, as help_request_deliver requires.
    spent = serializers.DecimalField(
        max_digits=9,
        decimal_places=2,
        min_value=0,
        required=False,
        allow_null=True,
        default=None,
    )
    paid_by = serializers.ChoiceField(
        choices=PaidBy.choices, required=False, allow_blank=True, default=""
    )
    note = serializers.CharField(
        max_length=NOTE_MAX_LENGTH, required=False, allow_blank=True, default=""
    )


class TaskListQuery(serializers.Serializer):
    # `?kind=` (empty) lists every kind, as no `kind` does.
    kind = kind_field(required=False, allow_blank=True)

    def validate_kind(self, value):
        # context["kinds"]: the slugs the volunteer may filter by (requests.selectors).
        if value and value not in self.context["kinds"]:
            raise serializers.ValidationError(_("Choose one of the kinds your group offers."))
        return value


# --- Output -------------------------------------------------------------------------------
class BlockBrief(serializers.Serializer):
    id = serializers.UUIDField()
    code = serializers.CharField()
    address = serializers.CharField()
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()


@extend_schema_field(OpenApiTypes.STR)
class PhoneText(serializers.Field):
    """A phone number as E.164 text, "" when there is none."""

    def to_representation(self, value):
        return str(value) if value else ""


class NeighborOutput(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    flat = serializers.CharField()
    entrance = serializers.IntegerField(allow_null=True)
    floor = serializers.IntegerField(allow_null=True)
    phone = PhoneText()
    notes = serializers.CharField()


class TaskPublicOutput(serializers.Serializer):
    """What any verified volunteer of the group sees of an open task: no personal data."""

    id = serializers.UUIDField()
    status = serializers.ChoiceField(choices=Status.choices)
    kind = kind_field()
    kind_name = serializers.CharField(source="get_kind_display")
    needs = serializers.ListField(
        child=serializers.CharField(), help_text=_("Slugs of the form's checkboxes (needs).")
    )
    urgency = serializers.ChoiceField(choices=Urgency.choices)
    payment = serializers.ChoiceField(choices=Payment.choices)
    budget = serializers.DecimalField(max_digits=9, decimal_places=2, allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    block = BlockBrief()
    distance_m = serializers.FloatField(
        allow_null=True, help_text=_("Metres from the volunteer's base; null without a base.")
    )
    held_by_me = serializers.BooleanField()


class TaskPrivateOutput(serializers.Serializer):
    """What only the holder of a task sees (permissions.TASK_PRIVATE_FIELDS)."""

    details = serializers.CharField(
        help_text=_(
            "The free text: empty before a claim and after the window, and for a consultation "
            "unless the caller gives it or organizes."
        ),
    )
    neighbor = NeighborOutput(required=False)
    code_word = serializers.CharField(required=False)


class TaskOutput(TaskPublicOutput, TaskPrivateOutput):
    """A task; `details`, `neighbor` and `code_word` appear only while the caller holds it
    (and for a day after delivery): permissions.task_fields_visible decides."""


class RequestCreatedOutput(serializers.Serializer):
    id = serializers.UUIDField()
    status = serializers.ChoiceField(choices=Status.choices)
    code_word = serializers.CharField()
    kind = kind_field()
    kind_name = serializers.CharField(source="get_kind_display")
    details = serializers.CharField(
        help_text=_("Empty for a consultation when read by an operator: its notes are private.")
    )
    source = serializers.ChoiceField(choices=Source.choices)
    urgency = serializers.ChoiceField(choices=Urgency.choices)
    payment = serializers.ChoiceField(choices=Payment.choices)
    budget = serializers.DecimalField(max_digits=9, decimal_places=2, allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True)
    form_serial = serializers.CharField()
    created_at = serializers.DateTimeField()
    block = BlockBrief()
    # Null once the request is anonymised (privacy.retention).
    neighbor_id = serializers.UUIDField(allow_null=True)


class RequestDetailOutput(RequestCreatedOutput):
    """A request as its group's organizers and operators see it."""

    neighbor = NeighborOutput(allow_null=True)
    volunteer_id = serializers.UUIDField(allow_null=True)
    claimed_at = serializers.DateTimeField(allow_null=True)
    bought_at = serializers.DateTimeField(allow_null=True)
    delivered_at = serializers.DateTimeField(allow_null=True)
    cancelled_at = serializers.DateTimeField(allow_null=True)
    spent = serializers.DecimalField(max_digits=9, decimal_places=2, allow_null=True)
    paid_by = serializers.CharField()
