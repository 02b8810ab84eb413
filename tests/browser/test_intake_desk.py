"""An operator at the intake desk, in Russian, with the keyboard alone, at 360 and 1280 px.

axe-core must find no WCAG 2.2 AA violation on the empty desk, the search results, a form
with errors, and the saved request with its code word.
"""

from __future__ import annotations

import json

import pytest

from requests import services
from requests.models import HelpRequest
from tests import factories
from tests.browser.conftest import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pass-Word-123"
WIDE = {"width": 1280, "height": 900}
NARROW = {"width": 360, "height": 740}


def axe_clean(page, axe_source: str, name: str) -> None:
    page.add_script_tag(content=axe_source)
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
                                             'wcag22aa', 'best-practice']},
            resultTypes: ['violations']})"""
    )
    violations = [
        {"rule": v["id"], "help": v["help"], "where": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]
    assert violations == [], f"{name}: axe violations:\n{json.dumps(violations, indent=1)}"
    width = page.evaluate("() => document.documentElement.scrollWidth")
    viewport = page.viewport_size["width"]
    assert width <= viewport, f"{name}: {width} px wide in a {viewport} px window"
    page.screenshot(path=str(SCREENSHOTS / f"intake-{name}.png"), full_page=True)


def tab_to(page, test: str, limit: int = 120) -> None:
    """Press Tab until the focused element passes `test` (a JS expression on `el`)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return !!({test}); }}"):
            return
    raise AssertionError(f"Tab never reached an element where {test}")


@pytest.fixture
def desk_scene(group, block):
    operator = factories.OperatorFactory(username="olga", group=group)
    caller = factories.NeighborFactory(
        block=block, name="Петрова Анна Ивановна", flat="12", phone="+79211234567"
    )
    factories.HelpRequestFactory(neighbor=caller, kind="medicine")
    # A claimed request whose resident gets no SMS: she waits on the call-back list.
    volunteer = factories.VolunteerFactory(user__group=group, user__first_name="Нина")
    claimed = factories.HelpRequestFactory(
        neighbor__block=block, neighbor__name="Соколова Вера", kind="errand"
    )
    services.help_request_claim(help_request=claimed, volunteer=volunteer)
    return operator, caller


@pytest.mark.parametrize("viewport", [NARROW, WIDE], ids=["360px", "1280px"])
def test_operator_enters_a_request_by_keyboard_alone(
    browser_page, live_server, axe_source, desk_scene, viewport
):
    page, base = browser_page, live_server.url
    operator, caller = desk_scene
    page.set_viewport_size(viewport)
    # Russian, the interface's first language (the shared fixture's browser speaks English).
    page.context.add_cookies([{"name": "django_language", "value": "ru", "url": base}])
    tag = f"{viewport['width']}"

    page.goto(f"{base}/accounts/login/")
    page.locator("#id_username").fill("olga")
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("#id_password").press("Enter")
    page.goto(f"{base}/intake/")
    assert page.locator("html").get_attribute("lang") == "ru"
    axe_clean(page, axe_source, f"{tag}-empty")

    # The phone field has the focus: type the number as she says it, Enter searches.
    assert page.evaluate("() => document.activeElement.id") == "find_phone"
    page.keyboard.type("8 921 123-45-67")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Петрова Анна Ивановна" in page.content()
    axe_clean(page, axe_source, f"{tag}-found")

    # She is preselected; tick a need, describe, save: Tab, Space, typing and Enter only.
    tab_to(page, "el.name === 'needs' && el.value === 'bread_milk'")
    page.keyboard.press("Space")
    tab_to(page, "el.name === 'details'")
    page.keyboard.type("Хлеб и кефир")
    tab_to(page, "el.name === 'consent'")
    page.keyboard.press("Space")
    tab_to(page, "el.type === 'submit' && el.closest('form.intake')")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/intake/requests/" in page.url, page.inner_text("main")
    help_request = HelpRequest.objects.get(kind="groceries")
    assert page.url.endswith(f"/intake/requests/{help_request.pk}/?saved=1")
    word = page.locator(".codeword .word")
    assert word.inner_text() == help_request.code_word
    assert float(word.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")) >= 32
    assert help_request.needs == ["bread_milk"]
    axe_clean(page, axe_source, f"{tag}-saved")

    # A new resident without a flat: the error is next to the field, the text stays.
    page.goto(f"{base}/intake/?phone=89210000001")
    tab_to(page, "el.name === 'name'")
    page.keyboard.type("Сидорова Зоя")
    tab_to(page, "el.name === 'details'")
    page.keyboard.type("Творог")
    tab_to(page, "el.type === 'submit' && el.closest('form.intake')")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("#req_name").input_value() == "Сидорова Зоя"
    assert page.locator("#req_details").input_value() == "Творог"
    assert page.locator("#req_flat").get_attribute("aria-invalid") == "true"
    assert "Укажите номер квартиры." in page.content()
    axe_clean(page, axe_source, f"{tag}-errors")

    # The call-back list: whom to phone and what to read out.
    page.goto(f"{base}/intake/callbacks/")
    assert "Соколова Вера" in page.content()
    axe_clean(page, axe_source, f"{tag}-callbacks")
    tab_to(page, "el.type === 'submit' && el.closest('.resident')")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("form[action$='/told/']").count() == 0
