"""The second-factor pages in chromium at 360 px and 1280 px: set-up (QR code and key), a
wrong code, the recovery codes shown once, and the code asked at a later sign-in. axe-core
finds nothing on any of them."""

from __future__ import annotations

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests import factories
from tests.browser.test_desk import _sign_in, check_desk_page
from users.services import second_factor_confirm, second_factor_setup_start

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

URL = "/accounts/two-factor/"


@pytest.fixture(autouse=True)
def _required(settings):
    settings.TWO_FACTOR_REQUIRED = True


def code_for(device) -> str:
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


def test_set_up_wrong_code_and_recovery_codes_are_accessible(
    browser_page, live_server, axe_source, group
):
    page, base = browser_page, live_server.url
    organizer = factories.OrganizerFactory(username="otp-organizer", group=group)
    _sign_in(page, base, "otp-organizer")
    page.goto(f"{base}{URL}")
    assert page.get_by_role("heading", name="Two-factor sign-in").is_visible()
    assert page.locator("code").first.is_visible()  # the key, for typing by hand
    check_desk_page(page, axe_source, "two-factor-setup")

    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_load_state()
    assert page.get_by_text("does not match").first.is_visible()
    check_desk_page(page, axe_source, "two-factor-wrong-code")

    device = TOTPDevice.objects.get(user=organizer)
    page.get_by_label("Code").fill(code_for(device))
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Recovery codes").is_visible()
    check_desk_page(page, axe_source, "two-factor-recovery-codes")


def test_code_asked_at_a_later_sign_in_is_accessible(browser_page, live_server, axe_source, group):
    page, base = browser_page, live_server.url
    operator = factories.OperatorFactory(username="otp-operator", group=group)
    device = second_factor_setup_start(user=operator)
    second_factor_confirm(user=operator, token=code_for(device))
    _sign_in(page, base, "otp-operator")
    page.goto(f"{base}{URL}")
    assert page.get_by_text("or one of your recovery codes").first.is_visible()
    check_desk_page(page, axe_source, "two-factor-confirm")
