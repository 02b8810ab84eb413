"""notify_user: send-once per key, channel choice with fallback, no log row on failure."""

import logging

import pytest
from django.core import mail

from notifications.backends.base import TransientNotificationError
from notifications.models import NotificationLog
from notifications.services import alert_organizers, notify_user
from tests import factories
from volunteers.models import NotificationChannel


def test_email_volunteer_gets_offer_by_email_once(volunteer, offer):
    kwargs = {
        "user_id": volunteer.user_id,
        "message": "offer",
        "key": f"offer:{offer.pk}",
        "offer_id": offer.pk,
    }

    assert notify_user(**kwargs) is True
    assert notify_user(**kwargs) is False

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [volunteer.user.email]
    assert f"/offers/{offer.pk}/claim/" in email.body
    assert f"/offers/{offer.pk}/decline/" in email.body
    assert f"/tasks/{offer.help_request_id}/" in email.body
    assert str(offer.help_request_id)[:8] in email.subject
    log = NotificationLog.objects.get(key=f"offer:{offer.pk}")
    assert log.channel == "email"
    assert log.recipient_id == volunteer.user_id
    assert log.help_request_id == offer.help_request_id


def test_offer_text_is_in_russian_by_default_and_english_for_english_speakers(
    volunteer, second_volunteer, help_request, make_offer
):
    second_volunteer.languages = "en"
    second_volunteer.save()
    ru_offer = make_offer(help_request, volunteer)
    notify_user(user_id=volunteer.user_id, message="offer", key="ru", offer_id=ru_offer.pk)
    ru_offer.status = "declined"
    ru_offer.save()
    en_offer = make_offer(help_request, second_volunteer, rank=2)
    notify_user(user_id=second_volunteer.user_id, message="offer", key="en", offer_id=en_offer.pk)

    # The catalog may not be compiled in a fresh checkout; English source text is the fallback.
    assert "New task" in mail.outbox[1].body
    assert mail.outbox[0].to != mail.outbox[1].to


def test_user_without_email_falls_back_to_console_log_with_ids_only(volunteer, offer, caplog):
    volunteer.user.email = ""
    volunteer.user.save()

    with caplog.at_level(logging.INFO, logger="notifications"):
        assert notify_user(user_id=volunteer.user_id, message="offer", key="k1", offer_id=offer.pk)

    assert mail.outbox == []
    assert NotificationLog.objects.get(key="k1").channel == "console"
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert str(offer.pk) in logged
    assert offer.short_code not in logged


def test_telegram_chosen_but_not_linked_falls_back_to_email(volunteer, offer):
    volunteer.notification_channel = NotificationChannel.TELEGRAM
    volunteer.telegram_chat_id = ""
    volunteer.save()

    notify_user(user_id=volunteer.user_id, message="offer", key="k2", offer_id=offer.pk)

    assert len(mail.outbox) == 1
    assert NotificationLog.objects.get(key="k2").channel == "email"


def test_transient_error_raises_and_leaves_no_log_row_then_retry_sends(
    volunteer, offer, monkeypatch
):
    from notifications.backends import email as email_backend

    original = email_backend.EmailBackend.send

    def failing(self, *args, **kwargs):
        raise TransientNotificationError("relay down")

    monkeypatch.setattr(email_backend.EmailBackend, "send", failing)
    with pytest.raises(TransientNotificationError):
        notify_user(user_id=volunteer.user_id, message="offer", key="k3", offer_id=offer.pk)
    assert not NotificationLog.objects.filter(key="k3").exists()

    monkeypatch.setattr(email_backend.EmailBackend, "send", original)
    assert notify_user(user_id=volunteer.user_id, message="offer", key="k3", offer_id=offer.pk)
    assert len(mail.outbox) == 1


def test_smtp_failure_is_transient(volunteer, offer, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 9  # discard port: nothing listens, connection refused
    settings.EMAIL_TIMEOUT = 1

    with pytest.raises(TransientNotificationError):
        notify_user(user_id=volunteer.user_id, message="offer", key="k4", offer_id=offer.pk)
    assert not NotificationLog.objects.filter(key="k4").exists()


def test_inactive_user_gets_nothing(volunteer, offer):
    volunteer.user.is_active = False
    volunteer.user.save()

    assert (
        notify_user(user_id=volunteer.user_id, message="offer", key="k5", offer_id=offer.pk)
        is False
    )
    assert mail.outbox == []
    assert not NotificationLog.objects.exists()


def test_unknown_message_kind_is_refused(volunteer):
    with pytest.raises(ValueError):
        notify_user(user_id=volunteer.user_id, message="hello", key="k6")


def test_staff_get_email_even_with_a_volunteer_style_preference(organizer, help_request):
    assert notify_user(
        user_id=organizer.pk, message="unclaimed_alert", key="k7", help_request_id=help_request.pk
    )
    assert mail.outbox[0].to == [organizer.email]
    assert f"/admin/requests/helprequest/{help_request.pk}/change/" in mail.outbox[0].body


def test_alert_organizers_notifies_each_active_organizer_of_the_group_once(
    group, organizer, other_organizer, operator, help_request, django_assert_max_num_queries
):
    second = factories.OrganizerFactory(group=group)
    factories.OrganizerFactory(group=group, is_active=False)

    with django_assert_max_num_queries(30):
        count = alert_organizers(
            group_id=group.pk,
            message="no_candidates_alert",
            key="nc",
            help_request_id=help_request.pk,
        )
    again = alert_organizers(
        group_id=group.pk,
        message="no_candidates_alert",
        key="nc",
        help_request_id=help_request.pk,
    )

    assert count == 2
    assert again == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted([organizer.email, second.email])
    assert set(NotificationLog.objects.values_list("key", flat=True)) == {
        f"nc:{organizer.pk}",
        f"nc:{second.pk}",
    }
