"""Content-Security-Policy and no-store headers on the pages that carry personal data."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from rest_framework.test import APIClient

TEMPLATE_DIRS = [Path(settings.BASE_DIR) / "templates"] + [
    path for path in Path(settings.BASE_DIR).glob("*/templates") if ".venv" not in path.parts
]
# An inline <script> is one without src; inline styles are <style> blocks and style=""; event
# handlers are on…="" attributes. Each would need 'unsafe-inline' in the policy.
INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> block"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "event handler attribute"),
]


def csp_of(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


# Rendered to PDF by WeasyPrint, never served to a browser: the CSP does not apply to them.
PDF_TEMPLATES = "printing"


def test_templates_have_no_inline_script_or_style():
    found = []
    for directory in TEMPLATE_DIRS:
        for path in directory.rglob("*.html"):
            if PDF_TEMPLATES in path.relative_to(directory).parts[:1]:
                continue
            text = path.read_text()
            # Comments may describe what is not there.
            text = re.sub(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", "", text, flags=re.S)
            found += [f"{path}: {what}" for pattern, what in INLINE if pattern.search(text)]
    assert not found, "\n".join(found)


@pytest.mark.django_db
def test_policy_allows_only_our_own_origin(client):
    response = client.get(reverse("login"))
    policy = csp_of(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    for directive, sources in policy.items():
        for source in sources:
            assert source in ("'self'", "'none'", "data:"), (directive, source)


@pytest.mark.django_db
def test_swagger_ui_works_without_inline_script(client):
    page = client.get(reverse("api-docs"))
    assert page.status_code == 200
    text = page.content.decode()
    assert not any(pattern.search(text) for pattern, _ in INLINE), text
    script_url = re.search(r'<script src="([^"]*script=[^"]*)"', text).group(1)
    script = client.get(script_url.replace("&amp;", "&"))
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()
    # Swagger UI's bundle and styles are served from our static files, not a CDN.
    for url in re.findall(r'(?:src|href)="([^"]+)"', text):
        assert url.startswith("/"), url


@pytest.mark.django_db
def test_admin_page_has_policy_and_no_inline_script(admin_client):
    response = admin_client.get(reverse("admin:index"))
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert not INLINE[0][0].search(response.content.decode())


def assert_no_store(response):
    assert "no-store" in response.headers.get("Cache-Control", ""), response.headers


@pytest.mark.django_db
def test_volunteer_task_page_is_not_stored(client, volunteer, help_request):
    from requests.services import help_request_claim

    help_request_claim(help_request=help_request, volunteer=volunteer)
    client.force_login(volunteer.user)
    response = client.get(reverse("volunteers:task_detail", args=[help_request.pk]))
    assert response.status_code == 200
    assert help_request.neighbor.flat in response.content.decode()
    assert_no_store(response)


@pytest.mark.django_db
def test_api_request_detail_is_not_stored(operator, help_request):
    api = APIClient()
    api.force_authenticate(operator)
    response = api.get(reverse("api:request-detail", args=[help_request.pk]))
    assert response.status_code == 200
    assert_no_store(response)


@pytest.mark.django_db
def test_admin_change_page_is_not_stored(client, organizer, neighbor):
    client.force_login(organizer)
    response = client.get(reverse("admin:neighbors_neighbor_change", args=[neighbor.pk]))
    assert response.status_code == 200
    assert_no_store(response)


@pytest.mark.django_db
def test_even_anonymous_pages_and_errors_are_not_stored(client):
    assert_no_store(client.get(reverse("login")))
    assert_no_store(client.get("/no-such-page/"))
