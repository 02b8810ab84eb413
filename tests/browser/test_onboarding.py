"""Sign-up through an invite and the set-password page in chromium at 360 px and 1280 px:
axe-core finds nothing, nothing scrolls sideways, a finger can hit every control."""

from __future__ import annotations

import json

import pytest

from onboarding.services import invite_create, invite_revoke, password_link_issue
from tests import factories
from tests.browser.conftest import SCREENSHOTS
from users.models import User
from volunteers.models import VolunteerStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (360, 1280)
NEW_PASSWORD = "Kvas-i-Pirog-2026"

# Controls a finger must hit at 360 px: 44×44 CSS px (checkboxes by their label).
TAP_TARGETS = """() => {
  const small = [];
  const check = (el, box) => {
    if (box.width && (box.width < 44 || box.height < 44)) {
      small.push(`${el.outerHTML.slice(0, 80)} ${Math.round(box.width)}×${Math.round(box.height)}`);
    }
  };
  document.querySelectorAll(
    'main button, main select, main textarea, main input:not([type=hidden]):not([type=checkbox])'
  ).forEach(el => check(el, el.getBoundingClientRect()));
  document.querySelectorAll('main input[type=checkbox]').forEach(el => {
    check(el.labels[0], el.labels[0].getBoundingClientRect());
  });
  return small;
}"""


def check(page, axe_source: str, name: str) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.add_script_tag(content=axe_source)
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        violations = [
            {"rule": v["id"], "help": v["help"], "where": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"]
        ]
        assert violations == [], f"{name} at {width}: {json.dumps(violations, indent=1)}"
        scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
        assert scroll_width <= width, f"{name}: {scroll_width} px wide at {width} px"
        if width == 360:
            assert page.evaluate(TAP_TARGETS) == [], f"{name}: small tap targets"
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 360, "height": 740})


@pytest.fixture
def invite(group, organizer):
    for n in range(6):
        factories.BlockFactory(group=group, address=f"Торжковская ул., д. {n + 10}")
    return invite_create(group=group, actor=organizer)


def test_sign_up_page_and_what_a_new_volunteer_sees(browser_page, live_server, axe_source, invite):
    page, base = browser_page, live_server.url
    page.goto(f"{base}/join/{invite.token}/")
    assert page.get_by_role("heading", name="Join Чёрная речка as a volunteer").is_visible()
    check(page, axe_source, "join")

    # Sent empty: the errors must be as accessible as the form.
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_load_state()
    check(page, axe_source, "join-errors")

    page.get_by_label("First name").fill("Анна")
    page.get_by_label("Phone number").fill("+7 921 555-01-01")
    page.locator("#id_password1").fill(NEW_PASSWORD)
    page.get_by_label("Password again").fill(NEW_PASSWORD)
    page.get_by_label("English").check()
    page.get_by_label("Торжковская ул., д. 10").check()
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_load_state()

    assert page.get_by_role("heading", name="Safety rules").is_visible()
    assert page.get_by_text("waiting for verification").is_visible()
    check(page, axe_source, "join-pending-safety")
    volunteer = User.objects.get(phone="+79215550101").volunteer
    assert volunteer.status == VolunteerStatus.PENDING
    assert volunteer.language_codes() == ["ru", "en"]

    page.goto(f"{base}/tasks/")
    assert page.get_by_role("heading", name="Your account is waiting for verification").is_visible()


def test_dead_invite_page(browser_page, live_server, axe_source, invite, organizer):
    invite_revoke(invite=invite, actor=organizer)
    page, base = browser_page, live_server.url
    page.goto(f"{base}/join/{invite.token}/")
    assert page.get_by_role("heading", name="This link does not work").is_visible()
    check(page, axe_source, "join-revoked")


def test_set_password_page(browser_page, live_server, axe_source, volunteer, organizer, settings):
    settings.SITE_URL = live_server.url
    link = password_link_issue(user=volunteer.user, actor=organizer)
    page = browser_page
    page.goto(link)
    assert page.get_by_role("heading", name="Set a new password").is_visible()
    check(page, axe_source, "password-set")

    page.locator("#id_new_password1").fill("short")
    page.locator("#id_new_password2").fill("short")
    page.get_by_role("button", name="Save the password").click()
    page.wait_for_load_state()
    check(page, axe_source, "password-set-errors")

    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save the password").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Password saved").is_visible()
    check(page, axe_source, "password-set-done")
    volunteer.user.refresh_from_db()
    assert volunteer.user.check_password(NEW_PASSWORD)

    page.goto(link)
    assert page.get_by_text("does not work any more").is_visible()
    check(page, axe_source, "password-set-used")


def test_forgot_password_page(browser_page, live_server, axe_source, volunteer):
    page, base = browser_page, live_server.url
    page.goto(f"{base}/accounts/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    page.wait_for_load_state()
    check(page, axe_source, "password-help")
    page.get_by_label("Phone number or username").fill("volunteer1")
    page.get_by_role("button", name="Ask for a new password").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Request sent").is_visible()
    check(page, axe_source, "password-help-sent")
