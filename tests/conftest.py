"""Fixtures per role. Two groups: `group` (where the tests act) and `other_group` (outsiders)."""

import contextlib
import os

import pytest
from django.db import connection
from django.test import override_settings

from tests import factories
from volunteers.models import VolunteerStatus


def pytest_collection_modifyitems(config, items):
    """Tests marked postgres run only on PostgreSQL (row locks, KNN, the one-statement
    matching that production runs); skipped on SQLite. With REQUIRE_POSTGRES=1 (CI sets it)
    a run that would skip them fails instead."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    if os.environ.get("REQUIRE_POSTGRES") == "1":
        raise pytest.UsageError(
            "REQUIRE_POSTGRES=1 but DATABASE_URL is not PostgreSQL: "
            "the tests marked postgres would be skipped"
        )
    skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL (CI does)")
    for item in items:
        # The marker, not item.keywords: a parametrize id "postgres" is a keyword too.
        if item.get_closest_marker("postgres"):
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached task lists (and other entries) never leak from one test into the next: ids are
    reused after a rollback, so an old entry could match a new test's volunteer."""
    from django.core.cache import cache

    # A test may point the cache at a Redis that is down.
    with contextlib.suppress(Exception):
        cache.clear()
    yield


# A Redis cache nobody answers on (port 1), with short timeouts: the app's behaviour when the
# cache is down, in one place for every test that needs it.
CACHE_DOWN = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


@pytest.fixture
def cache_down():
    # Restored when this fixture ends, before the fixtures that clear the cache end.
    with override_settings(CACHES=CACHE_DOWN):
        yield


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _cold_kind_names():
    """Kind names are cached per process (requests.models.RequestKindManager): start each
    test cold, so a kind made or rolled back by another test never shows.
    """
    from requests.models import RequestKind

    RequestKind.objects.clear_label_cache()
    yield
    RequestKind.objects.clear_label_cache()


@pytest.fixture
def group(db):
    return factories.GroupFactory(name="Чёрная речка", slug="chrechka")


@pytest.fixture
def other_group(db):
    return factories.GroupFactory(name="Другая группа", slug="other")


@pytest.fixture
def block(group):
    return factories.BlockFactory(group=group, code="T1")


@pytest.fixture
def other_block(other_group):
    return factories.BlockFactory(group=other_group, code="O1")


@pytest.fixture
def neighbor(block):
    return factories.NeighborFactory(block=block)


@pytest.fixture
def coordinator(db):
    """A superuser: the site's administrator, who sees every group (see network_coordinator)."""
    return factories.UserFactory(
        username="coordinator", group=None, role="", is_staff=True, is_superuser=True
    )


@pytest.fixture
def network(group):
    """The network `group` belongs to; `other_group` stays outside it."""
    network = factories.NetworkFactory(name="Сеть взаимопомощи")
    group.network = network
    group.save(update_fields=["network"])
    return network


@pytest.fixture
def network_coordinator(network):
    """A coordinator by role (not a superuser) of the network `group` belongs to."""
    return factories.CoordinatorFactory(username="netcoordinator", network=network)


@pytest.fixture
def organizer(group):
    return factories.OrganizerFactory(username="organizer", group=group)


@pytest.fixture
def other_organizer(other_group):
    return factories.OrganizerFactory(username="organizer2", group=other_group)


@pytest.fixture
def operator(group):
    return factories.OperatorFactory(username="operator", group=group)


@pytest.fixture
def volunteer(group, block):
    """A verified volunteer of `group` assigned to `block`."""
    profile = factories.VolunteerFactory(user__username="volunteer1", user__group=group)
    profile.blocks.add(block)
    return profile


@pytest.fixture
def second_volunteer(group, block):
    profile = factories.VolunteerFactory(user__username="volunteer2", user__group=group)
    profile.blocks.add(block)
    return profile


@pytest.fixture
def pending_volunteer(group):
    return factories.VolunteerFactory(
        user__username="pending",
        user__group=group,
        status=VolunteerStatus.PENDING,
        verified_at=None,
        verification_method="",
    )


@pytest.fixture
def outsider_volunteer(other_group):
    """A verified volunteer of another group."""
    return factories.VolunteerFactory(user__username="volunteer21", user__group=other_group)


@pytest.fixture
def help_request(neighbor):
    return factories.HelpRequestFactory(neighbor=neighbor)


@pytest.fixture
def is_postgres():
    return connection.vendor == "postgresql"
