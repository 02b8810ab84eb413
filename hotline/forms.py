"""The form of the hotline log page. It checks shape; hotline.services enforces the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from covidarnost.phones import normalize_phone
from hotline.models import CALL_TEXT_MAX_LENGTH, CallTopic
from neighbors.models import Neighbor


class CallForm(forms.Form):
    topic = forms.ChoiceField(
        label=_("What was the call about?"), choices=CallTopic.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("What the caller said"),
        max_length=CALL_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    phone = forms.CharField(
        label=_("Resident's phone (optional)"),
        required=False,
        max_length=32,
        help_text=_("Links the call to a resident of your group with this number."),
    )
    follow_up = forms.BooleanField(
        label=_("Someone must call back or act"),
        required=False,
        help_text=_("A report of a fake volunteer always needs it, and alerts the organizers."),
    )

    def __init__(self, *args, group_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.group_id = group_id

    def clean_phone(self):
        """The resident with this phone in the group (None when left empty)."""
        typed = self.cleaned_data["phone"].strip()
        if not typed:
            return None
        phone = normalize_phone(typed)
        if phone is None:
            raise forms.ValidationError(
                _("Could not read this number. Type it with the area code: 8 921 123-45-67.")
            )
        residents = list(
            Neighbor.objects.filter(block__group_id=self.group_id, phone=phone).select_related(
                "block"
            )[:2]
        )
        if not residents:
            raise forms.ValidationError(
                _("No resident of your group has this number. Leave it empty or add her first.")
            )
        if len(residents) > 1:
            raise forms.ValidationError(
                _("Several residents share this number: log the call without it.")
            )
        return residents[0]
