"""Who saw what: every showing of a resident's phone or flat leaves a row; organizers read it."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from rest_framework.test import APIClient

from privacy.access_log import record_personal_data_view
from privacy.audit import MASK
from privacy.models import PersonalDataView, ViewChannel
from requests.services import help_request_claim
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def claimed(help_request, volunteer):
    return help_request_claim(help_request=help_request, volunteer=volunteer)


def views_of(channel):
    return list(PersonalDataView.objects.filter(channel=channel))


def assert_one_view(channel, viewer, neighbor, group):
    [row] = views_of(channel)
    assert (row.viewer, row.neighbor_id, row.group_id) == (viewer, neighbor.pk, group.pk)


def test_volunteer_task_page_with_details_is_recorded(client, volunteer, claimed, group):
    client.force_login(volunteer.user)
    client.get(reverse("volunteers:task_detail", args=[claimed.pk]))
    assert_one_view(ViewChannel.TASK_PAGE, volunteer.user, claimed.neighbor, group)


def test_open_task_page_shows_no_details_and_records_nothing(client, volunteer, help_request):
    client.force_login(volunteer.user)
    response = client.get(reverse("volunteers:task_detail", args=[help_request.pk]))
    assert help_request.neighbor.name not in response.content.decode()
    assert not PersonalDataView.objects.exists()


def test_api_task_detail_and_list_record_held_tasks_only(volunteer, claimed, block, group):
    factories.HelpRequestFactory(neighbor__block=block)  # open: no details shown
    api = APIClient()
    api.force_authenticate(volunteer.user)
    api.get(reverse("api:task-detail", args=[claimed.pk]))
    api.get(reverse("api:tasks"))
    rows = views_of(ViewChannel.API_TASK)
    assert [row.neighbor_id for row in rows] == [claimed.neighbor_id] * 2


def test_api_request_detail_is_recorded(operator, help_request, group):
    api = APIClient()
    api.force_authenticate(operator)
    assert api.get(reverse("api:request-detail", args=[help_request.pk])).status_code == 200
    assert_one_view(ViewChannel.API_REQUEST, operator, help_request.neighbor, group)


def test_admin_change_pages_are_recorded(client, organizer, help_request, group):
    client.force_login(organizer)
    client.get(reverse("admin:neighbors_neighbor_change", args=[help_request.neighbor.pk]))
    client.get(reverse("admin:requests_helprequest_change", args=[help_request.pk]))
    rows = views_of(ViewChannel.ADMIN)
    assert [row.neighbor_id for row in rows] == [help_request.neighbor_id] * 2


def test_admin_lists_record_every_resident_on_the_page(client, organizer, block, group):
    listed = [factories.HelpRequestFactory(neighbor__block=block) for _ in range(3)]
    client.force_login(organizer)
    client.get(reverse("admin:neighbors_neighbor_changelist"))
    client.get(reverse("admin:requests_helprequest_changelist"))
    rows = views_of(ViewChannel.ADMIN)
    assert len(rows) == 6
    assert {row.neighbor_id for row in rows} == {request.neighbor_id for request in listed}


def test_checkin_list_records_every_listed_resident(client, volunteer, block, group):
    listed = [
        factories.NeighborFactory(block=block, is_isolated=True, consent_to_contact=True)
        for _ in range(3)
    ]
    client.force_login(volunteer.user)
    response = client.get(reverse("neighbors:checkins"))
    assert all(neighbor.name in response.content.decode() for neighbor in listed)
    rows = views_of(ViewChannel.CHECKINS)
    assert {row.neighbor_id for row in rows} == {neighbor.pk for neighbor in listed}


def test_record_skips_none_counts_each_resident_once_in_two_queries(
    organizer, neighbor, django_assert_num_queries
):
    from neighbors.models import Neighbor

    bare = Neighbor.objects.get(pk=neighbor.pk)  # block not loaded
    with django_assert_num_queries(2):
        written = record_personal_data_view(
            viewer=organizer, neighbors=[bare, None, bare], channel=ViewChannel.ROUTE_SHEET
        )
    assert written == 1
    with_block = Neighbor.objects.select_related("block").get(pk=neighbor.pk)
    with django_assert_num_queries(1):
        record_personal_data_view(
            viewer=organizer, neighbors=[with_block], channel=ViewChannel.ROUTE_SHEET
        )


def test_the_log_stores_no_address():
    names = {field.name for field in PersonalDataView._meta.get_fields()}
    assert names == {"id", "viewer", "neighbor", "group", "channel", "created_at"}


def test_organizer_reads_own_group_log_only_and_cannot_edit(
    client, organizer, neighbor, other_organizer, other_block, django_assert_max_num_queries
):
    theirs = factories.NeighborFactory(block=other_block)
    record_personal_data_view(viewer=organizer, neighbors=[neighbor], channel="admin")
    record_personal_data_view(viewer=other_organizer, neighbors=[theirs], channel="admin")
    client.force_login(organizer)
    url = reverse("admin:privacy_personaldataview_changelist")
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200
    assert list(response.context["cl"].result_list.values_list("neighbor", flat=True)) == [
        neighbor.pk
    ]
    assert client.get(reverse("admin:privacy_personaldataview_add")).status_code == 403
    theirs_row = PersonalDataView.objects.get(neighbor=theirs)
    change = reverse("admin:privacy_personaldataview_change", args=[theirs_row.pk])
    assert client.get(change).status_code == 302  # not found in their list


@pytest.mark.parametrize("role", ["operator", "volunteer"])
def test_operators_and_volunteers_cannot_read_the_log(client, role, request):
    user = request.getfixturevalue(role)
    client.force_login(getattr(user, "user", user))
    response = client.get(reverse("admin:privacy_personaldataview_changelist"))
    assert response.status_code in (302, 403)


def test_changes_to_people_are_audited_with_personal_fields_masked(client, volunteer):
    user = volunteer.user
    user.phone = "+79115550011"
    user.first_name = "Людмила"
    user.role = "operator"
    user.save()
    entry = LogEntry.objects.get_for_object(user).latest("timestamp")
    assert entry.changes_dict["role"] == ["volunteer", "operator"]
    assert entry.changes_dict["phone"][1] == MASK
    assert entry.changes_dict["first_name"][1] == MASK
    assert "79115550011" not in str(entry.changes) and "Людмила" not in str(entry.changes)


def test_audit_names_the_actor_and_stores_no_address(client, volunteer):
    client.force_login(volunteer.user)
    client.post(
        "/profile/",
        {"max_open_tasks": "2", "notification_channel": "email"},
        REMOTE_ADDR="203.0.113.9",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    entry = LogEntry.objects.get_for_object(volunteer).latest("timestamp")
    assert entry.actor == volunteer.user
    assert "is_available" in entry.changes_dict
    assert entry.remote_addr is None


def test_intake_request_page_is_recorded(client, operator, help_request, group):
    client.force_login(operator)
    assert client.get(reverse("intake:request", args=[help_request.pk])).status_code == 200
    assert_one_view(ViewChannel.INTAKE, operator, help_request.neighbor, group)


def test_intake_search_records_the_residents_found(client, operator, neighbor, group):
    client.force_login(operator)
    response = client.get(reverse("intake:desk"), {"phone": "+79111234567"})
    assert neighbor.name in response.content.decode()
    assert_one_view(ViewChannel.INTAKE, operator, neighbor, group)


def test_printed_route_sheet_records_its_residents(organizer, volunteer, claimed, group):
    from printing.services import route_sheet_print

    route_sheet_print(volunteer=volunteer, actor=organizer)
    assert_one_view(ViewChannel.ROUTE_SHEET, organizer, claimed.neighbor, group)
