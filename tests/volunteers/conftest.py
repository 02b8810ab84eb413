"""Volunteer page tests read English texts: the catalogs may or may not be compiled."""

import html
import re

import pytest


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def volunteer_client(client, volunteer):
    client.force_login(volunteer.user)
    return client


@pytest.fixture
def claimed_request(help_request, volunteer):
    from requests.services import help_request_claim

    return help_request_claim(help_request=help_request, volunteer=volunteer)


def page_text(response) -> str:
    return response.content.decode()


def messages_of(response) -> list[str]:
    """The messages as the page shows them (read from the HTML: response.context is shared
    between threads in the concurrency test)."""
    found = re.findall(r'<li class="msg [a-z ]*">(.*?)</li>', page_text(response), re.S)
    return [html.unescape(message) for message in found]
