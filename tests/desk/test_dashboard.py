"""/dashboard/: who may open it, what it lists, and what it never shows."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from requests.models import HelpRequest, PaidBy, RequestEvent, Urgency
from requests.services import (
    help_request_claim,
    help_request_deliver,
    help_request_report_undeliverable,
)
from tests import factories
from volunteers.models import VolunteerStatus

pytestmark = pytest.mark.django_db

DASHBOARD = "/dashboard/"


def group_url(group):
    return reverse("desk:group_dashboard", args=[group.pk])


def _age(help_request, **delta):
    HelpRequest.objects.filter(pk=help_request.pk).update(
        created_at=timezone.now() - timedelta(**delta)
    )


@pytest.fixture
def busy_group(group, block, neighbor, volunteer, second_volunteer, pending_volunteer):
    """One of each line the desk lists, in `group`."""
    late = factories.HelpRequestFactory(neighbor=neighbor, details="late")
    _age(late, hours=5)
    urgent = factories.HelpRequestFactory(neighbor=neighbor, urgency=Urgency.URGENT)
    _age(urgent, minutes=45)
    fresh = factories.HelpRequestFactory(neighbor=neighbor)
    held = factories.HelpRequestFactory(neighbor=neighbor)
    help_request_claim(help_request=held, volunteer=volunteer)
    HelpRequest.objects.filter(pk=held.pk).update(due_at=timezone.now() - timedelta(hours=1))
    failed = factories.HelpRequestFactory(neighbor=neighbor)
    help_request_claim(help_request=failed, volunteer=second_volunteer)
    help_request_report_undeliverable(
        help_request=failed, volunteer=second_volunteer, reason="Никто не открыл"
    )
    bought = factories.HelpRequestFactory(neighbor=neighbor)
    help_request_claim(help_request=bought, volunteer=volunteer)
    help_request_deliver(
        help_request=bought, volunteer=volunteer, spent=Decimal("812.50"), paid_by=PaidBy.VOLUNTEER
    )
    return {
        "late": late,
        "urgent": urgent,
        "fresh": fresh,
        "held": held,
        "failed": failed,
        "bought": bought,
    }


# --- Who may open it ---------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_sign_in(client, group):
    for url in (DASHBOARD, group_url(group)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("role_fixture", ["operator", "volunteer", "pending_volunteer"])
def test_operators_and_volunteers_get_403(client, request, role_fixture, group):
    user = request.getfixturevalue(role_fixture)
    client.force_login(getattr(user, "user", user))
    for url in (DASHBOARD, group_url(group)):
        assert client.get(url).status_code == 403


def test_organizer_lands_on_their_groups_desk(client, organizer, group):
    client.force_login(organizer)
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    assert response.context["group"] == group
    assert client.get(group_url(group)).status_code == 200


def test_another_groups_organizer_gets_404(client, other_organizer, group):
    client.force_login(other_organizer)
    assert client.get(group_url(group)).status_code == 404
    assert client.get("/dashboard/groups/not-a-uuid/").status_code == 404


def test_coordinator_sees_their_networks_groups_only(
    client, network_coordinator, group, other_group
):
    sister = factories.GroupFactory(name="Сестринская", network=group.network)
    client.force_login(network_coordinator)

    response = client.get(DASHBOARD)

    assert response.status_code == 200
    shown = [f.group for f in response.context["figures"]]
    assert shown == [sister, group] or set(shown) == {sister, group}
    assert other_group.name not in response.content.decode()
    assert client.get(group_url(group)).status_code == 200
    assert client.get(group_url(other_group)).status_code == 404


def test_superuser_sees_every_group(client, coordinator, group, other_group):
    client.force_login(coordinator)
    response = client.get(DASHBOARD)
    assert {f.group for f in response.context["figures"]} == {group, other_group}


# --- What it lists -----------------------------------------------------------------------


def test_organizer_sees_todays_work_each_line_linking_to_the_request(
    client, organizer, busy_group, pending_volunteer
):
    client.force_login(organizer)
    response = client.get(DASHBOARD)
    work = response.context["work"]
    page = response.content.decode()

    late, urgent = busy_group["late"].pk, busy_group["urgent"].pk
    assert [r.pk for r in work.unclaimed_overdue] == [late, urgent]
    assert [r.pk for r in work.held_overdue] == [busy_group["held"].pk]
    assert [r.pk for r in work.undeliverable] == [busy_group["failed"].pk]
    assert work.pending_volunteers == [pending_volunteer]
    for key in ("late", "urgent", "held", "failed"):
        url = reverse("admin:requests_helprequest_change", args=[busy_group[key].pk])
        assert f'href="{url}"' in page
    assert reverse("admin:requests_helprequest_change", args=[busy_group["fresh"].pk]) not in page
    assert reverse("admin:volunteers_volunteer_change", args=[pending_volunteer.pk]) in page


def test_figures_count_open_in_hand_and_delivered(client, organizer, busy_group):
    client.force_login(organizer)
    figures = client.get(DASHBOARD).context["figures"]

    # late, urgent, fresh, failed are open; held is in hand; bought was delivered today.
    assert (figures.open, figures.in_hand) == (4, 1)
    assert (figures.delivered_today, figures.delivered_week) == (1, 1)
    assert (figures.unclaimed_overdue, figures.held_overdue, figures.undeliverable) == (2, 1, 1)
    assert (figures.owed_total, figures.owed_count) == (Decimal("812.50"), 1)


def test_reimbursements_owed_per_volunteer_with_total(client, organizer, busy_group, volunteer):
    client.force_login(organizer)
    response = client.get(DASHBOARD)

    assert [(row["volunteer_id"], row["total"]) for row in response.context["owed"]] == [
        (volunteer.pk, Decimal("812.50"))
    ]
    assert "812,50" in response.content.decode()


def test_coverage_lists_gaps(client, organizer, group, block, volunteer, neighbor):
    empty_block = factories.BlockFactory(group=group, code="EMPTY")
    paused_block = factories.BlockFactory(group=group, code="PAUSED")
    paused = factories.VolunteerFactory(user__group=group, status=VolunteerStatus.PAUSED)
    paused.blocks.add(paused_block)
    old = timezone.now() - timedelta(days=30)
    quiet = factories.VolunteerFactory(user__group=group, verified_at=old)
    quiet.blocks.add(block)
    neighbor.is_isolated = True
    neighbor.last_contact_at = timezone.now() - timedelta(days=8)
    neighbor.save()
    client.force_login(organizer)

    coverage = client.get(DASHBOARD).context["coverage"]

    assert {b.code for b in coverage.uncovered_blocks} == {"EMPTY", "PAUSED"}
    assert empty_block in coverage.uncovered_blocks
    assert quiet in coverage.inactive_volunteers
    # volunteer was verified just now: not inactive yet.
    assert volunteer not in coverage.inactive_volunteers
    assert coverage.isolated_due_by_block == [
        {"block_id": block.pk, "block__code": block.code, "n": 1}
    ]


def test_a_volunteers_recent_action_keeps_them_active(client, organizer, group, help_request):
    old = timezone.now() - timedelta(days=30)
    worker = factories.VolunteerFactory(user__group=group, verified_at=old)
    help_request_claim(help_request=help_request, volunteer=worker)
    RequestEvent.objects.filter(help_request=help_request).update(created_at=timezone.now())
    client.force_login(organizer)

    assert worker not in client.get(DASHBOARD).context["coverage"].inactive_volunteers


# --- What it never shows -----------------------------------------------------------------


@pytest.mark.parametrize("viewer", ["organizer", "network_coordinator"])
def test_no_resident_personal_data_on_the_desk(client, request, viewer, busy_group, neighbor):
    user = request.getfixturevalue(viewer)
    client.force_login(user)
    neighbor.is_isolated = True
    neighbor.save()

    pages = [client.get(DASHBOARD), client.get(group_url(neighbor.block.group))]

    for response in pages:
        assert response.status_code == 200
        page = response.content.decode()
        assert neighbor.name not in page
        assert "89111234567" not in page and "+7 911" not in page and "+79111234567" not in page
        assert busy_group["late"].code_word not in page
        assert "Хлеб, молоко" not in page


def test_coordinator_gets_figures_not_request_lines(client, network_coordinator, busy_group, group):
    client.force_login(network_coordinator)
    response = client.get(group_url(group))
    page = response.content.decode()

    assert "work" not in response.context
    assert "admin/requests/helprequest" not in page
    assert response.context["figures"].unclaimed_overdue == 2


def test_desk_has_no_script_and_no_other_host(client, organizer, busy_group):
    client.force_login(organizer)
    page = client.get(DASHBOARD).content.decode()
    assert "<svg" in page
    assert "<script>" not in page and "<script " not in page.replace('<script src="/static/', "")
    assert "http://" not in page and "https://" not in page


# --- Bounded queries ---------------------------------------------------------------------


def _fill(group, n_blocks, n_requests):
    blocks = [factories.BlockFactory(group=group) for _ in range(n_blocks)]
    volunteers = []
    for block in blocks:
        volunteer = factories.VolunteerFactory(user__group=group)
        volunteer.blocks.add(block)
        volunteers.append(volunteer)
        factories.VolunteerFactory(user__group=group, status=VolunteerStatus.PENDING)
    for index in range(n_requests):
        block = blocks[index % n_blocks]
        neighbor = factories.NeighborFactory(block=block, is_isolated=True)
        help_request = factories.HelpRequestFactory(neighbor=neighbor)
        _age(help_request, hours=5)
        if index % 2:
            help_request_claim(help_request=help_request, volunteer=volunteers[index % n_blocks])
            if index % 4 == 1:
                help_request_deliver(
                    help_request=help_request,
                    volunteer=volunteers[index % n_blocks],
                    spent=Decimal("100"),
                    paid_by=PaidBy.VOLUNTEER,
                )


@pytest.mark.parametrize("size", [1, 4])
def test_organizer_desk_queries_do_not_grow_with_data(
    client, organizer, group, size, django_assert_max_num_queries
):
    _fill(group, n_blocks=size * 2, n_requests=size * 6)
    client.force_login(organizer)
    # One of them counts the members waiting for a password link (onboarding); 27 before the
    # per-group counts went into one query (desk.selectors.group_figures).
    with django_assert_max_num_queries(19):
        assert client.get(DASHBOARD).status_code == 200


@pytest.mark.parametrize("n_groups", [1, 4])
def test_network_desk_queries_do_not_grow_with_groups(
    client, network_coordinator, group, n_groups, django_assert_max_num_queries
):
    _fill(group, n_blocks=2, n_requests=6)
    for _ in range(n_groups - 1):
        other = factories.GroupFactory(network=group.network)
        _fill(other, n_blocks=2, n_requests=6)
    client.force_login(network_coordinator)
    # 14 before the per-group counts went into one query.
    with django_assert_max_num_queries(8):
        assert client.get(DASHBOARD).status_code == 200


def test_residents_waiting_for_a_call_back_link_to_the_request(
    client, organizer, help_request, volunteer, django_capture_on_commit_callbacks
):
    # The resident agreed to no SMS: the claim leaves a call on the intake's call-back list.
    with django_capture_on_commit_callbacks(execute=True):
        help_request_claim(help_request=help_request, volunteer=volunteer)
    client.force_login(organizer)

    response = client.get(DASHBOARD)

    assert response.context["figures"].callbacks == 1
    assert [n.help_request_id for n in response.context["work"].callbacks] == [help_request.pk]
    page = response.content.decode()
    assert f'href="{reverse("intake:request", args=[help_request.pk])}"' in page
    assert help_request.code_word not in page
