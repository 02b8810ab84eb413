"""The organizer's desk: what needs doing now, figures and coverage of a group or a network."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from covidarnost import permissions
from desk import charts, maps, selectors
from requests.selectors import times_to_claim

# (attribute of WeekTimes, legend, css class) of each chart's two lines.
CLAIM_SERIES = [
    ("claim_median", _("median"), "median"),
    ("claim_p90", _("90th percentile: 9 in 10 were faster"), "p90"),
]
DELIVERY_SERIES = [
    ("delivery_median", _("median"), "median"),
    ("delivery_p90", _("90th percentile: 9 in 10 were faster"), "p90"),
]


def _forbidden(request):
    return render(request, "desk/forbidden.html", status=403)


def _charts(group_ids, now) -> dict:
    weeks = charts.weekly_times(group_ids=group_ids, now=now)
    return {
        "weeks": weeks,
        "claim_chart": charts.build_chart(weeks, CLAIM_SERIES),
        "delivery_chart": charts.build_chart(weeks, DELIVERY_SERIES),
    }


@login_required
@never_cache
def dashboard(request):
    """Organizers land on their group's desk; coordinators on their network's overview."""
    user = request.user
    if not permissions.can_use_desk(user):
        return _forbidden(request)
    if permissions.is_organizer(user):
        return group_dashboard(request, user.group_id)
    now = timezone.now()
    groups = list(permissions.desk_groups(user).order_by("name"))
    figures = selectors.group_figures(groups=groups, now=now)
    context = {
        "figures": figures,
        "owed_total": sum((f.owed_total for f in figures), start=Decimal("0")),
        "now": now,
        "desk_nav": "dashboard",
        **_charts([g.pk for g in groups], now),
    }
    return render(request, "desk/network.html", context)


@login_required
@never_cache
def group_dashboard(request, pk):
    """One group's desk. Its organizers see today's lines; coordinators figures and coverage."""
    user = request.user
    if not permissions.can_use_desk(user):
        return _forbidden(request)
    group = permissions.get_group_for_desk(user, pk)
    now = timezone.now()
    lines = permissions.can_see_desk_lines(user, group)
    # The groups' times to claim, read once for every "overdue" filter of the page.
    slas = times_to_claim()
    context = {
        "group": group,
        "figures": selectors.group_figures(groups=[group], now=now, slas=slas)[0],
        "coverage": selectors.coverage(group=group, now=now),
        "lines": lines,
        "now": now,
        "desk_nav": "dashboard",
        **_charts([group.pk], now),
    }
    if lines:
        context["work"] = selectors.todays_work(group=group, now=now, slas=slas)
        owed = selectors.reimbursements_owed(group=group)
        context["owed"] = owed
    return render(request, "desk/group.html", context)


@login_required
@never_cache
def own_map(request):
    """An organizer's map of their own group; coordinators pick a group on their desk."""
    if permissions.is_organizer(request.user):
        return group_map(request, request.user.group_id)
    if permissions.can_use_desk(request.user):
        return redirect("desk:dashboard")
    return _forbidden(request)


@login_required
@never_cache
def group_map(request, pk):
    """The group's blocks by open requests and coverage: a list, and a map when tiles are set."""
    if not permissions.can_use_desk(request.user):
        return _forbidden(request)
    group = permissions.get_group_for_desk(request.user, pk)
    blocks = maps.blocks_on_map(group=group)
    tiles = maps.tile_settings()
    context = {
        "group": group,
        "blocks": blocks,
        "tiles": tiles,
        "map_data": maps.map_data(blocks, tiles) if tiles else None,
        "desk_nav": "map",
        "counts": {
            state: sum(1 for b in blocks if b.state == state)
            for state in (maps.UNCOVERED, maps.WAITING, maps.QUIET)
        },
    }
    return render(request, "desk/map.html", context)
