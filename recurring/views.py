"""/intake/recurring/<id>/: a recurring request's schedule and its last occurrences, with
pause, resume and stop. Operators and organizers of the group; 404 for everyone else. The
intake desk links here.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from covidarnost import permissions
from privacy.access_log import record_personal_data_view
from privacy.models import ViewChannel
from recurring import services
from requests.exceptions import RequestError
from requests.kinds import kind_label

RECENT = 5
ACTIONS = {
    "pause": (services.recurring_request_pause, _("Paused: no new requests until resumed.")),
    "resume": (services.recurring_request_resume, _("Resumed from the next due day.")),
    "stop": (services.recurring_request_stop, _("Stopped: no more requests.")),
}


@login_required
@never_cache
def recurring_page(request, pk):
    recurring = permissions.get_recurring_for_desk(request.user, pk)
    if request.method == "POST":
        action = ACTIONS.get(request.POST.get("action", ""))
        if action is None:
            messages.error(request, _("Unknown action."))
        else:
            service, done = action
            try:
                service(recurring=recurring, actor=request.user)
            except RequestError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, str(done))
        return redirect("recurring:detail", pk=recurring.pk)
    occurrences = recurring.occurrences.select_related("help_request")[:RECENT]
    record_personal_data_view(
        viewer=request.user,
        neighbors=[recurring.neighbor],
        channel=ViewChannel.INTAKE,
        group_id=recurring.block.group_id,
    )
    return render(
        request,
        "recurring/detail.html",
        {
            "recurring": recurring,
            "recurring_kind": kind_label(recurring.kind, recurring.block.group_id),
            "occurrences": occurrences,
            "nav": "intake",
            "desk_user": True,
        },
    )
