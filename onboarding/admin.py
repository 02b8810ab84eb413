"""Admin for invites (organizers create, copy and revoke them) and password requests."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from covidarnost import permissions
from covidarnost.admin_scoping import (
    ReadOnlyScopedAdmin,
    ScopedModelAdmin,
    adopt_saved,
    apply_to_each,
    report_errors,
)
from onboarding.models import INVITE_DAYS_DEFAULT, INVITE_DAYS_MAX, Invite, PasswordHelpRequest
from onboarding.services import invite_create, invite_revoke, password_link_issue
from requests.exceptions import RequestError


def password_links_response(model_admin, request, accounts):
    """Issue a one-time password link for each account and show them to pass on (a page,
    never a message stored in the session: the links are credentials for a day)."""
    links, failures = [], []
    for account in accounts:
        try:
            links.append((account, password_link_issue(user=account, actor=request.user)))
        except (RequestError, ValidationError) as error:
            failures.append((account, error))
        else:
            model_admin.log_change(request, account, str(_("Issued a one-time password link")))
    report_errors(model_admin, request, failures)
    if not links:
        return None
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("One-time links to set a new password"),
        "opts": model_admin.model._meta,
        "links": links,
        "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
    }
    return TemplateResponse(request, "admin/onboarding/password_links.html", context)


class InviteAdminForm(forms.ModelForm):
    days_valid = forms.IntegerField(
        label=_("valid for, days"),
        min_value=1,
        max_value=INVITE_DAYS_MAX,
        initial=INVITE_DAYS_DEFAULT,
    )

    class Meta:
        model = Invite
        fields = ("group", "for_name", "for_phone")


@admin.register(Invite)
class InviteAdmin(ScopedModelAdmin):
    accusative_name = pgettext_lazy("accusative", "invite")
    group_field = "group"
    form = InviteAdminForm
    list_display = ("__str__", "group", "state", "uses", "expires_at", "created_by", "link")
    list_select_related = ("group", "created_by")
    list_filter = ("group",)
    search_fields = ("for_name",)
    actions = ["revoke"]
    readonly_fields = (
        "link",
        "state",
        "group",
        "for_name",
        "for_phone",
        "uses",
        "used_by",
        "created_by",
        "created_at",
        "expires_at",
        "revoked_at",
        "revoked_by",
    )

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("group", "for_name", "for_phone", "days_valid")
        return self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.readonly_fields

    @admin.display(description=_("state"))
    def state(self, invite):
        return invite.get_state_display()

    @admin.display(description=_("link to pass on"))
    def link(self, invite):
        return format_html('<code class="invite-link">{}</code>', invite.url)

    def save_model(self, request, obj, form, change):
        if change:  # invites are not edited: revoke one and make another
            return
        group = form.cleaned_data.get("group") or request.user.group
        created = invite_create(
            group=group,
            actor=request.user,
            for_name=form.cleaned_data.get("for_name", ""),
            for_phone=form.cleaned_data.get("for_phone"),
            days_valid=form.cleaned_data["days_valid"],
        )
        adopt_saved(obj, created)

    def response_add(self, request, obj, post_url_continue=None):
        response = super().response_add(request, obj, post_url_continue)
        self.message_user(
            request,
            format_html("{} <code>{}</code>", _("Pass this link on to the volunteer:"), obj.url),
            messages.SUCCESS,
        )
        return response

    @admin.action(description=_("Revoke selected invites"), permissions=["manage"])
    def revoke(self, request, queryset):
        apply_to_each(
            self,
            request,
            queryset.select_related("group"),
            lambda invite: invite_revoke(invite=invite, actor=request.user),
            lambda n: ngettext("%(count)d invite revoked.", "%(count)d invites revoked.", n),
        )

    def has_manage_permission(self, request):
        return permissions.can_manage_group(request.user)


@admin.register(PasswordHelpRequest)
class PasswordHelpRequestAdmin(ReadOnlyScopedAdmin):
    """Members who forgot their password; an organizer issues each a one-time link."""

    accusative_name = pgettext_lazy("accusative", "password request")
    list_display = ("user", "full_name", "created_at", "handled_at", "handled_by")
    list_select_related = ("user", "handled_by")
    list_filter = (("handled_at", admin.EmptyFieldListFilter),)
    fields = ("user", "created_at", "handled_at", "handled_by")
    readonly_fields = fields
    actions = ["issue_password_link"]

    @admin.display(description=_("name"))
    def full_name(self, help_request):
        return help_request.user.get_full_name()

    @admin.action(
        description=_("Issue a one-time link to set a new password"), permissions=["manage"]
    )
    def issue_password_link(self, request, queryset):
        accounts = {help_request.user_id: help_request.user for help_request in queryset}
        return password_links_response(self, request, list(accounts.values()))

    def has_manage_permission(self, request):
        return permissions.can_manage_group(request.user)
