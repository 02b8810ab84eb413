"""History: my delivered tasks, newest first, with money and reimbursement state."""

import re
from datetime import timedelta

from django.utils import timezone

from requests.models import RequestKind, Status
from tests import factories
from tests.volunteers.conftest import page_text


def _delivered(volunteer, neighbor, **kwargs):
    return factories.HelpRequestFactory(
        neighbor=neighbor, status=Status.DELIVERED, volunteer=volunteer, **kwargs
    )


def test_history_lists_my_deliveries_newest_first(
    volunteer_client, volunteer, second_volunteer, neighbor
):
    now = timezone.now()
    old = _delivered(volunteer, neighbor, delivered_at=now - timedelta(days=3))
    new = _delivered(
        volunteer, neighbor, delivered_at=now - timedelta(hours=1), spent=250, paid_by="volunteer"
    )
    someone_elses = _delivered(second_volunteer, neighbor, delivered_at=now)
    text = page_text(volunteer_client.get("/history/"))
    ids = re.findall(r'href="/tasks/([0-9a-f-]{36})/"', text)
    assert ids == [str(new.pk), str(old.pk)]
    assert str(someone_elses.pk) not in ids
    assert "250.00" in text
    assert "waiting for reimbursement" in text
    # The history never shows whom the errand was for.
    assert neighbor.name not in text


def test_reimbursed_delivery_says_paid_back(volunteer_client, volunteer, neighbor):
    _delivered(
        volunteer,
        neighbor,
        delivered_at=timezone.now(),
        spent=100,
        paid_by="volunteer",
        reimbursed_at=timezone.now(),
    )
    assert "paid back" in page_text(volunteer_client.get("/history/"))


def test_empty_history_says_what_to_do(volunteer_client):
    text = page_text(volunteer_client.get("/history/"))
    assert "You have not delivered any task yet." in text
    assert 'href="/tasks/"' in text


def test_history_query_count_does_not_grow(
    volunteer_client, volunteer, neighbor, django_assert_num_queries
):
    _delivered(volunteer, neighbor, delivered_at=timezone.now())
    # Four (session, user with group and profile, the list, its count), and one for the
    # kind names when their per-process cache is cold.
    RequestKind.objects.clear_label_cache()
    with django_assert_num_queries(5):
        volunteer_client.get("/history/")
    for _ in range(15):
        _delivered(volunteer, neighbor, delivered_at=timezone.now())
    RequestKind.objects.clear_label_cache()
    with django_assert_num_queries(5):
        volunteer_client.get("/history/")
    with django_assert_num_queries(4):
        volunteer_client.get("/history/")
