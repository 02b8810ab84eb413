"""Exports of requests, blocks and volunteers to CSV and XLSX: no personal column unless the
organizer ticks it, each such export recorded; operators and volunteers do not export."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from privacy.models import ErasureAction, PersonalDataView, PrivacyEvent, ViewChannel
from tests import factories

pytestmark = pytest.mark.django_db
CSV, XLSX = "0", "1"
REQUEST, BLOCK, VOLUNTEER = "requests_helprequest", "neighbors_block", "volunteers_volunteer"
REQUEST_PERSONAL = {
    "address",
    "resident_name",
    "resident_flat",
    "resident_phone",
    "details",
    "volunteer_username",
}
VOLUNTEER_PERSONAL = {"username", "first_name", "last_name", "phone", "email"}


def export(client, model, file_format=CSV, personal=False, query=""):
    data = {"format": file_format}
    if personal:
        data["personal"] = "on"
    return client.post(reverse(f"admin:{model}_export") + query, data)


def csv_rows(response):
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    return list(csv.DictReader(io.StringIO(text.decode("utf-8"))))


def test_requests_export_has_no_personal_column_by_default(client, organizer, help_request):
    client.force_login(organizer)

    rows = csv_rows(export(client, REQUEST))

    assert len(rows) == 1
    assert not REQUEST_PERSONAL & set(rows[0])
    assert rows[0]["block"] == "T1" and rows[0]["kind"] == help_request.kind
    text = str(rows)
    assert help_request.neighbor.name not in text and "Хлеб" not in text
    assert not PrivacyEvent.objects.exists() and not PersonalDataView.objects.exists()


def test_personal_columns_when_ticked_and_the_export_is_recorded(
    client, organizer, group, help_request
):
    client.force_login(organizer)

    rows = csv_rows(export(client, REQUEST, personal=True))

    assert set(rows[0]) >= REQUEST_PERSONAL
    assert rows[0]["resident_name"] == help_request.neighbor.name
    assert rows[0]["resident_phone"] == "+79111234567"
    event = PrivacyEvent.objects.get()
    assert event.action == ErasureAction.PERSONAL_DATA_EXPORTED
    assert (event.actor, event.group, event.subject_id) == (
        organizer,
        group,
        "requests.helprequest",
    )
    assert event.details["rows"] == 1
    assert set(event.details["columns"]) == set(rows[0])
    # The record holds column names, never a value.
    assert help_request.neighbor.name not in str(event.details)
    view = PersonalDataView.objects.get()
    assert (view.viewer, view.neighbor, view.channel) == (
        organizer,
        help_request.neighbor,
        ViewChannel.EXPORT,
    )


def test_xlsx_export_opens_with_the_same_columns(client, organizer, help_request):
    client.force_login(organizer)

    response = export(client, REQUEST, XLSX)

    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    headers = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
    assert "status" in headers and not REQUEST_PERSONAL & set(headers)
    assert sheet.max_row == 2


def test_text_that_a_spreadsheet_would_run_is_exported_as_text(client, organizer, block):
    factories.NeighborFactory(block=block, name='=HYPERLINK("http://evil")', flat="-1")
    factories.HelpRequestFactory(neighbor=block.neighbors.get(), details="@SUM(A1)")
    client.force_login(organizer)

    rows = csv_rows(export(client, REQUEST, personal=True))

    assert rows[0]["resident_name"].startswith("'=")
    assert rows[0]["details"] == "'@SUM(A1)"
    assert rows[0]["resident_flat"] == "'-1"


def test_export_follows_the_list_filters(client, organizer, block):
    factories.HelpRequestFactory(neighbor=factories.NeighborFactory(block=block), kind="medicine")
    factories.HelpRequestFactory(neighbor=factories.NeighborFactory(block=block))
    client.force_login(organizer)

    rows = csv_rows(export(client, REQUEST, query="?kind=medicine"))

    assert [row["kind"] for row in rows] == ["medicine"]


def test_another_groups_organizer_exports_only_their_own(
    client, other_organizer, help_request, other_block
):
    client.force_login(other_organizer)
    assert csv_rows(export(client, REQUEST)) == []
    blocks = csv_rows(export(client, BLOCK))
    assert [row["code"] for row in blocks] == ["O1"]


def test_blocks_export_has_the_import_columns(client, organizer, block):
    client.force_login(organizer)

    rows = csv_rows(export(client, BLOCK))

    assert list(rows[0]) == ["code", "address", "entrances", "floors", "latitude", "longitude"]
    assert rows[0]["code"] == "T1"


def test_volunteers_export_personal_columns_only_when_ticked(client, organizer, volunteer):
    volunteer.user.phone = "+79215550177"
    volunteer.user.save()
    client.force_login(organizer)

    plain = csv_rows(export(client, VOLUNTEER))
    assert not VOLUNTEER_PERSONAL & set(plain[0])
    assert plain[0]["blocks"] == "T1" and plain[0]["status"] == "verified"
    assert not PrivacyEvent.objects.exists()

    full = csv_rows(export(client, VOLUNTEER, personal=True))
    assert full[0]["phone"] == "+79215550177"
    assert full[0]["username"] == "volunteer1"
    event = PrivacyEvent.objects.get()
    assert event.subject_id == "volunteers.volunteer" and event.details["rows"] == 1


def test_export_page_offers_personal_data_to_organizers_only(
    client, organizer, network_coordinator, volunteer, django_assert_max_num_queries
):
    client.force_login(organizer)
    with django_assert_max_num_queries(10):
        page = client.get(reverse(f"admin:{VOLUNTEER}_export"))
    assert page.status_code == 200 and "personal" in page.context["form"].fields

    client.force_login(network_coordinator)
    page = client.get(reverse(f"admin:{VOLUNTEER}_export"))
    assert page.status_code == 200 and "personal" not in page.context["form"].fields
    # Asking anyway gives no personal column and no record.
    rows = csv_rows(export(client, VOLUNTEER, personal=True))
    assert not VOLUNTEER_PERSONAL & set(rows[0])
    assert not PrivacyEvent.objects.exists()


def test_coordinator_exports_blocks_but_not_requests(client, network_coordinator, block):
    client.force_login(network_coordinator)
    assert [row["code"] for row in csv_rows(export(client, BLOCK))] == ["T1"]
    assert export(client, REQUEST).status_code == 403


@pytest.mark.parametrize("model", [REQUEST, BLOCK])
def test_operators_cannot_export(client, operator, model):
    client.force_login(operator)
    assert client.get(reverse(f"admin:{model}_export")).status_code == 403
    assert export(client, model).status_code == 403


@pytest.mark.parametrize("model", [REQUEST, BLOCK, VOLUNTEER])
def test_volunteers_and_anonymous_cannot_export(client, volunteer, model):
    assert export(client, model).status_code == 302
    client.force_login(volunteer.user)
    response = export(client, model)
    assert response.status_code == 302 and "login" in response.url


def test_blocks_export_page_has_no_personal_choice(client, organizer):
    client.force_login(organizer)
    page = client.get(reverse(f"admin:{BLOCK}_export"))
    assert "personal" not in page.context["form"].fields


def test_the_desk_links_an_organizer_to_the_imports_and_exports(
    client, organizer, network_coordinator, group
):
    client.force_login(organizer)
    page = client.get(reverse("desk:group_dashboard", args=[group.pk])).content.decode()
    for name in ("neighbors_block_import", "volunteers_volunteer_import", f"{REQUEST}_export"):
        assert reverse(f"admin:{name}") in page
    client.force_login(network_coordinator)
    page = client.get(reverse("desk:group_dashboard", args=[group.pk])).content.decode()
    assert reverse(f"admin:{REQUEST}_export") not in page
