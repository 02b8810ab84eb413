"""Admin for accounts: coordinators manage everyone, organizers the members of their group."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group as AuthGroup
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from covidarnost import permissions
from covidarnost.admin_scoping import GroupScopedAdminMixin
from onboarding.admin import password_links_response
from privacy.admin_mixins import PersonHistory
from users.models import User
from users.services import user_save

# Rights come from covidarnost.permissions, not Django's permission groups: hiding them
# avoids two different things called "groups" in the admin.
if admin.site.is_registered(AuthGroup):
    admin.site.unregister(AuthGroup)


@admin.register(User)
class UserAdmin(PersonHistory, GroupScopedAdminMixin, DjangoUserAdmin):
    accusative_name = pgettext_lazy("accusative", "user")
    group_field = "group"
    list_display = ("username", "first_name", "last_name", "role", "group", "is_active")
    list_select_related = ("group",)
    list_filter = ("role", "is_active", "group")
    search_fields = ("username", "first_name", "last_name", "email", "phone")
    ordering = ("username",)
    readonly_fields = ("last_login", "date_joined")
    actions = ["issue_password_link"]

    superuser_fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email", "phone")}),
        (_("Membership"), {"fields": ("group", "role", "network")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    organizer_fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email", "phone")}),
        (_("Membership"), {"fields": ("group", "role", "is_active")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "usable_password", "password1", "password2"),
            },
        ),
        (_("Membership"), {"fields": ("group", "role")}),
    )
    superuser_add_fieldsets = (
        add_fieldsets[0],
        (_("Membership"), {"fields": ("group", "role", "network")}),
    )

    def has_change_permission(self, request, obj=None):
        # Staff of a higher role are never editable by a lower one: this also closes the
        # password form (Django's user_change_password asks here).
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or permissions.can_edit_account(request.user, obj))

    def get_fieldsets(self, request, obj=None):
        superuser = permissions.is_superuser(request.user)
        if obj is None:
            return self.superuser_add_fieldsets if superuser else self.add_fieldsets
        if superuser:
            return self.superuser_fieldsets
        return self.organizer_fieldsets

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if not permissions.is_superuser(request.user):
            if "role" in form.base_fields:
                # Everyone an organizer or coordinator adds works in a group in some role.
                allowed = permissions.roles_user_may_give(request.user)
                role = form.base_fields["role"]
                role.required = True
                role.choices = [c for c in role.choices if c[0] in allowed or c[0] == ""]
            if "group" in form.base_fields:
                form.base_fields["group"].required = True
        return form

    def save_model(self, request, obj, form, change):
        user_save(user=obj, actor=request.user, adding=not change)

    @admin.action(
        description=_("Issue a one-time link to set a new password"), permissions=["manage"]
    )
    def issue_password_link(self, request, queryset):
        return password_links_response(self, request, list(queryset))
