"""Every write of a resident or a volunteer leaves an audit entry naming who did it, however
it came: a page, the API (token), the admin, the intake desk, the Telegram webhook, a task.
Organizers read a person's history in the admin, for their group only."""

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.urls import reverse

from neighbors.models import Neighbor
from neighbors.services import neighbor_create, neighbor_record_contact, neighbor_update
from privacy.audit import MASK, audit_actor
from privacy.person_data import resident_erase
from privacy.retention import personal_data_purge
from tests.api.conftest import token_client
from tests.intake.conftest import request_data
from volunteers.services import (
    volunteer_accept_safety_protocol,
    volunteer_link_telegram,
    volunteer_unlink_telegram,
    volunteer_update_availability,
)

pytestmark = pytest.mark.django_db


def last_entry(obj) -> LogEntry:
    return LogEntry.objects.get_for_object(obj).latest("timestamp", "pk")


# --- Residents -----------------------------------------------------------------------------


def test_api_new_resident_names_the_token_user(operator, block):
    response = token_client(operator).post(
        "/api/v1/requests/",
        {
            "block": str(block.pk),
            "kind": "groceries",
            "details": "Хлеб",
            "source": "paper_form",
            "neighbor": {"name": "Петрова Анна", "flat": "12", "phone": "+7 911 765-43-21"},
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    entry = last_entry(Neighbor.objects.get())
    assert entry.action == LogEntry.Action.CREATE
    assert entry.actor == operator


def test_intake_desk_new_resident_names_the_operator(client, operator, block):
    client.force_login(operator)
    data = request_data(
        resident="new", name="Сидорова Зоя", phone="8 921 765-43-21", new_block=str(block.pk),
        flat="7", entrance="2", floor="",
    )  # fmt: skip
    assert client.post("/intake/?phone=89217654321", data).status_code == 302
    neighbor = Neighbor.objects.get(name="Сидорова Зоя")
    entries = LogEntry.objects.get_for_object(neighbor)
    assert entries.filter(action=LogEntry.Action.CREATE, actor=operator).count() == 1
    # Consent recorded by the desk is a change by the same operator.
    assert set(entries.values_list("actor", flat=True)) == {operator.pk}


def test_admin_edit_goes_through_the_service_and_names_the_organizer(client, organizer, neighbor):
    client.force_login(organizer)
    url = reverse("admin:neighbors_neighbor_change", args=[neighbor.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(name="Иванова Мария", is_isolated="on", consent_to_contact="")
    data = {key: value for key, value in data.items() if value not in (False, None)}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = last_entry(neighbor)
    assert entry.actor == organizer and entry.action == LogEntry.Action.UPDATE
    assert entry.changes_dict["name"] == [MASK, MASK]
    assert entry.changes_dict["is_isolated"] == ["False", "True"]
    assert "Иванова" not in str(entry.changes) and "Иванова" not in entry.object_repr


def test_resident_entries_carry_no_personal_data(operator, block):
    neighbor = neighbor_create(
        actor=operator, block=block, name="Канарейкина", flat="913", phone="+79110009913",
        notes="звонить дважды",
    )  # fmt: skip
    entry = last_entry(neighbor)
    text = f"{entry.changes} {entry.object_repr} {entry.serialized_data}"
    for secret in ("Канарейкина", "913", "9110009913", "дважды"):
        assert secret not in text
    assert entry.object_repr == f"#{str(neighbor.pk)[:8]}"


def test_service_outside_a_request_names_its_actor(volunteer, neighbor):
    """A Celery task or a management command: no middleware, the service names the actor."""
    neighbor_record_contact(neighbor=neighbor, actor=volunteer.user)
    assert last_entry(neighbor).actor == volunteer.user


def test_service_rules_for_updates(operator, other_organizer, neighbor, other_block):
    from django.core.exceptions import ValidationError

    from requests.exceptions import NotAllowed

    with pytest.raises(NotAllowed):
        neighbor_update(neighbor=neighbor, actor=other_organizer, notes="x")
    with pytest.raises(ValidationError):
        neighbor_update(neighbor=neighbor, actor=operator, block=other_block)
    neighbor_update(neighbor=neighbor, actor=operator, notes="Глуховата")
    assert last_entry(neighbor).actor == operator


def test_erasing_or_forgetting_a_resident_deletes_their_entries(organizer, operator, block):
    erased = neighbor_create(actor=operator, block=block, name="А")
    resident_erase(resident=erased, actor=organizer)
    assert not LogEntry.objects.filter(object_pk=str(erased.pk)).exists()


def test_the_purge_deletes_forgotten_residents_entries(operator, block):
    import time_machine
    from django.utils import timezone

    forgotten = neighbor_create(actor=operator, block=block, name="Б")
    with time_machine.travel(timezone.now() + timezone.timedelta(days=400)):
        assert personal_data_purge().residents_deleted == 1
    assert not LogEntry.objects.filter(object_pk=str(forgotten.pk)).exists()


# --- Volunteers ----------------------------------------------------------------------------


def test_web_profile_and_safety_rules_name_the_volunteer(client, volunteer):
    volunteer.safety_protocol_accepted_at = None
    volunteer.save()
    client.force_login(volunteer.user)
    client.post("/profile/", {"max_open_tasks": "1", "notification_channel": "email"})
    assert last_entry(volunteer).actor == volunteer.user
    volunteer_accept_safety_protocol(volunteer=volunteer)
    entry = last_entry(volunteer)
    assert entry.actor == volunteer.user and "safety_protocol_accepted_at" in entry.changes_dict


def test_api_safety_acceptance_names_the_token_user(volunteer):
    volunteer.safety_protocol_accepted_at = None
    volunteer.save()
    response = token_client(volunteer.user).post("/api/v1/me/accept-safety-protocol/")
    assert response.status_code in (200, 204), response.content
    entry = last_entry(volunteer)
    assert entry.actor == volunteer.user and "safety_protocol_accepted_at" in entry.changes_dict


def test_admin_availability_change_names_the_organizer(volunteer, organizer):
    volunteer_update_availability(
        volunteer=volunteer, is_available=False, max_open_tasks=1, actor=organizer
    )
    assert last_entry(volunteer).actor == organizer


def test_telegram_link_and_unlink_name_the_volunteer_without_a_signed_in_user(
    volunteer, second_volunteer
):
    volunteer_link_telegram(user_id=second_volunteer.user_id, chat_id="42")
    volunteer_link_telegram(user_id=volunteer.user_id, chat_id="42")
    # The chat moved: the profile that lost it is audited too, as the linker's doing.
    moved = last_entry(second_volunteer)
    assert moved.actor == volunteer.user and moved.changes_dict["telegram_chat_id"][1] == MASK
    assert last_entry(volunteer).actor == volunteer.user
    assert volunteer_unlink_telegram(chat_id="42") == 1
    entry = last_entry(volunteer)
    assert entry.actor == volunteer.user and "notification_channel" in entry.changes_dict


# --- The context -----------------------------------------------------------------------------


def test_audit_actor_restores_the_naming_around_it(operator, organizer, block, neighbor):
    with set_actor(organizer):
        with audit_actor(operator):
            created = neighbor_create(actor=None, block=block, name="В")
        neighbor.notes = "после"
        neighbor.save()
    assert last_entry(created).actor == operator
    assert last_entry(neighbor).actor == organizer


# --- History in the admin ---------------------------------------------------------------------


def test_organizer_reads_a_residents_history(
    client, organizer, operator, block, django_assert_max_num_queries
):
    neighbor = neighbor_create(actor=operator, block=block, name="Г")
    for index in range(5):
        neighbor_update(
            neighbor=neighbor, actor=organizer, notes=f"n{index}", is_isolated=index % 2 == 0
        )
    client.force_login(organizer)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("admin:neighbors_neighbor_history", args=[neighbor.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert operator.username in page and organizer.username in page
    assert MASK in page and "n3" not in page
    # A new resident's entry lists other models' relations too: the history leaves them out.
    assert "help_requests" not in page and "recurring_requests" not in page


def test_volunteer_history_includes_their_account(client, organizer, volunteer):
    volunteer.user.role = "volunteer"
    volunteer.user.first_name = "Новое"
    volunteer.user.save()
    volunteer_update_availability(
        volunteer=volunteer, is_available=False, max_open_tasks=1, actor=organizer
    )
    client.force_login(organizer)
    response = client.get(reverse("admin:volunteers_volunteer_history", args=[volunteer.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert organizer.username in page and "Новое" not in page


def test_another_groups_organizer_cannot_read_the_history(
    client, other_organizer, neighbor, volunteer
):
    client.force_login(other_organizer)
    for url in (
        reverse("admin:neighbors_neighbor_history", args=[neighbor.pk]),
        reverse("admin:volunteers_volunteer_history", args=[volunteer.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == reverse("admin:index")


def test_volunteers_cannot_read_the_history(client, volunteer, neighbor):
    client.force_login(volunteer.user)
    response = client.get(reverse("admin:neighbors_neighbor_history", args=[neighbor.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


# --- Writes that used update() -----------------------------------------------------------------


def test_signing_a_volunteer_out_everywhere_is_in_their_history(organizer, volunteer):
    from users.services import user_sign_out_everywhere

    user_sign_out_everywhere(user=volunteer.user, actor=organizer)
    entry = last_entry(volunteer.user)
    assert entry.actor == organizer and "session_epoch" in entry.changes_dict


def test_the_claims_stop_is_in_the_volunteers_history(volunteer, neighbor):
    from requests.services import help_request_claim, help_request_release
    from tests.factories import HelpRequestFactory

    for _ in range(4):
        task = HelpRequestFactory(neighbor=neighbor)
        help_request_claim(help_request=task, volunteer=volunteer)
        with audit_actor(volunteer.user):
            help_request_release(help_request=task, volunteer=volunteer, reason="x")
    entry = last_entry(volunteer)
    assert "claims_blocked_at" in entry.changes_dict and entry.actor == volunteer.user
