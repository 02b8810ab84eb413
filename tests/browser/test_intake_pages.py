"""The intake desk's other pages, in Russian, at 360 and 1280 px, with axe-core (WCAG 2.2 AA):
the hotline log (/intake/calls/), recurring requests (/intake/recurring/: list, set-up form
with its errors, the saved one), and the request page's "record for the volunteer" form."""

from __future__ import annotations

import pytest

from recurring.models import RecurringRequest
from requests import services
from tests import factories
from tests.browser.test_intake_desk import NARROW, PASSWORD, WIDE, axe_clean, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def pages_scene(group, block):
    operator = factories.OperatorFactory(username="olga", group=group)
    resident = factories.NeighborFactory(
        block=block, name="Петрова Анна Ивановна", flat="12", phone="+79211234567"
    )
    walker = factories.VolunteerFactory(
        user__group=group, user__first_name="Пётр", user__last_name="Кузнецов", no_smartphone=True
    )
    held = factories.HelpRequestFactory(neighbor=resident, kind="groceries")
    services.help_request_claim(help_request=held, volunteer=walker, acting_user=operator)
    return operator, resident, held


def _sign_in(page, base):
    page.context.add_cookies([{"name": "django_language", "value": "ru", "url": base}])
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_username").fill("olga")
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("#id_password").press("Enter")


@pytest.mark.parametrize("viewport", [NARROW, WIDE], ids=["360px", "1280px"])
def test_hotline_log_page(browser_page, live_server, axe_source, pages_scene, viewport):
    page, base = browser_page, live_server.url
    page.set_viewport_size(viewport)
    tag = f"{viewport['width']}"
    _sign_in(page, base)
    page.goto(f"{base}/intake/calls/")
    assert page.locator("html").get_attribute("lang") == "ru"
    axe_clean(page, axe_source, f"{tag}-calls")
    # Submitted empty: the errors stand next to their fields.
    tab_to(page, "el.type === 'submit' && el.closest('form.stack')")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".errorlist").count() >= 1
    axe_clean(page, axe_source, f"{tag}-calls-errors")


@pytest.mark.parametrize("viewport", [NARROW, WIDE], ids=["360px", "1280px"])
def test_recurring_set_up_by_keyboard(browser_page, live_server, axe_source, pages_scene, viewport):
    page, base = browser_page, live_server.url
    operator, resident, held = pages_scene
    page.set_viewport_size(viewport)
    tag = f"{viewport['width']}"
    _sign_in(page, base)
    page.goto(f"{base}/intake/recurring/")
    axe_clean(page, axe_source, f"{tag}-recurring-list-empty")

    # From her request page: the link to repeat it.
    page.goto(f"{base}/intake/requests/{held.pk}/")
    with page.expect_navigation():
        page.locator(f"a[href='/intake/recurring/new/?request={held.pk}']").click()
    assert "Петрова Анна Ивановна" in page.content()
    axe_clean(page, axe_source, f"{tag}-recurring-new")

    # Details emptied: the error is next to the field, the rest stays.
    page.locator("#rec_details").fill("")
    tab_to(page, "el.type === 'submit' && el.closest('form.intake')")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("#rec_details").get_attribute("aria-invalid") == "true"
    axe_clean(page, axe_source, f"{tag}-recurring-errors")

    page.locator("#rec_details").focus()
    page.keyboard.type("Хлеб, кефир, творог")
    # A radio group is one Tab stop; the arrow moves to (and ticks) "every 2 weeks".
    tab_to(page, "el.name === 'interval_weeks'")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("() => document.activeElement.value") == "2"
    tab_to(page, "el.name === 'time'")
    page.locator("#rec_time").fill("11:00")
    tab_to(page, "el.type === 'submit' && el.closest('form.intake')")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    recurring = RecurringRequest.objects.get()
    assert page.url.endswith(f"/intake/recurring/{recurring.pk}/")
    assert "Каждые 2 недели" in page.content()
    axe_clean(page, axe_source, f"{tag}-recurring-detail")
    page.goto(f"{base}/intake/recurring/")
    assert "Каждые 2 недели" in page.content()
    axe_clean(page, axe_source, f"{tag}-recurring-list")


@pytest.mark.parametrize("viewport", [NARROW, WIDE], ids=["360px", "1280px"])
def test_record_for_the_volunteer_form(
    browser_page, live_server, axe_source, pages_scene, viewport
):
    page, base = browser_page, live_server.url
    operator, resident, held = pages_scene
    page.set_viewport_size(viewport)
    tag = f"{viewport['width']}"
    _sign_in(page, base)
    page.goto(f"{base}/intake/requests/{held.pk}/")
    assert page.locator("#step-title").count() == 1
    axe_clean(page, axe_source, f"{tag}-record-for-volunteer")
    # "Could not deliver" without a reason: said next to the field.
    page.locator("#step_step").select_option("undeliverable")
    tab_to(page, "el.type === 'submit' && el.closest('form[action$=\"/step/\"]')")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("#step_reason").get_attribute("aria-invalid") == "true"
    axe_clean(page, axe_source, f"{tag}-record-errors")
