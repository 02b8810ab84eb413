"""An organizer of one group never sees another group's objects: lists, pages, choices."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests import factories

pytestmark = pytest.mark.django_db


def _changelist_pks(response):
    return {obj.pk for obj in response.context["cl"].result_list}


@pytest.fixture
def two_groups(
    block,
    other_block,
    neighbor,
    other_neighbor,
    help_request,
    other_help_request,
    volunteer,
    outsider_volunteer,
    organizer,
    other_organizer,
):
    return {
        "block": (block, other_block),
        "neighbor": (neighbor, other_neighbor),
        "helprequest": (help_request, other_help_request),
        "volunteer": (volunteer, outsider_volunteer),
        "user": (organizer, other_organizer),
    }


CHANGE_URLS = {
    "block": "admin:neighbors_block_change",
    "neighbor": "admin:neighbors_neighbor_change",
    "helprequest": "admin:requests_helprequest_change",
    "volunteer": "admin:volunteers_volunteer_change",
    "user": "admin:users_user_change",
}


@pytest.mark.parametrize("kind", sorted(CHANGE_URLS))
def test_organizer_lists_own_group_objects_only(login, organizer, two_groups, kind):
    ours, theirs = two_groups[kind]
    changelist = CHANGE_URLS[kind].replace("_change", "_changelist")

    response = login(organizer).get(reverse(changelist))

    pks = _changelist_pks(response)
    assert ours.pk in pks
    assert theirs.pk not in pks


@pytest.mark.parametrize("kind", sorted(CHANGE_URLS))
def test_coordinator_lists_both_groups(login, coordinator, two_groups, kind):
    ours, theirs = two_groups[kind]
    changelist = CHANGE_URLS[kind].replace("_change", "_changelist")

    pks = _changelist_pks(login(coordinator).get(reverse(changelist)))

    assert {ours.pk, theirs.pk} <= pks


@pytest.mark.parametrize("kind", sorted(CHANGE_URLS))
def test_other_groups_change_page_redirects_as_if_missing(login, organizer, two_groups, kind):
    _ours, theirs = two_groups[kind]
    client = login(organizer)

    response = client.get(reverse(CHANGE_URLS[kind], args=[theirs.pk]))

    # Django's admin answers a missing object with a warning and a redirect to the index.
    assert response.status_code == 302
    assert response.url == reverse("admin:index")
    page = client.get(response.url).content.decode()
    assert "doesn’t exist" in page or "не существует" in page
    assert str(theirs) not in page


def test_other_groups_history_and_delete_pages_reveal_nothing(login, organizer, other_neighbor):
    client = login(organizer)

    for name in ("admin:neighbors_neighbor_history", "admin:neighbors_neighbor_delete"):
        response = client.get(reverse(name, args=[other_neighbor.pk]))
        assert response.status_code == 302
        assert response.url == reverse("admin:index")


def test_other_groups_help_request_page_shows_no_personal_data(
    login, organizer, other_help_request
):
    response = login(organizer).get(
        reverse("admin:requests_helprequest_change", args=[other_help_request.pk]), follow=True
    )

    page = response.content.decode()
    assert "Чужая Соседка" not in page
    assert other_help_request.code_word not in page
    assert "Чужие продукты" not in page


def test_other_groups_user_password_page_is_404(login, organizer, other_organizer):
    response = login(organizer).get(
        reverse("admin:auth_user_password_change", args=[other_organizer.pk])
    )

    assert response.status_code == 404


def test_posting_to_other_groups_change_url_changes_nothing(login, organizer, other_block):
    response = login(organizer).post(
        reverse("admin:neighbors_block_change", args=[other_block.pk]),
        {"code": "HACK", "address": "x", "entrances": 1, "latitude": 1, "longitude": 1},
    )

    assert response.status_code == 302
    other_block.refresh_from_db()
    assert other_block.code == "O1"


def test_help_request_add_form_offers_own_blocks_and_neighbors_only(
    login, organizer, block, other_block, neighbor, other_neighbor
):
    response = login(organizer).get(reverse("admin:requests_helprequest_add"))

    form = response.context["adminform"].form
    assert list(form.fields["block"].queryset) == [block]
    assert list(form.fields["neighbor"].queryset) == [neighbor]
    page = response.content.decode()
    assert str(other_block.pk) not in page
    assert str(other_neighbor.pk) not in page


def test_volunteer_add_form_offers_own_blocks_and_unprofiled_volunteer_users_only(
    login, organizer, group, other_group, block, other_block, volunteer
):
    ours = factories.UserFactory(username="newbie", group=group)
    theirs = factories.UserFactory(username="stranger", group=other_group)

    form = login(organizer).get(reverse("admin:volunteers_volunteer_add")).context["adminform"].form

    assert list(form.fields["blocks"].queryset) == [block]
    users = set(form.fields["user"].queryset)
    assert ours in users
    assert theirs not in users
    assert volunteer.user not in users  # already has a profile


def test_block_add_form_fixes_the_group_to_the_organizers(login, organizer, group, other_group):
    form = login(organizer).get(reverse("admin:neighbors_block_add")).context["adminform"].form

    assert list(form.fields["group"].queryset) == [group]
    assert form.fields["group"].disabled


def test_organizer_cannot_pick_another_groups_block_by_id(login, organizer, neighbor, other_block):
    response = login(organizer).post(
        reverse("admin:requests_helprequest_add"),
        {
            "neighbor": neighbor.pk,
            "block": other_block.pk,
            "kind": "groceries",
            "urgency": "normal",
            "details": "Хлеб",
            "payment": "cash_on_delivery",
            "source": "phone",
        },
    )

    assert response.status_code == 200
    assert "block" in response.context["adminform"].form.errors
    assert not other_block.help_requests.exists()


def test_list_filter_choices_are_own_groups_blocks(login, organizer, group, block, other_block):
    block2 = factories.BlockFactory(group=group, code="T2")

    response = login(organizer).get(reverse("admin:requests_helprequest_changelist"))

    block_filter = next(
        spec
        for spec in response.context["cl"].filter_specs
        if getattr(spec, "field_path", None) == "block"
    )
    assert {pk for pk, _label in block_filter.lookup_choices} == {block.pk, block2.pk}


def test_volunteer_list_filter_offers_own_blocks_only(login, organizer, group, block, other_block):
    block2 = factories.BlockFactory(group=group, code="T2")

    response = login(organizer).get(reverse("admin:volunteers_volunteer_changelist"))

    spec = next(
        s for s in response.context["cl"].filter_specs if getattr(s, "field_path", None) == "blocks"
    )
    assert {pk for pk, _label in spec.lookup_choices} == {block.pk, block2.pk}


def test_operator_sees_own_groups_requests_only(login, operator, help_request, other_help_request):
    pks = _changelist_pks(login(operator).get(reverse("admin:requests_helprequest_changelist")))

    assert pks == {help_request.pk}


def test_neighbor_is_shown_by_block_and_flat_not_name(neighbor):
    with translation.override("en"):
        assert str(neighbor) == f"T1 flat {neighbor.flat}"
