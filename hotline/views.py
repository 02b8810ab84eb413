"""The hotline log: /intake/calls/ (log a call, the group's calls with follow-ups first) and
/intake/calls/<id>/done/. Operators and organizers of the group; 404 for everyone else.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from covidarnost import permissions
from hotline import selectors, services
from hotline.forms import CallForm
from privacy.access_log import record_personal_data_view
from privacy.models import ViewChannel
from requests.exceptions import RequestError


@login_required
@never_cache
def call_list(request):
    group = permissions.hotline_group_or_404(request.user)
    form = CallForm(request.POST or None, group_id=group.pk)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.call_log_create(
                    actor=request.user,
                    topic=data["topic"],
                    text=data["text"],
                    neighbor=data["phone"],
                    follow_up=data["follow_up"],
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("The call is logged."))
                return redirect("hotline:calls")
        status = 400
    page = Paginator(selectors.calls_for_group(group_id=group.pk), selectors.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    # The list shows each linked resident's name and flat.
    record_personal_data_view(
        viewer=request.user,
        neighbors=[call.neighbor for call in page],
        channel=ViewChannel.INTAKE,
        group_id=group.pk,
    )
    return render(
        request,
        "hotline/calls.html",
        {"form": form, "page": page, "nav": "calls", "desk_user": True},
        status=status,
    )


@require_POST
@login_required
def call_done(request, pk):
    call = permissions.get_call_for_hotline(request.user, pk)
    try:
        services.call_log_mark_done(call=call, actor=request.user)
    except RequestError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Marked as done."))
    return redirect("hotline:calls")
