"""Invites and sign-ups of `group`, and the people who handle them."""

import pytest

from onboarding.services import invite_create


@pytest.fixture
def invite(group, organizer):
    return invite_create(group=group, actor=organizer)


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login
