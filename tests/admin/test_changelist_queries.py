"""Changelists cost the same number of queries for 5 rows as for 25."""

import pytest
from django.urls import reverse

from requests.models import PaidBy
from requests.services import help_request_claim, help_request_deliver
from tests import factories

pytestmark = pytest.mark.django_db

# Session, user, counts, rows, filter choices (the group's kinds among them), kind names (a
# per-process cache, cold in tests), the changelist's own bookkeeping, and the one INSERT that
# records who saw the listed residents (privacy.access_log); the same ceiling must hold
# whatever the number of rows.
MAX_QUERIES = 11


def _help_requests(group, count):
    for _ in range(count):
        block = factories.BlockFactory(group=group)
        volunteer = factories.VolunteerFactory(user__group=group)
        help_request = factories.HelpRequestFactory(neighbor__block=block)
        help_request_claim(help_request=help_request, volunteer=volunteer)


def _volunteers(group, count):
    for _ in range(count):
        volunteer = factories.VolunteerFactory(user__group=group)
        volunteer.blocks.add(
            factories.BlockFactory(group=group), factories.BlockFactory(group=group)
        )
        help_request = factories.HelpRequestFactory(neighbor__block=volunteer.blocks.first())
        help_request_claim(help_request=help_request, volunteer=volunteer)
        help_request_deliver(help_request=help_request, volunteer=volunteer)


CASES = {
    "admin:requests_helprequest_changelist": _help_requests,
    "admin:volunteers_volunteer_changelist": _volunteers,
    "admin:neighbors_block_changelist": _volunteers,
    "admin:neighbors_neighbor_changelist": _help_requests,
    "admin:users_user_changelist": _volunteers,
}


@pytest.mark.parametrize("url_name", sorted(CASES))
@pytest.mark.parametrize("rows", [5, 25])
def test_changelist_queries_do_not_grow_with_rows(
    login, organizer, group, django_assert_max_num_queries, url_name, rows
):
    CASES[url_name](group, rows)
    client = login(organizer)

    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(reverse(url_name))

    assert response.status_code == 200
    assert len(response.context["cl"].result_list) >= rows


@pytest.mark.parametrize("rows", [5, 25])
def test_overdue_and_reimbursement_filters_are_constant_too(
    login, organizer, group, django_assert_max_num_queries, rows
):
    for _ in range(rows):
        volunteer = factories.VolunteerFactory(user__group=group)
        help_request = factories.HelpRequestFactory(neighbor__block__group=group)
        help_request_claim(help_request=help_request, volunteer=volunteer)
        help_request_deliver(
            help_request=help_request, volunteer=volunteer, spent=100, paid_by=PaidBy.VOLUNTEER
        )
    client = login(organizer)

    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(
            reverse("admin:requests_helprequest_changelist"), {"reimbursement": "outstanding"}
        )
    assert len(response.context["cl"].result_list) == rows
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get(reverse("admin:requests_helprequest_changelist"), {"overdue": "yes"})
