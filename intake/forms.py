"""Forms of the intake desk. They check shape and keep what was typed; services decide.

The request form's fields follow the printed form's order (FIELD_ORDER), so the operator's eye
on the paper and her hands on the keyboard move together.
"""

from __future__ import annotations

import secrets

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from covidarnost import permissions
from covidarnost.phones import normalize_phone
from intake.selectors import group_blocks
from neighbors.models import Neighbor
from requests.kinds import kind_choices
from requests.models import DETAILS_MAX_LENGTH, PaidBy, Payment, Source, Urgency
from requests.needs import need_choices
from volunteers.forms import MoneyField

NEW_RESIDENT = "new"
# The order of the printed request form (see /work/shared/PAPER.md): who and where, then what,
# when and how to pay, then consent. The operator-only part (source, form number) comes first,
# as the serial is printed large at the top of the paper.
FIELD_ORDER = (
    "source",
    "form_serial",
    "resident",
    "name",
    "phone",
    "new_block",
    "flat",
    "entrance",
    "floor",
    "notes",
    "kind",
    "needs",
    "details",
    "urgency",
    "due_at",
    "payment",
    "budget",
    "consent",
    "consent_sms",
)
INTAKE_SOURCES = (Source.PAPER_FORM, Source.PHONE, Source.IN_PERSON)
PHONE_ERROR = _("Could not read this number. Type it with the area code: 8 921 123-45-67.")


def typed_phone(typed: str) -> str:
    """A phone as the caller said it, normalised ("" when none); the lookup and the request
    form read it the same way."""
    typed = typed.strip()
    if not typed:
        return ""
    phone = normalize_phone(typed)
    if phone is None:
        raise forms.ValidationError(PHONE_ERROR)
    return phone


class PlainSelect(forms.Select):
    """A select whose options are joined in Python: a group has hundreds of blocks, and
    Django's per-option templates made the desk's two block lists most of its render time
    (bench/intake.py)."""

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        chosen = {str(item) for item in self.format_value(value)}
        options = "".join(
            '<option value="{}"{}>{}</option>'.format(
                escape(key), " selected" if str(key) in chosen else "", escape(label)
            )
            for key, label in self.choices
        )
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(final_attrs),
            mark_safe(options),  # noqa: S308
        )


def block_choices(group) -> list[tuple[str, str]]:
    """The group's blocks for a drop-down, read once per page for both lists."""
    rows = group_blocks(group).values_list("id", "code", "address")
    return [("", "—"), *((str(pk), f"{code}: {address}") for pk, code, address in rows)]


class BlockChoiceField(forms.ModelChoiceField):
    widget = PlainSelect

    def label_from_instance(self, block):
        return f"{block.code}: {block.address}"


def _block_field(group, label, required, choices=None):
    field = BlockChoiceField(
        label=label,
        queryset=group_blocks(group),
        required=required,
        empty_label="—",
        error_messages={"invalid_choice": _("This block is not one of your group's.")},
    )
    # Rendering reads these plain pairs; validating still goes through the queryset.
    field.widget.choices = choices if choices is not None else block_choices(group)
    return field


class LookupForm(forms.Form):
    """Find the caller: by phone as she says it, or by block and flat."""

    phone = forms.CharField(label=_("Phone number"), max_length=40, required=False)
    block = forms.Field(required=False)  # replaced in __init__
    flat = forms.CharField(label=_("Flat"), max_length=10, required=False)
    # From the QR code of a paper form; carried along to the request form.
    serial = forms.CharField(required=False, max_length=32, widget=forms.HiddenInput)

    def __init__(self, *args, group, blocks=None, **kwargs):
        super().__init__(*args, auto_id="find_%s", **kwargs)
        self.fields["block"] = _block_field(group, _("Block"), required=False, choices=blocks)
        self.fields["phone"].widget.attrs.update(
            {"inputmode": "tel", "autocomplete": "off", "autofocus": True}
        )
        self.fields["phone"].help_text = _("Any way she says it: 8 921 …, +7 921 …, 921 …")

    def clean_phone(self):
        return typed_phone(self.cleaned_data["phone"])

    def clean(self):
        cleaned = super().clean()
        # A block alone is fine when it comes with a form's serial (the QR code): it prefills.
        if (
            cleaned.get("block")
            and not cleaned.get("flat")
            and not cleaned.get("phone")
            and not cleaned.get("serial")
        ):
            self.add_error("flat", _("Type the flat number too."))
        if cleaned.get("flat") and not cleaned.get("block") and "block" not in self.errors:
            self.add_error("block", _("Choose the block too."))
        return cleaned

    def has_query(self) -> bool:
        return bool(self.cleaned_data.get("phone") or self.cleaned_data.get("flat"))


class IntakeForm(forms.Form):
    """One request, for a found resident or a new one, in one submit."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    confirm_duplicate = forms.BooleanField(required=False, widget=forms.HiddenInput)
    source = forms.ChoiceField(
        label=_("How did the request come?"),
        choices=[(value, Source(value).label) for value in INTAKE_SOURCES],
        widget=forms.RadioSelect,
        initial=Source.PHONE,
    )
    form_serial = forms.CharField(
        label=_("Paper form number"),
        max_length=32,
        required=False,
        help_text=_("Printed large at the top of the form."),
    )
    resident = forms.CharField(label=_("Who is it for?"), required=False)
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    new_block = forms.Field(required=False)  # replaced in __init__
    flat = forms.CharField(label=_("Flat"), max_length=10, required=False)
    entrance = forms.IntegerField(label=_("Entrance"), min_value=1, max_value=99, required=False)
    floor = forms.IntegerField(label=_("Floor"), min_value=-5, max_value=200, required=False)
    notes = forms.CharField(
        label=_("Notes for volunteers"),
        max_length=2000,
        required=False,
        help_text=_("For example: hard of hearing, ring twice."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    kind = forms.ChoiceField(label=_("Kind of help"), widget=forms.RadioSelect)
    needs = forms.MultipleChoiceField(
        label=_("What is needed"), required=False, widget=forms.CheckboxSelectMultiple
    )
    details = forms.CharField(
        label=_("In her words"),
        max_length=DETAILS_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"),
        choices=Urgency.choices,
        widget=forms.RadioSelect,
        initial=Urgency.NORMAL,
    )
    due_at = forms.DateTimeField(
        label=_("Needed by"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%d.%m.%Y %H:%M", "%d.%m.%Y"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    payment = forms.ChoiceField(
        label=_("Payment"),
        choices=Payment.choices,
        widget=forms.RadioSelect,
        initial=Payment.CASH_ON_DELIVERY,
    )
    budget = MoneyField(
        label=_("Budget, ₽"), required=False, min_value=0, max_digits=9, decimal_places=2
    )
    consent = forms.BooleanField(
        label=_(
            "She agrees that we keep her name, address and phone to arrange help, "
            "and that a volunteer may phone or visit her."
        ),
        required=False,
    )
    consent_sms = forms.BooleanField(
        label=_("She agrees to get an SMS when a volunteer is coming, with the code word."),
        required=False,
    )

    def __init__(self, *args, group, matches=(), user=None, blocks=None, **kwargs):
        super().__init__(*args, auto_id="req_%s", **kwargs)
        self.group = group
        self.user = user
        self.matches = list(matches)
        self.fields["new_block"] = _block_field(group, _("Block"), required=False, choices=blocks)
        self.fields["kind"].choices = kind_choices(group)
        # Most calls are for groceries, the first kind: one key press less for most callers.
        self.fields["kind"].initial = self.fields["kind"].choices[0][0]
        self.fields["needs"].choices = need_choices(group)
        self.fields["phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "off"})
        self.fields["due_at"].widget.attrs["aria-describedby"] = "req_due_at_helptext"
        self.fields["due_at"].help_text = _("Leave empty if any day suits her.")
        self.order_fields(("token", "confirm_duplicate", *FIELD_ORDER))
        if not self.is_bound:
            self.initial.setdefault("token", secrets.token_urlsafe(24))

    def clean_phone(self):
        return typed_phone(self.cleaned_data["phone"])

    def clean(self):
        cleaned = super().clean()
        resident = cleaned.get("resident") or ""
        cleaned["neighbor"] = None
        cleaned["new_resident"] = None
        if resident and resident != NEW_RESIDENT:
            neighbor = permissions.intake_neighbor(self.user, resident)
            if neighbor is None:
                self.add_error("resident", _("This resident is not one of your group's."))
            cleaned["neighbor"] = neighbor
            return cleaned
        if not resident and self.matches:
            self.add_error("resident", _("Choose the resident or add a new one."))
            return cleaned
        if not cleaned.get("name", "").strip():
            self.add_error("name", _("Type her name."))
        if not cleaned.get("new_block") and "new_block" not in self.errors:
            self.add_error("new_block", _("Choose her block."))
        if not cleaned.get("flat", "").strip():
            self.add_error("flat", _("Type the flat number."))
        if not self.errors:
            cleaned["new_resident"] = {
                "block": cleaned["new_block"],
                "name": cleaned["name"],
                "flat": cleaned["flat"],
                "phone": cleaned.get("phone", ""),
                "entrance": cleaned.get("entrance"),
                "floor": cleaned.get("floor"),
                "notes": cleaned.get("notes", ""),
                "consent_to_contact": bool(cleaned.get("consent")),
            }
        return cleaned

    def consent_needed(self, neighbor: Neighbor | None) -> bool:
        return neighbor is None or neighbor.consent_recorded_at is None


# --- Acting for a volunteer without a smartphone (request page, call-back list) ---------------


class VolunteerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, volunteer):
        user = volunteer.user
        name = user.get_full_name() or user.username
        if volunteer.no_smartphone:
            return _("%(name)s (no smartphone)") % {"name": name}
        return name


class GiveForm(forms.Form):
    volunteer = VolunteerChoiceField(label=_("Volunteer"), queryset=None, empty_label="—")
    safety_read_out = forms.BooleanField(
        label=_("I have read the safety rules out to them by phone, and they accept them."),
        help_text=_(
            "Only for a volunteer without a smartphone who has not accepted them yet: "
            "the others accept them on the site."
        ),
        required=False,
    )

    def __init__(self, *args, volunteers, **kwargs):
        super().__init__(*args, auto_id="give_%s", **kwargs)
        self.fields["volunteer"].queryset = volunteers


class StepForm(forms.Form):
    """Bought, delivered or could not deliver, told by the volunteer on the phone."""

    STEPS = (
        ("bought", _("Bought, on the way")),
        ("delivered", _("Delivered")),
        ("undeliverable", _("Could not deliver")),
    )
    step = forms.ChoiceField(label=_("What did the volunteer say?"), choices=STEPS)
    spent = MoneyField(
        label=_("Amount spent, ₽"), required=False, min_value=0, max_digits=9, decimal_places=2
    )
    paid_by = forms.ChoiceField(
        label=_("Who paid"),
        choices=[("", "—"), *PaidBy.choices],
        required=False,
    )
    reason = forms.CharField(
        label=_("What went wrong?"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="step_%s", **kwargs)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("step") == "undeliverable" and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Say what went wrong."))
        return cleaned
