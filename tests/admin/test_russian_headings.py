"""The admin's headings decline the model's name as Russian does: "Добавить заявку", not
"Добавить заявка"."""

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import translation

from covidarnost.admin_scoping import GroupScopedAdminMixin

pytestmark = pytest.mark.django_db
RU = {"HTTP_ACCEPT_LANGUAGE": "ru"}


def test_request_list_add_and_change_pages_read_grammatically(login, organizer, help_request):
    client = login(organizer)

    listing = client.get(reverse("admin:requests_helprequest_changelist"), **RU)
    adding = client.get(reverse("admin:requests_helprequest_add"), **RU)
    changing = client.get(
        reverse("admin:requests_helprequest_change", args=[help_request.pk]), **RU
    )

    assert listing.context["title"] == "Выберите заявку для изменения"
    assert "Добавить заявку" in listing.content.decode()
    assert adding.context["title"] == "Добавить заявку"
    assert changing.context["title"] == "Изменить заявку"
    for response in (listing, adding, changing):
        assert "заявка для" not in response.content.decode()
        assert "Добавить заявка" not in response.content.decode()


@pytest.mark.parametrize(
    "url, title",
    [
        ("admin:neighbors_neighbor_add", "Добавить жителя"),
        ("admin:volunteers_volunteer_changelist", "Выберите волонтёра для изменения"),
        ("admin:users_user_add", "Добавить пользователя"),
        ("admin:requests_requestevent_changelist", "Выберите событие заявки для просмотра"),
    ],
)
def test_other_models_read_grammatically_too(login, organizer, url, title):
    assert login(organizer).get(reverse(url), **RU).context["title"] == title


def test_every_project_admin_declines_its_model():
    missing = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, GroupScopedAdminMixin) and not model_admin.accusative_name
    ]
    assert missing == []


def test_english_headings_are_unchanged(login, organizer):
    with translation.override("en"):
        response = login(organizer).get(
            reverse("admin:requests_helprequest_add"), HTTP_ACCEPT_LANGUAGE="en"
        )
    assert response.context["title"] == "Add help request"
