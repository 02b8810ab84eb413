"""The resident in the loop: told by SMS or by an operator's call when a volunteer claims,
releases or cannot deliver; a new code word after a release or "could not deliver"."""

import json
import logging

import pytest

from intake import notices
from intake.models import NoticeChannel, NoticeStatus, ResidentNotice
from requests import services
from requests.models import RequestEvent
from tests.notifications.conftest import fake_sms  # noqa: F401 (fixture)

SURNAME = "Смирнова"
VOLUNTEER_PHONE = "+79215550101"


@pytest.fixture
def helper(volunteer):
    user = volunteer.user
    user.first_name, user.last_name, user.phone = "Нина", SURNAME, VOLUNTEER_PHONE
    user.save()
    return volunteer


@pytest.fixture
def texting_resident(help_request):
    neighbor = help_request.neighbor
    neighbor.phone, neighbor.consent_to_sms = "+79211234567", True
    neighbor.save()
    return neighbor


def claim(help_request, volunteer, capture):
    with capture(execute=True):
        return services.help_request_claim(help_request=help_request, volunteer=volunteer)


def test_claim_texts_her_the_code_word_without_the_volunteers_surname_or_phone(
    fake_sms,  # noqa: F811
    help_request,
    helper,
    texting_resident,
    django_capture_on_commit_callbacks,
    caplog,
):
    caplog.set_level(logging.DEBUG)
    claim(help_request, helper, django_capture_on_commit_callbacks)

    assert len(fake_sms.requests) == 1
    sent = fake_sms.requests[0]["json"]
    assert sent["to"] == "+79211234567"
    text = sent["message"]["body"]
    assert help_request.code_word in text
    assert "Нина" in text
    body = json.dumps(sent, ensure_ascii=False)
    assert SURNAME not in body and VOLUNTEER_PHONE not in body and "9215550101" not in body
    notice = ResidentNotice.objects.get()
    assert (notice.channel, notice.status) == (NoticeChannel.SMS, NoticeStatus.SENT)
    assert notice.told_at is not None
    assert help_request.code_word not in caplog.text


def test_sms_task_is_given_the_notice_id_only(
    fake_sms,  # noqa: F811
    help_request,
    helper,
    texting_resident,
    django_capture_on_commit_callbacks,
    monkeypatch,
):
    from intake.tasks import send_resident_sms

    calls = []
    monkeypatch.setattr(send_resident_sms, "apply_async", lambda args: calls.append(args))
    claim(help_request, helper, django_capture_on_commit_callbacks)
    assert calls == [(ResidentNotice.objects.get().pk,)]


@pytest.mark.parametrize(
    "change",
    [
        {"consent_to_sms": False},
        {"phone": "+78125551234"},  # a landline
        {"phone": ""},
    ],
    ids=["no-consent", "landline", "no-phone"],
)
def test_otherwise_she_goes_on_the_call_back_list(
    fake_sms,  # noqa: F811
    help_request,
    helper,
    texting_resident,
    django_capture_on_commit_callbacks,
    change,
):
    for field, value in change.items():
        setattr(texting_resident, field, value)
    texting_resident.save()
    claim(help_request, helper, django_capture_on_commit_callbacks)
    assert fake_sms.requests == []
    notice = ResidentNotice.objects.get()
    assert (notice.channel, notice.status) == (NoticeChannel.CALL, NoticeStatus.PENDING)


def test_without_a_gateway_she_is_called(
    help_request, helper, texting_resident, django_capture_on_commit_callbacks, settings
):
    settings.SMS_GATEWAY_URL = ""
    claim(help_request, helper, django_capture_on_commit_callbacks)
    assert ResidentNotice.objects.get().channel == NoticeChannel.CALL


def test_refused_number_moves_to_the_call_list(
    fake_sms,  # noqa: F811
    help_request,
    helper,
    texting_resident,
    django_capture_on_commit_callbacks,
):
    fake_sms.responses.append((400, {"error": "bad number"}))
    claim(help_request, helper, django_capture_on_commit_callbacks)
    notice = ResidentNotice.objects.get()
    assert (notice.channel, notice.status) == (NoticeChannel.CALL, NoticeStatus.PENDING)


@pytest.mark.parametrize("give_back", ["release", "undeliverable"])
def test_giving_back_makes_a_new_code_word_and_tells_her(
    fake_sms,  # noqa: F811
    help_request,
    helper,
    texting_resident,
    django_capture_on_commit_callbacks,
    give_back,
):
    claim(help_request, helper, django_capture_on_commit_callbacks)
    old_word = help_request.code_word
    service = {
        "release": services.help_request_release,
        "undeliverable": services.help_request_report_undeliverable,
    }[give_back]
    with django_capture_on_commit_callbacks(execute=True):
        service(help_request=help_request, volunteer=helper, reason="Заболела")
    help_request.refresh_from_db()
    assert help_request.code_word != old_word
    event = RequestEvent.objects.get(help_request=help_request, action="new_code_word")
    assert old_word not in event.note and help_request.code_word not in event.note
    assert len(fake_sms.requests) == 2
    text = fake_sms.requests[1]["json"]["message"]["body"]
    assert help_request.code_word in text and old_word not in text
    assert SURNAME not in text and "Нина" not in text
    assert ResidentNotice.objects.filter(status=NoticeStatus.SENT).count() == 2


def test_the_old_holder_cannot_see_the_new_code_word(
    client, help_request, helper, django_capture_on_commit_callbacks
):
    claim(help_request, helper, django_capture_on_commit_callbacks)
    services.help_request_release(help_request=help_request, volunteer=helper, reason="Не успею")
    help_request.refresh_from_db()
    client.force_login(helper.user)
    page = client.get(f"/tasks/{help_request.pk}/").content.decode()
    assert help_request.code_word not in page


def test_only_the_latest_change_waits_on_the_list(
    help_request, helper, django_capture_on_commit_callbacks
):
    claim(help_request, helper, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.help_request_release(help_request=help_request, volunteer=helper, reason="Нет")
    statuses = list(ResidentNotice.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == [NoticeStatus.SUPERSEDED, NoticeStatus.PENDING]


def test_opening_twice_for_one_change_is_one_notice(
    help_request, helper, django_capture_on_commit_callbacks
):
    claim(help_request, helper, django_capture_on_commit_callbacks)
    event = RequestEvent.objects.get(action="claim")
    assert notices.resident_notice_open(event_id=event.pk) == ResidentNotice.objects.get()
    assert ResidentNotice.objects.count() == 1


def test_other_changes_are_not_told(help_request, operator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.help_request_cancel(help_request=help_request, actor=operator)
    assert not ResidentNotice.objects.exists()
