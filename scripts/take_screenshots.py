"""Screenshots for the README, taken from a running demo with Debian's chromium.

    make demo          # in one terminal (or any server with `seed_demo --password demo12345`)
    .venv/bin/python scripts/take_screenshots.py --base http://127.0.0.1:8000 --lang ru

Needs Playwright (pip install playwright) and /usr/bin/chromium (apt-get install chromium).
"""

import argparse
import re
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
TASK_LINK = re.compile(r"/tasks/[0-9a-f-]{36}/$")


def sign_in(page, base: str, username: str, password: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.locator("form [type=submit]").first.click()
    page.wait_for_load_state()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--lang", default="ru", help="Accept-Language of the browser")
    parser.add_argument("--password", default="demo12345")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-background-networking"],
        )
        headers = {"Accept-Language": args.lang}
        phone = browser.new_context(
            viewport={"width": 390, "height": 844},
            device_scale_factor=2,
            extra_http_headers=headers,
        )
        page = phone.new_page()
        page.goto(args.base + "/accounts/login/")
        page.screenshot(path=OUT / "login.png")
        sign_in(page, args.base, "volunteer1", args.password)
        page.goto(args.base + "/tasks/")
        page.screenshot(path=OUT / "volunteer-tasks.png")
        links = [a.get_attribute("href") for a in page.locator("a[href^='/tasks/']").all()]
        task = next(href for href in links if TASK_LINK.search(href or ""))
        page.goto(args.base + task)
        page.screenshot(path=OUT / "volunteer-task.png")

        desk = browser.new_context(
            viewport={"width": 1280, "height": 800}, extra_http_headers=headers
        )
        page = desk.new_page()
        sign_in(page, args.base, "organizer", args.password)
        page.goto(args.base + "/admin/requests/helprequest/")
        page.screenshot(path=OUT / "organizer-requests.png")
        page.goto(args.base + "/dashboard/")
        page.screenshot(path=OUT / "organizer-desk.png", full_page=True)
        network = browser.new_context(
            viewport={"width": 1280, "height": 800}, extra_http_headers=headers
        )
        coordinator = network.new_page()
        sign_in(coordinator, args.base, "coordinator", args.password)
        coordinator.goto(args.base + "/dashboard/")
        coordinator.screenshot(path=OUT / "coordinator-desk.png", full_page=True)

        # The operator's intake desk: a caller found by her number as she says it.
        operator = browser.new_context(
            viewport={"width": 1280, "height": 800}, extra_http_headers=headers
        )
        page = operator.new_page()
        sign_in(page, args.base, "operator", args.password)
        page.goto(args.base + "/intake/callbacks/")
        page.screenshot(path=OUT / "intake-callbacks.png")
        tel = page.locator("a[href^='tel:']").first.get_attribute("href")
        digits = tel.removeprefix("tel:+7")
        spoken = f"8 {digits[:3]} {digits[3:6]}-{digits[6:8]}-{digits[8:]}"
        page.goto(args.base + "/intake/?phone=" + spoken)
        page.screenshot(path=OUT / "intake-desk.png", full_page=True)
        browser.close()


if __name__ == "__main__":
    main()
