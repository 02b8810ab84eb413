"""Admin pieces the apps that show or hold people's details share."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import PAGE_VAR
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from covidarnost import permissions
from covidarnost.admin_scoping import apply_to_each
from privacy.access_log import record_personal_data_view
from privacy.audit import history_rows, person_entries
from privacy.models import ViewChannel
from privacy.person_data import export_as_file


class RecordsPersonalDataViews:
    """A change page or list that shows residents' phones or flats records who opened it.

    Subclasses say which residents an object shows (personal_data_neighbors). Only a page
    actually shown (GET, 200) is recorded; a saved form redirects and is not a view. A list
    records the residents of the page shown, in one INSERT.
    """

    def personal_data_neighbors(self, obj) -> list:
        raise NotImplementedError

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if request.method == "GET" and response.status_code == 200 and changelist is not None:
            shown = [n for obj in changelist.result_list for n in self.personal_data_neighbors(obj)]
            record_personal_data_view(
                viewer=request.user, neighbors=shown, channel=ViewChannel.ADMIN
            )
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            obj = self.get_object(request, unquote(object_id))
            if obj is not None:
                record_personal_data_view(
                    viewer=request.user,
                    neighbors=self.personal_data_neighbors(obj),
                    channel=ViewChannel.ADMIN,
                )
        return response


class PersonDataActions:
    """Admin actions "export everything about this person" and "erase this person".

    Subclasses name the services (person_export, person_erase) as staticmethods. Export takes
    exactly one selected person and answers a JSON file; erase asks for confirmation first,
    then reports per person what could not be erased (a request in progress) and why.
    """

    person_export = None
    person_erase = None

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not (permissions.is_organizer(request.user) or permissions.is_superuser(request.user)):
            for name in ("export_personal_data", "erase_personal_data"):
                actions.pop(name, None)
        return actions

    @admin.action(description=_("Export everything held about this person (JSON)"))
    def export_personal_data(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Select exactly one person to export."), messages.ERROR)
            return None
        person = queryset.get()
        data = type(self).person_export(person, actor=request.user)
        response = HttpResponse(export_as_file(data), content_type="application/json")
        name = f"{person._meta.model_name}-{str(person.pk)[:8]}.json"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    @admin.action(description=_("Erase personal data (cannot be undone)"))
    def erase_personal_data(self, request, queryset):
        if request.POST.get("confirm") != "yes":
            return TemplateResponse(
                request,
                "admin/privacy/confirm_erase.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Erase personal data?"),
                    "people": queryset,
                    "opts": self.model._meta,
                    "action": "erase_personal_data",
                    "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                },
            )
        apply_to_each(
            self,
            request,
            queryset,
            lambda person: type(self).person_erase(person, actor=request.user),
            lambda count: ngettext("%(count)d person erased.", "%(count)d people erased.", count),
        )
        return None


class PersonHistory:
    """The admin's "History" of a resident, volunteer or account is their audit log.

    Who changed what and when, from django-auditlog (privacy.audit), personal fields masked,
    newest first, 50 a page. The object comes from the scoped queryset: another group's
    organizer is sent back like for any object they cannot see; permissions.can_read_history
    is the second lock. A page that shows a resident's block and flat is recorded as a view.
    """

    history_per_page = 50

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.model._meta, object_id)
        if not (
            self.has_view_or_change_permission(request, obj)
            and permissions.can_read_history(request.user, obj)
        ):
            raise PermissionDenied
        paginator = self.get_paginator(request, person_entries(obj), self.history_per_page)
        page = paginator.get_page(request.GET.get(PAGE_VAR))
        history_rows(page)
        if isinstance(self, RecordsPersonalDataViews):
            record_personal_data_view(
                viewer=request.user,
                neighbors=self.personal_data_neighbors(obj),
                channel=ViewChannel.ADMIN,
            )
        context = {
            **self.admin_site.each_context(request),
            "title": _("History: %s") % obj,
            "subtitle": None,
            "module_name": str(self.model._meta.verbose_name_plural),
            "object": obj,
            "opts": self.model._meta,
            "entries": page,
            "page_range": paginator.get_elided_page_range(page.number),
            "page_var": PAGE_VAR,
            "pagination_required": paginator.num_pages > 1,
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/privacy/person_history.html", context)
