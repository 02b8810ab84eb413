"""SMS: offers through the fake gateway, and answers by reply code or "no" via the inbound hook."""

import json

import pytest
from django.core import mail

from notifications.backends.base import TransientNotificationError
from notifications.models import NotificationLog
from notifications.services import notify_user
from requests.models import OfferStatus, Status
from tests.notifications.conftest import SMS_SECRET
from volunteers.models import NotificationChannel

URL = "/notifications/sms/inbound/"
PHONE = "+79215550101"


@pytest.fixture
def sms_volunteer(volunteer):
    volunteer.notification_channel = NotificationChannel.SMS
    volunteer.save()
    volunteer.user.phone = PHONE
    volunteer.user.save()
    return volunteer


def inbound(client, sender, text, *, secret=SMS_SECRET, via="header"):
    body = json.dumps({"from": sender, "text": text})
    if via == "header":
        return client.post(
            URL, body, content_type="application/json", headers={"X-SMS-Secret": secret}
        )
    return client.post(f"{URL}?token={secret}", body, content_type="application/json")


def test_offer_by_sms_fills_the_gateway_template_with_reply_code_and_no_personal_data(
    fake_sms, sms_volunteer, offer, personal_data
):
    assert notify_user(user_id=sms_volunteer.user_id, message="offer", key="o", offer_id=offer.pk)

    assert len(fake_sms.requests) == 1
    sent = fake_sms.requests[0]
    assert sent["path"] == "/send"
    assert sent["headers"]["Authorization"] == "Bearer gateway-token"
    assert sent["json"]["to"] == PHONE
    text = sent["json"]["message"]["body"]
    assert offer.short_code in text
    for value in personal_data:
        assert value not in json.dumps(sent["json"], ensure_ascii=False)
    assert NotificationLog.objects.get(key="o").channel == "sms"
    assert mail.outbox == []


def test_gateway_error_is_transient_and_leaves_no_log(fake_sms, sms_volunteer, offer):
    fake_sms.responses.append((503, {}))

    with pytest.raises(TransientNotificationError):
        notify_user(user_id=sms_volunteer.user_id, message="offer", key="o", offer_id=offer.pk)

    assert not NotificationLog.objects.exists()


def test_text_with_quotes_and_newlines_stays_valid_json(fake_sms, settings):
    from notifications.sms import build_body

    body = build_body(phone=PHONE, text='say "hi"\nnow')

    assert body == {"to": PHONE, "message": {"body": 'say "hi"\nnow'}}


def test_volunteer_without_phone_gets_email_instead(fake_sms, sms_volunteer, offer):
    sms_volunteer.user.phone = None
    sms_volunteer.user.save()

    notify_user(user_id=sms_volunteer.user_id, message="offer", key="o", offer_id=offer.pk)

    assert fake_sms.requests == []
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("secret", ["", "wrong"])
@pytest.mark.parametrize("via", ["header", "query"])
def test_inbound_without_the_secret_is_403(client, fake_sms, sms_volunteer, offer, secret, via):
    response = inbound(client, PHONE, offer.short_code, secret=secret, via=via)

    assert response.status_code == 403
    offer.refresh_from_db()
    assert offer.status == OfferStatus.PENDING


def test_inbound_refuses_everything_when_no_secret_is_configured(client, fake_sms, settings):
    settings.SMS_INBOUND_SECRET = ""

    assert inbound(client, PHONE, "no", secret="").status_code == 403


def test_the_secret_in_the_query_string_is_refused(client, fake_sms, sms_volunteer, offer):
    # Query strings are logged by proxies: only the header counts, even with the right secret.
    response = inbound(client, "8 921 555-01-01", offer.short_code, via="query")

    assert response.status_code == 403
    offer.refresh_from_db()
    assert offer.status == OfferStatus.PENDING


def test_reply_code_claims_the_offered_request(client, fake_sms, sms_volunteer, offer):
    response = inbound(client, "8 921 555-01-01", f" {offer.short_code.lower()} ")

    assert response.status_code == 200
    offer.refresh_from_db()
    offer.help_request.refresh_from_db()
    assert offer.status == OfferStatus.ACCEPTED
    assert offer.help_request.status == Status.CLAIMED
    assert offer.help_request.volunteer_id == sms_volunteer.pk
    reply = fake_sms.requests[-1]["json"]
    assert reply["to"] == PHONE
    assert f"/tasks/{offer.help_request_id}/" in reply["message"]["body"]


@pytest.mark.parametrize("word", ["no", "NO", "Нет", "нет."])
def test_no_declines_the_pending_offer(client, fake_sms, sms_volunteer, offer, word):
    inbound(client, PHONE, word)

    offer.refresh_from_db()
    offer.help_request.refresh_from_db()
    assert offer.status == OfferStatus.DECLINED
    assert offer.help_request.status == Status.OPEN
    assert len(fake_sms.requests) == 1


def test_form_encoded_inbound_is_accepted(client, fake_sms, sms_volunteer, offer):
    response = client.post(URL, {"from": PHONE, "text": "no"}, headers={"X-SMS-Secret": SMS_SECRET})

    assert response.status_code == 200
    offer.refresh_from_db()
    assert offer.status == OfferStatus.DECLINED


def test_unknown_code_changes_nothing_and_explains(client, fake_sms, sms_volunteer, offer):
    inbound(client, PHONE, "ZZZZ")

    offer.refresh_from_db()
    assert offer.status == OfferStatus.PENDING
    assert len(fake_sms.requests) == 1


def test_code_of_another_volunteers_offer_claims_nothing(
    client, fake_sms, sms_volunteer, second_volunteer, help_request, make_offer
):
    foreign = make_offer(help_request, second_volunteer, short_code="X9Y8")

    inbound(client, PHONE, "X9Y8")

    help_request.refresh_from_db()
    foreign.refresh_from_db()
    assert help_request.status == Status.OPEN
    assert foreign.status == OfferStatus.PENDING


def test_unknown_number_gets_no_reply(client, fake_sms, sms_volunteer, offer):
    response = inbound(client, "+79990000000", offer.short_code)

    assert response.status_code == 200
    offer.refresh_from_db()
    assert offer.status == OfferStatus.PENDING
    assert fake_sms.requests == []


def test_organizer_phone_answers_nothing(client, fake_sms, organizer, offer):
    organizer.phone = "+79215550202"
    organizer.save()

    inbound(client, "+79215550202", offer.short_code)

    offer.refresh_from_db()
    assert offer.status == OfferStatus.PENDING
    assert fake_sms.requests == []


@pytest.mark.parametrize(
    "body",
    [
        "{not json",
        json.dumps(["x"]),
        json.dumps({"from": PHONE}),
        json.dumps({"from": 1, "text": 2}),
    ],
)
def test_malformed_inbound_is_400(client, fake_sms, body):
    response = client.post(
        URL, body, content_type="application/json", headers={"X-SMS-Secret": SMS_SECRET}
    )

    assert response.status_code == 400


def test_reply_failure_does_not_undo_the_claim(client, fake_sms, sms_volunteer, offer):
    fake_sms.responses.append((500, {}))

    assert inbound(client, PHONE, offer.short_code).status_code == 200

    offer.help_request.refresh_from_db()
    assert offer.help_request.status == Status.CLAIMED
