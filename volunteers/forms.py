"""Forms of the volunteer pages. They check shape; the services enforce the rules."""

from __future__ import annotations

import re
from datetime import time

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.template.defaultfilters import filesizeformat
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext_lazy as _

from requests.models import NOTE_MAX_LENGTH, PaidBy
from requests.receipts import RECEIPT_FORMATS
from volunteers.models import END_OF_DAY, MAX_TASK_LIMIT, NotificationChannel, Volunteer

RECEIPT_MAX_BYTES = 5 * 1024 * 1024
# Box first, then its label, which is the large tap target.
CHECKBOX_TEMPLATE = (
    "volunteers/forms/checkbox_field.html"  # in the app: the form renderer looks there
)


class KindFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of task"), required=False)

    def __init__(self, *args, kinds: list[tuple[str, str]], **kwargs):
        """kinds: (slug, label) the volunteer may filter by (requests.selectors.task_kinds)."""
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds")), *kinds]


class MoneyField(forms.DecimalField):
    """An amount typed the way people write it, whatever the page's language:
    "1 234,50", "350,5", "1234.50" or "1,234.50"."""

    def to_python(self, value):
        if isinstance(value, str):
            value = "".join(value.split())
            if "," in value and "." in value:
                # The later mark is the decimal one; the other groups thousands.
                thousands = "," if value.rfind(",") < value.rfind(".") else "."
                value = value.replace(thousands, "").replace(",", ".")
            elif value.count(",") == 1 and len(value.rsplit(",", 1)[1]) in (1, 2):
                value = value.replace(",", ".")
            else:
                value = value.replace(",", "")
        return super().to_python(value)


class _TaskActionForm(forms.Form):
    """Every action form carries the status the page showed, to catch stale forms."""

    expected_status = forms.CharField(widget=forms.HiddenInput, required=False)


class ClaimForm(_TaskActionForm):
    pass


class MarkBoughtForm(_TaskActionForm):
    pass


class ReleaseForm(_TaskActionForm):
    reason = forms.CharField(
        label=_("Why do you release the task?"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class UndeliverableForm(_TaskActionForm):
    reason = forms.CharField(
        label=_("What went wrong?"),
        max_length=NOTE_MAX_LENGTH,
        help_text=_("For example: nobody opened the door, the medicine was not in stock."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DeliverForm(_TaskActionForm):
    spent = MoneyField(
        label=_("Amount spent, ₽"),
        required=False,
        min_value=0,
        max_digits=9,
        decimal_places=2,
        localize=True,
        help_text=_("Leave empty if nothing was bought."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    paid_by = forms.ChoiceField(
        label=_("How was it paid?"),
        choices=PaidBy.choices,
        required=False,
        # Left empty, help_request_deliver takes the payment agreed for the request.
        help_text=_("Not chosen: as agreed for this request."),
        widget=forms.RadioSelect,
    )
    receipt = forms.ImageField(
        label=_("Receipt photo (optional)"),
        required=False,
        help_text=_("JPEG, PNG or WebP, up to 5 MB."),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": "image/jpeg,image/png,image/webp",
                # Read by static/js/app.js to refuse a too-large photo before it is uploaded
                # over a metered connection; the server checks again.
                "data-max-bytes": RECEIPT_MAX_BYTES,
                "data-too-large": _("The photo is larger than 5 MB. Take a smaller photo."),
            }
        ),
    )
    note = forms.CharField(
        label=_("Note for the organizers (optional)"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_receipt(self):
        receipt = self.cleaned_data.get("receipt")
        if not receipt:
            return None
        if receipt.size > RECEIPT_MAX_BYTES:
            raise ValidationError(
                _("The photo is %(size)s; the limit is 5 MB. Take a smaller photo."),
                params={"size": filesizeformat(receipt.size)},
                code="too_large",
            )
        # forms.ImageField has opened and verified the file with Pillow; accept only the
        # formats every phone produces, whatever the file name or declared type says.
        image_format = getattr(getattr(receipt, "image", None), "format", None)
        if image_format not in RECEIPT_FORMATS:
            raise ValidationError(
                _("The receipt must be a JPEG, PNG or WebP photo."), code="bad_format"
            )
        # Stored under a neutral name: the phone's file name may say who or where.
        receipt.name = f"receipt.{RECEIPT_FORMATS[image_format]}"
        return receipt


class SafetyProtocolForm(forms.Form):
    accept = forms.BooleanField(
        label=_("I have read the safety rules and will follow them."),
        template_name=CHECKBOX_TEMPLATE,
        error_messages={"required": _("Tick the box to accept the safety rules.")},
    )
    next = forms.CharField(widget=forms.HiddenInput, required=False)


class AvailabilityForm(forms.Form):
    is_available = forms.BooleanField(
        label=_("Available now"), required=False, template_name=CHECKBOX_TEMPLATE
    )
    max_open_tasks = forms.IntegerField(
        label=_("Most tasks I take at once"),
        min_value=1,
        max_value=MAX_TASK_LIMIT,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args, allowed: int = MAX_TASK_LIMIT, locked_skills=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Skills only organizers turn on (volunteers.services.SKILLS_ORGANIZERS_CONFIRM),
        # shown greyed while off: a disabled field keeps its initial value whatever is posted.
        for name in locked_skills:
            self.fields[name].disabled = True
            self.fields[name].help_text = _("Your organizers turn this on: ask them.")
        # The organizers' limit: the volunteer may choose fewer, never more (the service
        # checks again).
        field = self.fields["max_open_tasks"]
        field.max_value = allowed
        field.widget.attrs["max"] = allowed
        field.validators = [v for v in field.validators if not hasattr(v, "limit_value")]
        field.validators += [MinValueValidator(1), MaxValueValidator(allowed)]
        field.help_text = _("At most %(limit)d, the limit your organizers set.") % {
            "limit": allowed
        }

    notification_channel = forms.ChoiceField(
        label=_("Send me offers and reminders by"),
        # The log-only channel is for development; volunteers choose a real one.
        choices=[
            (value, label)
            for value, label in NotificationChannel.choices
            if value != NotificationChannel.CONSOLE
        ],
        help_text=_("If it cannot reach you, we send an email instead."),
    )
    show_first_name_on_flyer = forms.BooleanField(
        label=_("Show my first name on the entrance flyers of my blocks"),
        help_text=_("Residents then know whom to expect. Only the first name, never the phone."),
        required=False,
        template_name=CHECKBOX_TEMPLATE,
    )
    languages = forms.CharField(
        label=_("Languages I speak"),
        required=False,
        max_length=Volunteer._meta.get_field("languages").max_length,
        help_text=_(
            "Language codes separated by commas, for example: ru, en, uz. Residents who speak "
            "one of them are offered to you first."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )
    has_car = forms.BooleanField(
        label=_("I have a car"), required=False, template_name=CHECKBOX_TEMPLATE
    )
    does_pharmacy = forms.BooleanField(
        label=_("I run pharmacy errands"), required=False, template_name=CHECKBOX_TEMPLATE
    )
    does_legal_consultation = forms.BooleanField(
        label=_("I give legal consultations"), required=False, template_name=CHECKBOX_TEMPLATE
    )
    does_psychological_consultation = forms.BooleanField(
        label=_("I give psychological consultations"),
        required=False,
        template_name=CHECKBOX_TEMPLATE,
        help_text=_("Consultation requests are offered only to volunteers who give them."),
    )

    def clean_languages(self):
        # Everyone speaks something: left empty, the languages stay as they were (None).
        return self.cleaned_data["languages"].strip() or None


# Rows of weekly slots the profile shows beyond the volunteer's own: room to add without
# JavaScript (save, and new empty rows appear). MAX_SLOT_ROWS bounds what a POST may carry.
EMPTY_SLOT_ROWS = 2
MAX_SLOT_ROWS = 10
_SLOT_ROW_KEY = re.compile(r"^slot(\d+)-")


class TimeOfDayInput(forms.TimeInput):
    input_type = "time"
    # Keep END_OF_DAY whole until format_value sees it (minutes are shown anyway).
    supports_microseconds = True

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")

    def format_value(self, value):
        # A slot until midnight is stored as the day's last instant; the form says 00:00.
        if value == END_OF_DAY:
            return "00:00"
        return super().format_value(value)


class WeeklySlotForm(forms.Form):
    """One row: the days and the hours ("Mon-Fri, 18:00 to 21:00"). Empty: no slot."""

    template_name = "volunteers/forms/weekly_slot.html"

    days = forms.TypedMultipleChoiceField(
        label=_("Days"),
        choices=list(WEEKDAYS_ABBR.items()),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    start = forms.TimeField(label=_("From"), required=False, widget=TimeOfDayInput)
    # "00:00 means until midnight" is said once above the rows (profile.html).
    end = forms.TimeField(label=_("Until"), required=False, widget=TimeOfDayInput)

    def __init__(self, *args, number: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.number = number

    def clean(self):
        cleaned = super().clean()
        days, start, end = cleaned.get("days"), cleaned.get("start"), cleaned.get("end")
        if self.errors or (not days and start is None and end is None):
            return cleaned
        if not days:
            self.add_error("days", _("Choose at least one day."))
        if start is None:
            self.add_error("start", _("Give the time you start."))
        if end is None:
            self.add_error("end", _("Give the time you finish."))
        if start is None or end is None:
            return cleaned
        if end == time(0, 0):
            end = cleaned["end"] = END_OF_DAY
        if start >= end:
            self.add_error(
                "end",
                _(
                    "Must be after the start. For a night, use two rows: until 00:00, and "
                    "from 00:00 on the next days."
                ),
            )
        return cleaned

    def slots(self) -> list[tuple[int, time, time]]:
        data = self.cleaned_data
        if not data.get("days"):
            return []
        return [(day, data["start"], data["end"]) for day in data["days"]]


class WeeklySlotRows:
    """The weekly slots part of the profile form: a row per pattern, and empty rows to add.

    No management form and no JavaScript: the rows a POST carries are the rows. A POST with
    no row at all leaves the slots as they are (slots() is None); rows posted empty clear them.
    """

    def __init__(self, data=None, *, initial: list[dict] = ()):
        if data is None:
            count = min(len(initial) + EMPTY_SLOT_ROWS, MAX_SLOT_ROWS)
        else:
            posted = [int(m[1]) for key in data if (m := _SLOT_ROW_KEY.match(key))]
            count = min(max(posted) + 1, MAX_SLOT_ROWS) if posted else 0
        self.posted = data is not None and count > 0
        self.forms = [
            WeeklySlotForm(
                data,
                prefix=f"slot{index}",
                number=index + 1,
                initial=initial[index] if index < len(initial) else None,
            )
            for index in range(count)
        ]

    def __iter__(self):
        return iter(self.forms)

    def is_valid(self) -> bool:
        # Every row validated, so each shows its own errors.
        results = [form.is_valid() for form in self.forms]
        return all(results)

    def slots(self) -> list[tuple[int, time, time]] | None:
        if not self.posted:
            return None
        return [slot for form in self.forms for slot in form.slots()]
