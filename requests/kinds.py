"""The kinds of request a group offers: the one place the intake desk, the paper form, the API
and the volunteer pages ask which kinds exist and how they are called.

Kinds are RequestKind rows: the built-ins (no group) are offered to every group, and each
group may add its own. A request stores the kind's slug.
"""

from __future__ import annotations

import importlib

from django.apps import apps as global_apps
from django.db.models import Q, QuerySet

from requests.models import RequestKind


def _group_id(group) -> int | None:
    return getattr(group, "pk", group)


def kinds_for_group(group=None, *, active_only: bool = True) -> QuerySet[RequestKind]:
    """Built-in kinds plus the group's own, in the order shown to people."""
    queryset = RequestKind.objects.filter(Q(group__isnull=True) | Q(group_id=_group_id(group)))
    if active_only:
        queryset = queryset.filter(is_active=True)
    return queryset.order_by("position", "name", "pk")


def kind_choices(group=None) -> list[tuple[str, str]]:
    """(slug, label) of the kinds a group offers now, in the order shown to people."""
    return [(kind.slug, kind.label) for kind in kinds_for_group(group)]


def offered_kind(group, slug: str) -> RequestKind | None:
    """The kind with this slug if the group offers it now, else None."""
    # A group's own kind never shares a built-in's slug (RequestKind.clean): one at most.
    return kinds_for_group(group).filter(slug=slug).first()


def kind_of(help_request) -> RequestKind | None:
    """The kind of a request (offered or not any more): its group's own, else the built-in."""
    group_id = help_request.block.group_id
    return (
        RequestKind.objects.filter(Q(group__isnull=True) | Q(group_id=group_id))
        .filter(slug=help_request.kind)
        .first()
    )


def kind_label(slug: str, group=None) -> str:
    """The name of a kind in the current language, from the cached table."""
    return RequestKind.objects.label(slug, _group_id(group))


# The migration that made the built-in kinds; its list is the one source of them.
BUILT_IN_MIGRATION = "requests.migrations.0006_request_kinds"


def restore_built_in_kinds(sender, apps=None, **kwargs) -> None:
    """post_migrate: bring back the built-in kinds after a `flush` emptied the table.

    Test cases that commit (TransactionTestCase) flush every table after each test, data
    migrations' rows included; Django then sends post_migrate, as it does for content types.
    """
    if apps is None:  # flush sends no app registry; migrate sends the migrated state's
        apps = global_apps
    try:
        RequestKindAtThisState = apps.get_model("requests", "RequestKind")
    except LookupError:  # migrated back before the table existed
        return
    if RequestKindAtThisState.objects.filter(group__isnull=True).exists():
        return
    importlib.import_module(BUILT_IN_MIGRATION).create_built_in_kinds(apps, None)
