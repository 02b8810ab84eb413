"""Fixtures that point the Celery app at a real broker (or a dead one) for one test."""

import pytest

from covidarnost.celery import app
from tests.celery.workers import redis_url_or_skip


def _reset_pools():
    # Connections and producers are pooled per app; a new broker URL needs fresh pools.
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def celery_broker():
    """Set the broker URL; tasks are queued for a worker instead of running inline."""
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}

    def use(url: str):
        app.conf.broker_url = url
        app.conf.task_always_eager = False
        _reset_pools()

    yield use
    app.conf.update(saved)
    _reset_pools()


@pytest.fixture(autouse=True)
def _block_at_a_fixed_place(request):
    """Volunteers of the factories start near (59.986, 30.301); keep block T1 there."""
    if "block" in request.fixturenames:
        block = request.getfixturevalue("block")
        block.latitude, block.longitude = 59.985, 30.300
        block.save(update_fields=["latitude", "longitude"])


@pytest.fixture
def redis_url(celery_broker):
    """The run's own Redis database, emptied, as the broker of this test."""
    import redis

    url = redis_url_or_skip()
    client = redis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        client.flushdb()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis does not answer")
    celery_broker(url)
    yield url
    client.flushdb()
