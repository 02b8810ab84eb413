"""Uploading a file through the admin's import pages, and confirming the dry run."""

from pathlib import Path

import pytest
from django.urls import reverse

FILES = Path(__file__).parent / "files"
CSV, GEOJSON = "0", "1"


def upload(client, model: str, filename: str, group, file_format: str = CSV):
    """POST a file of tests/impex/files to the import page of "app_model"."""
    with open(FILES / filename, "rb") as handle:
        return client.post(
            reverse(f"admin:{model}_import"),
            {"group": group.pk, "format": file_format, "import_file": handle, "resource": "0"},
        )


def confirm(client, model: str, response, **overrides):
    """POST the confirmation the dry run offered (its hidden fields as they are)."""
    form = response.context["confirm_form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    data.update(overrides)
    return client.post(reverse(f"admin:{model}_process_import"), data)


@pytest.fixture
def signed_in(client):
    def _sign_in(user):
        client.force_login(user)
        return client

    return _sign_in
