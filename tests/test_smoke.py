import pytest

from requests.services import help_request_claim


@pytest.mark.django_db
def test_volunteer_claims_open_request(help_request, volunteer):
    help_request_claim(help_request=help_request, volunteer=volunteer)
    assert help_request.status == "claimed"
    assert help_request.volunteer == volunteer
