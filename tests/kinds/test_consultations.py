"""Legal and psychological consultations: only volunteers who give them see, get offered or
claim them; their notes stay between the consultant holding it and the organizers.
"""

import pytest
from django.urls import reverse

from requests.exceptions import NotAllowed
from requests.matching import rank_candidates
from requests.models import Kind, RequestKind, Skill, Status
from requests.services import help_request_claim, help_request_release
from tests import factories
from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db

NOTES = "Не приходит пенсия второй месяц"
NEAR = {"base_latitude": 59.990, "base_longitude": 30.305}


@pytest.fixture
def lawyer(group, block):
    profile = factories.VolunteerFactory(
        user__username="lawyer", user__group=group, does_legal_consultation=True, **NEAR
    )
    profile.blocks.add(block)
    return profile


@pytest.fixture
def psychologist(group, block):
    profile = factories.VolunteerFactory(
        user__username="psychologist",
        user__group=group,
        does_psychological_consultation=True,
        **NEAR,
    )
    profile.blocks.add(block)
    return profile


@pytest.fixture
def legal(neighbor):
    return factories.HelpRequestFactory(
        neighbor=neighbor, kind=Kind.LEGAL_CONSULTATION, details=NOTES
    )


def _web(client, user):
    client.force_login(user)
    return client


# --- Seeing and claiming: web -------------------------------------------------------------


def test_web_list_shows_a_consultation_only_to_who_gives_it(
    client, legal, volunteer, lawyer, psychologist
):
    for profile, shown in ((volunteer, False), (lawyer, True), (psychologist, False)):
        page = _web(client, profile.user).get("/tasks/").content.decode()
        assert (f"/tasks/{legal.pk}/" in page) is shown, profile.user.username


def test_web_filter_offers_consultation_kinds_only_to_consultants(client, volunteer, lawyer):
    choices = dict(
        _web(client, volunteer.user).get("/tasks/").context["filter_form"].fields["kind"].choices
    )
    assert "legal" not in choices and "psychological" not in choices
    choices = dict(
        _web(client, lawyer.user).get("/tasks/").context["filter_form"].fields["kind"].choices
    )
    assert "legal" in choices and "psychological" not in choices


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("volunteer", 404),
        ("psychologist", 404),
        ("lawyer", 200),
        ("outsider_volunteer", 404),
        ("operator", 403),
        ("organizer", 403),
    ],
)
def test_web_task_page_per_role(client, request, legal, who, expected):
    user = request.getfixturevalue(who)
    response = _web(client, getattr(user, "user", user)).get(f"/tasks/{legal.pk}/")
    assert response.status_code == expected


def test_web_task_page_anonymous_signs_in(client, legal):
    response = client.get(f"/tasks/{legal.pk}/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_web_claim_without_the_skill_is_refused(client, legal, volunteer):
    response = _web(client, volunteer.user).post(f"/tasks/{legal.pk}/claim/", follow=True)
    assert response.status_code == 200
    legal.refresh_from_db()
    assert legal.status == Status.OPEN and legal.volunteer_id is None


def test_web_claim_by_the_consultant_shows_the_notes(client, legal, lawyer):
    _web(client, lawyer.user)
    before = client.get(f"/tasks/{legal.pk}/").content.decode()
    assert NOTES not in before
    client.post(f"/tasks/{legal.pk}/claim/")
    legal.refresh_from_db()
    assert legal.volunteer_id == lawyer.pk
    assert NOTES in client.get(f"/tasks/{legal.pk}/").content.decode()


def test_service_refuses_a_claim_without_the_skill(legal, volunteer, psychologist):
    for profile in (volunteer, psychologist):
        with pytest.raises(NotAllowed):
            help_request_claim(help_request=legal, volunteer=profile)


def test_the_old_joint_consultation_is_for_either_consultant(neighbor, volunteer, psychologist):
    old = factories.HelpRequestFactory(neighbor=neighbor, kind=Kind.CONSULTATION)
    with pytest.raises(NotAllowed):
        help_request_claim(help_request=old, volunteer=volunteer)
    assert help_request_claim(help_request=old, volunteer=psychologist).status == Status.CLAIMED


def test_a_groups_own_kind_needing_a_skill_is_restricted_too(group, neighbor, volunteer, lawyer):
    RequestKind.objects.create(group=group, slug="court", name="Суд", skill=Skill.LEGAL)
    court = factories.HelpRequestFactory(neighbor=neighbor, kind="court")
    with pytest.raises(NotAllowed):
        help_request_claim(help_request=court, volunteer=volunteer)
    assert help_request_claim(help_request=court, volunteer=lawyer).volunteer_id == lawyer.pk


# --- API ---------------------------------------------------------------------------------


def test_api_list_and_detail_only_for_the_consultant(legal, volunteer, lawyer):
    plain = token_client(volunteer.user)
    assert str(legal.pk) not in plain.get("/api/v1/tasks/").content.decode()
    assert plain.get(f"/api/v1/tasks/{legal.pk}/").status_code == 404
    consultant = token_client(lawyer.user)
    listed = consultant.get("/api/v1/tasks/").json()["results"]
    assert [task["id"] for task in listed] == [str(legal.pk)]
    # Open: listed, but its notes are for the consultant who takes it.
    assert listed[0]["details"] == "" and listed[0]["kind"] == "legal"
    assert consultant.get(f"/api/v1/tasks/{legal.pk}/").json()["details"] == ""


def test_api_claim_without_the_skill_is_404_with_it_200(legal, volunteer, lawyer):
    assert token_client(volunteer.user).post(f"/api/v1/tasks/{legal.pk}/claim/").status_code == 404
    legal.refresh_from_db()
    assert legal.status == Status.OPEN
    response = token_client(lawyer.user).post(f"/api/v1/tasks/{legal.pk}/claim/")
    assert response.status_code == 200
    assert response.json()["details"] == NOTES


def test_api_unknown_or_hidden_kind_filter_is_400(volunteer):
    response = token_client(volunteer.user).get("/api/v1/tasks/", {"kind": "legal"})
    assert response.status_code == 400 and "kind" in response.json()


@pytest.mark.parametrize(("who", "sees_notes"), [("organizer", True), ("operator", False)])
def test_api_request_detail_notes_for_organizers_not_operators(legal, request, who, sees_notes):
    response = token_client(request.getfixturevalue(who)).get(f"/api/v1/requests/{legal.pk}/")
    assert response.status_code == 200
    assert (response.json()["details"] == NOTES) is sees_notes


def test_api_request_detail_of_an_ordinary_kind_shows_operators_the_details(help_request, operator):
    response = token_client(operator).get(f"/api/v1/requests/{help_request.pk}/")
    assert response.json()["details"] == help_request.details


# --- Matching ----------------------------------------------------------------------------


def test_offers_go_only_to_volunteers_with_the_skill(neighbor, volunteer, lawyer, psychologist):
    legal = factories.HelpRequestFactory(neighbor=neighbor, kind=Kind.LEGAL_CONSULTATION)
    psychological = factories.HelpRequestFactory(
        neighbor=neighbor, kind=Kind.PSYCHOLOGICAL_CONSULTATION
    )
    old = factories.HelpRequestFactory(neighbor=neighbor, kind=Kind.CONSULTATION)
    assert [c.volunteer_id for c in rank_candidates(legal)] == [lawyer.pk]
    assert [c.volunteer_id for c in rank_candidates(psychological)] == [psychologist.pk]
    assert {c.volunteer_id for c in rank_candidates(old)} == {lawyer.pk, psychologist.pk}
    groceries = factories.HelpRequestFactory(neighbor=neighbor, kind=Kind.GROCERIES)
    assert {c.volunteer_id for c in rank_candidates(groceries)} == {
        volunteer.pk,
        lawyer.pk,
        psychologist.pk,
    }


# --- Admin: notes and events' notes -------------------------------------------------------


def test_admin_hides_consultation_notes_from_operators(client, legal, lawyer, operator, organizer):
    help_request_claim(help_request=legal, volunteer=lawyer)
    help_request_release(help_request=legal, volunteer=lawyer, reason="Нужен другой юрист")
    url = reverse("admin:requests_helprequest_change", args=[legal.pk])
    page = _web(client, operator).get(url).content.decode()
    assert NOTES not in page and "Нужен другой юрист" not in page
    page = _web(client, organizer).get(url).content.decode()
    assert NOTES in page and "Нужен другой юрист" in page


def test_admin_operator_search_does_not_read_consultation_notes(client, legal, operator):
    url = reverse("admin:requests_helprequest_changelist")
    response = _web(client, operator).get(url, {"q": "пенсия"})
    assert response.context["cl"].result_count == 0


@pytest.mark.parametrize(("who", "sees_notes"), [("organizer", True), ("operator", False)])
def test_intake_request_page_shows_consultation_notes_to_organizers_only(
    client, legal, request, who, sees_notes
):
    page = _web(client, request.getfixturevalue(who)).get(f"/intake/requests/{legal.pk}/")
    assert page.status_code == 200
    assert (NOTES in page.content.decode()) is sees_notes
