"""Forms of the import (file, format, group) and of the export (format, personal columns)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from import_export.forms import ConfirmImportForm, ExportForm, ImportForm

from neighbors.models import Group

# A group's blocks or volunteers fit in far less; the file is held in the cache until confirmed.
IMPORT_MAX_BYTES = 5 * 1024 * 1024


class GroupImportForm(ImportForm):
    """Upload a file for one group: an organizer's own, or one of a coordinator's network."""

    group = forms.ModelChoiceField(
        label=_("Group"), queryset=Group.objects.none(), empty_label=None
    )
    field_order = ["group", "import_file", "format"]

    def __init__(self, formats, resources, *, groups, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.fields["group"].queryset = groups
        self.fields["import_file"].label = _("File")
        self.fields["format"].label = _("Format")
        self.order_fields(self.field_order)

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is too big: at most %(mb)d MB.")
                % {"mb": IMPORT_MAX_BYTES // (1024 * 1024)}
            )
        return upload


class GroupConfirmImportForm(ConfirmImportForm):
    """The confirmation carries the group again, checked against the user's groups again."""

    group = forms.ModelChoiceField(
        queryset=Group.objects.none(), widget=forms.HiddenInput(), empty_label=None
    )

    def __init__(self, *, groups, **kwargs):
        super().__init__(**kwargs)
        self.fields["group"].queryset = groups


class PersonalDataExportForm(ExportForm):
    """Format, and personal columns only when asked for (and allowed)."""

    personal = forms.BooleanField(
        label=_("Include personal data"),
        required=False,
        help_text=_(
            "Names, phones, flats, residents' addresses and emails. The export is recorded: "
            "who, when, which list, how many rows and which columns."
        ),
    )

    def __init__(self, formats, resources, *, allow_personal: bool, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.fields["format"].label = _("Format")
        # CSV first and chosen, no empty choice to trip over.
        self.fields["format"].choices = [c for c in self.fields["format"].choices if c[0] != ""]
        self.fields["format"].initial = "0"
        if not allow_personal:
            del self.fields["personal"]

    @property
    def include_personal(self) -> bool:
        return bool(getattr(self, "cleaned_data", {}).get("personal"))
