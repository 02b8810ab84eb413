"""The weekly check-in list: isolated neighbors of my blocks to phone."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from covidarnost import permissions
from neighbors.models import Neighbor
from neighbors.selectors import checkin_list_for_volunteer
from neighbors.services import neighbor_record_contact
from privacy.access_log import record_personal_data_view
from privacy.models import ViewChannel
from volunteers.views import volunteer_page


@volunteer_page
def checkin_list(request, volunteer):
    neighbors = list(checkin_list_for_volunteer(volunteer=volunteer))
    record_personal_data_view(
        viewer=request.user, neighbors=neighbors, channel=ViewChannel.CHECKINS
    )
    return render(
        request,
        "neighbors/checkins.html",
        {"volunteer": volunteer, "nav": "checkins", "neighbors": neighbors},
    )


@require_POST
@volunteer_page
def checkin_done(request, volunteer, pk):
    neighbor = get_object_or_404(permissions.scope(Neighbor.objects.all(), request.user), pk=pk)
    if not permissions.can_check_in(request.user, neighbor):
        # Same answer as a neighbor that does not exist: ids cannot be probed.
        raise Http404
    neighbor_record_contact(neighbor=neighbor, actor=request.user)
    messages.success(request, _("Thank you! The call is recorded."))
    return redirect("neighbors:checkins")
