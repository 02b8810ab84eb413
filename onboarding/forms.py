"""Forms of the sign-up and password pages. They check shape; the services enforce the rules."""

from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from users.models import User
from volunteers.forms import CHECKBOX_TEMPLATE
from volunteers.models import SPOKEN_LANGUAGES


class SignUpForm(forms.Form):
    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name (optional)"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    phone = PhoneNumberField(
        label=_("Phone number"),
        help_text=_("You sign in with it. Organizers call you on it."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages I speak"),
        choices=SPOKEN_LANGUAGES,
        initial=["ru"],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one language.")},
    )
    has_car = forms.BooleanField(
        label=_("I have a car"), required=False, template_name=CHECKBOX_TEMPLATE
    )
    does_pharmacy = forms.BooleanField(
        label=_("I can run pharmacy errands"),
        required=False,
        initial=True,
        template_name=CHECKBOX_TEMPLATE,
    )
    does_legal_consultation = forms.BooleanField(
        label=_("I can give legal consultations"), required=False, template_name=CHECKBOX_TEMPLATE
    )
    does_psychological_consultation = forms.BooleanField(
        label=_("I can give psychological consultations"),
        required=False,
        template_name=CHECKBOX_TEMPLATE,
    )
    blocks = forms.MultipleChoiceField(
        label=_("Buildings where I would like to help"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Near your home, for example. Organizers may change them."),
    )

    def __init__(self, *args, invite, blocks, **kwargs):
        """blocks: the group's blocks to choose from (code, address)."""
        super().__init__(*args, **kwargs)
        self._blocks = {str(block.pk): block for block in blocks}
        self.fields["blocks"].choices = [
            (str(block.pk), block.address) for block in self._blocks.values()
        ]
        if not self._blocks:
            del self.fields["blocks"]
        if invite.for_phone:
            self.fields["phone"].initial = invite.for_phone
        if invite.for_name:
            self.fields["first_name"].initial = invite.for_name

    def clean_languages(self):
        return ",".join(self.cleaned_data["languages"])

    def clean_blocks(self):
        return [self._blocks[pk] for pk in self.cleaned_data.get("blocks", [])]

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            # The account does not exist yet: check against what it will hold.
            probe = User(
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
                phone=cleaned.get("phone"),
            )
            try:
                password_validation.validate_password(first, probe)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class PasswordHelpForm(forms.Form):
    login = forms.CharField(
        label=_("Phone number or username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
