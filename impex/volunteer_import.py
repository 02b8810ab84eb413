"""The volunteers import: every rule about a row of a volunteers file (name, phone, email, block
codes). Each accepted row becomes an account and a profile waiting for verification in the
chosen group (volunteers.services.volunteer_create_pending), with an invite for that person
(onboarding.services.invite_create) through which they set their password.

Rejected: no name, a phone number that is not one, a phone already used by an account or twice
in the file, an email that is not one, a block code the group does not have.
"""

from __future__ import annotations

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from import_export import resources

from covidarnost.admin_scoping import adopt_saved
from covidarnost.phones import normalize_phone, parse_phone
from impex.resources import LineNumbersMixin, lines_by_value, normalise_headers
from neighbors.models import Block
from onboarding.services import invite_create
from users.models import User
from volunteers.models import Volunteer
from volunteers.services import volunteer_create_pending

VOLUNTEER_COLUMNS = ("name", "phone", "email", "blocks")
REQUIRED_VOLUNTEER_COLUMNS = ("name", "phone")
VOLUNTEER_HEADER_ALIASES = {
    "имя": "name",
    "фио": "name",
    "телефон": "phone",
    "почта": "email",
    "e-mail": "email",
    "электронная почта": "email",
    "дома": "blocks",
    "коды домов": "blocks",
    "block codes": "blocks",
    "block_codes": "blocks",
    "codes": "blocks",
}
NAME_MAX_LENGTH = User._meta.get_field("first_name").max_length
CODE_SEPARATORS = re.compile(r"[\s,;]+")


def valid_phone(value) -> str | None:
    """E.164 of a real phone number, or None."""
    text = str(value or "").strip()
    number = parse_phone(text)
    if number is None or not phonenumbers.is_valid_number(number):
        return None
    return normalize_phone(text)


def block_codes(value) -> list[str]:
    return [code for code in CODE_SEPARATORS.split(str(value or "").strip()) if code]


class VolunteerImportResource(LineNumbersMixin, resources.ModelResource):
    """Volunteers of one group from a file: always new accounts, never an update."""

    class Meta:
        model = Volunteer
        fields = ("id",)
        clean_model_instances = False
        use_transactions = True
        skip_diff = True

    def __init__(self, *, group=None, actor=None, first_line: int = 2, **kwargs):
        super().__init__(**kwargs)
        self.group = group
        self.actor = actor
        self.first_line = first_line
        self.phone_lines: dict[str, list] = {}
        self.used_phones: set[str] = set()
        self.blocks: dict[str, Block] = {}

    def get_instance(self, instance_loader, row):
        return None

    def before_import(self, dataset, **kwargs):
        normalise_headers(dataset, VOLUNTEER_HEADER_ALIASES)
        missing = [c for c in REQUIRED_VOLUNTEER_COLUMNS if c not in (dataset.headers or [])]
        if missing:
            raise ValidationError(
                _(
                    "The file has no column %(columns)s. The first line must name the "
                    "columns: %(all)s."
                )
                % {"columns": ", ".join(missing), "all": ", ".join(VOLUNTEER_COLUMNS)}
            )
        self.phone_lines = lines_by_value(
            dataset, "phone", self.first_line, normalise=lambda v: valid_phone(v) or ""
        )
        self.used_phones = {
            str(phone)
            for phone in User._default_manager.filter(phone__in=list(self.phone_lines)).values_list(
                "phone", flat=True
            )
        }
        if self.group is not None:
            self.blocks = {block.code: block for block in Block.objects.filter(group=self.group)}

    def before_import_row(self, row, **kwargs):
        errors = self.row_errors(row)
        if errors:
            raise ValidationError(errors)

    def row_errors(self, row: dict) -> list[str]:
        """What is wrong with a row (empty: nothing); normalises it in place."""
        errors = []
        row["name"] = " ".join(str(row.get("name") or "").split())
        if not row["name"]:
            errors.append(_("No name."))
        elif len(row["name"]) > NAME_MAX_LENGTH:
            errors.append(_("The name is too long."))
        raw_phone = str(row.get("phone") or "").strip()
        phone = valid_phone(raw_phone)
        if phone is None:
            errors.append(_("Bad phone number “%(value)s”.") % {"value": raw_phone})
        elif phone in self.used_phones:
            errors.append(
                _("The phone number %(phone)s is already used by an account.") % {"phone": phone}
            )
        elif len(self.phone_lines.get(phone, ())) > 1:
            errors.append(
                _(
                    "The phone number %(phone)s appears more than once in the file "
                    "(lines %(lines)s)."
                )
                % {"phone": phone, "lines": ", ".join(str(n) for n in self.phone_lines[phone])}
            )
        else:
            row["phone"] = phone
        row["email"] = str(row.get("email") or "").strip()
        if row["email"]:
            try:
                validate_email(row["email"])
            except ValidationError:
                errors.append(_("Bad email address “%(value)s”.") % {"value": row["email"]})
        codes = block_codes(row.get("blocks"))
        unknown = [code for code in codes if code not in self.blocks]
        if unknown:
            errors.append(
                ngettext(
                    "Unknown block code: %(codes)s.",
                    "Unknown block codes: %(codes)s.",
                    len(unknown),
                )
                % {"codes": ", ".join(unknown)}
            )
        row["blocks"] = ", ".join(codes)
        return errors

    def import_instance(self, instance, row, **kwargs):
        """Nothing to copy field by field: save_instance hands the row to the service."""

    def save_m2m(self, instance, row, **kwargs):
        """The blocks are given by volunteer_create_pending."""

    def save_instance(self, instance, is_create, row, **kwargs):
        volunteer = volunteer_create_pending(
            group=self.group,
            actor=self.actor,
            name=row["name"],
            phone=row["phone"],
            email=row["email"],
            blocks=[self.blocks[code] for code in block_codes(row["blocks"])],
            reason=_("Imported from a file."),
        )
        # Their link to sign up: for this person and this phone only, used once. Signing up
        # through it takes over the account made here (onboarding.services.volunteer_sign_up).
        invite_create(
            group=self.group, actor=self.actor, for_name=row["name"], for_phone=row["phone"]
        )
        adopt_saved(instance, volunteer)
        instance.user = volunteer.user
