"""What the intake desk's services refuse, for the view to show next to the right field."""

from __future__ import annotations

from requests.exceptions import RequestError


class DuplicateSuspected(RequestError):
    """The request may repeat one already entered: show them, and ask to confirm or open one."""

    def __init__(self, existing):
        super().__init__("possible duplicate")
        self.existing = list(existing)
