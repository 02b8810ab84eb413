"""The hotline log at /intake/calls/: per role, logging, follow-ups first, done, alerts."""

import pytest
from django.core import mail
from django.urls import reverse

from hotline.models import CallLog, CallTopic
from hotline.services import call_log_create, call_log_mark_done
from requests.exceptions import NotAllowed, TransitionNotAllowed
from tests import factories

pytestmark = pytest.mark.django_db

URL = "/intake/calls/"


def _signed_in(client, who):
    client.force_login(getattr(who, "user", who))
    return client


def _call(actor, **kwargs):
    return call_log_create(
        actor=actor, topic=kwargs.pop("topic", CallTopic.QUESTION), text="Когда приедут?", **kwargs
    )


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("operator", 200),
        ("organizer", 200),
        ("volunteer", 404),
        ("pending_volunteer", 404),
        ("coordinator", 404),
    ],
)
def test_who_opens_the_call_log(client, request, who, status):
    assert _signed_in(client, request.getfixturevalue(who)).get(URL).status_code == status


def test_anonymous_is_sent_to_sign_in(client, operator):
    call = _call(operator, follow_up=True)
    for response in (client.get(URL), client.post(f"{URL}{call.pk}/done/")):
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_another_groups_organizer_sees_only_their_own_calls(client, operator, other_organizer):
    _call(operator)
    page = _signed_in(client, other_organizer).get(URL)
    assert page.status_code == 200
    assert "Когда приедут?" not in page.content.decode()


def test_operator_logs_a_call_linked_by_phone(client, operator, neighbor):
    neighbor.phone = "+79211234567"
    neighbor.save()
    response = _signed_in(client, operator).post(
        URL, {"topic": "complaint", "text": "Волонтёр опоздал", "phone": "8 921 123-45-67"}
    )
    assert response.status_code == 302
    call = CallLog.objects.get()
    assert (call.topic, call.neighbor, call.logged_by, call.group_id) == (
        "complaint",
        neighbor,
        operator,
        operator.group_id,
    )
    assert not call.follow_up


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"topic": "question", "text": "", "phone": ""}, "text"),
        ({"topic": "weather", "text": "Привет", "phone": ""}, "topic"),
        ({"topic": "question", "text": "Привет", "phone": "12"}, "phone"),
        ({"topic": "question", "text": "Привет", "phone": "+79001112233"}, "phone"),
    ],
)
def test_bad_input_keeps_what_was_typed_and_names_the_field(client, operator, data, field):
    response = _signed_in(client, operator).post(URL, data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert CallLog.objects.count() == 0
    if data["text"]:
        assert data["text"] in response.content.decode()


def test_a_resident_of_another_group_cannot_be_linked(operator, other_block):
    stranger = factories.NeighborFactory(block=other_block)
    with pytest.raises(Exception) as error:
        _call(operator, neighbor=stranger)
    assert "neighbor" in error.value.message_dict


def test_volunteers_cannot_log_calls(volunteer):
    with pytest.raises(NotAllowed):
        _call(volunteer.user)


def test_follow_ups_waiting_come_first_and_are_marked_done(client, operator, organizer):
    plain = _call(operator)
    waiting = _call(operator, follow_up=True)
    newest = _call(operator)
    client = _signed_in(client, organizer)
    listed = list(client.get(URL).context["page"].object_list)
    assert [call.pk for call in listed] == [waiting.pk, newest.pk, plain.pk]
    response = client.post(f"{URL}{waiting.pk}/done/")
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.followed_up_by == organizer and waiting.followed_up_at is not None
    listed = list(client.get(URL).context["page"].object_list)
    assert [call.pk for call in listed] == [newest.pk, waiting.pk, plain.pk]


def test_done_twice_or_without_follow_up_is_refused(operator):
    call = _call(operator, follow_up=True)
    call_log_mark_done(call=call, actor=operator)
    with pytest.raises(TransitionNotAllowed):
        call_log_mark_done(call=call, actor=operator)
    with pytest.raises(TransitionNotAllowed):
        call_log_mark_done(call=_call(operator), actor=operator)


@pytest.mark.parametrize("who", ["other_organizer", "volunteer", "coordinator"])
def test_done_by_others_is_404(client, request, operator, who):
    call = _call(operator, follow_up=True)
    response = _signed_in(client, request.getfixturevalue(who)).post(f"{URL}{call.pk}/done/")
    assert response.status_code == 404
    call.refresh_from_db()
    assert call.followed_up_at is None


def test_done_needs_post(client, operator):
    call = _call(operator, follow_up=True)
    assert _signed_in(client, operator).get(f"{URL}{call.pk}/done/").status_code == 405


def test_fake_volunteer_report_alerts_the_organizers_with_a_link_only(
    operator, organizer, neighbor, django_capture_on_commit_callbacks
):
    organizer.email = "org@example.org"
    organizer.save()
    with django_capture_on_commit_callbacks(execute=True):
        call = _call(operator, topic=CallTopic.FAKE_VOLUNTEER, neighbor=neighbor)
    assert call.follow_up
    (message,) = [m for m in mail.outbox if "org@example.org" in m.to]
    assert "/intake/calls/" in message.body
    for private in (neighbor.name, neighbor.flat, "Когда приедут?"):
        assert private not in message.body and private not in message.subject
    # Once per organizer, however often the task runs.
    from hotline.tasks import alert_fake_volunteer

    assert alert_fake_volunteer(call.pk) == 0


def test_list_queries_do_not_grow_with_calls(
    client, operator, neighbor, django_assert_max_num_queries
):
    client = _signed_in(client, operator)
    for _ in range(3):
        _call(operator, neighbor=neighbor, follow_up=True)
    with django_assert_max_num_queries(6) as few:
        client.get(URL)
    for _ in range(30):
        _call(operator, neighbor=neighbor, follow_up=True)
    with django_assert_max_num_queries(6) as many:
        client.get(URL)
    assert len(few) == len(many)


# --- Admin -------------------------------------------------------------------------------


def test_admin_lists_the_groups_calls_and_logs_new_ones(
    client, organizer, operator, other_organizer
):
    ours = _call(operator)
    theirs = _call(other_organizer)
    client = _signed_in(client, organizer)
    listed = client.get(reverse("admin:hotline_calllog_changelist")).context["cl"].result_list
    assert [call.pk for call in listed] == [ours.pk]
    change = reverse("admin:hotline_calllog_change", args=[theirs.pk])
    assert client.get(change).status_code in (302, 404)
    response = client.post(
        reverse("admin:hotline_calllog_add"), {"topic": "question", "text": "Вопрос о пенсии"}
    )
    assert response.status_code == 302
    assert CallLog.objects.get(text="Вопрос о пенсии").logged_by == organizer


def test_admin_operator_marks_done_with_the_action(client, operator):
    call = _call(operator, follow_up=True)
    _signed_in(client, operator).post(
        reverse("admin:hotline_calllog_changelist"),
        {"action": "mark_done", "_selected_action": [call.pk]},
    )
    call.refresh_from_db()
    assert call.followed_up_by == operator


def test_admin_volunteer_has_no_call_log(client, volunteer):
    response = _signed_in(client, volunteer).get(reverse("admin:hotline_calllog_changelist"))
    assert response.status_code == 302
