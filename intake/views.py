"""The intake desk: /intake/ (find the caller, enter her request) and the request page.

Operators and organizers of the group only (covidarnost.permissions.intake_group_or_404);
everyone else gets 404. Finding is a GET form, entering a POST to the same address with the
search kept in the query string, so a mistake re-renders the page with everything typed.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from covidarnost import permissions
from intake import notices, selectors, services
from intake.exceptions import DuplicateSuspected
from intake.forms import NEW_RESIDENT, GiveForm, IntakeForm, LookupForm, StepForm, block_choices
from privacy.access_log import record_personal_data_view
from privacy.models import ViewChannel
from recurring.selectors import recurring_for_resident
from requests import services as request_services
from requests.exceptions import RequestError
from requests.models import Source, Status
from requests.needs import need_labels
from requests.offers import offer_accept, offer_decline
from requests.transitions import IN_HAND, Action
from volunteers.services import volunteer_accept_safety_protocol_for


def _find(lookup: LookupForm, group):
    if not lookup.is_bound or not lookup.is_valid() or not lookup.has_query():
        return None
    data = lookup.cleaned_data
    if data.get("phone"):
        return selectors.residents_by_phone(group=group, phone=data["phone"])
    return selectors.residents_by_flat(block=data["block"], flat=data["flat"])


def _initial(lookup: LookupForm, matches) -> dict:
    """Carry what the search (or the paper form's QR code) already knows into the form."""
    data = lookup.cleaned_data if lookup.is_bound and lookup.is_valid() else {}
    initial: dict = {}
    if data.get("serial"):
        initial.update(form_serial=data["serial"], source=Source.PAPER_FORM)
    if data.get("block"):
        initial["new_block"] = data["block"].pk
    if matches:
        if len(matches) == 1:
            initial["resident"] = str(matches[0].pk)
    else:
        initial.update(resident=NEW_RESIDENT, phone=data.get("phone", ""))
        initial["flat"] = data.get("flat", "")
    return initial


def _entry(data) -> services.IntakeEntry:
    return services.IntakeEntry(
        kind=data["kind"],
        source=data["source"],
        needs=list(data.get("needs") or []),
        details=data.get("details", ""),
        urgency=data.get("urgency", ""),
        due_at=data.get("due_at"),
        payment=data.get("payment", ""),
        budget=data.get("budget"),
        form_serial=(data.get("form_serial") or "").strip(),
    )


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
@never_cache
def desk(request):
    group = permissions.intake_group_or_404(request.user)
    blocks = block_choices(group)
    lookup = LookupForm(request.GET or None, group=group, blocks=blocks)
    matches = _find(lookup, group)
    duplicates = []
    if request.method == "POST":
        form = IntakeForm(
            request.POST, group=group, matches=matches or (), user=request.user, blocks=blocks
        )
        if form.is_valid():
            data = form.cleaned_data
            try:
                help_request = services.intake_request_create(
                    actor=request.user,
                    entry=_entry(data),
                    neighbor=data["neighbor"],
                    new_resident=data["new_resident"],
                    consent=data.get("consent", False),
                    consent_sms=data.get("consent_sms", False),
                    idempotency_key=data["token"],
                    confirm_duplicate=data.get("confirm_duplicate", False),
                )
            except DuplicateSuspected as exc:
                duplicates = exc.existing
            except ValidationError as exc:
                _add_errors(form, exc)
            except RequestError as exc:
                form.add_error(None, str(exc))
            else:
                return redirect(reverse("intake:request", args=[help_request.pk]) + "?saved=1")
    else:
        form = IntakeForm(
            initial=_initial(lookup, matches),
            group=group,
            matches=matches or (),
            user=None,
            blocks=blocks,
        )
    if matches:
        record_personal_data_view(
            viewer=request.user, neighbors=matches, channel=ViewChannel.INTAKE, group_id=group.pk
        )
    return render(
        request,
        "intake/desk.html",
        {
            "group": group,
            "nav": "intake",
            "lookup": lookup,
            "matches": matches,
            "searched": matches is not None,
            # The request form comes after a search, or straight away from a form's QR code.
            "show_form": matches is not None
            or request.method == "POST"
            or bool(lookup.is_bound and lookup.is_valid() and lookup.cleaned_data["serial"]),
            "form": form,
            "duplicates": duplicates,
            "new_resident": NEW_RESIDENT,
            "desk_user": True,
        },
        status=200 if request.method != "POST" else (409 if duplicates else 400),
    )


def _events(help_request):
    events = list(
        help_request.events.select_related("actor", "on_behalf_of").order_by("created_at", "pk")
    )
    for event in events:
        event.label = Action(event.action).label if event.action in Action.values else event.action
    return events


def _render_request(request, help_request, *, give_form=None, step_form=None, status=200):
    volunteers = selectors.volunteers_to_give(help_request.block.group_id)
    can_give = help_request.status == Status.OPEN
    in_hand = help_request.status in IN_HAND
    record_personal_data_view(
        viewer=request.user,
        neighbors=[help_request.neighbor],
        channel=ViewChannel.INTAKE,
        group_id=help_request.block.group_id,
    )
    return render(
        request,
        "intake/request.html",
        {
            "nav": "intake",
            "desk_user": True,
            "help_request": help_request,
            "needs": need_labels(help_request.needs),
            # A consultation's notes are for the consultant and organizers, not operators.
            "show_notes": permissions.can_see_request_notes(request.user, help_request),
            "saved": request.GET.get("saved") == "1",
            "events": _events(help_request),
            "notices": help_request.resident_notices.select_related("event", "told_by").order_by(
                "created_at", "pk"
            ),
            "give_form": (give_form or GiveForm(volunteers=volunteers)) if can_give else None,
            "step_form": (step_form or StepForm()) if in_hand else None,
            "recurring": (
                list(recurring_for_resident(neighbor=help_request.neighbor))
                if help_request.neighbor_id
                else []
            ),
        },
        status=status,
    )


@login_required
@never_cache
def request_page(request, pk):
    help_request = permissions.get_request_for_intake(request.user, pk)
    return _render_request(request, help_request)


@login_required
@require_POST
def request_give(request, pk):
    """Give an open request to a named volunteer (who has no smartphone, mostly)."""
    help_request = permissions.get_request_for_intake(request.user, pk)
    volunteers = selectors.volunteers_to_give(help_request.block.group_id)
    form = GiveForm(request.POST, volunteers=volunteers)
    if not form.is_valid():
        return _render_request(request, help_request, give_form=form, status=400)
    volunteer = form.cleaned_data["volunteer"]
    if form.cleaned_data["safety_read_out"] and volunteer.safety_protocol_accepted_at is None:
        try:
            volunteer_accept_safety_protocol_for(volunteer=volunteer, actor=request.user)
        except ValidationError as exc:
            form.add_error("safety_read_out", exc)
            return _render_request(request, help_request, give_form=form, status=400)
    try:
        request_services.help_request_claim(
            help_request=help_request, volunteer=volunteer, acting_user=request.user
        )
    except RequestError as exc:
        # Taken meanwhile, the volunteer's task limit, the safety rules: say why, show the
        # request as it is now.
        messages.error(request, str(exc))
        return redirect("intake:request", pk=help_request.pk)
    messages.success(request, _("The request is given to the volunteer."))
    return redirect("intake:request", pk=help_request.pk)


@login_required
@require_POST
def request_step(request, pk):
    """Record bought, delivered or could-not-deliver for the volunteer holding the request."""
    help_request = permissions.get_request_for_intake(request.user, pk)
    form = StepForm(request.POST)
    if not form.is_valid() or help_request.volunteer is None:
        return _render_request(request, help_request, step_form=form, status=400)
    data, volunteer = form.cleaned_data, help_request.volunteer
    common = {"help_request": help_request, "volunteer": volunteer, "acting_user": request.user}
    try:
        if data["step"] == "bought":
            request_services.help_request_mark_bought(**common)
        elif data["step"] == "delivered":
            request_services.help_request_deliver(
                **common, spent=data.get("spent"), paid_by=data.get("paid_by") or ""
            )
        else:
            request_services.help_request_report_undeliverable(**common, reason=data["reason"])
    except ValidationError as exc:
        _add_errors(form, exc)
        return _render_request(request, help_request, step_form=form, status=400)
    except RequestError as exc:
        form.add_error(None, str(exc))
        return _render_request(request, help_request, step_form=form, status=409)
    messages.success(request, _("Recorded for the volunteer."))
    return redirect("intake:request", pk=help_request.pk)


@login_required
@require_POST
def offer_answer(request, pk, answer):
    """An operator phoned a volunteer without a smartphone about an offer: yes or no."""
    offer = permissions.get_offer_for_intake(request.user, pk)
    try:
        if answer == "accept":
            offer_accept(offer=offer, volunteer=offer.volunteer, acting_user=request.user)
            messages.success(request, _("The request is given to the volunteer."))
        else:
            offer_decline(offer=offer, volunteer=offer.volunteer, acting_user=request.user)
            messages.info(request, _("Declined: the next volunteer gets the offer."))
    except RequestError as exc:
        messages.error(request, str(exc))
    return redirect("intake:callbacks")


@login_required
@never_cache
def callbacks(request):
    group = permissions.intake_group_or_404(request.user)
    notices = selectors.callbacks_for_group(group=group)
    record_personal_data_view(
        viewer=request.user,
        neighbors=[notice.help_request.neighbor for notice in notices],
        channel=ViewChannel.INTAKE,
        group_id=group.pk,
    )
    return render(
        request,
        "intake/callbacks.html",
        {
            "nav": "callbacks",
            "desk_user": True,
            "notices": notices,
            "told": selectors.recently_told(group=group),
            "offers": selectors.offers_to_phone(group=group),
        },
    )


@login_required
@require_POST
def callback_told(request, pk):
    notice = permissions.get_notice_for_intake(request.user, pk)
    try:
        notices.resident_notice_mark_told(notice=notice, actor=request.user)
    except RequestError:
        messages.info(request, _("Someone has already told her, or there is newer news."))
    else:
        messages.success(request, _("Recorded: she has been told."))
    return redirect("intake:callbacks")
