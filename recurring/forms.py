"""The intake desk's form to set up a recurring request. It checks shape; services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from recurring.models import MAX_INTERVAL_WEEKS, Weekday, interval_label
from requests.kinds import kind_choices
from requests.models import DETAILS_MAX_LENGTH
from requests.needs import need_choices


class RecurringForm(forms.Form):
    """What she needs again and again (as on the request form), then how often and when."""

    kind = forms.ChoiceField(label=_("Kind of help"), widget=forms.RadioSelect)
    needs = forms.MultipleChoiceField(
        label=_("What is needed"), required=False, widget=forms.CheckboxSelectMultiple
    )
    details = forms.CharField(
        label=_("In her words"),
        max_length=DETAILS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say what she needs each time.")},
    )
    interval_weeks = forms.TypedChoiceField(
        label=_("How often"), coerce=int, widget=forms.RadioSelect, initial=1
    )
    weekday = forms.TypedChoiceField(
        label=_("Day of the week"), coerce=int, choices=Weekday.choices
    )
    time = forms.TimeField(
        label=_("Needed by (time of day)"),
        input_formats=["%H:%M"],
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, auto_id="rec_%s", **kwargs)
        self.fields["kind"].choices = kind_choices(group)
        if self.fields["kind"].choices:
            self.fields["kind"].initial = self.fields["kind"].choices[0][0]
        self.fields["needs"].choices = need_choices(group)
        self.fields["interval_weeks"].choices = [
            (weeks, interval_label(weeks)) for weeks in range(1, MAX_INTERVAL_WEEKS + 1)
        ]
