"""Request kinds as data: built-ins for every group, a group's own kinds, labels, validation."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from requests.exceptions import NotAllowed
from requests.kinds import kind_choices, kind_label
from requests.models import Kind, RequestKind, Skill
from requests.services import help_request_create, request_kind_save
from tests import factories

pytestmark = pytest.mark.django_db

BUILT_IN_OFFERED = [
    "groceries",
    "medicine",
    "prescription",
    "errand",
    "legal",
    "psychological",
    "other",
]


@pytest.fixture
def parcel(group):
    return RequestKind.objects.create(
        group=group, slug="parcel", name="Передача в СИЗО", home_visit=False, position=55
    )


@pytest.fixture
def other_parcel(other_group):
    return RequestKind.objects.create(group=other_group, slug="housing", name="Ночлег")


def test_built_ins_come_from_the_old_kinds_and_the_joint_consultation_is_retired(group):
    assert [slug for slug, _label in kind_choices(group)] == BUILT_IN_OFFERED
    old = RequestKind.objects.get(group=None, slug=Kind.CONSULTATION)
    assert (old.is_active, old.skill) == (False, Skill.ANY_CONSULTATION)
    assert set(Kind.values) == set(
        RequestKind.objects.filter(group=None).values_list("slug", flat=True)
    )


def test_a_group_offers_its_own_kinds_besides_the_built_ins_not_others(
    group, other_group, parcel, other_parcel
):
    slugs = [slug for slug, _label in kind_choices(group)]
    assert slugs == [*BUILT_IN_OFFERED[:5], "parcel", *BUILT_IN_OFFERED[5:]]
    assert "housing" not in slugs
    assert "parcel" not in [slug for slug, _label in kind_choices(other_group)]
    parcel.is_active = False
    parcel.save()
    assert "parcel" not in [slug for slug, _label in kind_choices(group)]


def test_built_in_names_are_translated_and_a_groups_own_shown_as_typed(group, parcel):
    with translation.override("ru"):
        assert dict(kind_choices(group))["groceries"] == "Продукты"
        assert kind_label("groceries", group) == "Продукты"
        assert kind_label("parcel", group) == "Передача в СИЗО"
    with translation.override("en"):
        assert kind_label("groceries", group) == "Groceries"
    # A request of a retired kind keeps its name.
    with translation.override("en"):
        assert kind_label(Kind.CONSULTATION, group) == "Consultation callback"


def test_a_renamed_kind_shows_its_new_name(group, neighbor, parcel, operator):
    help_request, _created = help_request_create(
        created_by=operator,
        block=neighbor.block,
        neighbor=neighbor,
        kind="parcel",
        details="Тёплые вещи",
        source="phone",
    )
    assert help_request.get_kind_display() == "Передача в СИЗО"
    parcel.name = "Посылка в колонию"
    parcel.save()
    assert help_request.get_kind_display() == "Посылка в колонию"


def test_create_accepts_the_groups_own_kind(operator, neighbor, parcel):
    help_request, created = help_request_create(
        created_by=operator,
        block=neighbor.block,
        neighbor=neighbor,
        kind="parcel",
        details="Передача",
        source="phone",
    )
    assert created and help_request.kind == "parcel"


@pytest.mark.parametrize("slug", ["housing", "consultation", "weapons"])
def test_create_refuses_a_kind_the_group_does_not_offer(operator, neighbor, other_parcel, slug):
    with pytest.raises(ValidationError) as error:
        help_request_create(
            created_by=operator,
            block=neighbor.block,
            neighbor=neighbor,
            kind=slug,
            details="…",
            source="phone",
        )
    assert "kind" in error.value.message_dict


def test_existing_requests_keep_their_kind(neighbor):
    old = factories.HelpRequestFactory(neighbor=neighbor, kind=Kind.CONSULTATION)
    old.refresh_from_db()
    assert old.kind == "consultation"


# --- The service ------------------------------------------------------------------------


def test_organizer_saves_a_kind_of_their_group_only(organizer, other_group):
    kind = request_kind_save(
        kind=RequestKind(group=organizer.group, slug="letter", name="Письмо"), actor=organizer
    )
    assert kind.pk
    with pytest.raises(NotAllowed):
        request_kind_save(
            kind=RequestKind(group=other_group, slug="letter", name="Письмо"), actor=organizer
        )
    with pytest.raises(NotAllowed):
        request_kind_save(kind=RequestKind(slug="letter2", name="Письмо"), actor=organizer)


def test_operator_cannot_save_kinds(operator):
    with pytest.raises(NotAllowed):
        request_kind_save(
            kind=RequestKind(group=operator.group, slug="letter", name="Письмо"), actor=operator
        )


def test_a_kind_cannot_take_a_built_in_slug_nor_change_its_slug(organizer, parcel):
    with pytest.raises(ValidationError) as error:
        request_kind_save(
            kind=RequestKind(group=organizer.group, slug="groceries", name="Еда"),
            actor=organizer,
        )
    assert "slug" in error.value.message_dict
    parcel.slug = "parcel2"
    with pytest.raises(ValidationError):
        request_kind_save(kind=parcel, actor=organizer)


# --- The admin: per role ------------------------------------------------------------------

CHANGELIST = "admin:requests_requestkind_changelist"


def test_organizer_adds_a_kind_for_their_group(login, organizer, other_group):
    client = login(organizer)
    response = client.post(
        reverse("admin:requests_requestkind_add"),
        {
            "group": other_group.pk,  # ignored: fixed to the organizer's group
            "slug": "housing",
            "name": "Ночлег",
            "skill": "none",
            "position": 90,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    kind = RequestKind.objects.get(slug="housing")
    assert kind.group_id == organizer.group_id and kind.home_visit is False


def test_organizer_sees_only_their_groups_kinds(login, organizer, parcel, other_parcel):
    client = login(organizer)
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    shown = {kind.slug for kind in response.context["cl"].result_list}
    assert shown == {"parcel"}
    change = reverse("admin:requests_requestkind_change", args=[other_parcel.pk])
    assert client.get(change).status_code in (302, 404)
    builtin = RequestKind.objects.get(group=None, slug="groceries")
    response = client.get(reverse("admin:requests_requestkind_change", args=[builtin.pk]))
    assert response.status_code in (302, 404)


def test_operator_and_volunteer_have_no_kind_admin(login, operator, volunteer):
    assert login(operator).get(reverse(CHANGELIST)).status_code == 403
    assert login(volunteer.user).get(reverse(CHANGELIST)).status_code == 302


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_coordinator_sees_the_built_ins(login, coordinator):
    response = login(coordinator).get(reverse(CHANGELIST))
    assert response.status_code == 200
    assert "groceries" in {kind.slug for kind in response.context["cl"].result_list}


def test_kind_changelist_queries_do_not_grow(
    login, organizer, group, django_assert_max_num_queries
):
    for n in range(20):
        RequestKind.objects.create(group=group, slug=f"k{n}", name=f"Вид {n}")
    client = login(organizer)
    with django_assert_max_num_queries(8):
        assert client.get(reverse(CHANGELIST)).status_code == 200


def test_help_request_admin_offers_the_groups_kinds(login, operator, parcel, other_parcel):
    response = login(operator).get(reverse("admin:requests_helprequest_add"))
    choices = dict(response.context["adminform"].form.fields["kind"].choices)
    assert "parcel" in choices and "housing" not in choices and "consultation" not in choices


# --- API --------------------------------------------------------------------------------


def _api_payload(block, kind):
    return {
        "block": str(block.pk),
        "kind": kind,
        "details": "Передача",
        "source": "phone",
        "neighbor": {"name": "Иванова Мария", "flat": "12"},
    }


def test_api_creates_a_request_of_the_groups_own_kind(operator, block, parcel):
    from tests.api.conftest import token_client

    response = token_client(operator).post(
        "/api/v1/requests/", _api_payload(block, "parcel"), format="json"
    )
    assert response.status_code == 201
    assert response.json()["kind"] == "parcel"
    assert response.json()["kind_name"] == "Передача в СИЗО"


@pytest.mark.parametrize("slug", ["housing", "consultation"])
def test_api_refuses_a_kind_the_group_does_not_offer(operator, block, other_parcel, slug):
    from tests.api.conftest import token_client

    response = token_client(operator).post(
        "/api/v1/requests/", _api_payload(block, slug), format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["kind"]


def test_schema_documents_kind_as_a_string_with_the_built_in_slugs(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    schemas = response.json()["components"]["schemas"]
    name = next(name for name in schemas if name.startswith("RequestInput"))
    kind = schemas[name]["properties"]["kind"]
    assert kind["type"] == "string" and "groceries" in kind["description"]
    assert "kind_name" in schemas["TaskOutput"]["properties"]
