"""Per person: organizers export everything about a resident or volunteer, and erase it."""

import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from neighbors.models import Neighbor
from privacy.models import ErasureAction, PersonalDataView, PrivacyEvent, ViewChannel
from privacy.person_data import resident_erase, volunteer_erase, volunteer_export
from requests.models import HelpRequest, Status
from requests.services import help_request_claim
from tests import factories

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def delivered(neighbor, volunteer):
    return factories.HelpRequestFactory(
        neighbor=neighbor,
        status=Status.DELIVERED,
        volunteer=volunteer,
        delivered_at=timezone.now(),
        spent=Decimal("250.00"),
        details="Лекарства для Марии Петровны",
    )


def run_action(client, url_name, action, pk, **extra):
    return client.post(reverse(url_name), {"action": action, "_selected_action": [pk], **extra})


def test_organizer_exports_a_resident_as_json(organizer, neighbor, delivered):
    response = run_action(
        signed_in(organizer), "admin:neighbors_neighbor_changelist", "export_personal_data",
        neighbor.pk,
    )  # fmt: skip
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["resident"]["name"] == neighbor.name
    assert data["resident"]["phone"] == "+79111234567"
    assert data["requests"][0]["details"] == "Лекарства для Марии Петровны"
    assert data["requests"][0]["spent"] == "250.00"
    # The export is itself a view of the resident's details.
    assert PersonalDataView.objects.filter(neighbor=neighbor, channel=ViewChannel.EXPORT)


def test_volunteer_export_holds_their_data_and_no_resident_details(organizer, volunteer, delivered):
    volunteer.user.phone = "+79110001122"
    volunteer.user.save()
    data = volunteer_export(volunteer=volunteer, actor=organizer)
    assert data["account"]["phone"] == "+79110001122"
    assert data["tasks"][0]["id"] == str(delivered.pk)
    text = json.dumps(data, ensure_ascii=False)
    assert delivered.neighbor.name not in text and "Лекарства" not in text


def test_erase_asks_first_then_keeps_the_facts(organizer, neighbor, delivered):
    client = signed_in(organizer)
    url = "admin:neighbors_neighbor_changelist"
    first = run_action(client, url, "erase_personal_data", neighbor.pk)
    assert first.status_code == 200 and "confirm" in first.content.decode()
    assert Neighbor.objects.filter(pk=neighbor.pk).exists()

    run_action(client, url, "erase_personal_data", neighbor.pk, confirm="yes")

    assert not Neighbor.objects.filter(pk=neighbor.pk).exists()
    delivered.refresh_from_db()
    assert delivered.neighbor_id is None and delivered.details == ""
    assert delivered.status == Status.DELIVERED and delivered.spent == Decimal("250.00")
    event = PrivacyEvent.objects.get(action=ErasureAction.RESIDENT_ERASED)
    assert event.actor == organizer and event.subject_id == str(neighbor.pk)


def test_resident_with_a_request_in_progress_is_not_erased(
    organizer, neighbor, help_request, volunteer
):
    help_request_claim(help_request=help_request, volunteer=volunteer)
    response = run_action(
        signed_in(organizer), "admin:neighbors_neighbor_changelist", "erase_personal_data",
        neighbor.pk, confirm="yes",
    )  # fmt: skip
    assert response.status_code == 302
    assert Neighbor.objects.filter(pk=neighbor.pk).exists()
    assert not PrivacyEvent.objects.exists()


def test_erase_volunteer_empties_the_account_and_keeps_their_deliveries(
    organizer, volunteer, delivered
):
    session = signed_in(volunteer.user)
    volunteer_erase(volunteer=volunteer, actor=organizer)
    volunteer.refresh_from_db()
    user = volunteer.user
    assert user.username.startswith("erased-") and not user.is_active
    assert (user.email, user.first_name, user.phone) == ("", "", None)
    assert volunteer.status == "removed" and volunteer.base_latitude is None
    assert HelpRequest.objects.get(pk=delivered.pk).volunteer_id == volunteer.pk
    assert session.get(reverse("volunteers:task_list")).status_code == 302


def test_volunteer_holding_a_task_is_not_erased(organizer, volunteer, help_request):
    from django.core.exceptions import ValidationError

    help_request_claim(help_request=help_request, volunteer=volunteer)
    with pytest.raises(ValidationError):
        volunteer_erase(volunteer=volunteer, actor=organizer)


def test_operators_and_other_groups_cannot(operator, other_organizer, neighbor, volunteer):
    for actor in (operator, other_organizer):
        with pytest.raises(PermissionDenied):
            resident_erase(resident=neighbor, actor=actor)
        with pytest.raises(PermissionDenied):
            volunteer_export(volunteer=volunteer, actor=actor)
    page = signed_in(operator).get(reverse("admin:neighbors_neighbor_changelist"))
    assert "erase_personal_data" not in page.content.decode()
    assert Neighbor.objects.filter(pk=neighbor.pk).exists()
