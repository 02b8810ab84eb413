"""Changes to people and their roles, audited with django-auditlog.

Users (role, group, active, staff), volunteer profiles (verification, blocks, availability,
limits, skills, languages), their weekly time slots and residents (block, consent, isolation,
keep, contact) are tracked in clear; their personal fields (names, email, phone, flat, notes,
home location, Telegram chat) only as "changed", never their values. A resident's entry is
named by its id, not by the block and flat its __str__ shows; erasing or forgetting a resident
deletes their entries (the PrivacyEvent says who erased them). No client address is stored
(AUDITLOG_DISABLE_REMOTE_ADDR).

Who did it: privacy.middleware names the signed-in user of a page, the admin or the API
(token users too, once DRF has authenticated them). Services that write people name their
actor themselves with audit_actor(), so a Celery task, a management command or the Telegram
webhook (no signed-in user) records who acted as well. An entry without an actor was made by
the system (the nightly purge, the claims guard).
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import Iterable

from auditlog.context import auditlog_value, set_actor
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import QuerySet
from django.db.models.signals import pre_save
from django.utils.translation import gettext as _

from neighbors.models import Neighbor
from users.models import User
from volunteers.models import Volunteer, WeeklySlot

MASK = "***"
USER_PERSONAL_FIELDS = ["first_name", "last_name", "email", "phone"]
# The reason for a pause or removal may name people: kept on the profile, masked here.
VOLUNTEER_PERSONAL_FIELDS = ["base_latitude", "base_longitude", "telegram_chat_id", "status_reason"]
NEIGHBOR_PERSONAL_FIELDS = ["name", "flat", "entrance", "floor", "phone", "language", "notes"]


def mask_personal(value: str) -> str:
    """The whole value goes, not half of it (auditlog's default keeps half a phone number)."""
    return MASK


@contextlib.contextmanager
def audit_actor(actor):
    """Name who makes the audited changes inside the block (None: leave things as they are).

    The naming around it (the middleware's, an outer service's) is restored on the way out;
    auditlog's own set_actor leaves its value behind, which would leave the rest of a page
    without an actor.
    """
    if actor is None or getattr(actor, "pk", None) is None:
        yield
        return
    token = auditlog_value.set({})
    try:
        with set_actor(actor):
            yield
    finally:
        auditlog_value.reset(token)


def _neighbor_entry_repr(sender, instance, **kwargs):
    """A resident's entry names the resident by id: their __str__ shows block and flat."""
    if instance.content_type_id == ContentType.objects.get_for_model(Neighbor).pk:
        instance.object_repr = f"#{str(instance.object_pk)[:8]}"


def neighbor_entries(neighbor_ids: Iterable) -> QuerySet[LogEntry]:
    """The audit entries of these residents (deleted with them)."""
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Neighbor),
        object_pk__in=[str(pk) for pk in neighbor_ids],
    )


def weekly_slot_entries(volunteer_ids: Iterable) -> QuerySet[LogEntry]:
    """The audit entries of these volunteers' weekly time slots, added and removed (each
    entry names its volunteer in additional_data: WeeklySlot.get_additional_data)."""
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(WeeklySlot),
        additional_data__volunteer__in=[str(pk) for pk in volunteer_ids],
    )


def person_entries(person) -> QuerySet[LogEntry]:
    """A person's history: a resident's entries; a volunteer's with those of their account
    and of their weekly time slots."""
    entries = LogEntry.objects.get_for_object(person)
    if isinstance(person, Volunteer):
        entries = (
            entries
            | LogEntry.objects.get_for_object(person.user)
            | weekly_slot_entries([person.pk])
        )
    return entries.select_related("actor", "content_type").order_by("-timestamp", "-pk")


_REVERSE = object()


def _field(model, name):
    """The model's own field of that name; _REVERSE for a relation from another model
    (auditlog lists those, empty, on a new object's entry); None when there is none."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if getattr(field, "concrete", False) or field.many_to_many else _REVERSE


def _pk(field, value):
    try:
        return field.related_model._meta.pk.to_python(value)
    except ValidationError:
        return None


def history_rows(entries) -> None:
    """Give each entry of a page `rows`: (field, before, after) as people read them.

    Choices by their label, linked objects by their name (one query per kind of object for
    the whole page, not one per value), many-to-many changes as "added"/"removed" and the
    names; masked personal fields stay "***".
    """
    entries = list(entries)
    wanted = defaultdict(set)
    for entry in entries:
        model = entry.content_type.model_class()
        for name, values in entry.changes_dict.items():
            field = _field(model, name)
            if field not in (None, _REVERSE) and field.many_to_one and isinstance(values, list):
                wanted[field.related_model].update(
                    pk for pk in (_pk(field, v) for v in values if v != "None") if pk is not None
                )
    names = {
        related: {pk: str(obj) for pk, obj in related._default_manager.in_bulk(pks).items()}
        for related, pks in wanted.items()
    }
    actions = {
        LogEntry.Action.CREATE: _("created"),
        LogEntry.Action.UPDATE: _("changed"),
        LogEntry.Action.DELETE: _("deleted"),
    }
    for entry in entries:
        model = entry.content_type.model_class()
        entry.action_label = actions.get(entry.action, entry.get_action_display())
        entry.rows = []
        for name, values in entry.changes_dict.items():
            field = _field(model, name)
            if field is _REVERSE:
                continue
            label = str(field.verbose_name) if field is not None else name
            if isinstance(values, dict):  # many-to-many: what was added or removed
                operation = values.get("operation", "")
                said = {"add": _("added"), "delete": _("removed")}.get(operation, operation)
                objects = ", ".join(str(v) for v in values.get("objects", []))
                entry.rows.append((label, said, objects))
                continue
            shown = []
            for value in values:
                if field is not None and field.many_to_one and value != "None":
                    value = names[field.related_model].get(_pk(field, value), value)
                elif field is not None and field.choices:
                    # The log keeps values as text: "5" is the choice 5 (a weekday).
                    labels = {str(key): label for key, label in field.flatchoices}
                    value = labels.get(str(value), value)
                shown.append("—" if value in ("None", "", None) else str(value))
            entry.rows.append((label, *shown[:2]))


def register() -> None:
    auditlog.register(
        User,
        exclude_fields=["password", "last_login"],
        mask_fields=USER_PERSONAL_FIELDS,
    )
    auditlog.register(
        Volunteer,
        mask_fields=VOLUNTEER_PERSONAL_FIELDS,
        m2m_fields={"blocks"},
    )
    # Times added and removed, each entry naming the volunteer (weekly_slot_entries).
    auditlog.register(WeeklySlot)
    auditlog.register(
        Neighbor,
        exclude_fields=["last_request_at"],
        mask_fields=NEIGHBOR_PERSONAL_FIELDS,
    )
    pre_save.connect(_neighbor_entry_repr, sender=LogEntry, dispatch_uid="neighbor_entry_repr")
