"""Telegram webhook: secret header, linking by /start, Take it / Decline buttons."""

import json

import pytest
from django.urls import reverse

from notifications import telegram
from requests.models import OfferStatus, Status
from tests.notifications.conftest import WEBHOOK_SECRET
from volunteers.models import NotificationChannel

URL = "/notifications/telegram/webhook/"
CHAT_ID = 555000111


def post_update(client, update, secret=WEBHOOK_SECRET):
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    body = update if isinstance(update, (str, bytes)) else json.dumps(update)
    return client.post(URL, body, content_type="application/json", headers=headers)


def start_update(text, chat_id=CHAT_ID, chat_type="private"):
    return {
        "update_id": 1,
        "message": {
            "message_id": 10,
            "chat": {"id": chat_id, "type": chat_type},
            "from": {"id": chat_id, "language_code": "en"},
            "text": text,
        },
    }


def callback_update(data, chat_id=CHAT_ID):
    return {
        "update_id": 2,
        "callback_query": {
            "id": "cbq-1",
            "from": {"id": chat_id},
            "message": {"message_id": 11, "chat": {"id": chat_id, "type": "private"}},
            "data": data,
        },
    }


@pytest.fixture
def linked_volunteer(volunteer):
    volunteer.telegram_chat_id = str(CHAT_ID)
    volunteer.notification_channel = NotificationChannel.TELEGRAM
    volunteer.save()
    return volunteer


def test_url_is_routed():
    assert reverse("notifications:telegram_webhook") == URL


@pytest.mark.parametrize("secret", [None, "", "wrong", WEBHOOK_SECRET + "x"])
def test_missing_or_wrong_secret_is_403_and_nothing_happens(
    client, fake_telegram, linked_volunteer, offer, secret
):
    response = post_update(client, callback_update(f"claim:{offer.pk}"), secret=secret)

    assert response.status_code == 403
    offer.refresh_from_db()
    assert offer.status == OfferStatus.PENDING
    assert fake_telegram.requests == []


def test_webhook_refuses_everything_when_no_secret_is_configured(client, fake_telegram, settings):
    settings.TELEGRAM_WEBHOOK_SECRET = ""

    assert post_update(client, start_update("/start"), secret="").status_code == 403


def test_get_is_not_allowed(client, fake_telegram):
    response = client.get(URL, headers={"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET})

    assert response.status_code == 405


@pytest.mark.parametrize("body", ["{not json", b"\xff\xfe", ""])
def test_malformed_json_is_400(client, fake_telegram, body):
    assert post_update(client, body).status_code == 400


@pytest.mark.parametrize(
    "update",
    [
        [],
        42,
        {"update_id": 3},
        {"edited_message": {"text": "hi"}},
        {"message": "text"},
        {"message": {"chat": "x", "text": 5}},
        {"callback_query": {"id": "x", "data": None}},
        {"callback_query": {"data": "claim:1"}},
    ],
)
def test_unknown_or_garbage_updates_are_acknowledged(client, fake_telegram, update):
    assert post_update(client, update).status_code == 200


def test_start_with_valid_token_links_the_chat(client, fake_telegram, volunteer):
    token = telegram.make_link_token(volunteer.user_id)

    response = post_update(client, start_update(f"/start {token}"))

    assert response.status_code == 200
    volunteer.refresh_from_db()
    assert volunteer.telegram_chat_id == str(CHAT_ID)
    assert volunteer.notification_channel == NotificationChannel.TELEGRAM
    assert fake_telegram.methods() == ["sendMessage"]
    assert fake_telegram.requests[0]["json"]["chat_id"] == str(CHAT_ID)


def test_linking_a_chat_moves_it_from_another_volunteer(
    client, fake_telegram, linked_volunteer, second_volunteer
):
    token = telegram.make_link_token(second_volunteer.user_id)

    post_update(client, start_update(f"/start {token}"))

    linked_volunteer.refresh_from_db()
    second_volunteer.refresh_from_db()
    assert second_volunteer.telegram_chat_id == str(CHAT_ID)
    assert linked_volunteer.telegram_chat_id == ""


@pytest.mark.parametrize("argument", ["", "garbage", "x" * 70])
def test_start_with_bad_token_links_nothing_and_explains(
    client, fake_telegram, volunteer, argument
):
    response = post_update(client, start_update(f"/start {argument}".strip()))

    assert response.status_code == 200
    volunteer.refresh_from_db()
    assert volunteer.telegram_chat_id == ""
    assert "/notifications/telegram/link/" in fake_telegram.requests[0]["json"]["text"]


def test_expired_token_links_nothing(client, fake_telegram, volunteer, settings):
    token = telegram.make_link_token(volunteer.user_id)
    settings.TELEGRAM_LINK_MAX_AGE = -1

    post_update(client, start_update(f"/start {token}"))

    volunteer.refresh_from_db()
    assert volunteer.telegram_chat_id == ""


def test_start_in_a_group_chat_is_ignored(client, fake_telegram, volunteer):
    token = telegram.make_link_token(volunteer.user_id)

    post_update(client, start_update(f"/start {token}", chat_type="group"))

    volunteer.refresh_from_db()
    assert volunteer.telegram_chat_id == ""
    assert fake_telegram.requests == []


def test_token_of_an_organizer_links_nothing(client, fake_telegram, organizer):
    token = telegram.make_link_token(organizer.pk)

    post_update(client, start_update(f"/start {token}"))

    assert "/notifications/telegram/link/" in fake_telegram.requests[0]["json"]["text"]


def test_stop_unlinks_the_chat(client, fake_telegram, linked_volunteer):
    post_update(client, start_update("/stop"))

    linked_volunteer.refresh_from_db()
    assert linked_volunteer.telegram_chat_id == ""
    assert linked_volunteer.notification_channel == NotificationChannel.EMAIL


def test_claim_button_claims_the_request_and_answers_the_callback(
    client, fake_telegram, linked_volunteer, offer
):
    response = post_update(client, callback_update(f"claim:{offer.pk}"))

    assert response.status_code == 200
    offer.refresh_from_db()
    offer.help_request.refresh_from_db()
    assert offer.status == OfferStatus.ACCEPTED
    assert offer.help_request.status == Status.CLAIMED
    assert offer.help_request.volunteer_id == linked_volunteer.pk
    assert fake_telegram.methods() == ["editMessageReplyMarkup", "answerCallbackQuery"]
    answer = fake_telegram.requests[-1]["json"]
    assert answer["callback_query_id"] == "cbq-1"
    assert f"/tasks/{offer.help_request_id}/" in answer["text"]


def test_decline_button_declines_the_offer(client, fake_telegram, linked_volunteer, offer):
    post_update(client, callback_update(f"decline:{offer.pk}"))

    offer.refresh_from_db()
    offer.help_request.refresh_from_db()
    assert offer.status == OfferStatus.DECLINED
    assert offer.help_request.status == Status.OPEN
    assert fake_telegram.methods()[-1] == "answerCallbackQuery"


def test_claim_of_a_request_already_taken_answers_with_the_reason(
    client, fake_telegram, linked_volunteer, second_volunteer, offer
):
    from requests.services import help_request_claim

    help_request_claim(help_request=offer.help_request, volunteer=second_volunteer)

    post_update(client, callback_update(f"claim:{offer.pk}"))

    offer.help_request.refresh_from_db()
    assert offer.help_request.volunteer_id == second_volunteer.pk
    assert fake_telegram.methods() == ["answerCallbackQuery"]


def test_button_for_another_volunteers_offer_does_nothing(
    client, fake_telegram, linked_volunteer, second_volunteer, help_request, make_offer
):
    foreign = make_offer(help_request, second_volunteer)

    post_update(client, callback_update(f"claim:{foreign.pk}"))

    foreign.refresh_from_db()
    help_request.refresh_from_db()
    assert foreign.status == OfferStatus.PENDING
    assert help_request.status == Status.OPEN
    assert fake_telegram.methods() == ["answerCallbackQuery"]


def test_button_from_an_unlinked_chat_does_nothing(client, fake_telegram, volunteer, offer):
    post_update(client, callback_update(f"claim:{offer.pk}", chat_id=999))

    offer.refresh_from_db()
    assert offer.status == OfferStatus.PENDING
    assert fake_telegram.methods() == ["answerCallbackQuery"]


def test_button_of_a_removed_volunteer_claims_nothing(
    client, fake_telegram, linked_volunteer, offer
):
    linked_volunteer.user.is_active = False
    linked_volunteer.user.save()

    post_update(client, callback_update(f"claim:{offer.pk}"))

    offer.help_request.refresh_from_db()
    assert offer.help_request.status == Status.OPEN


@pytest.mark.parametrize("data", ["claim:not-a-uuid", "claim:", "steal:1", "claim"])
def test_malformed_callback_data_is_answered_without_error(
    client, fake_telegram, linked_volunteer, data
):
    assert post_update(client, callback_update(data)).status_code == 200
    assert fake_telegram.methods() == ["answerCallbackQuery"]


def test_failed_answer_to_telegram_still_returns_200_and_keeps_the_claim(
    client, fake_telegram, linked_volunteer, offer
):
    fake_telegram.responses.extend([(500, {}), (500, {})])

    assert post_update(client, callback_update(f"claim:{offer.pk}")).status_code == 200

    offer.help_request.refresh_from_db()
    assert offer.help_request.status == Status.CLAIMED


def test_linking_by_the_webhook_is_audited_as_the_volunteers_doing(
    client, fake_telegram, volunteer
):
    """No one is signed in on a webhook call: the service names the volunteer."""
    from auditlog.models import LogEntry

    token = telegram.make_link_token(volunteer.user_id)
    post_update(client, start_update(f"/start {token}"))
    entry = LogEntry.objects.get_for_object(volunteer).latest("timestamp", "pk")
    assert entry.actor == volunteer.user
    assert "telegram_chat_id" in entry.changes_dict
