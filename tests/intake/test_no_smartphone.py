"""Volunteers without a smartphone: offers by SMS without links or by an operator's call, and
organizers and operators giving them requests and recording their steps for them."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from intake.models import ResidentNotice
from notifications.messages import build_context, render_message
from notifications.models import NotificationLog
from notifications.services import notify_user
from requests import services
from requests.exceptions import NotAllowed
from requests.models import Offer, OfferStatus, RequestEvent, Status
from requests.reminders import send_overdue_reminders
from tests import factories
from tests.notifications.conftest import fake_sms  # noqa: F401 (fixture)


@pytest.fixture
def walker(group, block):
    """A verified volunteer of the group with a push-button phone only."""
    profile = factories.VolunteerFactory(
        user__username="walker",
        user__first_name="Пётр",
        user__last_name="Кузнецов",
        user__group=group,
        user__phone="+79215550202",
        no_smartphone=True,
    )
    profile.blocks.add(block)
    return profile


def give(client, help_request, volunteer):
    return client.post(
        f"/intake/requests/{help_request.pk}/give/", {"volunteer": str(volunteer.pk)}
    )


@pytest.mark.parametrize("role", ["operator", "organizer"])
def test_staff_give_a_request_to_a_named_volunteer(request, signed_in, help_request, walker, role):
    staff = request.getfixturevalue(role)
    response = give(signed_in(staff), help_request, walker)
    assert response.status_code == 302
    help_request.refresh_from_db()
    assert (help_request.status, help_request.volunteer) == (Status.CLAIMED, walker)
    event = RequestEvent.objects.get(help_request=help_request, action="claim")
    assert (event.actor, event.on_behalf_of) == (staff, walker.user)


def test_giving_tells_the_resident_too(
    signed_in, operator, help_request, walker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        give(signed_in(operator), help_request, walker)
    assert ResidentNotice.objects.filter(help_request=help_request).count() == 1


@pytest.mark.parametrize("role", ["volunteer", "other_organizer", "outsider_volunteer"])
def test_give_and_step_404_for_others(request, signed_in, help_request, walker, role):
    client = signed_in(request.getfixturevalue(role))
    assert give(client, help_request, walker).status_code == 404
    step = client.post(f"/intake/requests/{help_request.pk}/step/", {"step": "bought"})
    assert step.status_code == 404
    help_request.refresh_from_db()
    assert help_request.status == Status.OPEN


def test_give_and_step_anonymous_redirected(client, help_request, walker):
    assert give(client, help_request, walker).status_code == 302
    assert client.post(f"/intake/requests/{help_request.pk}/step/").status_code == 302


def test_another_groups_volunteer_cannot_be_given_it(
    signed_in, operator, help_request, outsider_volunteer
):
    response = give(signed_in(operator), help_request, outsider_volunteer)
    assert response.status_code == 400
    help_request.refresh_from_db()
    assert help_request.status == Status.OPEN


def test_the_service_refuses_staff_of_another_group(help_request, walker, other_organizer):
    with pytest.raises(NotAllowed):
        services.help_request_claim(
            help_request=help_request, volunteer=walker, acting_user=other_organizer
        )


def test_a_request_taken_meanwhile_says_so(signed_in, operator, help_request, walker, volunteer):
    services.help_request_claim(help_request=help_request, volunteer=volunteer)
    client = signed_in(operator)
    response = give(client, help_request, walker)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "already been taken" in page or "уже взял" in page
    help_request.refresh_from_db()
    assert help_request.volunteer == volunteer


@pytest.fixture
def held(help_request, walker, operator):
    services.help_request_claim(help_request=help_request, volunteer=walker, acting_user=operator)
    return help_request


def step(client, help_request, **data):
    return client.post(f"/intake/requests/{help_request.pk}/step/", data)


def test_record_bought_then_delivered_for_the_volunteer(signed_in, operator, held, walker):
    client = signed_in(operator)
    assert step(client, held, step="bought").status_code == 302
    response = step(client, held, step="delivered", spent="350,50", paid_by="volunteer")
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.status == Status.DELIVERED
    assert str(held.spent) == "350.50" and held.paid_by == "volunteer"
    for action in ("mark_bought", "deliver"):
        event = RequestEvent.objects.get(help_request=held, action=action)
        assert (event.actor, event.on_behalf_of) == (operator, walker.user)
    page = client.get(f"/intake/requests/{held.pk}/").content.decode()
    assert "Пётр Кузнецов" in page


def test_could_not_deliver_needs_a_reason_and_keeps_it_typed(signed_in, operator, held):
    client = signed_in(operator)
    response = step(client, held, step="undeliverable", reason="")
    assert response.status_code == 400
    held.refresh_from_db()
    assert held.status == Status.CLAIMED
    old_word = held.code_word
    assert step(client, held, step="undeliverable", reason="Аптека закрыта").status_code == 302
    held.refresh_from_db()
    assert held.status == Status.OPEN and held.code_word != old_word
    event = RequestEvent.objects.get(help_request=held, action="undeliverable")
    assert event.note == "Аптека закрыта" and event.on_behalf_of_id is not None


def test_request_page_query_count(signed_in, operator, held, django_assert_max_num_queries):
    client = signed_in(operator)
    with django_assert_max_num_queries(14):
        assert client.get(f"/intake/requests/{held.pk}/").status_code == 200


def test_admin_action_marks_bought_for_the_holder(signed_in, organizer, held, walker):
    client = signed_in(organizer)
    response = client.post(
        reverse("admin:requests_helprequest_changelist"),
        {"action": "mark_bought_for_volunteer", "_selected_action": [str(held.pk)]},
    )
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.status == Status.BOUGHT
    event = RequestEvent.objects.get(help_request=held, action="mark_bought")
    assert (event.actor, event.on_behalf_of) == (organizer, walker.user)


# --- Offers ----------------------------------------------------------------------------------


@pytest.fixture
def walker_offer(help_request, walker):
    return Offer.objects.create(
        help_request=help_request,
        volunteer=walker,
        rank=1,
        short_code="123456",
        expires_at=timezone.now() + timedelta(minutes=15),
    )


def test_offer_goes_by_sms_without_links(fake_sms, walker, walker_offer):  # noqa: F811
    assert notify_user(user_id=walker.user_id, message="offer", key="o1", offer_id=walker_offer.pk)
    sent = fake_sms.requests[0]["json"]
    assert sent["to"] == "+79215550202"
    text = json.dumps(sent, ensure_ascii=False)
    assert "123456" in text
    assert "http" not in text
    assert NotificationLog.objects.get(key="o1").channel == "sms"


def test_without_sms_the_offer_goes_on_the_operators_call_list(
    signed_in, operator, walker, walker_offer, settings
):
    settings.SMS_GATEWAY_URL = ""
    assert notify_user(user_id=walker.user_id, message="offer", key="o1", offer_id=walker_offer.pk)
    assert NotificationLog.objects.get(key="o1").channel == "call_list"
    page = signed_in(operator).get("/intake/callbacks/").content.decode()
    assert "Пётр Кузнецов" in page
    assert f"/intake/offers/{walker_offer.pk}/accept/" in page


@pytest.fixture
def called_offer(walker, walker_offer, settings):
    settings.SMS_GATEWAY_URL = ""
    notify_user(user_id=walker.user_id, message="offer", key="o1", offer_id=walker_offer.pk)
    return walker_offer


def test_operator_passes_on_a_yes(signed_in, operator, called_offer, walker):
    response = signed_in(operator).post(f"/intake/offers/{called_offer.pk}/accept/")
    assert response.status_code == 302
    called_offer.refresh_from_db()
    assert called_offer.status == OfferStatus.ACCEPTED
    event = RequestEvent.objects.get(help_request=called_offer.help_request, action="claim")
    assert (event.actor, event.on_behalf_of) == (operator, walker.user)


def test_operator_passes_on_a_no(signed_in, operator, called_offer):
    signed_in(operator).post(f"/intake/offers/{called_offer.pk}/decline/")
    called_offer.refresh_from_db()
    assert called_offer.status == OfferStatus.DECLINED


@pytest.mark.parametrize("role", ["volunteer", "other_organizer", "walker"])
def test_offer_answers_404_for_others(request, signed_in, called_offer, role):
    client = signed_in(request.getfixturevalue(role))
    assert client.post(f"/intake/offers/{called_offer.pk}/accept/").status_code == 404
    called_offer.refresh_from_db()
    assert called_offer.status == OfferStatus.PENDING


def test_offer_answer_anonymous_redirected(client, called_offer):
    assert client.post(f"/intake/offers/{called_offer.pk}/accept/").status_code == 302


def test_smartphone_volunteers_keep_their_links(fake_sms, volunteer, help_request):  # noqa: F811
    volunteer.notification_channel = "sms"
    volunteer.save()
    volunteer.user.phone = "+79215550303"
    volunteer.user.save()
    offer = Offer.objects.create(
        help_request=help_request,
        volunteer=volunteer,
        rank=1,
        short_code="654321",
        expires_at=timezone.now() + timedelta(minutes=15),
    )
    notify_user(user_id=volunteer.user_id, message="offer", key="o2", offer_id=offer.pk)
    assert "http" in json.dumps(fake_sms.requests[0]["json"])


# --- Reminders: no links either ----------------------------------------------------------------


@pytest.mark.parametrize("message", ["claim_overdue", "checkin_list"])
def test_reminders_go_by_sms_without_links(fake_sms, walker, held, message):  # noqa: F811
    assert notify_user(user_id=walker.user_id, message=message, key="r1", help_request_id=held.pk)
    sent = json.dumps(fake_sms.requests[0]["json"], ensure_ascii=False)
    assert "http" not in sent and "/tasks/" not in sent and "/checkins/" not in sent
    assert "горяч" in sent  # tells them to call the hotline instead
    assert NotificationLog.objects.get(key="r1").channel == "sms"


def test_overdue_reminder_scan_sends_no_link(fake_sms, walker, held):  # noqa: F811
    held.due_at = timezone.now() - timedelta(hours=3)
    held.save(update_fields=["due_at"])
    send_overdue_reminders(notify=notify_user, alert=lambda **kwargs: 0)
    texts = [json.dumps(r["json"], ensure_ascii=False) for r in fake_sms.requests]
    assert texts and all("http" not in text for text in texts)


@pytest.mark.parametrize("message", ["offer", "claim_overdue", "checkin_list"])
def test_no_volunteer_message_template_has_a_link_when_told_not_to(message, held):
    for channel in ("sms", "call_list", "email", "console"):
        context = build_context(channel=channel, help_request_id=held.pk, short_code="1234")
        context["no_links"] = True
        for language in ("ru", "en"):
            text = render_message(kind=message, language=language, context=context).text
            assert "http" not in text, (channel, language, text)
