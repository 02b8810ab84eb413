"""Admin for help requests and their history. Every status change goes through the services."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from covidarnost import permissions
from covidarnost.admin_scoping import (
    ReadOnlyScopedAdmin,
    ReadOnlyScopedInline,
    ScopedModelAdmin,
    adopt_saved,
    apply_to_each,
)
from impex.admin_mixins import PersonalDataExportMixin
from impex.exports import HelpRequestExportResource
from privacy.admin_mixins import RecordsPersonalDataViews
from requests.admin_actions import (
    give_to_volunteer,
    holder,
    report_undeliverable_for_volunteer,
)
from requests.kinds import kind_choices
from requests.models import (
    HelpRequest,
    Offer,
    RequestEvent,
    RequestKind,
)
from requests.selectors import (
    is_overdue,
    overdue_requests,
    reimbursement_owed_q,
    with_opened_at,
)
from requests.services import (
    CORRECTABLE_FIELDS,
    help_request_cancel,
    help_request_create,
    help_request_deliver,
    help_request_mark_bought,
    help_request_mark_reimbursed,
    help_request_update,
    request_kind_save,
)
from requests.transitions import Action

ADD_FIELDS = (
    "neighbor",
    "block",
    "kind",
    "urgency",
    "details",
    "due_at",
    "budget",
    "payment",
    "source",
    "form_serial",
)


class OverdueFilter(admin.SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue"))]

    def queryset(self, request, queryset):
        if self.value() != "yes":
            return queryset
        return overdue_requests(queryset)


class ReimbursementFilter(admin.SimpleListFilter):
    """Purchases volunteers paid for themselves and were not paid back yet."""

    title = _("reimbursement")
    parameter_name = "reimbursement"

    def lookups(self, request, model_admin):
        return [("outstanding", _("Outstanding")), ("done", _("Reimbursed"))]

    def queryset(self, request, queryset):
        if self.value() == "outstanding":
            return queryset.filter(reimbursement_owed_q())
        if self.value() == "done":
            return queryset.filter(reimbursed_at__isnull=False)
        return queryset


class KindFilter(admin.SimpleListFilter):
    """The kinds the user's group offers, by name (the column stores slugs)."""

    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return kind_choices(request.user.group_id)

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


class OfferedKindField:
    """A model admin whose "kind" offers the kinds the user's group offers (requests.kinds);
    the services check the block's group on save."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "kind":
            return forms.ChoiceField(
                label=db_field.verbose_name, choices=kind_choices(request.user.group_id)
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class HelpRequestAddForm(forms.ModelForm):
    """Entering a request from a phone call or a paper form; saved by help_request_create."""

    class Meta:
        model = HelpRequest
        fields = ADD_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "block" in self.fields:
            self.fields["block"].required = False
            self.fields["block"].help_text = _("Empty: the neighbor's block.")

    def clean(self):
        cleaned = super().clean()
        neighbor = cleaned.get("neighbor")
        block = cleaned.get("block")
        if neighbor is not None and block is None:
            cleaned["block"] = block = neighbor.block
        if neighbor is not None and block is not None and neighbor.block.group_id != block.group_id:
            self.add_error("neighbor", _("This neighbor belongs to another group."))
        return cleaned


class RequestEventInline(ReadOnlyScopedInline):
    model = RequestEvent
    fields = (
        "created_at",
        "action_label",
        "from_status",
        "to_status",
        "actor",
        "on_behalf_of",
        "note",
    )
    ordering = ("created_at", "id")
    verbose_name_plural = _("history")

    @admin.display(description=_("action"))
    def action_label(self, event):
        try:
            return Action(event.action).label
        except ValueError:
            return event.action

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor", "on_behalf_of")


class RequestEventWithoutNotesInline(RequestEventInline):
    fields = ("created_at", "action_label", "from_status", "to_status", "actor")


class OfferInline(ReadOnlyScopedInline):
    model = Offer
    fields = ("rank", "volunteer", "score", "reason", "status", "created_at", "expires_at")
    ordering = ("rank",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("volunteer__user")


@admin.register(HelpRequest)
class HelpRequestAdmin(
    OfferedKindField, PersonalDataExportMixin, RecordsPersonalDataViews, ScopedModelAdmin
):
    # Export to CSV or XLSX; personal columns only when asked for, and recorded (impex).
    export_resource_class = HelpRequestExportResource
    import_export_change_list_template = "admin/import_export/change_list_export.html"
    accusative_name = pgettext_lazy("accusative", "help request")
    list_display = (
        "short_id",
        "kind_name",
        "status",
        "urgency",
        "block_code",
        "neighbor",
        "source",
        "created_at",
        "due_at",
        "volunteer",
        "overdue",
    )
    list_select_related = ("block__group", "neighbor__block", "volunteer__user")
    list_filter = (
        "status",
        KindFilter,
        "urgency",
        "block",
        "source",
        OverdueFilter,
        ReimbursementFilter,
    )
    search_fields = (
        "id__startswith",
        "form_serial",
        "details",
        "block__code",
        "neighbor__name",
        "neighbor__flat",
        "neighbor__phone",
    )
    date_hierarchy = None
    actions = [
        "cancel",
        "mark_reimbursed",
        give_to_volunteer,
        "mark_bought_for_volunteer",
        "deliver_for_volunteer",
        report_undeliverable_for_volunteer,
    ]
    inlines = [RequestEventInline, OfferInline]
    change_fieldsets = (
        (
            None,
            {
                "fields": (
                    "status",
                    "kind_name",
                    "urgency",
                    "details",
                    "due_at",
                    "budget",
                    "payment",
                )
            },
        ),
        (_("Resident"), {"fields": ("neighbor", "block", "code_word")}),
        (_("Origin"), {"fields": ("source", "form_serial", "created_by", "created_at")}),
        (
            _("Progress"),
            {"fields": ("volunteer", "claimed_at", "bought_at", "delivered_at", "cancelled_at")},
        ),
        (
            _("Delivery report and money"),
            {"fields": ("spent", "paid_by", "receipt_link", "reimbursed_at", "reimbursed_by")},
        ),
    )

    def get_queryset(self, request):
        # opened_at lets the "overdue" column decide without a query per row.
        return with_opened_at(super().get_queryset(request))

    def personal_data_neighbors(self, obj):
        return [obj.neighbor]

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": ADD_FIELDS})]
        if permissions.can_see_request_notes(request.user, obj):
            return self.change_fieldsets
        # A consultation's notes are for the consultant and organizers, not operators.
        return [
            (title, {**options, "fields": [f for f in options["fields"] if f != "details"]})
            for title, options in self.change_fieldsets
        ]

    def get_search_fields(self, request):
        fields = super().get_search_fields(request)
        if permissions.can_manage_group(request.user):
            return fields
        # Searching the free text would reveal consultations' notes to operators.
        return tuple(name for name in fields if name != "details")

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        # Status, volunteer and the report change only through the services.
        return tuple(
            name
            for _title, options in self.change_fieldsets
            for name in options["fields"]
            if name not in CORRECTABLE_FIELDS
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = HelpRequestAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_inlines(self, request, obj):
        if obj is None:
            return []
        if not permissions.can_see_request_notes(request.user, obj):
            return [RequestEventWithoutNotesInline, OfferInline]
        return self.inlines

    def save_model(self, request, obj, form, change):
        if change:
            help_request_update(
                help_request=obj,
                actor=request.user,
                changes={
                    name: form.cleaned_data[name]
                    for name in CORRECTABLE_FIELDS
                    if name in form.changed_data
                },
            )
            return
        created, _created = help_request_create(
            created_by=request.user,
            block=obj.block,
            neighbor=obj.neighbor,
            kind=obj.kind,
            details=obj.details,
            source=obj.source,
            budget=obj.budget,
            payment=obj.payment,
            urgency=obj.urgency,
            due_at=obj.due_at,
            form_serial=obj.form_serial,
        )
        adopt_saved(obj, created)

    @admin.display(description=_("number"), ordering="created_at")
    def short_id(self, help_request):
        return help_request.short_id

    @admin.display(description=_("kind"), ordering="kind")
    def kind_name(self, help_request):
        return help_request.get_kind_display()

    @admin.display(description=_("receipt photo"))
    def receipt_link(self, help_request):
        # The permission-checked view, never the file's media URL: media is not served, and
        # must not be, since anyone with the path would see the photo.
        if not help_request.receipt:
            return "—"
        url = reverse("volunteers:task_receipt", args=[help_request.pk])
        return format_html('<a href="{}">{}</a>', url, _("Open the receipt photo"))

    @admin.display(description=_("block"), ordering="block__code")
    def block_code(self, help_request):
        return help_request.block.code

    @admin.display(description=_("overdue"), boolean=True)
    def overdue(self, help_request):
        return is_overdue(help_request)

    def has_cancel_permission(self, request):
        return permissions.can_cancel_request(request.user)

    @admin.action(description=_("Cancel selected requests"), permissions=["cancel"])
    def cancel(self, request, queryset):
        apply_to_each(
            self,
            request,
            queryset,
            lambda help_request: help_request_cancel(help_request=help_request, actor=request.user),
            lambda n: ngettext("%(count)d request cancelled.", "%(count)d requests cancelled.", n),
        )

    # For volunteers without a smartphone, who tell an operator by phone. Giving a request and
    # could-not-deliver ask for a volunteer or a reason first: requests.admin_actions.
    @admin.action(description=_("Mark bought, for the volunteer holding it"))
    def mark_bought_for_volunteer(self, request, queryset):
        apply_to_each(
            self,
            request,
            queryset.select_related("volunteer__user", "block"),
            lambda help_request: help_request_mark_bought(
                help_request=help_request,
                volunteer=holder(help_request),
                acting_user=request.user,
            ),
            lambda n: _("Requests marked bought: %(count)d."),
        )

    @admin.action(description=_("Mark delivered, for the volunteer holding it"))
    def deliver_for_volunteer(self, request, queryset):
        apply_to_each(
            self,
            request,
            queryset.select_related("volunteer__user", "block"),
            lambda help_request: help_request_deliver(
                help_request=help_request,
                volunteer=holder(help_request),
                acting_user=request.user,
            ),
            lambda n: _("Requests marked delivered: %(count)d."),
        )

    @admin.action(description=_("Mark selected requests reimbursed"), permissions=["manage"])
    def mark_reimbursed(self, request, queryset):
        apply_to_each(
            self,
            request,
            queryset,
            lambda help_request: help_request_mark_reimbursed(
                help_request=help_request, actor=request.user
            ),
            lambda n: ngettext(
                "%(count)d request marked reimbursed.", "%(count)d requests marked reimbursed.", n
            ),
        )


@admin.register(RequestEvent)
class RequestEventAdmin(ReadOnlyScopedAdmin):
    accusative_name = pgettext_lazy("accusative", "request event")
    list_display = ("created_at", "help_request", "action", "from_status", "to_status", "actor")
    list_select_related = ("help_request__block", "actor")
    list_filter = ("action", "to_status")
    search_fields = ("=help_request__id",)


@admin.register(Offer)
class OfferAdmin(ReadOnlyScopedAdmin):
    accusative_name = pgettext_lazy("accusative", "offer")
    list_display = ("help_request", "rank", "volunteer", "score", "reason", "status", "expires_at")
    list_select_related = ("help_request__block", "volunteer__user")
    list_filter = ("status",)
    search_fields = ("=help_request__id", "volunteer__user__username")


@admin.register(RequestKind)
class RequestKindAdmin(ScopedModelAdmin):
    """Organizers add and change their group's own kinds; built-ins are the coordinators'."""

    accusative_name = pgettext_lazy("accusative", "kind of request")
    group_field = "group"
    list_display = ("name", "slug", "group", "skill", "home_visit", "is_active", "position")
    list_select_related = ("group",)
    list_filter = ("is_active", "skill")
    search_fields = ("name", "slug")
    fields = ("group", "slug", "name", "skill", "home_visit", "is_active", "position")

    def get_readonly_fields(self, request, obj=None):
        # Requests store the slug: it never changes once saved.
        return ("slug",) if obj is not None else ()

    def save_model(self, request, obj, form, change):
        if not permissions.is_coordinator(request.user):
            obj.group_id = request.user.group_id
        request_kind_save(kind=obj, actor=request.user)
