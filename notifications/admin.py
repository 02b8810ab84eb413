"""Admin for the notifications sent: read-only, scoped to the user's group."""

from django.contrib import admin
from django.utils.translation import pgettext_lazy

from covidarnost.admin_scoping import ReadOnlyScopedAdmin
from notifications.models import NotificationLog


@admin.register(NotificationLog)
class NotificationLogAdmin(ReadOnlyScopedAdmin):
    accusative_name = pgettext_lazy("accusative", "notification sent")
    list_display = ("created_at", "key", "channel", "recipient", "help_request")
    list_select_related = ("recipient", "help_request__block")
    list_filter = ("channel",)
    search_fields = ("key",)
