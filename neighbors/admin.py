"""Admin for networks, groups, blocks and neighbors, each limited to the organizer's group."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from covidarnost import permissions
from covidarnost.admin_scoping import (
    ScopedModelAdmin,
    action_form_page,
    adopt_saved,
    apply_to_each,
    report_errors,
    scoped_choices,
)
from impex.admin_mixins import PersonalDataExportMixin, ScopedImportMixin
from impex.resources import BlockResource
from neighbors.models import Block, Group, Neighbor, Network
from neighbors.selectors import isolated_neighbors_due
from neighbors.services import (
    BLOCK_FIELDS,
    block_create,
    block_update,
    neighbor_create,
    neighbor_update,
)
from printing.admin import print_flyers_and_forms
from privacy.admin_mixins import PersonDataActions, PersonHistory, RecordsPersonalDataViews
from privacy.lock import group_lock, group_unlock
from privacy.person_data import resident_erase, resident_export
from requests.exceptions import RequestError
from volunteers.models import Volunteer, VolunteerStatus
from volunteers.services import volunteer_assign_blocks, volunteer_unassign_blocks


@admin.register(Network)
class NetworkAdmin(ScopedModelAdmin):
    """Networks of groups: superusers, and each coordinator their own network."""

    accusative_name = pgettext_lazy("accusative", "network")
    list_display = ("name",)
    search_fields = ("name",)


@admin.register(Group)
class GroupAdmin(ScopedModelAdmin):
    accusative_name = pgettext_lazy("accusative", "group")
    list_display = ("name", "city", "network", "sla_minutes", "urgent_sla_minutes", "locked_at")
    list_select_related = ("network",)
    search_fields = ("name", "slug", "city")
    actions = ["lock", "unlock"]

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not permissions.is_coordinator(request.user):
            # The emergency lock is the coordinators' tool (privacy.lock).
            for name in ("lock", "unlock"):
                actions.pop(name, None)
        return actions

    @admin.action(description=_("Emergency lock: sign everyone out, hide personal data"))
    def lock(self, request, queryset):
        apply_to_each(
            self,
            request,
            queryset,
            lambda group: group_lock(group=group, actor=request.user),
            lambda count: ngettext(
                "%(count)d group locked: its members are signed out and see nothing until "
                "the lock is lifted.",
                "%(count)d groups locked: their members are signed out and see nothing until "
                "the lock is lifted.",
                count,
            ),
        )

    @admin.action(description=_("Lift the emergency lock"))
    def unlock(self, request, queryset):
        apply_to_each(
            self,
            request,
            queryset,
            lambda group: group_unlock(group=group, actor=request.user),
            lambda count: ngettext(
                "%(count)d group unlocked.", "%(count)d groups unlocked.", count
            ),
        )

    def get_readonly_fields(self, request, obj=None):
        lock = ("locked_at", "locked_by")
        if permissions.is_superuser(request.user):
            return ("created_at", *lock)
        if permissions.is_coordinator(request.user):
            # A coordinator's groups always belong to their own network (set on save).
            return ("network", "created_at", *lock)
        # The network and short name are set by coordinators; organizers tune their group.
        return ("network", "slug", "created_at", *lock)

    def get_list_filter(self, request):
        if permissions.is_superuser(request.user):
            return super().get_list_filter(request) + [("network", admin.RelatedFieldListFilter)]
        return super().get_list_filter(request)

    def save_model(self, request, obj, form, change):
        network_id = permissions.coordinator_network_id(request.user)
        if network_id is not None:
            obj.network_id = network_id
        super().save_model(request, obj, form, change)


class HasVolunteerFilter(admin.SimpleListFilter):
    title = _("volunteers")
    parameter_name = "has_volunteer"

    def lookups(self, request, model_admin):
        return [("yes", _("Has a volunteer")), ("no", _("No volunteer"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(volunteer_count__gt=0)
        if self.value() == "no":
            return queryset.filter(volunteer_count=0)
        return queryset


class AssignVolunteerForm(forms.Form):
    volunteer = forms.ModelChoiceField(
        label=_("Volunteer"), queryset=Volunteer.objects.none(), empty_label=None
    )

    def __init__(self, *args, user, holding=None, **kwargs):
        """holding: blocks to take away: only volunteers who hold one of them, whatever their
        state (a removed volunteer's blocks are cleared this way). Otherwise those who may get
        blocks: anyone of the group not removed."""
        super().__init__(*args, **kwargs)
        volunteers = scoped_choices(Volunteer, user)
        if holding is None:
            volunteers = volunteers.exclude(status=VolunteerStatus.REMOVED)
        else:
            volunteers = volunteers.filter(blocks__in=holding).distinct()
        self.fields["volunteer"].queryset = volunteers.order_by("user__username")


@admin.register(Block)
class BlockAdmin(ScopedImportMixin, PersonalDataExportMixin, ScopedModelAdmin):
    accusative_name = pgettext_lazy("accusative", "block")
    # Import from CSV or OpenStreetMap GeoJSON, export to CSV or XLSX (impex).
    import_resource_class = export_resource_class = BlockResource
    import_export_change_list_template = "admin/import_export/change_list_import_export.html"
    import_help_template = "admin/impex/blocks_import_help.html"
    import_preview_columns = (
        ("code", _("code")),
        ("address", _("address")),
        ("entrances", _("entrances")),
        ("latitude", _("latitude")),
        ("longitude", _("longitude")),
    )
    group_field = "group"
    list_display = ("code", "address", "entrances", "floors", "volunteer_count", "group")
    list_select_related = ("group",)
    list_filter = ("group", HasVolunteerFilter)
    search_fields = ("code", "address")
    fields = ("group", "code", "address", "entrances", "floors", "latitude", "longitude")
    actions = ["assign_to_volunteer", "unassign_from_volunteer", print_flyers_and_forms]

    def has_print_permission(self, request):
        """Organizers and operators print flyers and forms for their group's blocks."""
        return permissions.can_print(request.user)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(volunteer_count=Count("volunteers"))

    def save_model(self, request, obj, form, change):
        """Through block_create / block_update, which check who may and validate."""
        if not permissions.is_coordinator(request.user):
            obj.group_id = request.user.group_id
        fields = {name: getattr(obj, name) for name in BLOCK_FIELDS}
        if change:
            block_update(block=obj, actor=request.user, group=obj.group, **fields)
        else:
            created = block_create(group=obj.group, actor=request.user, **fields)
            adopt_saved(obj, created)

    @admin.display(description=_("volunteers"), ordering="volunteer_count")
    def volunteer_count(self, block):
        return block.volunteer_count

    @admin.action(description=_("Assign selected blocks to a volunteer"), permissions=["manage"])
    def assign_to_volunteer(self, request, queryset):
        return self._blocks_and_volunteer(request, queryset, unassign=False)

    @admin.action(
        description=_("Take selected blocks away from a volunteer"), permissions=["manage"]
    )
    def unassign_from_volunteer(self, request, queryset):
        return self._blocks_and_volunteer(request, queryset, unassign=True)

    def _blocks_and_volunteer(self, request, queryset, *, unassign: bool):
        """Choose a volunteer of the group, then give them the selected blocks or take them
        away, through volunteers.services (group rule, base location)."""
        holding = queryset if unassign else None
        if "apply" in request.POST:
            form = AssignVolunteerForm(request.POST, user=request.user, holding=holding)
            if form.is_valid():
                volunteer = form.cleaned_data["volunteer"]
                change = volunteer_unassign_blocks if unassign else volunteer_assign_blocks
                try:
                    change(volunteer=volunteer, blocks=queryset, actor=request.user)
                except (RequestError, ValidationError) as error:
                    report_errors(self, request, [(volunteer, error)])
                    return None
                codes = ", ".join(block.code for block in queryset)
                label = (
                    _("Take blocks away from a volunteer")
                    if unassign
                    else _("Assign blocks to a volunteer")
                )
                self.log_change(request, volunteer, f"{label}: {codes}")
                count = len(queryset)
                done = (
                    ngettext(
                        "%(count)d block taken away from %(volunteer)s.",
                        "%(count)d blocks taken away from %(volunteer)s.",
                        count,
                    )
                    if unassign
                    else ngettext(
                        "%(count)d block assigned to %(volunteer)s.",
                        "%(count)d blocks assigned to %(volunteer)s.",
                        count,
                    )
                )
                self.message_user(
                    request, done % {"count": count, "volunteer": volunteer}, messages.SUCCESS
                )
                return None
        else:
            form = AssignVolunteerForm(user=request.user, holding=holding)
        if unassign:
            return action_form_page(
                self,
                request,
                title=_("Take blocks away from a volunteer"),
                intro=_("These blocks will be taken away from the volunteer:"),
                items=queryset,
                form=form,
                action="unassign_from_volunteer",
                submit_label=_("Take away"),
            )
        return action_form_page(
            self,
            request,
            title=_("Assign blocks to a volunteer"),
            intro=_("These blocks will be added to the volunteer's blocks:"),
            items=queryset,
            form=form,
            action="assign_to_volunteer",
            submit_label=_("Assign"),
        )


class IsolatedFilter(admin.SimpleListFilter):
    """Isolated neighbors, and those of them due a check-in call (neighbors.selectors)."""

    title = _("isolated")
    parameter_name = "isolated"

    def lookups(self, request, model_admin):
        return [
            ("yes", _("Yes")),
            ("no", _("No")),
            ("stale", _("Yes, due a check-in call")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(is_isolated=True)
        if self.value() == "no":
            return queryset.filter(is_isolated=False)
        if self.value() == "stale":
            return isolated_neighbors_due(queryset)
        return queryset


@admin.register(Neighbor)
class NeighborAdmin(PersonHistory, PersonDataActions, RecordsPersonalDataViews, ScopedModelAdmin):
    actions = ["export_personal_data", "erase_personal_data"]
    person_export = staticmethod(
        lambda resident, actor: resident_export(resident=resident, actor=actor)
    )
    person_erase = staticmethod(
        lambda resident, actor: resident_erase(resident=resident, actor=actor)
    )
    accusative_name = pgettext_lazy("accusative", "neighbor")
    list_display = (
        "__str__",
        "name",
        "phone",
        "is_isolated",
        "consent_to_contact",
        "last_contact_at",
    )
    list_select_related = ("block",)
    list_filter = ("block", IsolatedFilter, "consent_to_contact")
    search_fields = ("name", "flat", "phone", "block__code", "block__address")
    fields = (
        "block",
        "name",
        "flat",
        "entrance",
        "floor",
        "phone",
        "notes",
        "consent_to_contact",
        "is_isolated",
        "last_contact_at",
        "last_contact_by",
        "keep_data",
    )
    readonly_fields = ("last_contact_by",)

    def get_fields(self, request, obj=None):
        if obj is None:
            # A new resident has had no contact yet; neighbor_create takes the rest.
            return [n for n in self.fields if n not in ("last_contact_at", "last_contact_by")]
        return self.fields

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            # Through the service: its rules, and who changed what in the audit log.
            neighbor_update(
                neighbor=obj,
                actor=request.user,
                **{name: data[name] for name in form.changed_data if name in data},
            )
            return
        created = neighbor_create(
            actor=request.user,
            block=data["block"],
            name=data["name"],
            flat=data.get("flat", ""),
            phone=str(data.get("phone") or ""),
            entrance=data.get("entrance"),
            floor=data.get("floor"),
            notes=data.get("notes", ""),
            consent_to_contact=data.get("consent_to_contact", False),
            is_isolated=data.get("is_isolated", False),
        )
        adopt_saved(obj, created)

    def personal_data_neighbors(self, obj):
        return [obj]
