"""The kinds of request a group offers: the one place the intake desk, the paper form, the API
and the volunteer pages ask which kinds exist and how they are called.
"""

from __future__ import annotations

from requests.models import Kind


def kind_choices(group=None) -> list[tuple[str, object]]:
    """(slug, label) of the kinds a group offers, in the order shown to people."""
    return list(Kind.choices)
