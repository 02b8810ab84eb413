import pytest


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login
