"""Emergency lock: a coordinator freezes a group in one action, and lifts it.

When a member's phone is seized or an account is taken over, the group's data must go dark at
once. group_lock() revokes every session and API token of the group's members, and while
`Group.locked_at` is set covidarnost.permissions gives its members no rights at all (no page,
no API call, no admin screen; personal data only to coordinators who may see it anyway) and
matching offers nothing. group_unlock() lifts it; members sign in again.
"""

from __future__ import annotations

import logging

from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from covidarnost import permissions
from neighbors.models import Group
from privacy.models import ErasureAction, PrivacyEvent
from users.models import User

logger = logging.getLogger(__name__)


def sessions_revoke(*, user_ids) -> int:
    """Delete the database sessions of these users; returns how many.

    Sessions store the user id inside their signed payload, so each live one is decoded; a
    lock is rare and the table holds only live sessions of the last weeks.
    """
    wanted = {str(pk) for pk in user_ids}
    doomed = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if str(session.get_decoded().get("_auth_user_id")) in wanted
    ]
    Session.objects.filter(pk__in=doomed).delete()
    return len(doomed)


def tokens_revoke(*, user_ids) -> int:
    """Delete every API token of these users, whichever token app is installed."""
    count = 0
    for label in ("authtoken.Token", "knox.AuthToken"):
        app_label, model_name = label.split(".")
        if apps.is_installed(f"rest_framework.{app_label}") or apps.is_installed(app_label):
            try:
                model = apps.get_model(app_label, model_name)
            except LookupError:
                continue
            count += model.objects.filter(user_id__in=list(user_ids)).delete()[0]
    return count


@transaction.atomic
def group_lock(*, group: Group, actor) -> Group:
    """Freeze the group: members' sessions and tokens revoked, their rights off, matching paused.

    Only a coordinator who sees the group may do it. Locking a locked group revokes again
    (a member may have signed in since) and keeps the first lock's time.
    """
    if not permissions.can_lock_group(actor, group):
        raise PermissionDenied
    group = Group.objects.select_for_update().get(pk=group.pk)
    if group.locked_at is None:
        group.locked_at = timezone.now()
        group.locked_by = actor
        group.save(update_fields=["locked_at", "locked_by"])
    member_ids = list(User.objects.filter(group=group).values_list("pk", flat=True))
    sessions = sessions_revoke(user_ids=member_ids)
    tokens = tokens_revoke(user_ids=member_ids)
    PrivacyEvent.objects.create(
        action=ErasureAction.GROUP_LOCKED, subject_id=str(group.pk), group=group, actor=actor
    )
    logger.warning(
        "group %s locked by user %s: %d sessions and %d tokens revoked",
        group.pk,
        actor.pk,
        sessions,
        tokens,
    )
    return group


@transaction.atomic
def group_unlock(*, group: Group, actor) -> Group:
    """Lift the lock: members may sign in again and matching resumes (the sweeper re-offers)."""
    if not permissions.can_lock_group(actor, group):
        raise PermissionDenied
    group = Group.objects.select_for_update().get(pk=group.pk)
    if group.locked_at is not None:
        group.locked_at = None
        group.locked_by = None
        group.save(update_fields=["locked_at", "locked_by"])
        PrivacyEvent.objects.create(
            action=ErasureAction.GROUP_UNLOCKED, subject_id=str(group.pk), group=group, actor=actor
        )
        logger.warning("group %s unlocked by user %s", group.pk, actor.pk)
    return group
