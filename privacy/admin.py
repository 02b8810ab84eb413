"""Organizers read, never edit, who saw their residents' details and what was erased."""

from django.contrib import admin
from django.utils.translation import pgettext_lazy

from covidarnost.admin_scoping import ReadOnlyScopedAdmin
from privacy.models import PersonalDataView, PrivacyEvent


@admin.register(PersonalDataView)
class PersonalDataViewAdmin(ReadOnlyScopedAdmin):
    accusative_name = pgettext_lazy("accusative", "personal data view")
    list_display = ("created_at", "viewer", "neighbor", "channel")
    list_select_related = ("viewer", "neighbor__block")
    list_filter = ("channel", "created_at")
    search_fields = ("viewer__username",)
    date_hierarchy = "created_at"
    fields = ("created_at", "viewer", "neighbor", "channel")
    readonly_fields = fields


@admin.register(PrivacyEvent)
class PrivacyEventAdmin(ReadOnlyScopedAdmin):
    accusative_name = pgettext_lazy("accusative", "privacy event")
    list_display = ("created_at", "action", "subject_id", "actor", "details")
    list_select_related = ("actor",)
    list_filter = ("action",)
    fields = ("created_at", "action", "subject_id", "actor", "group", "details")
    readonly_fields = fields
