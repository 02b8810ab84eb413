"""Recurring requests in the admin: entered, paused, resumed and stopped through the services."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from covidarnost import permissions
from covidarnost.admin_scoping import ScopedModelAdmin, apply_to_each
from privacy.admin_mixins import RecordsPersonalDataViews
from recurring.models import RecurringRequest
from recurring.services import (
    recurring_request_create,
    recurring_request_pause,
    recurring_request_resume,
    recurring_request_stop,
)
from requests.admin import OfferedKindField

ADD_FIELDS = ("neighbor", "kind", "details", "interval_weeks", "weekday", "time")


@admin.register(RecurringRequest)
class RecurringRequestAdmin(OfferedKindField, RecordsPersonalDataViews, ScopedModelAdmin):
    accusative_name = pgettext_lazy("accusative", "recurring request")
    list_display = ("pk", "block", "neighbor", "schedule", "state", "next_due_at")
    list_select_related = ("block", "neighbor__block")
    list_filter = ("state", "weekday")
    raw_id_fields = ("neighbor",)
    actions = ["pause", "resume", "stop"]

    @admin.display(description=_("When"), ordering="weekday")
    def schedule(self, recurring):
        return recurring.schedule

    def get_fields(self, request, obj=None):
        if obj is None:
            return ADD_FIELDS
        return (*ADD_FIELDS, "block", "state", "next_due_at", "last_volunteer", "created_by")

    def get_readonly_fields(self, request, obj=None):
        # The schedule is set once; the state changes through the actions.
        return self.get_fields(request, obj) if obj is not None else ()

    def has_add_permission(self, request):
        return super().has_add_permission(request) and permissions.can_use_intake_desk(request.user)

    def save_model(self, request, obj, form, change):
        if change:
            return
        created = recurring_request_create(
            actor=request.user,
            neighbor=obj.neighbor,
            kind=obj.kind,
            details=obj.details,
            weekday=obj.weekday,
            at=obj.time,
            interval_weeks=obj.interval_weeks,
        )
        for field in RecurringRequest._meta.concrete_fields:
            setattr(obj, field.attname, getattr(created, field.attname))
        obj._state.adding = False

    def personal_data_neighbors(self, obj):
        return [obj.neighbor]

    def _each(self, request, queryset, service, message):
        apply_to_each(
            self, request, queryset, lambda r: service(recurring=r, actor=request.user), message
        )

    @admin.action(description=_("Pause"))
    def pause(self, request, queryset):
        self._each(
            request,
            queryset,
            recurring_request_pause,
            lambda n: ngettext(
                "%(count)d recurring request paused.", "%(count)d recurring requests paused.", n
            ),
        )

    @admin.action(description=_("Resume"))
    def resume(self, request, queryset):
        self._each(
            request,
            queryset,
            recurring_request_resume,
            lambda n: ngettext(
                "%(count)d recurring request resumed.", "%(count)d recurring requests resumed.", n
            ),
        )

    @admin.action(description=_("Stop for good"))
    def stop(self, request, queryset):
        self._each(
            request,
            queryset,
            recurring_request_stop,
            lambda n: ngettext(
                "%(count)d recurring request stopped.", "%(count)d recurring requests stopped.", n
            ),
        )
