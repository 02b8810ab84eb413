"""Sign in with a phone number or username; sign out with a POST form."""

import pytest

from tests.volunteers.conftest import page_text


@pytest.fixture
def phone_volunteer(volunteer):
    volunteer.user.phone = "+79217654321"
    volunteer.user.save()
    return volunteer


def test_login_page_labels_the_field_phone_or_username(client, db):
    text = page_text(client.get("/accounts/login/"))
    assert '<label for="id_username">Phone number or username:</label>' in text
    assert '<label for="id_password">Password:</label>' in text
    assert 'href="/accounts/password/forgot/"' in text


@pytest.mark.parametrize("login", ["volunteer1", "8 921 765-43-21", "+7 (921) 765 43 21"])
def test_volunteer_signs_in_with_username_or_phone(client, phone_volunteer, login):
    response = client.post(
        "/accounts/login/", {"username": login, "password": "pass-Word-123"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/tasks/"
    assert response.context["user"] == phone_volunteer.user


def test_wrong_password_says_so_without_an_error_page(client, phone_volunteer):
    response = client.post("/accounts/login/", {"username": "volunteer1", "password": "nope"})
    assert response.status_code == 200
    assert "The phone number, username or password is wrong." in page_text(response)
    assert "_auth_user_id" not in client.session


def test_sign_out_is_a_post_form_on_every_page(volunteer_client):
    text = page_text(volunteer_client.get("/tasks/"))
    assert '<form method="post" action="/accounts/logout/"' in text
    response = volunteer_client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert volunteer_client.get("/tasks/").status_code == 302


def test_signed_in_volunteer_skips_the_login_page(volunteer_client):
    assert volunteer_client.get("/accounts/login/")["Location"] == "/tasks/"
