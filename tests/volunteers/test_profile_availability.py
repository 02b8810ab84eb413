"""Profile: the volunteer's weekly time slots, skills and languages, saved through
volunteer_update_availability, recorded in the audit log with who changed what."""

import re
from datetime import time

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError

from tests import factories
from tests.volunteers.conftest import messages_of, page_text
from volunteers.models import END_OF_DAY, WeeklySlot
from volunteers.services import merge_weekly_slots, volunteer_update_availability

BASE = {"is_available": "on", "max_open_tasks": "3", "notification_channel": "email"}
EMPTY_ROW = {"days": [], "start": "", "end": ""}


def _rows(*rows):
    """POST data of slot rows: (days, start, end); the page always posts every row."""
    data = {}
    for index, (days, start, end) in enumerate(rows):
        data[f"slot{index}-days"] = [str(day) for day in days]
        data[f"slot{index}-start"] = start
        data[f"slot{index}-end"] = end
    return data


def _slots(volunteer):
    return list(volunteer.weekly_slots.values_list("weekday", "start", "end"))


EVENINGS = [(day, time(18), time(21)) for day in range(5)]
SATURDAY = [(5, time(10), time(14))]


def test_volunteer_gives_weekday_evenings_and_saturday_morning(volunteer_client, volunteer):
    response = volunteer_client.post(
        "/profile/",
        {**BASE, **_rows((range(5), "18:00", "21:00"), ([5], "10:00", "14:00"), ([], "", ""))},
        follow=True,
    )

    assert messages_of(response) == ["Saved."]
    assert _slots(volunteer) == EVENINGS + SATURDAY
    text = page_text(response)
    # One row per pattern, the days ticked, and two empty rows to add more.
    assert 'name="slot0-days" value="0"' in text
    assert 'name="slot0-start" value="18:00"' in text
    assert 'name="slot1-end" value="14:00"' in text
    assert 'name="slot3-start"' in text
    assert 'name="slot4-start"' not in text
    assert "Mon–Fri 18:00–21:00; Sat 10:00–14:00" in text


def test_no_slots_means_any_time_and_is_said_so(volunteer_client, volunteer):
    text = page_text(volunteer_client.get("/profile/"))
    assert "No times: at any time." in text
    assert 'name="slot0-start"' in text and 'name="slot1-start"' in text
    assert 'name="slot2-start"' not in text


def test_emptying_every_row_clears_the_slots(volunteer_client, volunteer):
    volunteer_update_availability(
        volunteer=volunteer, is_available=True, max_open_tasks=3, slots=EVENINGS
    )
    volunteer_client.post("/profile/", {**BASE, **_rows(([], "", ""), ([], "", ""))})
    assert _slots(volunteer) == []


def test_a_post_without_rows_leaves_the_slots_alone(volunteer_client, volunteer):
    volunteer_update_availability(
        volunteer=volunteer, is_available=True, max_open_tasks=3, slots=SATURDAY
    )
    volunteer_client.post("/profile/", BASE)
    assert _slots(volunteer) == SATURDAY


def test_until_midnight_is_written_00_00(volunteer_client, volunteer):
    volunteer_client.post("/profile/", {**BASE, **_rows(([6], "20:00", "00:00"))})
    assert _slots(volunteer) == [(6, time(20), END_OF_DAY)]
    text = page_text(volunteer_client.get("/profile/"))
    assert re.search(r'<input type="time" name="slot0-end" value="00:00"', text)
    assert "Sun 20:00–24:00" in text


@pytest.mark.parametrize(
    ("row", "field"),
    [
        (([], "18:00", "21:00"), "days"),
        (([1], "", "21:00"), "start"),
        (([1], "18:00", ""), "end"),
        (([1], "22:00", "02:00"), "end"),  # a night: two rows, one each side of midnight
        (([1], "18:00", "18:00"), "end"),
        (([1], "25:00", "26:00"), "start"),
        ((["9"], "18:00", "21:00"), "days"),
    ],
)
def test_a_bad_row_is_refused_and_nothing_is_saved(volunteer_client, volunteer, row, field):
    volunteer_update_availability(
        volunteer=volunteer, is_available=True, max_open_tasks=3, slots=SATURDAY
    )
    response = volunteer_client.post(
        "/profile/", {**BASE, "has_car": "on", **_rows(([2], "09:00", "12:00"), row)}
    )

    assert response.status_code == 400
    assert 'class="errorlist' in page_text(response)
    rows = response.context["slot_rows"].forms
    assert not rows[0].errors
    assert field in rows[1].errors
    assert _slots(volunteer) == SATURDAY
    volunteer.refresh_from_db()
    assert volunteer.has_car is False


def test_overlapping_rows_are_joined():
    rows = [
        (0, time(12), time(16)),
        (1, time(9), time(10)),
        (0, time(10), time(14)),
        (0, time(16), time(18)),
    ]
    assert merge_weekly_slots(rows) == [(0, time(10), time(18)), (1, time(9), time(10))]


def test_service_refuses_a_slot_that_ends_before_it_starts(volunteer):
    with pytest.raises(ValidationError) as error:
        volunteer_update_availability(
            volunteer=volunteer,
            is_available=True,
            max_open_tasks=3,
            slots=[(0, time(21), time(18))],
        )
    assert "slots" in error.value.message_dict
    assert _slots(volunteer) == []


def test_database_refuses_a_slot_that_ends_before_it_starts(volunteer):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        WeeklySlot.objects.create(volunteer=volunteer, weekday=0, start=time(21), end=time(18))


def test_volunteer_sets_skills_and_languages(volunteer_client, volunteer):
    response = volunteer_client.post(
        "/profile/",
        {
            **BASE,
            "has_car": "on",
            "does_legal_consultation": "on",
            "languages": "RU; en  uz, en",
        },
    )

    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.has_car is True
    assert volunteer.does_pharmacy is False
    # Consultations are turned on by organizers only: the ticked box is ignored.
    assert volunteer.does_legal_consultation is False
    assert volunteer.does_psychological_consultation is False
    assert volunteer.languages == "ru, en, uz"
    text = page_text(volunteer_client.get("/profile/"))
    assert 'value="ru, en, uz"' in text


def test_a_word_is_not_a_language_code(volunteer_client, volunteer):
    response = volunteer_client.post("/profile/", {**BASE, "languages": "русский"})
    assert response.status_code == 400
    assert "is not a language code" in page_text(response)
    volunteer.refresh_from_db()
    assert volunteer.languages == "ru"


def test_every_self_edit_is_in_the_audit_log_with_the_volunteer_as_actor(
    volunteer_client, volunteer
):
    LogEntry.objects.all().delete()  # the fixtures' own entries
    volunteer_client.post("/profile/", {**BASE, "has_car": "on", **_rows(([5], "10:00", "14:00"))})
    volunteer_client.post("/profile/", {**BASE, "has_car": "on", **_rows(([6], "10:00", "14:00"))})

    profile_changes = LogEntry.objects.get_for_object(volunteer)
    assert any("has_car" in entry.changes_dict for entry in profile_changes)
    assert {entry.actor_id for entry in profile_changes} == {volunteer.user_id}
    slot_entries = LogEntry.objects.get_for_model(WeeklySlot).order_by("timestamp", "pk")
    assert [entry.action for entry in slot_entries] == [
        LogEntry.Action.CREATE,
        LogEntry.Action.DELETE,
        LogEntry.Action.CREATE,
    ]
    assert {entry.actor_id for entry in slot_entries} == {volunteer.user_id}
    assert slot_entries[0].changes_dict["volunteer"][1] == str(volunteer.pk)


def test_unchanged_slots_write_nothing_to_the_audit_log(volunteer_client, volunteer):
    data = {**BASE, **_rows(([5], "10:00", "14:00"))}
    volunteer_client.post("/profile/", data)
    before = LogEntry.objects.get_for_model(WeeklySlot).count()
    volunteer_client.post("/profile/", data)
    assert LogEntry.objects.get_for_model(WeeklySlot).count() == before


def test_profile_page_queries_are_bounded(
    volunteer_client, volunteer, group, django_assert_max_num_queries
):
    volunteer_update_availability(
        volunteer=volunteer, is_available=True, max_open_tasks=3, slots=EVENINGS + SATURDAY
    )
    for code in ("A1", "A2", "A3"):
        volunteer.blocks.add(factories.BlockFactory(group=group, code=code))
    volunteer_client.get("/profile/")  # warm the per-process caches

    # Session, user, profile, slots, blocks: whatever the number of slots and blocks.
    with django_assert_max_num_queries(5):
        response = volunteer_client.get("/profile/")
    assert response.status_code == 200


# --- Per role: only the volunteer edits their own profile -----------------------------------


@pytest.mark.parametrize("role", ["coordinator", "network_coordinator", "organizer", "operator"])
def test_staff_get_no_profile_form_and_change_nothing(client, request, role, volunteer):
    user = request.getfixturevalue(role)
    client.force_login(user)
    assert client.get("/profile/").status_code == 403
    response = client.post("/profile/", {**BASE, "has_car": "on", **_rows(([1], "09:00", "10:00"))})
    assert response.status_code == 403
    assert WeeklySlot.objects.count() == 0


def test_a_volunteer_of_another_group_changes_only_their_own_profile(
    client, outsider_volunteer, volunteer
):
    client.force_login(outsider_volunteer.user)
    client.post("/profile/", {**BASE, **_rows(([1], "09:00", "10:00"))})
    assert _slots(outsider_volunteer) == [(1, time(9), time(10))]
    assert _slots(volunteer) == []


def test_a_paused_volunteer_cannot_set_slots(client, volunteer):
    volunteer.status = "paused"
    volunteer.save()
    client.force_login(volunteer.user)
    response = client.post("/profile/", {**BASE, **_rows(([1], "09:00", "10:00"))})
    assert response.status_code == 403
    assert _slots(volunteer) == []


def test_anonymous_is_sent_to_sign_in(client, db):
    response = client.post("/profile/", {**BASE, **_rows(([1], "09:00", "10:00"))})
    assert response.status_code == 302
    assert WeeklySlot.objects.count() == 0


def test_slot_changes_are_in_the_volunteers_history_and_go_with_erasure(
    volunteer_client, volunteer, organizer
):
    from privacy.audit import history_rows, person_entries
    from privacy.person_data import volunteer_erase

    volunteer_client.post("/profile/", {**BASE, **_rows(([5], "10:00", "14:00"))})
    volunteer_client.post("/profile/", {**BASE, **_rows(([6], "10:00", "14:00"))})

    entries = [e for e in person_entries(volunteer) if e.content_type.model == "weeklyslot"]
    assert len(entries) == 3
    history_rows(entries)
    # The day by its name, not its number.
    assert any(str(row[2]) in ("Saturday", "Суббота") for entry in entries for row in entry.rows)

    volunteer_erase(volunteer=volunteer, actor=organizer)
    assert not LogEntry.objects.get_for_model(WeeklySlot).exists()
    assert _slots(volunteer) == []


def test_volunteer_cannot_make_themselves_a_consultant(volunteer):
    # Consultation notes are confidential: who gives consultations is the organizers' call.
    with pytest.raises(ValidationError) as error:
        volunteer_update_availability(
            volunteer=volunteer,
            is_available=True,
            max_open_tasks=1,
            skills={"does_legal_consultation": True},
        )
    assert "does_legal_consultation" in error.value.message_dict
    volunteer.refresh_from_db()
    assert volunteer.does_legal_consultation is False


def test_organizer_makes_a_volunteer_a_consultant_and_the_volunteer_may_stop(
    volunteer_client, volunteer, organizer
):
    volunteer_update_availability(
        volunteer=volunteer,
        is_available=True,
        max_open_tasks=1,
        skills={"does_psychological_consultation": True},
        actor=organizer,
    )
    volunteer.refresh_from_db()
    assert volunteer.does_psychological_consultation is True

    page = page_text(volunteer_client.get("/profile/"))
    assert page.count("disabled") == 1  # the legal one, still off, is greyed

    response = volunteer_client.post("/profile/", BASE)  # the box left unticked
    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.does_psychological_consultation is False
