"""Model signals that invalidate the cached task lists (requests.list_cache).

Service transitions use a conditional UPDATE (no post_save), so requests.services calls
task_lists_changed itself; these receivers catch creations, admin edits and deletions.
"""

from __future__ import annotations

from neighbors.models import Block, Group
from requests.list_cache import task_lists_changed


def _group_of_block(block_id) -> int | None:
    return Block.objects.filter(pk=block_id).values_list("group_id", flat=True).first()


def on_help_request_saved(sender, instance, **kwargs):
    task_lists_changed(group_id=_group_of_block(instance.block_id))


def on_block_saved(sender, instance, **kwargs):
    task_lists_changed(group_id=instance.group_id)


def on_volunteer_saved(sender, instance, **kwargs):
    task_lists_changed(group_id=instance.user.group_id if instance.user_id else None)


def on_volunteer_blocks_changed(sender, instance, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        group_id = getattr(instance, "group_id", None)  # a Volunteer or a Block
        task_lists_changed(group_id=group_id)


def on_request_kind_changed(sender, instance, **kwargs):
    # A cached list is used without reading the kinds again: its filter, labels and hidden
    # consultations came from them. A built-in kind is every group's.
    if instance.group_id is not None:
        task_lists_changed(group_id=instance.group_id)
        return
    for group_id in Group.objects.values_list("pk", flat=True):
        task_lists_changed(group_id=group_id)
