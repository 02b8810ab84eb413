"""Sent after a help request's change is committed; matching and alerts listen to it.

Receivers get ids only (help_request_id, action, actor_id), never personal data.
"""

from django.dispatch import Signal

help_request_changed = Signal()
