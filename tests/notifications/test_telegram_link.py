"""The Telegram linking page and its signed, expiring /start token."""

import re

import pytest

from notifications import telegram

URL = "/notifications/telegram/link/"


def test_volunteer_sees_a_deep_link_whose_token_names_them(client, fake_telegram, volunteer):
    client.force_login(volunteer.user)

    response = client.get(URL)

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    match = re.search(
        r"https://t\.me/covidarnost_test_bot\?start=([A-Za-z0-9_-]{1,64})\"",
        response.content.decode(),
    )
    assert match is not None
    assert telegram.read_link_token(match.group(1)) == volunteer.user_id


def test_pending_volunteer_may_link_too(client, fake_telegram, pending_volunteer):
    client.force_login(pending_volunteer.user)

    assert client.get(URL).status_code == 200


@pytest.mark.parametrize("role", ["organizer", "operator", "coordinator"])
def test_staff_have_no_telegram_link(client, fake_telegram, request, role):
    client.force_login(request.getfixturevalue(role))

    assert client.get(URL).status_code == 403


def test_anonymous_is_sent_to_login(client, fake_telegram):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_page_says_telegram_is_not_set_up_without_a_bot(client, volunteer, settings):
    settings.TELEGRAM_BOT_TOKEN = ""
    client.force_login(volunteer.user)

    response = client.get(URL)

    assert response.status_code == 200
    assert "t.me/" not in response.content.decode()


def test_token_fits_telegram_start_parameter_rules_for_large_ids():
    token = telegram.make_link_token(2**62)

    assert re.fullmatch(r"[A-Za-z0-9_-]{1,64}", token)
    assert telegram.read_link_token(token) == 2**62


def test_tampered_or_reused_under_another_id_token_is_refused(volunteer, second_volunteer):
    token = telegram.make_link_token(volunteer.user_id)
    signature_length = len(token) - len(token.split("_")[-1])
    forged = token[:signature_length] + telegram.signing.b62_encode(second_volunteer.user_id)

    assert telegram.read_link_token(forged) is None
    assert telegram.read_link_token(token[:-1] + ("A" if token[-1] != "A" else "B")) is None


def test_token_expires(volunteer):
    token = telegram.make_link_token(volunteer.user_id)

    assert telegram.read_link_token(token, max_age=60) == volunteer.user_id
    assert telegram.read_link_token(token, max_age=-1) is None
