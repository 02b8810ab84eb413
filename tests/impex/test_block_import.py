"""Blocks from CSV and GeoJSON in the admin: the dry run writes nothing and says, line by line,
what will be created, updated or rejected and why; only a clean file can be confirmed, and a
confirmed import is all or nothing."""

import json

import pytest
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from impex.forms import IMPORT_MAX_BYTES
from neighbors.models import Block
from tests import factories
from tests.impex.conftest import FILES, GEOJSON, confirm, upload

pytestmark = pytest.mark.django_db
BLOCK = "neighbors_block"


def lines_of(response):
    return {line["line"]: line for line in response.context["lines"]}


def test_dry_run_lists_created_updated_and_writes_nothing(signed_in, organizer, group, block):
    before = set(Block.objects.values_list("pk", "code", "address", "entrances"))

    response = upload(signed_in(organizer), BLOCK, "blocks.csv", group)

    assert response.status_code == 200
    lines = lines_of(response)
    assert [lines[n]["type"] for n in (2, 3, 4)] == ["update", "new", "new"]
    assert response.context["counts"] == {"new": 2, "update": 1, "skip": 0, "rejected": 0}
    assert response.context["confirm_form"] is not None
    assert set(Block.objects.values_list("pk", "code", "address", "entrances")) == before
    assert "Подтвердить импорт" in response.content.decode()


def test_confirmed_import_creates_and_updates_blocks_of_the_group(
    signed_in, organizer, group, block
):
    client = signed_in(organizer)
    dry_run = upload(client, BLOCK, "blocks.csv", group)

    response = confirm(client, BLOCK, dry_run)

    assert response.status_code == 302
    block.refresh_from_db()
    assert (block.address, block.entrances) == ("Торжковская ул., 5", 6)
    created = Block.objects.get(group=group, code="N2")
    assert created.entrances == 1  # empty cell: one entrance
    assert (created.latitude, created.longitude) == (59.98701, 30.30811)
    assert Block.objects.filter(group=group).count() == 3
    # Who imported what is in the admin's log, as for a form.
    assert LogEntry.objects.filter(user=organizer, object_id=str(created.pk)).exists()


def test_codes_match_only_blocks_of_the_chosen_group(signed_in, organizer, group, other_group):
    theirs = factories.BlockFactory(group=other_group, code="T1", address="Чужой дом")
    client = signed_in(organizer)

    confirm(client, BLOCK, upload(client, BLOCK, "blocks.csv", group))

    theirs.refresh_from_db()
    assert theirs.address == "Чужой дом"
    assert Block.objects.get(group=group, code="T1").address == "Торжковская ул., 5"


def test_importing_the_same_file_again_changes_nothing(signed_in, organizer, group):
    client = signed_in(organizer)
    confirm(client, BLOCK, upload(client, BLOCK, "blocks.csv", group))

    again = upload(client, BLOCK, "blocks.csv", group)

    assert again.context["counts"] == {"new": 0, "update": 0, "skip": 3, "rejected": 0}


def test_each_rejected_line_says_why_and_the_file_cannot_be_confirmed(signed_in, organizer, group):
    response = upload(signed_in(organizer), BLOCK, "blocks_rejects.csv", group)

    lines = lines_of(response)
    assert all(line["rejected"] for line in lines.values())
    assert "несколько раз" in " ".join(lines[2]["reasons"])  # D1 twice: both lines
    assert "строки 2, 3" in " ".join(lines[3]["reasons"])
    assert "Нет адреса" in " ".join(lines[4]["reasons"])
    assert "подъездов" in " ".join(lines[5]["reasons"])
    assert "координаты" in " ".join(lines[6]["reasons"])
    assert response.context.get("confirm_form") is None
    assert "Ничего не будет импортировано" in response.content.decode()
    assert not Block.objects.exists()


def test_a_file_with_one_bad_line_imports_nothing_even_when_confirmed(signed_in, organizer, group):
    client = signed_in(organizer)
    good = upload(client, BLOCK, "blocks.csv", group)
    bad = upload(client, BLOCK, "blocks_one_bad.csv", group)
    assert lines_of(bad)[4]["rejected"] and not lines_of(bad)[2]["rejected"]
    assert bad.context.get("confirm_form") is None

    # A forged confirmation that points at the bad file's upload.
    stored = bad.context["form"].cleaned_data["import_file"].tmp_storage_name
    response = confirm(client, BLOCK, good, import_file_name=stored)

    assert response.status_code == 302
    assert response.url == reverse(f"admin:{BLOCK}_import")
    assert not Block.objects.exists()


def test_semicolon_csv_with_russian_headers_and_decimal_commas(signed_in, organizer, group):
    client = signed_in(organizer)
    dry_run = upload(client, BLOCK, "blocks_semicolon.csv", group)
    assert dry_run.context["counts"]["new"] == 1, dry_run.context["lines"]

    confirm(client, BLOCK, dry_run)

    block = Block.objects.get(group=group, code="S1")
    assert (block.latitude, block.longitude, block.entrances) == (59.9901, 30.3205, 4)


def test_a_file_without_the_columns_is_refused(signed_in, organizer, group, tmp_path):
    path = tmp_path / "blocks.csv"
    path.write_text("name,street\nx,y\n")
    client = signed_in(organizer)
    with open(path, "rb") as handle:
        response = client.post(
            reverse(f"admin:{BLOCK}_import"),
            {"group": group.pk, "format": "0", "import_file": handle, "resource": "0"},
        )
    assert response.context["file_errors"]
    assert "code" in response.context["file_errors"][0]
    assert response.context.get("confirm_form") is None


def test_geojson_points_and_building_outlines(signed_in, organizer, group):
    client = signed_in(organizer)
    dry_run = upload(client, BLOCK, "blocks.geojson", group, GEOJSON)
    lines = lines_of(dry_run)
    assert [lines[n]["type"] for n in (1, 2, 3)] == ["new", "new", "new"]
    assert "addr:street" in " ".join(lines[4]["reasons"])
    assert lines[5]["rejected"]
    assert dry_run.context.get("confirm_form") is None
    assert not Block.objects.exists()


def test_geojson_without_rejects_imports_centroids(signed_in, organizer, group, tmp_path):
    document = json.loads((FILES / "blocks.geojson").read_text())
    document["features"] = document["features"][:3]
    (tmp_path / "ok.geojson").write_text(json.dumps(document))
    client = signed_in(organizer)
    with open(tmp_path / "ok.geojson", "rb") as handle:
        dry_run = client.post(
            reverse(f"admin:{BLOCK}_import"),
            {"group": group.pk, "format": GEOJSON, "import_file": handle, "resource": "0"},
        )

    confirm(client, BLOCK, dry_run)

    point = Block.objects.get(group=group, code="N4242")
    assert (point.address, point.latitude, point.longitude) == (
        "Торжковская улица, 15",
        59.9885,
        30.3143,
    )
    outline = Block.objects.get(group=group, code="W777")
    assert outline.latitude == pytest.approx(59.99) and outline.longitude == pytest.approx(30.31)
    assert (outline.entrances, outline.floors) == (6, 9)
    parts = Block.objects.get(group=group, code="M1")
    assert parts.longitude == pytest.approx(30.06) and parts.latitude == pytest.approx(59.01)


# Who may import -------------------------------------------------------------------------------


def test_operator_and_volunteer_cannot_import(client, operator, volunteer):
    client.force_login(operator)
    assert client.get(reverse(f"admin:{BLOCK}_import")).status_code == 403
    client.force_login(volunteer.user)
    assert client.get(reverse(f"admin:{BLOCK}_import")).status_code == 302


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse(f"admin:{BLOCK}_import"))
    assert response.status_code == 302 and "login" in response.url


def test_organizer_is_offered_only_their_group(signed_in, organizer, group, other_group):
    response = signed_in(organizer).get(reverse(f"admin:{BLOCK}_import"))
    assert response.status_code == 200
    assert list(response.context["form"].fields["group"].queryset) == [group]


def test_another_groups_organizer_cannot_import_into_our_group(signed_in, other_organizer, group):
    response = upload(signed_in(other_organizer), BLOCK, "blocks.csv", group)
    assert response.status_code == 200
    assert "group" in response.context["form"].errors
    assert not Block.objects.exists()


def test_coordinator_picks_one_of_their_networks_groups(
    signed_in, network_coordinator, group, other_group
):
    client = signed_in(network_coordinator)
    form = client.get(reverse(f"admin:{BLOCK}_import")).context["form"]
    assert list(form.fields["group"].queryset) == [group]

    confirm(client, BLOCK, upload(client, BLOCK, "blocks.csv", group))
    assert Block.objects.filter(group=group).count() == 3

    refused = upload(client, BLOCK, "blocks.csv", other_group)
    assert "group" in refused.context["form"].errors
    assert not Block.objects.filter(group=other_group).exists()


def test_confirmation_for_a_group_not_ones_own_is_refused(
    signed_in, organizer, other_organizer, group, other_group
):
    client = signed_in(organizer)
    dry_run = upload(client, BLOCK, "blocks.csv", group)
    client.force_login(other_organizer)

    response = confirm(client, BLOCK, dry_run)

    assert response.status_code == 200  # the form again, with its error
    assert not Block.objects.exists()


def test_changelist_shows_import_and_export_to_organizers_not_operators(
    signed_in, organizer, operator, django_assert_max_num_queries
):
    client = signed_in(organizer)
    with django_assert_max_num_queries(12):
        page = client.get(reverse(f"admin:{BLOCK}_changelist")).content.decode()
    assert reverse(f"admin:{BLOCK}_import") in page and reverse(f"admin:{BLOCK}_export") in page
    client.force_login(operator)
    page = client.get(reverse(f"admin:{BLOCK}_changelist")).content.decode()
    assert reverse(f"admin:{BLOCK}_import") not in page
    assert reverse(f"admin:{BLOCK}_export") not in page


def test_import_page_makes_few_queries(signed_in, organizer, django_assert_max_num_queries):
    client = signed_in(organizer)
    with django_assert_max_num_queries(8):
        response = client.get(reverse(f"admin:{BLOCK}_import"))
    assert response.status_code == 200


def test_a_file_too_big_is_refused_before_reading(signed_in, organizer, group):
    client = signed_in(organizer)
    content = SimpleUploadedFile("big.csv", b"code,address\n" + b"x" * IMPORT_MAX_BYTES)
    response = client.post(
        reverse(f"admin:{BLOCK}_import"),
        {"group": group.pk, "format": "0", "import_file": content, "resource": "0"},
    )
    assert "import_file" in response.context["form"].errors
    assert response.context.get("result") is None


def test_csv_saved_by_a_russian_excel_in_windows_1251(signed_in, organizer, group):
    client = signed_in(organizer)
    dry_run = upload(client, BLOCK, "blocks_cp1251.csv", group)
    assert dry_run.context["counts"]["new"] == 1, dry_run.context["lines"]

    confirm(client, BLOCK, dry_run)

    assert Block.objects.get(group=group, code="W1").address == "Торжковская ул., 11"
