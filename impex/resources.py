"""The blocks import: every rule about a row of a blocks file, CSV or GeoJSON alike.

A row is created, updated (its code matches a block of the chosen group) or rejected with the
reasons (bad coordinates, missing address, a code twice in the file, wrong entrances). Writes go
through neighbors.services (block_create, block_update). django-import-export runs the dry run
and the confirmed import, each in one transaction, rolled back after the dry run and on any
rejected row.
"""

from __future__ import annotations

import math
from collections import defaultdict

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from import_export.results import RowResult

from impex.exports import PersonalColumnsResource
from impex.formats import BLOCK_COLUMNS
from neighbors.models import Block
from neighbors.services import BLOCK_FIELDS, block_create, block_update

# Column names accepted besides the English ones (a spreadsheet made in Russian).
HEADER_ALIASES = {
    "код": "code",
    "адрес": "address",
    "подъезды": "entrances",
    "подъездов": "entrances",
    "этажи": "floors",
    "этажей": "floors",
    "широта": "latitude",
    "долгота": "longitude",
    "lat": "latitude",
    "lon": "longitude",
    "lng": "longitude",
}
REQUIRED_BLOCK_COLUMNS = ("code", "address", "latitude", "longitude")
ENTRANCES_MAX = 99


def normalise_headers(dataset, aliases=HEADER_ALIASES) -> None:
    """Column names without case, spaces or a byte-order mark; Russian names as English."""
    if not dataset.headers:
        return
    headers = []
    for header in dataset.headers:
        name = str(header or "").replace("\ufeff", "").strip().lower()
        headers.append(aliases.get(name, name))
    dataset.headers = headers


def missing_columns_error(dataset, required) -> ValidationError | None:
    missing = [column for column in required if column not in (dataset.headers or [])]
    if not missing:
        return None
    return ValidationError(
        _("The file has no column %(columns)s. The first line must name the columns: %(all)s.")
        % {"columns": ", ".join(missing), "all": ", ".join(BLOCK_COLUMNS)}
    )


def lines_by_value(dataset, column: str, first_line: int, normalise=str) -> dict[str, list]:
    """{value: [line, …]} of a column, for "appears twice in the file" checks."""
    lines = defaultdict(list)
    if column not in (dataset.headers or []):
        return lines
    for index, value in enumerate(dataset[column]):
        value = normalise(str(value if value is not None else "").strip())
        if value:
            lines[value].append(first_line + index)
    return lines


def _number(value) -> float | None:
    text = str(value if value is not None else "").strip().replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _whole(value) -> int | None:
    number = _number(value)
    if number is None or number != int(number):
        return None
    return int(number)


def block_row_errors(row: dict, *, duplicates: dict[str, list]) -> list[str]:
    """What is wrong with a row of a blocks file (empty: nothing). Normalises the row in place:
    trimmed text, numbers as numbers, 1 entrance when the column is empty."""
    if row.get("reject"):
        return [str(row["reject"])]
    errors = []
    for name in ("code", "address"):
        row[name] = str(row.get(name) or "").strip()
    code, address = row["code"], row["address"]
    if not address:
        errors.append(_("No address."))
    elif len(address) > Block._meta.get_field("address").max_length:
        errors.append(_("The address is too long."))
    if not code:
        errors.append(_("No code."))
    elif len(code) > Block._meta.get_field("code").max_length:
        errors.append(
            _("The code %(code)s is longer than %(most)d characters.")
            % {"code": code, "most": Block._meta.get_field("code").max_length}
        )
    elif len(duplicates.get(code, ())) > 1:
        errors.append(
            _("The code %(code)s appears more than once in the file (lines %(lines)s).")
            % {"code": code, "lines": ", ".join(str(line) for line in duplicates[code])}
        )
    # A column the file does not have leaves the block's value as it is (1 entrance if new).
    if "entrances" in row:
        raw = str(row.get("entrances") or "").strip()
        entrances = _whole(raw) if raw else 1
        if entrances is None or not 1 <= entrances <= ENTRANCES_MAX:
            errors.append(
                _("Wrong number of entrances “%(value)s”: a whole number from 1 to %(most)d.")
                % {"value": raw, "most": ENTRANCES_MAX}
            )
        else:
            row["entrances"] = entrances
    if "floors" in row:
        raw = str(row.get("floors") or "").strip()
        floors = _whole(raw) if raw else None
        if raw and (floors is None or floors < 1):
            errors.append(_("Wrong number of floors “%(value)s”.") % {"value": raw})
        else:
            row["floors"] = floors
    errors.extend(_coordinate_errors(row))
    return errors


def _coordinate_errors(row: dict) -> list[str]:
    errors = []
    latitude, longitude = _number(row.get("latitude")), _number(row.get("longitude"))
    for name, value, limit, label in (
        ("latitude", latitude, 90, _("latitude")),
        ("longitude", longitude, 180, _("longitude")),
    ):
        if value is None:
            errors.append(
                _("Bad coordinates: the %(which)s “%(value)s” is not a number.")
                % {"which": label, "value": str(row.get(name) or "").strip()}
            )
        elif not -limit <= value <= limit:
            errors.append(
                _("Bad coordinates: the %(which)s must be between -%(limit)d and %(limit)d.")
                % {"which": label, "limit": limit}
            )
        else:
            row[name] = value
    if latitude == 0 and longitude == 0:
        errors.append(_("Bad coordinates: 0, 0 is in the ocean, not a building."))
    return errors


class LineNumbersMixin:
    """Each row's result carries the line of the file it came from (for the preview)."""

    first_line = 2

    def import_row(self, row, instance_loader, **kwargs):
        row_result = super().import_row(row, instance_loader, **kwargs)
        row_result.line = self.first_line + kwargs["row_number"] - 1
        row_result.values = dict(row)
        return row_result


class BlockResource(LineNumbersMixin, PersonalColumnsResource):
    """Blocks of one group, in and out: code, address, entrances, floors, coordinates.

    No column is personal: a block is a building, not a resident.
    """

    text_columns = ("code", "address")
    column_help = {
        "code": _l("block code"),
        "address": _l("address of the building"),
        "entrances": _l("entrances"),
        "floors": _l("floors"),
        "latitude": _l("latitude"),
        "longitude": _l("longitude"),
    }

    class Meta:
        model = Block
        fields = BLOCK_COLUMNS
        import_id_fields = ("code",)
        export_order = BLOCK_COLUMNS
        skip_unchanged = True
        report_skipped = True
        skip_html_diff = True
        clean_model_instances = True
        use_transactions = True

    def __init__(self, *, group=None, actor=None, first_line: int = 2, **kwargs):
        super().__init__(**kwargs)
        self.group = group
        self.actor = actor
        self.first_line = first_line
        self.duplicates: dict[str, list] = {}

    # Which blocks a code matches: the chosen group's only.
    def get_queryset(self):
        if self.group is None:
            return Block.objects.none()
        return Block.objects.filter(group=self.group)

    def init_instance(self, row=None):
        return Block(group=self.group)

    def before_import(self, dataset, **kwargs):
        normalise_headers(dataset)
        error = missing_columns_error(dataset, REQUIRED_BLOCK_COLUMNS)
        if error is not None:
            raise error
        self.duplicates = lines_by_value(dataset, "code", self.first_line)

    def before_import_row(self, row, **kwargs):
        errors = block_row_errors(row, duplicates=self.duplicates)
        if errors:
            raise ValidationError(errors)

    def do_instance_save(self, instance, is_create):
        values = {name: getattr(instance, name) for name in BLOCK_FIELDS}
        if is_create:
            created = block_create(group=self.group, actor=self.actor, **values)
            instance.pk = created.pk
            instance._state.adding = False
        else:
            block_update(block=instance, actor=self.actor, **values)


def preview_lines(result, model) -> list[dict]:
    """The dry run as the organizer reads it: per line, what happens and why."""
    labels = {
        RowResult.IMPORT_TYPE_NEW: _("will be created"),
        RowResult.IMPORT_TYPE_UPDATE: _("will be updated"),
        RowResult.IMPORT_TYPE_SKIP: _("unchanged"),
        RowResult.IMPORT_TYPE_INVALID: _("rejected"),
        RowResult.IMPORT_TYPE_ERROR: _("rejected"),
    }
    lines = []
    for row_result in result.rows:
        reasons = []
        if row_result.validation_error is not None:
            reasons = _error_messages(row_result.validation_error, model)
        for error in row_result.errors:
            reasons.append(_("Could not be saved: %(error)s") % {"error": error.error})
        values = getattr(row_result, "values", {})
        lines.append(
            {
                "line": getattr(row_result, "line", ""),
                "type": row_result.import_type,
                "action": labels.get(row_result.import_type, row_result.import_type),
                "rejected": bool(reasons),
                "values": values,
                "reasons": reasons,
            }
        )
    return lines


def _error_messages(error: ValidationError, model) -> list[str]:
    """Messages of a row's errors, each after the name of its field as the user knows it."""
    if not hasattr(error, "error_dict"):
        return [str(message) for message in error.messages]
    messages = []
    for name, errors in error.message_dict.items():
        try:
            label = str(model._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:
            label = name
        for message in errors:
            messages.append(message if name == "__all__" else f"{label}: {message}")
    return messages
