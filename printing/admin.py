"""The admin action on blocks that orders a print batch: a flyer and N forms per block."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from covidarnost.admin_scoping import report_errors
from printing import services
from printing.models import MAX_FORMS_PER_BLOCK
from requests.exceptions import RequestError


class PrintBatchForm(forms.Form):
    forms_per_block = forms.IntegerField(
        label=_("Request forms per block"),
        min_value=0,
        max_value=MAX_FORMS_PER_BLOCK,
        initial=10,
        help_text=_("0 prints the flyers only."),
        widget=forms.NumberInput(attrs={"aria-describedby": "id_forms_per_block_helptext"}),
    )


@admin.action(description=_("Print flyers and request forms"), permissions=["print"])
def print_flyers_and_forms(model_admin, request, queryset):
    if "apply" in request.POST:
        form = PrintBatchForm(request.POST)
        if form.is_valid():
            try:
                batch = services.print_batch_create(
                    blocks=queryset.select_related("group"),
                    forms_per_block=form.cleaned_data["forms_per_block"],
                    actor=request.user,
                    language=translation.get_language() or "ru",
                )
            except (RequestError, ValidationError) as error:
                report_errors(model_admin, request, [(_("Printing"), error)])
                return None
            model_admin.message_user(
                request,
                _("The PDF is being made; this page shows when it is ready."),
                messages.INFO,
            )
            return redirect("printing:batch_status", pk=batch.pk)
    else:
        form = PrintBatchForm()
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Print flyers and request forms"),
        "opts": model_admin.model._meta,
        "form": form,
        "items": queryset,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "media": model_admin.media + form.media,
    }
    return TemplateResponse(request, "admin/neighbors/block/print_batch.html", context)
