"""Who is eligible for an offer, and in which order, with the reason organizers see."""

import pytest
from django.utils import translation

from requests.matching import rank_candidates
from requests.models import Kind, Offer, OfferStatus, Status
from tests import factories
from volunteers.models import VolunteerStatus

pytestmark = pytest.mark.django_db

# Block T1 of the fixtures is near (59.985.., 30.300..); one degree of latitude is ~111 km.
NEAR = {"base_latitude": 59.990, "base_longitude": 30.305}


def _volunteer(group, **kwargs):
    return factories.VolunteerFactory(user__group=group, **{**NEAR, **kwargs})


def _ids(candidates):
    return [candidate.volunteer_id for candidate in candidates]


def test_only_eligible_volunteers_of_the_group_are_candidates(
    group, other_group, help_request, volunteer
):
    eligible = _volunteer(group)
    _volunteer(group, status=VolunteerStatus.PAUSED)
    _volunteer(group, status=VolunteerStatus.PENDING, verified_at=None)
    _volunteer(group, is_available=False)
    _volunteer(other_group)
    inactive = _volunteer(group)
    inactive.user.is_active = False
    inactive.user.save()
    full = _volunteer(group, max_open_tasks=1)
    factories.HelpRequestFactory(
        neighbor=factories.NeighborFactory(block=help_request.block),
        status=Status.CLAIMED,
        volunteer=full,
    )

    assert sorted(map(str, _ids(rank_candidates(help_request)))) == sorted(
        [str(volunteer.pk), str(eligible.pk)]
    )


def test_volunteers_who_declined_or_let_the_offer_expire_are_skipped(
    group, help_request, volunteer
):
    declined = _volunteer(group)
    expired = _volunteer(group)
    for who, status in ((declined, OfferStatus.DECLINED), (expired, OfferStatus.EXPIRED)):
        Offer.objects.create(
            help_request=help_request,
            volunteer=who,
            rank=1,
            short_code="1",
            status=status,
            expires_at=help_request.created_at,
        )

    assert _ids(rank_candidates(help_request)) == [volunteer.pk]


def test_consultation_needs_a_volunteer_who_consults(group, neighbor, volunteer):
    lawyer = _volunteer(group, does_legal_consultation=True)
    consultation = factories.HelpRequestFactory(neighbor=neighbor, kind=Kind.CONSULTATION)

    assert _ids(rank_candidates(consultation)) == [lawyer.pk]


def test_block_volunteers_first_then_previous_helper_then_nearest(group, neighbor, block):
    far_on_block = _volunteer(group, base_latitude=60.010, base_longitude=30.300)
    far_on_block.blocks.add(block)
    helper = _volunteer(group, base_latitude=60.005, base_longitude=30.300)
    factories.HelpRequestFactory(
        neighbor=neighbor,
        status=Status.DELIVERED,
        volunteer=helper,
        delivered_at=neighbor.created_at,
    )
    nearest = _volunteer(group, base_latitude=block.latitude, base_longitude=block.longitude)
    further = _volunteer(
        group, base_latitude=block.latitude + 0.005, base_longitude=block.longitude
    )
    help_request = factories.HelpRequestFactory(neighbor=neighbor)

    with translation.override("en"):
        candidates = rank_candidates(help_request)
        assert _ids(candidates) == [far_on_block.pk, helper.pk, nearest.pk, further.pk]
        assert candidates[0].reason.startswith("same block · ")
        assert candidates[1].reason.startswith("helped this neighbour before · ")
        assert candidates[2].reason == "0.0 km, 0 open tasks"
        assert candidates[3].reason == "0.6 km, 0 open tasks"


def test_radius_of_group_and_of_volunteer_limit_nearby_candidates(group, help_request, block):
    group.match_radius_km = 2
    group.save()
    inside = _volunteer(group, base_latitude=block.latitude + 0.015, base_longitude=block.longitude)
    _volunteer(group, base_latitude=block.latitude + 0.02, base_longitude=block.longitude)  # 2.2 km
    _volunteer(
        group,
        base_latitude=block.latitude + 0.01,
        base_longitude=block.longitude,
        radius_km=1,
    )  # 1.1 km, further than they go

    assert _ids(rank_candidates(help_request)) == [inside.pk]


def test_workload_skill_and_language_raise_the_score(group, block):
    neighbor = factories.NeighborFactory(block=block, language="uz")
    medicine = factories.HelpRequestFactory(neighbor=neighbor, kind=Kind.MEDICINE)
    same_place = {"base_latitude": block.latitude, "base_longitude": block.longitude}
    busy = _volunteer(group, does_pharmacy=False, **same_place)
    factories.HelpRequestFactory(neighbor=neighbor, status=Status.CLAIMED, volunteer=busy)
    idle = _volunteer(group, does_pharmacy=False, **same_place)
    pharmacist = _volunteer(group, does_pharmacy=True, **same_place)
    speaks = _volunteer(group, does_pharmacy=True, languages="ru, uz", **same_place)

    with translation.override("en"):
        candidates = rank_candidates(medicine)
        assert _ids(candidates) == [speaks.pk, pharmacist.pk, idle.pk, busy.pk]
        assert candidates[0].reason == "0.0 km, 0 open tasks · pharmacy · speaks uz"
        assert candidates[3].reason == "0.0 km, 1 open tasks"


def test_weights_come_from_settings(group, block, settings):
    settings.MATCHING = {
        **settings.MATCHING,
        "WEIGHTS": {"DISTANCE_KM": 0.0, "WORKLOAD": 0.0, "SKILL": 0.0, "LANGUAGE": 5.0},
    }
    neighbor = factories.NeighborFactory(block=block, language="uz")
    help_request = factories.HelpRequestFactory(neighbor=neighbor)
    near = _volunteer(group, base_latitude=block.latitude, base_longitude=block.longitude)
    far_speaker = _volunteer(
        group, base_latitude=block.latitude + 0.02, base_longitude=block.longitude, languages="uz"
    )

    assert _ids(rank_candidates(help_request)) == [far_speaker.pk, near.pk]


def test_candidate_computation_takes_a_fixed_number_of_queries(
    group, help_request, django_assert_max_num_queries
):
    for index in range(30):
        _volunteer(group, base_latitude=59.985 + index * 0.0005)
    help_request = (
        type(help_request)
        .objects.select_related("block__group", "neighbor")
        .get(pk=help_request.pk)
    )
    # Whatever the number of volunteers: the kinds, the volunteer who takes a recurring
    # request first, and the candidates (one statement on PostgreSQL; on SQLite the block's
    # volunteers, the previous helper and the nearest).
    with django_assert_max_num_queries(5):
        candidates = rank_candidates(help_request)
    assert len(candidates) == 20
