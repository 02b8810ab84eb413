"""Playwright (Python) driving Debian's chromium at a phone viewport, with axe-core from npm.

Never a downloaded browser: /usr/bin/chromium comes from apt (.ci/run installs it), and
axe-core from `npm ci` (node_modules/). Missing either skips with the reason.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "build" / "screenshots"
PHONE = {"width": 360, "height": 740}


@pytest.fixture
def browser_page(live_server, monkeypatch, settings):
    if not CHROMIUM.exists():
        pytest.skip("needs Debian's chromium at /usr/bin/chromium: apt-get install -y chromium")
    if not AXE.exists():
        pytest.skip("needs axe-core from npm: run `npm ci` in the project root")
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install -e '.[dev]'")
    # Playwright's sync API keeps an event loop in this thread; the test's own ORM calls
    # are still plain synchronous code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # The live server speaks plain HTTP.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    foreign: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
        )
        # bypass_csp: the test injects axe-core as an inline script; the pages have none.
        # English, so the test reads the source texts whether or not catalogs are compiled.
        context = browser.new_context(viewport=PHONE, bypass_csp=True, locale="en-US")
        page = context.new_page()

        def only_this_site(route):
            if route.request.url.startswith(live_server.url):
                route.continue_()
            else:
                foreign.append(route.request.url)
                route.abort()

        page.route("**/*", only_this_site)
        yield page
        context.close()
        browser.close()
    assert foreign == [], f"requests to other hosts: {foreign}"


@pytest.fixture
def axe_source() -> str:
    return AXE.read_text(encoding="utf-8")
