"""/offers/<id>/claim/ and /offers/<id>/decline/: the links in an offer notification."""

from datetime import timedelta

import pytest
from django.utils import timezone

from requests.models import Offer, OfferStatus, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer(help_request, volunteer):
    return Offer.objects.create(
        help_request=help_request,
        volunteer=volunteer,
        rank=1,
        short_code="123456",
        reason="same block",
        expires_at=timezone.now() + timedelta(minutes=15),
    )


def _urls(offer):
    return f"/offers/{offer.pk}/claim/", f"/offers/{offer.pk}/decline/"


def test_get_shows_a_confirmation_and_changes_nothing(
    client, offer, volunteer, django_assert_max_num_queries
):
    client.force_login(volunteer.user)
    claim, decline = _urls(offer)
    with django_assert_max_num_queries(8):
        response = client.get(claim)
    assert response.status_code == 200
    assert offer.help_request.short_id in response.content.decode()
    assert offer.help_request.neighbor.name not in response.content.decode()
    assert client.get(decline).status_code == 200
    offer.refresh_from_db()
    assert offer.status == OfferStatus.PENDING


def test_post_claim_takes_the_task_and_redirects_to_it(client, offer, volunteer, help_request):
    client.force_login(volunteer.user)
    response = client.post(_urls(offer)[0])
    assert response.status_code == 302
    assert response["Location"] == f"/tasks/{help_request.pk}/"
    help_request.refresh_from_db()
    assert help_request.status == Status.CLAIMED
    assert help_request.volunteer == volunteer


def test_post_claim_of_a_taken_task_says_so(
    client, offer, volunteer, second_volunteer, help_request
):
    from requests.services import help_request_claim

    help_request_claim(help_request=help_request, volunteer=second_volunteer)
    client.force_login(volunteer.user)
    response = client.post(_urls(offer)[0], follow=True)
    assert response.redirect_chain[0][0] == "/tasks/"
    help_request.refresh_from_db()
    assert help_request.volunteer == second_volunteer


def test_post_decline_declines(client, offer, volunteer):
    client.force_login(volunteer.user)
    response = client.post(_urls(offer)[1])
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.status == OfferStatus.DECLINED


@pytest.mark.parametrize(
    "who", ["second_volunteer", "outsider_volunteer", "pending_volunteer", "organizer", "operator"]
)
def test_anyone_but_the_offered_volunteer_gets_404(client, offer, who, request):
    user = request.getfixturevalue(who)
    client.force_login(getattr(user, "user", user))
    claim, decline = _urls(offer)
    assert client.get(claim).status_code == 404
    assert client.post(claim).status_code == 404
    assert client.post(decline).status_code == 404
    offer.refresh_from_db()
    assert offer.status == OfferStatus.PENDING


def test_anonymous_is_sent_to_sign_in(client, offer):
    response = client.get(_urls(offer)[0])
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_malformed_or_unknown_offer_is_404(client, volunteer):
    client.force_login(volunteer.user)
    assert client.get("/offers/00000000-0000-0000-0000-000000000000/claim/").status_code == 404
