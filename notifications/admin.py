"""Admin for the notifications sent: read-only, scoped to the user's group."""

from django.contrib import admin

from covidarnost.admin_scoping import ReadOnlyScopedAdmin
from notifications.models import NotificationLog


@admin.register(NotificationLog)
class NotificationLogAdmin(ReadOnlyScopedAdmin):
    list_display = ("created_at", "key", "channel", "recipient", "help_request")
    list_select_related = ("recipient", "help_request__block")
    list_filter = ("channel",)
    search_fields = ("key",)
