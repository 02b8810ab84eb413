"""Cached task lists: a volunteer's /tasks/ page and API list, reused until the group changes.

The list is read far more often than it changes (every volunteer opens it again and again; a
request changes a few times in its life), and building it costs four SQL queries and most of
the page's rendering. Each group has a version number in the cache; every change that can
alter a list of the group bumps it (help-request transitions and saves, blocks, volunteers'
blocks and settings, the group's kinds of request), and an entry is used only while its
version is current. Entries also expire after TASK_LIST_CACHE_SECONDS, a bound on staleness
should a change ever bypass the bumps (a raw UPDATE, or a bump lost while Redis was down).

Entries hold what every member of the group may see (kinds, block addresses, distances, due
times, status), never a resident's details: those are read live for the tasks a volunteer
holds. With the cache down, lists are built every time (and a warning is logged).
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)


def _version_key(group_id: int) -> str:
    return f"tasklist:version:{group_id}"


def _entry_key(group_id: int, parts: tuple) -> str:
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return f"tasklist:{group_id}:{digest}"


def volunteer_part(volunteer) -> tuple:
    """What of the volunteer their list depends on, for the entry's key. The rest bumps the
    group's version: their blocks, the group's kinds, the requests. The consultation skills
    decide which kinds they see (permissions.kinds_hidden_from); they are in the key as well as
    bumping, so a change that skips the signals is not served a list of other kinds."""
    return (
        volunteer.pk,
        volunteer.is_available,
        volunteer.base_latitude,
        volunteer.base_longitude,
        volunteer.does_legal_consultation,
        volunteer.does_psychological_consultation,
    )


def _seconds() -> int:
    return settings.TASK_LIST_CACHE_SECONDS


def lookup(*, group_id: int, parts: tuple) -> tuple[int | None, Any]:
    """(version, value or None). Version None means "do not store": the cache is off or down."""
    if _seconds() <= 0:
        return None, None
    version_key, entry_key = _version_key(group_id), _entry_key(group_id, parts)
    try:
        found = cache.get_many([version_key, entry_key])
    except Exception:  # Redis down: build the list, as if the cache were not there
        logger.warning("task list cache unavailable; building the list")
        return None, None
    version = found.get(version_key, 0)
    entry = found.get(entry_key)
    if entry is not None and entry[0] == version:
        return version, entry[1]
    return version, None


def store(*, group_id: int, parts: tuple, version: int | None, value: Any) -> None:
    """Keep value under the version read BEFORE the list was built: a change committed
    meanwhile has bumped the version, so this entry is never served."""
    if version is None:
        return
    try:
        cache.set(_entry_key(group_id, parts), (version, value), _seconds())
    except Exception:
        logger.warning("task list cache unavailable; list not stored")


def _bump(group_id: int) -> None:
    key = _version_key(group_id)
    try:
        try:
            cache.incr(key)
        except ValueError:  # no version yet: lists cached so far used 0
            if not cache.add(key, 1, timeout=None):
                cache.incr(key)
    except Exception:
        logger.warning("task list cache unavailable; group %s not invalidated", group_id)


def task_lists_changed(*, group_id: int | None) -> None:
    """A change to the group's lists: invalidate now, and again once it is committed (a list
    built between the two from the old rows is then not served either)."""
    if group_id is None or _seconds() <= 0:
        return
    _bump(group_id)
    transaction.on_commit(lambda: _bump(group_id))
