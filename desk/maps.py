"""The map of a group's blocks: each block's open requests and whether a volunteer covers it."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q

from neighbors.models import Block, Group
from requests.models import Status
from volunteers.models import Volunteer, VolunteerStatus

# A block's state, worst first: the map colours it, and says it in words and shape too.
UNCOVERED, WAITING, QUIET = "uncovered", "waiting", "quiet"


@dataclass
class BlockOnMap:
    id: str
    code: str
    address: str
    latitude: float
    longitude: float
    open_requests: int
    covered: bool

    @property
    def state(self) -> str:
        if not self.covered:
            return UNCOVERED
        return WAITING if self.open_requests else QUIET


def blocks_on_map(*, group: Group) -> list[BlockOnMap]:
    """Every block of the group with its open requests and coverage. One query."""
    covering = Volunteer.objects.filter(
        blocks=OuterRef("pk"), status=VolunteerStatus.VERIFIED, user__is_active=True
    )
    rows = (
        Block.objects.filter(group=group)
        .annotate(
            open_requests=Count("help_requests", filter=Q(help_requests__status=Status.OPEN)),
            covered=Exists(covering),
        )
        .order_by("code")
        .values("id", "code", "address", "latitude", "longitude", "open_requests", "covered")
    )
    return [BlockOnMap(**{**row, "id": str(row["id"])}) for row in rows]


def tile_settings() -> dict | None:
    """The tile server the organizers chose (settings.MAP_TILES), or None: no map, a list."""
    url = settings.MAP_TILES["URL"]
    if not url:
        return None
    return {
        "url": url,
        "attribution": settings.MAP_TILES["ATTRIBUTION"],
        "max_zoom": settings.MAP_TILES["MAX_ZOOM"],
    }


def map_data(blocks: list[BlockOnMap], tiles: dict) -> dict:
    """What static/js/desk-map.js draws; read from a json_script element, never inline JS."""
    return {
        "tiles": tiles,
        "blocks": [
            {
                "code": b.code,
                "address": b.address,
                "lat": b.latitude,
                "lon": b.longitude,
                "open": b.open_requests,
                "state": b.state,
            }
            for b in blocks
        ],
    }
