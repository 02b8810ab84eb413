"""Claim and decline links sent with an offer: /offers/<id>/claim/ and /offers/<id>/decline/.

GET shows a confirmation page (a link preview in a messenger must not claim anything), POST
acts through requests.offers and redirects to the task page. Only the volunteer the offer was
made to finds it (covidarnost.permissions.get_offer_for_volunteer); everyone else gets 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from covidarnost import permissions
from requests.exceptions import RequestError, SafetyProtocolNotAccepted
from requests.models import OfferStatus, Status
from requests.offers import offer_accept, offer_decline


def _task_path(offer) -> str:
    return f"/tasks/{offer.help_request_id}/"


@login_required
@never_cache
def offer_claim(request, pk):
    offer = permissions.get_offer_for_volunteer(request.user, pk)
    volunteer = permissions.active_volunteer(request.user)
    if request.method == "POST":
        try:
            offer_accept(offer=offer, volunteer=volunteer)
        except SafetyProtocolNotAccepted as exc:
            messages.warning(request, str(exc))
            return redirect("/safety/")
        except RequestError as exc:
            messages.error(request, str(exc))
            return redirect("/tasks/")
        messages.success(request, _("The task is yours. Thank you!"))
        return redirect(_task_path(offer))
    return render(
        request,
        "requests/offer_confirm.html",
        {
            "offer": offer,
            "volunteer": volunteer,
            "action": "claim",
            "still_open": offer.help_request.status == Status.OPEN,
        },
    )


@login_required
@never_cache
def offer_decline_view(request, pk):
    offer = permissions.get_offer_for_volunteer(request.user, pk)
    volunteer = permissions.active_volunteer(request.user)
    if request.method == "POST":
        try:
            offer_decline(offer=offer, volunteer=volunteer)
        except RequestError as exc:
            messages.error(request, str(exc))
            return redirect(_task_path(offer))
        messages.info(request, _("Offer declined. We will ask someone else."))
        return redirect("/tasks/")
    return render(
        request,
        "requests/offer_confirm.html",
        {
            "offer": offer,
            "volunteer": volunteer,
            "action": "decline",
            "still_open": offer.status in (OfferStatus.PENDING, OfferStatus.EXPIRED),
        },
    )
