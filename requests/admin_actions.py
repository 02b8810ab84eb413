"""Admin actions on help requests that act for a volunteer (one without a smartphone, mostly):
give the selected requests to a named volunteer, or record "could not deliver" for the one
holding each. Both ask first (a volunteer, a reason), then go through requests.services with
the organizer or operator as actor and the volunteer as on_behalf_of.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from covidarnost.admin_scoping import apply_to_each, report_errors
from intake.forms import GiveForm
from intake.selectors import volunteers_to_give
from requests.exceptions import RequestError, TransitionNotAllowed
from requests.services import help_request_claim, help_request_report_undeliverable
from volunteers.services import volunteer_accept_safety_protocol_for

TEMPLATE = "admin/requests/helprequest/act_for_volunteer.html"


class UndeliverableForm(forms.Form):
    reason = forms.CharField(
        label=_("What went wrong?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say what went wrong.")},
    )


def holder(help_request):
    if help_request.volunteer is None:
        raise TransitionNotAllowed(_("No volunteer holds this request."))
    return help_request.volunteer


def _ask(model_admin, request, queryset, *, form, title, action, button):
    context = {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "opts": model_admin.model._meta,
        "form": form,
        "items": queryset.select_related("block"),
        "action_name": action,
        "button": button,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "media": model_admin.media + form.media,
    }
    return TemplateResponse(request, TEMPLATE, context)


@admin.action(description=_("Give to a volunteer (for them)"))
def give_to_volunteer(model_admin, request, queryset):
    volunteers = volunteers_to_give(request.user.group)
    if "apply" in request.POST:
        form = GiveForm(request.POST, volunteers=volunteers)
        if form.is_valid():
            volunteer = form.cleaned_data["volunteer"]
            if form.cleaned_data["safety_read_out"] and not volunteer.safety_protocol_accepted_at:
                try:
                    volunteer_accept_safety_protocol_for(volunteer=volunteer, actor=request.user)
                except (RequestError, ValidationError) as error:
                    report_errors(model_admin, request, [(volunteer, error)])
                    return None
            apply_to_each(
                model_admin,
                request,
                queryset.select_related("block"),
                lambda help_request: help_request_claim(
                    help_request=help_request, volunteer=volunteer, acting_user=request.user
                ),
                lambda n: ngettext(
                    "%(count)d request given to the volunteer.",
                    "%(count)d requests given to the volunteer.",
                    n,
                ),
            )
            return None
    else:
        form = GiveForm(volunteers=volunteers)
    return _ask(
        model_admin,
        request,
        queryset,
        form=form,
        title=_("Give to a volunteer"),
        action="give_to_volunteer",
        button=_("Give the requests"),
    )


@admin.action(description=_("Could not deliver, for the volunteer holding it"))
def report_undeliverable_for_volunteer(model_admin, request, queryset):
    if "apply" in request.POST:
        form = UndeliverableForm(request.POST)
        if form.is_valid():
            apply_to_each(
                model_admin,
                request,
                queryset.select_related("volunteer__user", "block"),
                lambda help_request: help_request_report_undeliverable(
                    help_request=help_request,
                    volunteer=holder(help_request),
                    reason=form.cleaned_data["reason"],
                    acting_user=request.user,
                ),
                lambda n: ngettext(
                    "%(count)d request recorded as not delivered; it is open again.",
                    "%(count)d requests recorded as not delivered; they are open again.",
                    n,
                ),
            )
            return None
    else:
        form = UndeliverableForm()
    return _ask(
        model_admin,
        request,
        queryset,
        form=form,
        title=_("Could not deliver"),
        action="report_undeliverable_for_volunteer",
        button=_("Record"),
    )
