"""The intake desk's recurring requests: /intake/recurring/ (the group's list),
/intake/recurring/new/?resident=<id> or ?request=<id> (set one up for a resident, from her
request page), /intake/recurring/<id>/ (schedule, last occurrences, pause, resume, stop).
Operators and organizers of the group; 404 for everyone else.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from covidarnost import permissions
from privacy.access_log import record_personal_data_view
from privacy.models import ViewChannel
from recurring import services
from recurring.forms import RecurringForm
from recurring.selectors import recurring_for_group
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
            "nav": "recurring",
            "desk_user": True,
        },
    )


@login_required
@never_cache
def recurring_list(request):
    group = permissions.intake_group_or_404(request.user)
    rows = list(recurring_for_group(group=group))
    record_personal_data_view(
        viewer=request.user,
        neighbors=[row.neighbor for row in rows],
        channel=ViewChannel.INTAKE,
        group_id=group.pk,
    )
    return render(
        request,
        "recurring/list.html",
        {"rows": rows, "nav": "recurring", "desk_user": True},
    )


def _source(request):
    """The resident (and the request it repeats, if any) named in the query string, or 404."""
    request_id = request.GET.get("request", "")
    if request_id:
        help_request = permissions.get_request_for_intake(request.user, request_id)
        if help_request.neighbor is None:
            raise Http404
        return help_request.neighbor, help_request
    neighbor = permissions.intake_neighbor(request.user, request.GET.get("resident", ""))
    if neighbor is None:
        raise Http404
    return neighbor, None


def _initial(request, help_request) -> dict:
    """Repeat what the request asked for, on the day and time it was needed by."""
    if help_request is None:
        return {}
    initial = {"kind": help_request.kind, "needs": list(help_request.needs)}
    if permissions.can_see_request_notes(request.user, help_request):
        initial["details"] = help_request.details
    if help_request.due_at:
        due = timezone.localtime(help_request.due_at)
        initial.update(weekday=due.weekday(), time=due.time().replace(second=0, microsecond=0))
    return initial


@login_required
@never_cache
def recurring_new(request):
    group = permissions.intake_group_or_404(request.user)
    neighbor, help_request = _source(request)
    if request.method == "POST":
        form = RecurringForm(request.POST, group=group)
        if form.is_valid():
            data = form.cleaned_data
            try:
                recurring = services.recurring_request_create(
                    actor=request.user,
                    neighbor=neighbor,
                    kind=data["kind"],
                    details=data["details"],
                    needs=data["needs"],
                    weekday=data["weekday"],
                    at=data["time"],
                    interval_weeks=data["interval_weeks"],
                )
            except ValidationError as exc:
                errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
                for name, messages_ in errors.items():
                    form.add_error(name if name in form.fields else None, messages_)
            except RequestError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, str(_("The recurring request is set up.")))
                return redirect("recurring:detail", pk=recurring.pk)
    else:
        form = RecurringForm(initial=_initial(request, help_request), group=group)
    record_personal_data_view(
        viewer=request.user, neighbors=[neighbor], channel=ViewChannel.INTAKE, group_id=group.pk
    )
    return render(
        request,
        "recurring/new.html",
        {
            "form": form,
            "neighbor": neighbor,
            "from_request": help_request,
            "nav": "intake",
            "desk_user": True,
        },
        status=400 if request.method == "POST" else 200,
    )
