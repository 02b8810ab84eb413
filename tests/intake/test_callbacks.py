"""/intake/callbacks/: residents to phone back, and the record of who told whom when."""

import pytest

from intake.models import NoticeStatus, ResidentNotice
from requests import services
from requests.models import RequestKind
from tests import factories

URL = "/intake/callbacks/"


@pytest.fixture
def waiting(help_request, volunteer, django_capture_on_commit_callbacks):
    """A claimed request whose resident gets no SMS: she waits on the call-back list."""
    with django_capture_on_commit_callbacks(execute=True):
        services.help_request_claim(help_request=help_request, volunteer=volunteer)
    return ResidentNotice.objects.get()


@pytest.mark.parametrize("role", ["operator", "organizer"])
def test_staff_see_whom_to_call_and_what_to_say(request, signed_in, waiting, role):
    page = signed_in(request.getfixturevalue(role)).get(URL).content.decode()
    help_request = waiting.help_request
    help_request.refresh_from_db()
    assert help_request.neighbor.name in page
    assert help_request.code_word in page
    assert f'href="tel:{help_request.neighbor.phone}"' in page


@pytest.mark.parametrize("role", ["volunteer", "outsider_volunteer", "coordinator"])
def test_callbacks_404_for_others(request, signed_in, waiting, role):
    client = signed_in(request.getfixturevalue(role))
    assert client.get(URL).status_code == 404
    assert client.post(f"/intake/callbacks/{waiting.pk}/told/").status_code == 404


def test_other_groups_organizer_neither_sees_nor_marks_ours(signed_in, other_organizer, waiting):
    client = signed_in(other_organizer)
    assert waiting.help_request.neighbor.name not in client.get(URL).content.decode()
    assert client.post(f"/intake/callbacks/{waiting.pk}/told/").status_code == 404
    waiting.refresh_from_db()
    assert waiting.status == NoticeStatus.PENDING


def test_anonymous_redirected(client, waiting):
    assert client.get(URL).status_code == 302
    assert client.post(f"/intake/callbacks/{waiting.pk}/told/").status_code == 302


def test_marking_told_records_who_and_when_and_clears_the_list(signed_in, operator, waiting):
    client = signed_in(operator)
    response = client.post(f"/intake/callbacks/{waiting.pk}/told/")
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == NoticeStatus.TOLD
    assert waiting.told_by == operator and waiting.told_at is not None
    page = client.get(URL).content.decode()
    assert "сообщено по телефону (operator)" in page or "told by phone (operator)" in page
    assert "tel:" not in page
    # Twice is harmless.
    assert client.post(f"/intake/callbacks/{waiting.pk}/told/").status_code == 302


def test_told_needs_post(signed_in, operator, waiting):
    assert signed_in(operator).get(f"/intake/callbacks/{waiting.pk}/told/").status_code == 405


def test_page_queries_do_not_grow_with_the_list(
    signed_in,
    operator,
    waiting,
    block,
    volunteer,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
):
    client = signed_in(operator)
    RequestKind.objects.clear_label_cache()  # kind names: the same (cold) start each time
    with django_assert_max_num_queries(10) as few:
        client.get(URL)
    for _ in range(4):
        other = factories.HelpRequestFactory(neighbor__block=block)
        second = factories.VolunteerFactory(user__group=volunteer.user.group)
        with django_capture_on_commit_callbacks(execute=True):
            services.help_request_claim(help_request=other, volunteer=second)
    RequestKind.objects.clear_label_cache()
    with django_assert_max_num_queries(10) as many:
        client.get(URL)
    assert len(many) == len(few)
    assert ResidentNotice.objects.filter(status=NoticeStatus.PENDING).count() == 5
