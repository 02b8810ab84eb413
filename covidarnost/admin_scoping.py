"""What every admin class shares: objects, choices and rights limited to the user's group.

Organizers and operators use the Django admin for their own group only. Every ModelAdmin and
inline of the project inherits from these classes, so the list, the change form, foreign-key and
many-to-many choices, list-filter choices and actions all go through permissions.scope(), and
what a role may do comes from permissions.can_admin(), never from Django's permission rows.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.filters import RelatedFieldListFilter
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Model, QuerySet
from django.template.response import TemplateResponse
from django.utils.translation import gettext

from covidarnost import permissions
from requests.exceptions import RequestError

# Related objects whose __str__ reads another row: load it with the choices, one query in all.
CHOICE_SELECT_RELATED: dict[str, tuple[str, ...]] = {
    "volunteers.volunteer": ("user",),
    "neighbors.neighbor": ("block",),
    "requests.helprequest": ("block",),
}


def scoped_choices(model: type[Model], user) -> QuerySet:
    """Objects of model the user may pick in a form or a filter."""
    queryset = model._default_manager.all()
    related = CHOICE_SELECT_RELATED.get(model._meta.label_lower)
    if related:
        queryset = queryset.select_related(*related)
    if model._meta.label_lower in permissions.NETWORK_PATHS:
        return permissions.scope(queryset, user)
    # Models outside any group or network (Django's own) are the superusers' business.
    return queryset if permissions.is_superuser(user) else queryset.none()


class ScopedRelatedFieldListFilter(RelatedFieldListFilter):
    """A list filter on a relation that offers only objects of the user's group."""

    def field_choices(self, field, request, model_admin):
        queryset = scoped_choices(field.related_model, request.user)
        ordering = self.field_admin_ordering(field, request, model_admin)
        if ordering:
            queryset = queryset.order_by(*ordering)
        return [(obj.pk, str(obj)) for obj in queryset]


def apply_to_each(model_admin, request, queryset, change, done_message) -> None:
    """Run an admin action's service call on each selected object and report the outcome.

    change(obj) calls a service; its refusals (RequestError, ValidationError) are listed per
    object, the others still go through. done_message(n) is an ngettext string with %(count)d.
    Each change goes into the admin's log with who did it (Django logs form saves, not
    actions).
    """
    action = request.POST.get("action", "")
    label = model_admin.get_actions(request).get(action, (None, action, action))[2]
    failures, done = [], 0
    for obj in queryset:
        try:
            change(obj)
        except (RequestError, ValidationError) as error:
            failures.append((obj, error))
        else:
            done += 1
            model_admin.log_change(request, obj, str(label))
    if done:
        model_admin.message_user(request, done_message(done) % {"count": done}, messages.SUCCESS)
    report_errors(model_admin, request, failures)


def action_form_page(
    model_admin, request, *, title, intro, items, form, action: str, submit_label
) -> TemplateResponse:
    """The intermediate page of an admin action that asks one more thing (a volunteer, some
    blocks) before it acts on the selected objects; posting it runs the action again with
    "apply". One template for every such action (assigning blocks both ways)."""
    context = {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "intro": intro,
        "opts": model_admin.model._meta,
        "form": form,
        "items": items,
        "action": action,
        "submit_label": submit_label,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "media": model_admin.media + form.media,
    }
    return TemplateResponse(request, "admin/neighbors/block/assign_volunteer.html", context)


def adopt_saved(obj: Model, saved: Model) -> None:
    """Make the admin's unsaved obj the object a service saved.

    save_model hands creation to a service (which validates and records who did it); the
    admin goes on with obj (log entry, redirect), so it must become the saved row.
    """
    for field in saved._meta.concrete_fields:
        setattr(obj, field.attname, getattr(saved, field.attname))
    obj._state.adding = False
    obj._state.db = saved._state.db


def report_errors(model_admin, request, failures: list[tuple[object, Exception]]) -> None:
    """Tell the user which objects an action could not change, and why (never a 500)."""
    for obj, error in failures:
        message = getattr(error, "messages", None)
        text = " ".join(str(m) for m in message) if message else str(error)
        model_admin.message_user(request, f"{obj}: {text}", messages.ERROR)


class GroupScopedAdminMixin:
    """Shared by every ModelAdmin: queryset, choices, filters and rights scoped to the group.

    group_field names a direct foreign key to neighbors.Group (Block.group, User.group): an
    organizer sees it fixed to their own group, and new objects get that group on save.
    """

    group_field: str | None = None
    # The model's name as the object of a verb. Django fills "Add %s", "Select %s to change"
    # with verbose_name, the nominative, which reads "Добавить заявка" in Russian; each
    # admin gives pgettext_lazy("accusative", …) so the headings read "Добавить заявку".
    accusative_name = None

    # Headings ---------------------------------------------------------------------------

    def _object_name(self):
        return self.accusative_name or self.model._meta.verbose_name

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        if changelist.is_popup:
            title = gettext("Select %s")
        elif self.has_change_permission(request):
            title = gettext("Select %s to change")
        else:
            title = gettext("Select %s to view")
        changelist.title = title % self._object_name()
        return changelist

    def changelist_view(self, request, extra_context=None):
        # Read by templates/admin/change_list_object_tools.html for the "Add …" button.
        extra_context = {
            "add_label": gettext("Add %s") % self._object_name(),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if add:
            title = gettext("Add %s")
        elif self.has_change_permission(request, obj):
            title = gettext("Change %s")
        else:
            title = gettext("View %s")
        context["title"] = title % self._object_name()
        return super().render_change_form(request, context, add, change, form_url, obj)

    # Rights -----------------------------------------------------------------------------

    def _can(self, request, action: str, obj=None) -> bool:
        label = self.model._meta.label_lower
        if not permissions.can_admin(request.user, label, action):
            return False
        # get_object() is scoped already; this is the second lock on the door.
        return (
            obj is None
            or permissions.is_superuser(request.user)
            or (permissions.can_see(request.user, obj))
        )

    def has_module_permission(self, request):
        label = self.model._meta.label_lower
        return any(
            permissions.can_admin(request.user, label, action)
            for action in ("view", "add", "change", "delete")
        )

    def has_view_permission(self, request, obj=None):
        return self._can(request, "view", obj) or self._can(request, "change", obj)

    def has_add_permission(self, request):
        return self._can(request, "add")

    def has_change_permission(self, request, obj=None):
        return self._can(request, "change", obj)

    def has_delete_permission(self, request, obj=None):
        return self._can(request, "delete", obj)

    def has_manage_permission(self, request):
        """Actions for organizers only: verify volunteers, assign blocks, reimburse."""
        return permissions.can_manage_group(request.user)

    # Objects and choices ----------------------------------------------------------------

    def get_queryset(self, request):
        return permissions.scope(super().get_queryset(request), request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        user = request.user
        if db_field.name == self.group_field and not permissions.is_coordinator(user):
            kwargs["queryset"] = db_field.related_model._default_manager.filter(pk=user.group_id)
            kwargs["initial"] = user.group_id
            kwargs["disabled"] = True
        elif "queryset" not in kwargs:
            kwargs["queryset"] = scoped_choices(db_field.related_model, user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            kwargs["queryset"] = scoped_choices(db_field.related_model, request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_list_display(self, request):
        display = super().get_list_display(request)
        if self.group_field and not permissions.is_coordinator(request.user):
            # An organizer's list is all one group: the column says nothing.
            display = [name for name in display if name != self.group_field]
        return display

    def get_list_filter(self, request):
        """Every filter on a relation offers only the user's group's objects."""
        filters = []
        for item in super().get_list_filter(request):
            if isinstance(item, str) and "__" not in item:
                try:
                    field = self.model._meta.get_field(item)
                except FieldDoesNotExist:
                    field = None
                if field is not None and field.is_relation:
                    item = (item, ScopedRelatedFieldListFilter)
            filters.append(item)
        return filters

    def save_model(self, request, obj, form, change):
        if self.group_field and not permissions.is_coordinator(request.user):
            setattr(obj, f"{self.group_field}_id", request.user.group_id)
        super().save_model(request, obj, form, change)


class ScopedModelAdmin(GroupScopedAdminMixin, admin.ModelAdmin):
    """The base of every ModelAdmin in the project."""


class ReadOnlyScopedAdmin(ScopedModelAdmin):
    """History and logs: looked at, never written from the admin."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyScopedInline(admin.TabularInline):
    """A read-only inline, shown to whoever may view the parent object, rows of its group."""

    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = False

    def get_queryset(self, request):
        return permissions.scope(super().get_queryset(request), request.user)

    def get_readonly_fields(self, request, obj=None):
        return self.fields or ()

    def has_view_permission(self, request, obj=None):
        label = self.parent_model._meta.label_lower
        return permissions.can_admin(request.user, label, "view")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
