"""The index-driven "nearest volunteers" equals a brute-force great-circle sort (property test).

On SQLite this checks the bounding-box path; with DATABASE_URL on PostgreSQL the GiST KNN path
(the one production uses) is checked as well.
"""

import pytest
from django.db import transaction
from django.db.models import Value
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from covidarnost.geo import haversine_m
from requests.matching import nearest, nearest_bounding_box, nearest_postgres
from users.models import Role, User
from volunteers.models import Volunteer, VolunteerStatus

pytestmark = pytest.mark.django_db

points = st.lists(
    st.tuples(
        st.floats(-0.05, 0.05),  # latitude offset
        st.floats(-0.1, 0.1),  # longitude offset
        st.one_of(st.none(), st.floats(0.3, 5.0)),  # the volunteer's own radius, km
    ),
    min_size=0,
    max_size=60,
)
scenario = {
    "center_lat": st.floats(-70, 70),
    "center_lon": st.floats(-179, 179),
    "offsets": points,
    "radius_km": st.floats(0.5, 6),
    "limit": st.integers(1, 25),
}
RUNS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


class Rollback(Exception):
    pass


def _seed(group, center_lat, center_lon, offsets):
    users = User.objects.bulk_create(
        User(username=f"p{index}", group=group, role=Role.VOLUNTEER)
        for index in range(len(offsets))
    )
    Volunteer.objects.bulk_create(
        Volunteer(
            user=user,
            status=VolunteerStatus.VERIFIED,
            verified_at="2024-01-01T00:00:00Z",
            base_latitude=center_lat + dlat,
            base_longitude=center_lon + dlon,
            radius_km=None if own is None else round(own, 2),
        )
        for user, (dlat, dlon, own) in zip(users, offsets, strict=True)
    )


def _brute_force(center_lat, center_lon, radius_m, limit):
    found = []
    for volunteer in Volunteer.objects.all():
        distance = haversine_m(
            center_lat, center_lon, volunteer.base_latitude, volunteer.base_longitude
        )
        own = volunteer.radius_km
        if distance <= radius_m and (own is None or distance <= float(own) * 1000):
            found.append((distance, str(volunteer.pk)))
    return [pk for _distance, pk in sorted(found)[:limit]]


def _check(finder, group, center_lat, center_lon, offsets, radius_km, limit):
    try:
        with transaction.atomic():
            _seed(group, center_lat, center_lon, offsets)
            queryset = Volunteer.objects.filter(
                status=VolunteerStatus.VERIFIED, is_available=True
            ).annotate(open_tasks=Value(0))
            got = finder(
                queryset,
                latitude=center_lat,
                longitude=center_lon,
                radius_m=radius_km * 1000,
                limit=limit,
            )
            expected = _brute_force(center_lat, center_lon, radius_km * 1000, limit)
            assert [str(row["pk"]) for _distance, row in got] == expected
            raise Rollback
    except Rollback:
        pass


@RUNS
@given(**scenario)
def test_nearest_equals_brute_force(group, center_lat, center_lon, offsets, radius_km, limit):
    _check(nearest, group, center_lat, center_lon, offsets, radius_km, limit)


@RUNS
@given(**scenario)
def test_bounding_box_path_equals_brute_force(
    group, center_lat, center_lon, offsets, radius_km, limit
):
    _check(nearest_bounding_box, group, center_lat, center_lon, offsets, radius_km, limit)


@pytest.mark.postgres
@RUNS
@given(**scenario)
def test_gist_knn_path_equals_brute_force(group, center_lat, center_lon, offsets, radius_km, limit):
    _check(nearest_postgres, group, center_lat, center_lon, offsets, radius_km, limit)


@pytest.mark.postgres
def test_gist_knn_fetches_more_when_many_nearby_are_out_of_their_own_radius(group):
    # The 30 nearest in planar order only go 100 m: the loop must fetch past them.
    offsets = [(0.0001 * index, 0, 0.1) for index in range(1, 31)] + [(0.01, 0.0, None)]
    _check(nearest_postgres, group, 59.9, 30.3, offsets, 3, 1)
