"""The volunteer's mobile pages: task list, task page and its actions, safety rules, profile.

Server-rendered and complete without JavaScript. Every page asks covidarnost.permissions who
may see what, and every write goes through the services; their errors become messages.
"""

from __future__ import annotations

import mimetypes
from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from covidarnost import permissions
from covidarnost.geo import haversine_m
from privacy.access_log import record_personal_data_view
from privacy.models import ViewChannel
from requests import list_cache
from requests import services as request_services
from requests.exceptions import (
    AlreadyTaken,
    AlreadyYours,
    ClaimsStopped,
    RequestError,
    SafetyProtocolNotAccepted,
    TransitionNotAllowed,
)
from requests.models import IN_HAND, Status
from requests.needs import need_labels
from requests.selectors import task_kinds, tasks_for_volunteer, volunteer_base_point
from volunteers import forms
from volunteers import services as volunteer_services
from volunteers.selectors import (
    LIST_FIELDS,
    delivered_tasks,
    weekly_hours_text,
    weekly_slot_rows,
)

PAGE_SIZE = 20


def volunteer_page(view):
    """Verified volunteers only. Others signed in see a page saying why, and nothing else."""

    @login_required
    @never_cache
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        volunteer = permissions.active_volunteer(request.user)
        if volunteer is None:
            return _not_a_volunteer(request)
        return view(request, volunteer, *args, **kwargs)

    return wrapper


def pending_or_volunteer_page(view):
    """Verified volunteers, and those waiting for verification (the safety rules are all a
    pending account sees). view(request, profile); others get the same page as above."""

    @login_required
    @never_cache
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        profile = permissions.active_volunteer(request.user) or permissions.pending_volunteer(
            request.user
        )
        if profile is None:
            return _not_a_volunteer(request)
        return view(request, profile, *args, **kwargs)

    return wrapper


def _not_a_volunteer(request):
    if permissions.is_staff_of_group(request.user) or permissions.is_coordinator(request.user):
        context = {"show_desk": permissions.can_use_desk(request.user)}
        return render(request, "volunteers/staff.html", context, status=403)
    profile = permissions.volunteer_profile(request.user)
    return render(request, "volunteers/status.html", {"profile": profile}, status=403)


# --- Task list ----------------------------------------------------------------------------


@volunteer_page
def task_list(request, volunteer):
    # The same list for the same volunteer, filter, page and language until the group changes
    # (requests.list_cache). A hit needs neither the group's kinds nor the list: the raw filter
    # is in the key, an invalid one is never stored, and a change of kinds bumps the group.
    kind_asked, page_asked = request.GET.get("kind", ""), request.GET.get("page", "")
    parts = (
        "page",
        *list_cache.volunteer_part(volunteer),
        get_language(),
        kind_asked,
        page_asked,
    )
    version, content = list_cache.lookup(group_id=volunteer.group_id, parts=parts)
    if content is None:
        kinds = task_kinds(volunteer=volunteer)
        form = forms.KindFilterForm(request.GET or None, kinds=kinds.choices)
        kind = form.cleaned_data["kind"] if form.is_valid() else ""
        tasks = tasks_for_volunteer(
            volunteer=volunteer, kind=kind or None, hidden_kinds=kinds.hidden
        ).only(*LIST_FIELDS)
        page = Paginator(tasks, PAGE_SIZE).get_page(page_asked or None)
        content = render_to_string(
            "volunteers/_task_list_content.html",
            {
                "volunteer": volunteer,
                "page": page,
                "filter_form": form,
                "kind": kind,
                "page_query": urlencode({"kind": kind}) + "&" if kind else "",
            },
        )
        if not form.errors:
            list_cache.store(
                group_id=volunteer.group_id, parts=parts, version=version, value=content
            )
    return render(
        request,
        "volunteers/task_list.html",
        {
            "volunteer": volunteer,
            "nav": "tasks",
            "content": mark_safe(content),  # noqa: S308
            # The same words a claim would answer with, shown before anyone tries.
            "claims_stopped": str(ClaimsStopped()) if volunteer.claims_blocked_at else "",
        },
    )


# --- Task page ----------------------------------------------------------------------------


def _auto_id(form_name: str) -> str:
    # Several forms share one page: field ids must stay unique for labels to work.
    return form_name.removesuffix("_form") + "_%s"


def _action_forms(task, volunteer, bound=None) -> dict:
    """The forms the task page offers for the task's status; `bound` replaces one of them."""
    offered = []
    if task.status == Status.OPEN:
        offered.append(("claim_form", forms.ClaimForm))
    elif task.volunteer_id == volunteer.pk and task.status in IN_HAND:
        if task.status == Status.CLAIMED:
            offered.append(("bought_form", forms.MarkBoughtForm))
        offered.append(("deliver_form", forms.DeliverForm))
        offered.append(("release_form", forms.ReleaseForm))
        offered.append(("undeliverable_form", forms.UndeliverableForm))
    available = {
        name: form_class(initial={"expected_status": task.status}, auto_id=_auto_id(name))
        for name, form_class in offered
    }
    if bound:
        available.update(bound)
    return available


def _render_task(request, volunteer, task, bound=None, status=200):
    base = volunteer_base_point(volunteer)
    metres = haversine_m(*base, task.block.latitude, task.block.longitude) if base else None
    # The same rule as the API's task output: one function decides what this user sees.
    visible = permissions.task_fields_visible(request.user, task)
    if "neighbor" in visible:
        record_personal_data_view(
            viewer=request.user,
            neighbors=[task.neighbor],
            channel=ViewChannel.TASK_PAGE,
            group_id=task.block.group_id,
        )
    context = {
        "volunteer": volunteer,
        "nav": "tasks",
        "task": task,
        "is_mine": task.volunteer_id == volunteer.pk,
        "show_personal": "neighbor" in visible,
        "show_details": "details" in visible,
        "needs": need_labels(task.needs) if "needs" in visible else [],
        "distance_m": metres,
        "open_form": next(iter(bound)) if bound else "",
        **_action_forms(task, volunteer, bound),
    }
    return render(request, "volunteers/task_detail.html", context, status=status)


@volunteer_page
def task_detail(request, volunteer, pk):
    task = permissions.get_task_for_volunteer(request.user, pk)
    return _render_task(request, volunteer, task)


def _back_to(request, task):
    """After an action: the task page if the volunteer may still see it, else the list."""
    try:
        permissions.get_task_for_volunteer(request.user, task.pk)
    except Http404:
        return redirect("volunteers:task_list")
    return redirect("volunteers:task_detail", pk=task.pk)


def _add_service_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _task_action(request, volunteer, pk, *, form_class, form_name, perform, done, stale_check=True):
    """Shared flow of the POST actions on a task: load, stale check, validate, call, redirect.

    perform(task, cleaned_data) calls one service; `done` is the success message.
    """
    task = permissions.get_task_for_action(request.user, pk)
    expected = request.POST.get("expected_status", "")
    if stale_check and expected and expected != task.status:
        messages.warning(
            request,
            _(
                "This task changed while your page was open; it is now “%(status)s”. "
                "Nothing was saved."
            )
            % {"status": task.get_status_display()},
        )
        return _back_to(request, task)
    form = form_class(request.POST, request.FILES, auto_id=_auto_id(form_name))
    if form.is_valid():
        try:
            perform(task, form.cleaned_data)
        except RequestError as exc:
            messages.error(request, str(exc))
            return _back_to(request, task)
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(request, done)
            return _back_to(request, task)
    try:
        visible = permissions.get_task_for_volunteer(request.user, pk)
    except Http404:
        return redirect("volunteers:task_list")
    return _render_task(request, volunteer, visible, bound={form_name: form}, status=400)


@require_POST
@volunteer_page
def task_claim(request, volunteer, pk):
    task = permissions.get_task_for_action(request.user, pk)
    try:
        request_services.help_request_claim(help_request=task, volunteer=volunteer)
    except AlreadyYours as exc:
        messages.info(request, str(exc))
        return redirect("volunteers:task_detail", pk=task.pk)
    except SafetyProtocolNotAccepted as exc:
        messages.info(request, str(exc))
        next_url = reverse("volunteers:task_detail", kwargs={"pk": task.pk})
        return HttpResponseRedirect(
            reverse("volunteers:safety") + "?" + urlencode({"next": next_url})
        )
    except AlreadyTaken:
        messages.warning(request, _("This task has already been taken by another volunteer."))
        return _back_to(request, task)
    except TransitionNotAllowed:
        task.refresh_from_db(fields=["status"])
        messages.warning(
            request,
            _("This task is not open any more; it is “%(status)s”.")
            % {"status": task.get_status_display()},
        )
        return _back_to(request, task)
    except RequestError as exc:
        messages.error(request, str(exc))
        return _back_to(request, task)
    messages.success(request, _("The task is yours. The neighbor's details are below."))
    return redirect("volunteers:task_detail", pk=task.pk)


@require_POST
@volunteer_page
def task_mark_bought(request, volunteer, pk):
    return _task_action(
        request,
        volunteer,
        pk,
        form_class=forms.MarkBoughtForm,
        form_name="bought_form",
        perform=lambda task, data: request_services.help_request_mark_bought(
            help_request=task, volunteer=volunteer
        ),
        done=_("Marked as bought. Now take it to the neighbor."),
    )


@require_POST
@volunteer_page
def task_release(request, volunteer, pk):
    return _task_action(
        request,
        volunteer,
        pk,
        form_class=forms.ReleaseForm,
        form_name="release_form",
        perform=lambda task, data: request_services.help_request_release(
            help_request=task, volunteer=volunteer, reason=data["reason"]
        ),
        done=_("You released the task; it is open for other volunteers again."),
    )


@require_POST
@volunteer_page
def task_deliver(request, volunteer, pk):
    return _task_action(
        request,
        volunteer,
        pk,
        form_class=forms.DeliverForm,
        form_name="deliver_form",
        perform=lambda task, data: request_services.help_request_deliver(
            help_request=task,
            volunteer=volunteer,
            spent=data["spent"],
            paid_by=data["paid_by"],
            note=data["note"],
            receipt=data["receipt"],
        ),
        done=_("Thank you! The task is marked as delivered."),
    )


@require_POST
@volunteer_page
def task_undeliverable(request, volunteer, pk):
    return _task_action(
        request,
        volunteer,
        pk,
        form_class=forms.UndeliverableForm,
        form_name="undeliverable_form",
        perform=lambda task, data: request_services.help_request_report_undeliverable(
            help_request=task, volunteer=volunteer, reason=data["reason"]
        ),
        done=_("Thank you for telling us. The task is open again and the organizers are told."),
    )


@login_required
def task_receipt(request, pk):
    """The receipt photo, only through this permission check (media is never served directly)."""
    task = permissions.get_receipt_request(request.user, pk)
    content_type = mimetypes.guess_type(task.receipt.name)[0] or "application/octet-stream"
    response = FileResponse(task.receipt.open("rb"), content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response


# --- Safety rules, profile, history -------------------------------------------------------


def _safe_next(request, url: str) -> str:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("volunteers:task_list")


@pending_or_volunteer_page
def safety_protocol(request, profile):
    # A volunteer waiting for verification reads (and may accept) the rules, without the
    # volunteer's menu: tasks are not theirs to see yet.
    verified = profile.is_active_volunteer
    if request.method == "POST":
        form = forms.SafetyProtocolForm(request.POST)
        if form.is_valid():
            volunteer_services.volunteer_accept_safety_protocol(volunteer=profile)
            if not verified:
                messages.success(
                    request,
                    _("Thank you. You can take tasks once an organizer verifies your account."),
                )
                return redirect("volunteers:safety")
            messages.success(request, _("Thank you. You can take tasks now."))
            return redirect(_safe_next(request, form.cleaned_data["next"]))
    else:
        form = forms.SafetyProtocolForm(initial={"next": request.GET.get("next", "")})
    return render(
        request,
        "volunteers/safety.html",
        {
            "volunteer": profile if verified else None,
            "profile": profile,
            "pending": not verified,
            "nav": "profile",
            "form": form,
            "protocol": profile.group.safety_protocol,
        },
        status=400 if form.is_bound else 200,
    )


@volunteer_page
def profile(request, volunteer):
    slots = list(volunteer.weekly_slots.all())
    slot_rows_initial = weekly_slot_rows(slots=slots)
    locked_skills = [
        name
        for name in volunteer_services.SKILLS_ORGANIZERS_CONFIRM
        if not getattr(volunteer, name)
    ]
    if request.method == "POST":
        form = forms.AvailabilityForm(
            request.POST, allowed=volunteer.max_open_tasks_allowed, locked_skills=locked_skills
        )
        slot_rows = forms.WeeklySlotRows(request.POST, initial=slot_rows_initial)
        # Both validated, so every error shows at once.
        if all([form.is_valid(), slot_rows.is_valid()]):
            data = dict(form.cleaned_data)
            skills = {name: data.pop(name) for name in volunteer_services.SELF_SET_SKILLS}
            try:
                volunteer_services.volunteer_update_availability(
                    volunteer=volunteer,
                    actor=request.user,
                    skills=skills,
                    slots=slot_rows.slots(),
                    **data,
                )
            except ValidationError as exc:
                _add_service_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("volunteers:profile")
    else:
        form = forms.AvailabilityForm(
            allowed=volunteer.max_open_tasks_allowed,
            locked_skills=locked_skills,
            initial={name: getattr(volunteer, name) for name in forms.AvailabilityForm.base_fields},
        )
        slot_rows = forms.WeeklySlotRows(initial=slot_rows_initial)
    return render(
        request,
        "volunteers/profile.html",
        {
            "volunteer": volunteer,
            "nav": "profile",
            "form": form,
            "slot_rows": slot_rows,
            "weekly_hours": weekly_hours_text(slots=slots),
            "blocks": volunteer.blocks.only("code", "address"),
        },
        status=400 if form.is_bound else 200,
    )


@volunteer_page
def history(request, volunteer):
    page = Paginator(delivered_tasks(volunteer=volunteer), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request, "volunteers/history.html", {"volunteer": volunteer, "nav": "history", "page": page}
    )
