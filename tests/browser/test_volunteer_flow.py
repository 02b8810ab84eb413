"""A volunteer on a 360×740 phone: sign in, claim, deliver. axe-core checks every page."""

from __future__ import annotations

import io
import json

import pytest
from PIL import Image

from requests.models import Status
from tests import factories
from tests.browser.conftest import PHONE, SCREENSHOTS
from volunteers.models import VolunteerStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pass-Word-123"  # the factories' password

# Controls a finger must hit: at least 44×44 CSS px. Checkboxes and radios count by their
# label, which is the tap target.
TAP_TARGETS = """() => {
  const small = [];
  const check = (el, box) => {
    if (box.width && (box.width < 44 || box.height < 44)) {
      small.push(`${el.outerHTML.slice(0, 80)} ${Math.round(box.width)}×${Math.round(box.height)}`);
    }
  };
  document.querySelectorAll(
    'button, select, summary, textarea, nav a, a.card, a.button, .pages a, .links a,' +
    'input:not([type=hidden]):not([type=checkbox]):not([type=radio])'
  ).forEach(el => check(el, el.getBoundingClientRect()));
  document.querySelectorAll('input[type=checkbox], input[type=radio]').forEach(el => {
    const label = el.labels[0];
    const box = label.getBoundingClientRect();
    check(label, box);
  });
  return small;
}"""


def _too_wide(page) -> list[str]:
    """The innermost elements reaching past the phone's right edge."""
    return page.evaluate(
        """(width) => [...document.querySelectorAll('body *')]
          .filter(el => el.getBoundingClientRect().right > width && !el.firstElementChild)
          .map(el => el.outerHTML.slice(0, 100))""",
        PHONE["width"],
    )


def _open_all_details(page):
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")


def check_page(page, axe_source: str, name: str) -> None:
    """axe-core finds nothing; no sideways scrolling at 360 px, even with 200 % text;
    tap targets of 44 px; then a screenshot."""
    page.add_script_tag(content=axe_source)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    violations = [
        {
            "rule": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "where": [node["target"] for node in v["nodes"]][:5],
        }
        for v in result["violations"]
    ]
    assert violations == [], f"{name}: axe violations:\n{json.dumps(violations, indent=1)}"
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{name}: {width} px wide: {_too_wide(page)}"
    small = page.evaluate(TAP_TARGETS)
    assert small == [], f"{name}: tap targets under 44 px: {small}"
    assert page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)") >= 16
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    # The system font size at 200 %: the layout must still fit the phone's width.
    page.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{name}: {width} px wide at 200 % text: {_too_wide(page)}"
    page.screenshot(path=str(SCREENSHOTS / f"{name}-200pct.png"), full_page=True)
    page.evaluate("() => { document.documentElement.style.fontSize = ''; }")


def _receipt_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 60), (250, 250, 250)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def scene(group, block):
    volunteer = factories.VolunteerFactory(
        user__username="nina",
        user__phone="+79215550101",
        user__group=group,
        safety_protocol_accepted_at=None,
    )
    volunteer.blocks.add(block)
    task = factories.HelpRequestFactory(
        neighbor__block=block, neighbor__name="Петрова Анна Ивановна", kind="medicine"
    )
    factories.NeighborFactory(block=block, name="Соколова Вера", is_isolated=True)
    far = factories.BlockFactory(group=group, latitude=59.99, longitude=30.33)
    factories.HelpRequestFactory.create_batch(3, neighbor__block=far)
    factories.VolunteerFactory(
        user__username="waiting",
        user__group=group,
        status=VolunteerStatus.PENDING,
        verified_at=None,
    )
    return volunteer, task


def _sign_in(page, base_url: str, login: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Phone number or username").fill(login)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_volunteer_signs_in_claims_and_delivers(browser_page, live_server, axe_source, scene):
    page, base = browser_page, live_server.url
    volunteer, task = scene

    page.goto(f"{base}/accounts/login/")
    check_page(page, axe_source, "01-login")
    _sign_in(page, base, "8 921 555-01-01")
    page.wait_for_url(f"{base}/tasks/")
    check_page(page, axe_source, "02-tasks")

    page.locator(f'a[href="/tasks/{task.pk}/"]').click()
    page.wait_for_url(f"{base}/tasks/{task.pk}/")
    assert "Петрова" not in page.content()
    check_page(page, axe_source, "03-task-open")

    # First claim: the safety rules come first.
    page.get_by_role("button", name="Claim this task").click()
    page.wait_for_url(f"{base}/safety/**")
    check_page(page, axe_source, "04-safety")
    page.get_by_label("I have read the safety rules and will follow them.").check()
    page.get_by_role("button", name="Accept").click()
    page.wait_for_url(f"{base}/tasks/{task.pk}/")
    page.get_by_role("button", name="Claim this task").click()
    page.wait_for_load_state()
    assert "Петрова Анна Ивановна" in page.content()
    assert page.locator('a[href="tel:+79111234567"]').count() == 1
    assert page.locator('a[href^="geo:"]').count() == 1
    _open_all_details(page)
    check_page(page, axe_source, "05-task-claimed")

    page.get_by_role("button", name="I have bought it").click()
    page.wait_for_load_state()
    page.get_by_text("Delivered", exact=True).click()
    page.get_by_label("Amount spent, ₽").fill("350,50")
    page.get_by_label("Volunteer paid, to be reimbursed").check()
    page.get_by_label("Receipt photo (optional)").set_input_files(
        files=[{"name": "photo.png", "mimeType": "image/png", "buffer": _receipt_png()}]
    )
    page.get_by_role("button", name="Confirm delivery").click()
    page.wait_for_load_state()
    assert "Thank you! The task is marked as delivered." in page.content(), page.inner_text("main")
    check_page(page, axe_source, "06-task-delivered")

    task.refresh_from_db()
    assert task.status == Status.DELIVERED
    assert str(task.spent) == "350.50"
    assert task.paid_by == "volunteer"
    assert task.receipt.name.endswith(".png")

    page.goto(f"{base}/profile/")
    check_page(page, axe_source, "07-profile")
    # Weekday evenings, by keyboard: space ticks a day, the time inputs take typed times.
    for day in ("Mon", "Tue", "Wed", "Thu", "Fri"):
        page.locator("#id_slot0-days").get_by_label(day).focus()
        page.keyboard.press("Space")
    page.locator("#id_slot0-start").fill("18:00")
    page.locator("#id_slot0-end").fill("21:00")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_load_state()
    assert "Mon–Fri 18:00–21:00" in page.content(), page.inner_text("main")
    check_page(page, axe_source, "07b-profile-times")
    page.goto(f"{base}/history/")
    assert page.locator(f'a[href="/tasks/{task.pk}/"]').count() == 1
    check_page(page, axe_source, "08-history")
    page.goto(f"{base}/checkins/")
    assert "Соколова Вера" in page.content()
    check_page(page, axe_source, "08b-checkins")
    page.get_by_role("button", name="I have spoken with them").click()
    page.wait_for_load_state()
    assert "Соколова Вера" not in page.content()

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{base}/accounts/login/")
    _sign_in(page, base, "waiting")
    page.wait_for_load_state()
    assert "waiting for verification" in page.content()
    check_page(page, axe_source, "09-status-pending")


def test_language_switch_to_russian(browser_page, live_server, scene):
    page, base = browser_page, live_server.url
    page.goto(f"{base}/accounts/login/")
    assert page.evaluate("() => document.documentElement.lang") == "en"
    page.get_by_label("Language").select_option("ru")
    page.get_by_role("button", name="Switch").click()
    page.wait_for_load_state()
    assert page.evaluate("() => document.documentElement.lang") == "ru"
