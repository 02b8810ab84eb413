"""What an export of requests, blocks or volunteers holds: the columns, and which are personal.

Personal columns (names, phones, flats, residents' addresses, emails, free text) go into a file
only when the exporting organizer asks for them (personal=True); the admin records each such
export. Column names are stable English names, the same as the blocks import reads.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from import_export import fields, resources

from neighbors.models import Neighbor
from requests.models import HelpRequest
from volunteers.models import Volunteer

# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value):
    """Text that a spreadsheet shows as text, never runs."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class PersonalColumnsResource(resources.ModelResource):
    """A resource whose personal columns are left out unless asked for.

    personal_columns: field names holding personal data. text_columns: free text typed by
    people (escaped against formulas). column_help: what each column holds, for the export page.
    """

    personal_columns: tuple[str, ...] = ()
    text_columns: tuple[str, ...] = ()
    column_help: dict = {}

    def __init__(self, *, personal: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.personal = personal

    def get_export_fields(self, selected_fields=None):
        export_fields = super().get_export_fields(selected_fields)
        if self.personal:
            return export_fields
        return [field for field in export_fields if field.column_name not in self.personal_columns]

    def export_field(self, field, instance, **kwargs):
        value = super().export_field(field, instance, **kwargs)
        if field.column_name in self.text_columns:
            return safe_text(value)
        return value

    @classmethod
    def column_labels(cls, *, personal: bool, only_personal: bool = False) -> list[tuple]:
        """(column, what it holds) of the export, for the export page."""
        names = cls._meta.export_order or cls._meta.fields
        rows = []
        for name in names:
            is_personal = name in cls.personal_columns
            if (is_personal and not personal) or (only_personal and not is_personal):
                continue
            rows.append((name, cls.column_help.get(name, "")))
        return rows

    def exported_residents(self, queryset):
        """Residents whose details an export with personal columns holds."""
        return []


class HelpRequestExportResource(PersonalColumnsResource):
    block = fields.Field(column_name="block", attribute="block__code")
    volunteer = fields.Field(column_name="volunteer", attribute="volunteer_id")
    address = fields.Field(column_name="address", attribute="block__address")
    resident_name = fields.Field(column_name="resident_name", attribute="neighbor__name")
    resident_flat = fields.Field(column_name="resident_flat", attribute="neighbor__flat")
    resident_phone = fields.Field(column_name="resident_phone", attribute="neighbor__phone")
    volunteer_username = fields.Field(
        column_name="volunteer_username", attribute="volunteer__user__username"
    )

    personal_columns = (
        "address",
        "resident_name",
        "resident_flat",
        "resident_phone",
        "details",
        "volunteer_username",
    )
    text_columns = ("address", "resident_name", "resident_flat", "details", "block")
    column_help = {
        "id": _("request id"),
        "kind": _("kind"),
        "status": _("status"),
        "urgency": _("urgency"),
        "source": _("source"),
        "block": _("block code"),
        "volunteer": _("volunteer id"),
        "created_at": _("created"),
        "claimed_at": _("claimed"),
        "delivered_at": _("delivered"),
        "cancelled_at": _("cancelled"),
        "budget": _("budget"),
        "spent": _("spent"),
        "paid_by": _("paid by"),
        "reimbursed_at": _("reimbursed"),
        "address": _("address of the building"),
        "resident_name": _("resident's name"),
        "resident_flat": _("flat"),
        "resident_phone": _("resident's phone"),
        "details": _("details (free text)"),
        "volunteer_username": _("volunteer's username"),
    }

    class Meta:
        model = HelpRequest
        fields = (
            "id",
            "kind",
            "status",
            "urgency",
            "source",
            "block",
            "volunteer",
            "created_at",
            "claimed_at",
            "delivered_at",
            "cancelled_at",
            "budget",
            "spent",
            "paid_by",
            "reimbursed_at",
            "address",
            "resident_name",
            "resident_flat",
            "resident_phone",
            "details",
            "volunteer_username",
        )
        export_order = fields

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("block", "neighbor", "volunteer__user")

    def dehydrate_resident_phone(self, help_request):
        neighbor = help_request.neighbor
        return str(neighbor.phone) if neighbor is not None and neighbor.phone else ""

    def exported_residents(self, queryset):
        ids = queryset.exclude(neighbor__isnull=True).values("neighbor_id")
        return Neighbor.objects.filter(pk__in=ids).select_related("block")


class VolunteerExportResource(PersonalColumnsResource):
    blocks = fields.Field(column_name="blocks")
    username = fields.Field(column_name="username", attribute="user__username")
    first_name = fields.Field(column_name="first_name", attribute="user__first_name")
    last_name = fields.Field(column_name="last_name", attribute="user__last_name")
    phone = fields.Field(column_name="phone")
    email = fields.Field(column_name="email", attribute="user__email")

    personal_columns = ("username", "first_name", "last_name", "phone", "email")
    text_columns = ("username", "first_name", "last_name", "email", "blocks", "languages")
    column_help = {
        "id": _("volunteer id"),
        "status": _("verification"),
        "blocks": _("block codes"),
        "is_available": _("available now"),
        "languages": _("languages"),
        "has_car": _("has a car"),
        "does_pharmacy": _("pharmacy errands"),
        "no_smartphone": _("no smartphone"),
        "max_open_tasks_allowed": _("task limit"),
        "created_at": _("created"),
        "verified_at": _("verified at"),
        "username": _("username"),
        "first_name": _("first name"),
        "last_name": _("last name"),
        "phone": _("phone"),
        "email": _("email"),
    }

    class Meta:
        model = Volunteer
        fields = (
            "id",
            "status",
            "blocks",
            "is_available",
            "languages",
            "has_car",
            "does_pharmacy",
            "no_smartphone",
            "max_open_tasks_allowed",
            "created_at",
            "verified_at",
            "username",
            "first_name",
            "last_name",
            "phone",
            "email",
        )
        export_order = fields

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("user").prefetch_related("blocks")

    def dehydrate_blocks(self, volunteer):
        return ", ".join(sorted(block.code for block in volunteer.blocks.all()))

    def dehydrate_phone(self, volunteer):
        return str(volunteer.user.phone) if volunteer.user.phone else ""
