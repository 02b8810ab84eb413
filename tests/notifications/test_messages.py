"""Message texts: links and ids only, never a resident's personal data, in every kind."""

import pytest
from django.utils import translation

from notifications.messages import MessageKind, build_context, render_message

CHANNELS = ["email", "telegram", "sms", "console"]


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("kind", list(MessageKind))
@pytest.mark.parametrize("language", ["ru", "en"])
def test_no_personal_data_in_any_message(kind, channel, language, offer, personal_data):
    context = build_context(
        channel=channel,
        help_request_id=offer.help_request_id,
        offer_id=offer.pk,
        short_code=offer.short_code,
    )

    rendered = render_message(kind=kind, language=language, context=context)

    everything = " ".join([rendered.subject, rendered.text, *(b.label for b in rendered.buttons)])
    for value in personal_data:
        assert value not in everything, (kind, channel, value)
    assert "{" not in rendered.text and "%(" not in rendered.subject
    assert "&amp;" not in rendered.text


@pytest.mark.parametrize(
    ("kind", "expected_path"),
    [
        ("offer", "/tasks/{hr}/"),
        ("claim_overdue", "/tasks/{hr}/"),
        ("claim_overdue_alert", "/admin/requests/helprequest/{hr}/change/"),
        ("unclaimed_alert", "/admin/requests/helprequest/{hr}/change/"),
        ("undeliverable_alert", "/admin/requests/helprequest/{hr}/change/"),
        ("no_candidates_alert", "/admin/requests/helprequest/{hr}/change/"),
        ("checkin_list", "/checkins/"),
    ],
)
def test_each_kind_links_to_its_page_on_the_site(kind, expected_path, help_request, settings):
    settings.SITE_URL = "https://help.example.org"
    context = build_context(channel="email", help_request_id=help_request.pk)

    rendered = render_message(kind=kind, language="en", context=context)

    assert "https://help.example.org" + expected_path.format(hr=help_request.pk) in rendered.text


def test_offer_has_claim_and_decline_buttons_and_links(offer):
    context = build_context(
        channel="email", help_request_id=offer.help_request_id, offer_id=offer.pk
    )

    rendered = render_message(kind="offer", language="en", context=context)

    assert [b.callback_data for b in rendered.buttons] == [
        f"claim:{offer.pk}",
        f"decline:{offer.pk}",
    ]
    assert f"/offers/{offer.pk}/claim/" in rendered.text
    assert f"/offers/{offer.pk}/decline/" in rendered.text


def test_sms_offer_tells_the_reply_code(offer):
    context = build_context(
        channel="sms",
        help_request_id=offer.help_request_id,
        offer_id=offer.pk,
        short_code=offer.short_code,
    )

    rendered = render_message(kind="offer", language="en", context=context)

    assert f"Reply {offer.short_code}" in rendered.text


def test_rendering_does_not_change_the_active_language(offer):
    context = build_context(channel="email", help_request_id=offer.help_request_id)
    with translation.override("ru"):
        render_message(kind="offer", language="en", context=context)
        assert translation.get_language() == "ru"


def test_unknown_kind_is_refused(help_request):
    with pytest.raises(ValueError):
        render_message(kind="nope", language="en", context={})
