"""The hotline log in the admin: the group's calls, logged and closed through the services."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from covidarnost import permissions
from covidarnost.admin_scoping import ScopedModelAdmin, apply_to_each
from hotline.models import CallLog
from hotline.services import call_log_create, call_log_mark_done
from privacy.admin_mixins import RecordsPersonalDataViews


@admin.register(CallLog)
class CallLogAdmin(RecordsPersonalDataViews, ScopedModelAdmin):
    group_field = "group"
    accusative_name = pgettext_lazy("accusative", "hotline call")
    list_display = ("created_at", "topic", "group", "neighbor", "follow_up", "followed_up_at")
    list_select_related = ("group", "neighbor__block")
    list_filter = ("topic", "follow_up")
    search_fields = ("text",)
    raw_id_fields = ("neighbor",)
    actions = ["mark_done"]
    add_fields = ("topic", "text", "neighbor", "follow_up")

    def get_fields(self, request, obj=None):
        if obj is None:
            return self.add_fields
        return (
            "group",
            "topic",
            "text",
            "neighbor",
            "follow_up",
            "logged_by",
            "created_at",
            "followed_up_at",
            "followed_up_by",
        )

    def get_readonly_fields(self, request, obj=None):
        # A call is history: logged once; its follow-up is closed by the action.
        return self.get_fields(request, obj) if obj is not None else ()

    def has_add_permission(self, request):
        # Calls are logged inside one group: its operators and organizers.
        return super().has_add_permission(request) and permissions.can_use_hotline_log(request.user)

    def save_model(self, request, obj, form, change):
        if change:
            return  # nothing on a logged call is edited here
        created = call_log_create(
            actor=request.user,
            topic=obj.topic,
            text=obj.text,
            neighbor=obj.neighbor,
            follow_up=obj.follow_up,
        )
        obj.pk, obj.group_id, obj.created_at = created.pk, created.group_id, created.created_at
        obj.follow_up, obj.logged_by = created.follow_up, created.logged_by

    def personal_data_neighbors(self, obj):
        return [obj.neighbor]

    @admin.action(description=_("Mark the follow-up done"))
    def mark_done(self, request, queryset):
        apply_to_each(
            self,
            request,
            queryset,
            lambda call: call_log_mark_done(call=call, actor=request.user),
            lambda n: ngettext("%(count)d call marked done.", "%(count)d calls marked done.", n),
        )
