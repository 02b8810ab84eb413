"""What a resident is told when a volunteer takes her request or gives it back.

The same words go by SMS and are shown to the operator to read out on a call-back. Unlike the
volunteers' notifications these must hold the code word: it is how she knows who is at the
door. They carry the volunteer's first name at most: never a surname or a phone number.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from requests.transitions import Action


def resident_language(neighbor) -> str:
    available = {code for code, _name in settings.LANGUAGES}
    return neighbor.language if neighbor.language in available else settings.LANGUAGE_CODE


def volunteer_first_name(volunteer) -> str:
    """Only the first word of the first name: no surname ever reaches a resident."""
    if volunteer is None:
        return ""
    parts = (volunteer.user.first_name or "").split()
    return parts[0] if parts else ""


def resident_message(*, action: str, help_request, volunteer=None, language=None) -> str:
    """The text for the resident. It contains the code word: never log it."""
    hotline = help_request.block.group.hotline_phone
    with translation.override(language or resident_language(help_request.neighbor)):
        if action == Action.CLAIM:
            name = volunteer_first_name(volunteer)
            if name:
                text = _("A volunteer, %(name)s, is coming to help you.") % {"name": name}
            else:
                text = _("A volunteer is coming to help you.")
            text += " " + _(
                "At the door they will say the code word: %(word)s. "
                "Do not open if they cannot say it."
            ) % {"word": help_request.code_word}
        else:
            text = _(
                "The volunteer cannot come after all; we are finding another one. "
                "Your new code word: %(word)s. The old one is no longer valid."
            ) % {"word": help_request.code_word}
        if hotline:
            text += " " + _("Hotline: %(phone)s.") % {"phone": hotline.as_national}
    return text
