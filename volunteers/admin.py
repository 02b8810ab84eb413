"""Admin for volunteer profiles: organizers verify, pause and remove volunteers of their group."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy
from import_export.results import RowResult

from covidarnost import permissions
from covidarnost.admin_scoping import (
    ScopedModelAdmin,
    action_form_page,
    apply_to_each,
    scoped_choices,
)
from impex.admin_mixins import PersonalDataExportMixin, ScopedImportMixin
from impex.exports import VolunteerExportResource
from impex.volunteer_import import VolunteerImportResource
from neighbors.models import Block
from onboarding.admin import password_links_response
from privacy.admin_mixins import PersonDataActions, PersonHistory
from privacy.person_data import volunteer_erase, volunteer_export
from requests.models import IN_HAND
from users.models import Role, User
from users.services import user_sign_out_everywhere
from volunteers.models import (
    STATUS_REASON_MAX_LENGTH,
    VerificationMethod,
    Volunteer,
    VolunteerStatus,
)
from volunteers.selectors import weekly_hours_text
from volunteers.services import (
    check_blocks_of_own_group,
    volunteer_accept_safety_protocol_for,
    volunteer_allow_claims,
    volunteer_assign_blocks,
    volunteer_set_status,
    volunteer_set_task_limit,
    volunteer_unassign_blocks,
    volunteer_update_availability,
)

AVAILABILITY = ("is_available", "max_open_tasks", "notification_channel")


class VolunteerAdminForm(forms.ModelForm):
    class Meta:
        model = Volunteer
        fields = (
            "user",
            "blocks",
            "is_available",
            "max_open_tasks_allowed",
            "radius_km",
            "base_latitude",
            "base_longitude",
            "has_car",
            "does_pharmacy",
            "does_legal_consultation",
            "does_psychological_consultation",
            "languages",
            "notification_channel",
            "telegram_chat_id",
            "show_first_name_on_flyer",
        )

    def clean(self):
        cleaned = super().clean()
        user = cleaned.get("user") or getattr(self.instance, "user", None)
        blocks = cleaned.get("blocks")
        if user is not None and blocks:
            try:
                check_blocks_of_own_group(group_id=user.group_id, blocks=blocks)
            except ValidationError as error:
                self.add_error(None, error)
        limit = cleaned.get("max_open_tasks_allowed")
        if limit is not None and self.instance.max_open_tasks > limit:
            # The volunteer's own choice is lowered to fit, as volunteer_set_task_limit does.
            self.instance.max_open_tasks = limit
        return cleaned


class VerifyForm(forms.Form):
    """How the organizer knows the people they verify (volunteers.services rules)."""

    method = forms.ChoiceField(
        label=_("How do you know them?"),
        choices=VerificationMethod.choices,
        widget=forms.RadioSelect,
    )
    vouched_by = forms.ModelChoiceField(
        label=_("Member who vouched for them"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Only when a member of the group vouched for them."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        members = permissions.scope(User.objects.filter(is_active=True), user)
        self.fields["vouched_by"].queryset = members.order_by("last_name", "first_name")
        self.fields["vouched_by"].label_from_instance = lambda member: (
            member.get_full_name() or member.username
        )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Why?"),
        max_length=STATUS_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept on the volunteer's record; organizers of the group read it."),
    )


HISTORY_ROWS = 50


def _event_detail(event) -> str:
    """How the organizer knows them (and who vouched), or why."""
    if event.method:
        detail = event.get_method_display()
        if event.vouched_by is not None:
            detail = f"{detail}: {event.vouched_by.get_full_name() or event.vouched_by}"
        return detail
    return event.reason


class BlocksForm(forms.Form):
    """The blocks to give the selected volunteers, or to take away from them."""

    blocks = forms.ModelMultipleChoiceField(
        label=_("Blocks"), queryset=Block.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["blocks"].queryset = scoped_choices(Block, user).order_by("code")


class ClaimsStoppedFilter(admin.SimpleListFilter):
    """Volunteers whose claims stopped after too many give-backs (the alert links here)."""

    title = _("claims")
    parameter_name = "claims"

    def lookups(self, request, model_admin):
        return [("stopped", _("stopped"))]

    def queryset(self, request, queryset):
        if self.value() == "stopped":
            return queryset.filter(claims_blocked_at__isnull=False)
        return queryset


@admin.register(Volunteer)
class VolunteerAdmin(
    PersonHistory,
    ScopedImportMixin,
    PersonalDataExportMixin,
    PersonDataActions,
    ScopedModelAdmin,
):
    # Import from CSV (pending volunteers); export to CSV or XLSX, personal columns only when
    # asked for, and recorded (impex).
    import_resource_class = VolunteerImportResource
    export_resource_class = VolunteerExportResource
    import_export_change_list_template = "admin/import_export/change_list_import_export.html"
    import_help_template = "admin/impex/volunteers_import_help.html"
    import_preview_columns = (
        ("name", _("name")),
        ("phone", _("phone")),
        ("email", _("email")),
        ("blocks", _("blocks")),
    )

    def add_success_message(self, result, request):
        super().add_success_message(result, request)
        count = result.totals[RowResult.IMPORT_TYPE_NEW]
        message = ngettext(
            "%(count)d invite made, one for each new volunteer: send each person their link "
            "from the list of invites.",
            "%(count)d invites made, one for each new volunteer: send each person their link "
            "from the list of invites.",
            count,
        ) % {"count": count}
        url = reverse("admin:onboarding_invite_changelist")
        messages.info(request, format_html('{} <a href="{}">{}</a>', message, url, _("Invites")))

    person_export = staticmethod(
        lambda volunteer, actor: volunteer_export(volunteer=volunteer, actor=actor)
    )
    person_erase = staticmethod(
        lambda volunteer, actor: volunteer_erase(volunteer=volunteer, actor=actor)
    )
    accusative_name = pgettext_lazy("accusative", "volunteer")

    form = VolunteerAdminForm
    list_display = (
        "__str__",
        "full_name",
        "status",
        "is_available",
        "open_tasks",
        "max_open_tasks",
        "max_open_tasks_allowed",
        "claims_stopped",
        "block_codes",
        "verified_at",
    )
    list_select_related = ("user",)
    list_filter = ("status", ClaimsStoppedFilter, "is_available", "blocks")
    search_fields = ("user__username", "user__first_name", "user__last_name", "user__phone")
    filter_horizontal = ("blocks",)
    readonly_fields = (
        "status",
        "status_reason",
        "verification_method",
        "vouched_by",
        "verified_by",
        "verified_at",
        "verification_history",
        "safety_protocol_accepted_at",
        "safety_protocol_read_out_by",
        "created_at",
        "max_open_tasks",
        "claims_blocked_at",
        "claims_cleared_at",
        "claims_cleared_by",
        "weekly_hours",
    )
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "user",
                    "status",
                    "status_reason",
                    "verification_method",
                    "vouched_by",
                    "verified_by",
                    "verified_at",
                    "verification_history",
                )
            },
        ),
        (
            _("Tasks"),
            {
                "fields": (
                    "blocks",
                    "is_available",
                    "max_open_tasks_allowed",
                    "max_open_tasks",
                    "weekly_hours",
                    "radius_km",
                )
            },
        ),
        (
            _("Claims stopped"),
            {"fields": ("claims_blocked_at", "claims_cleared_at", "claims_cleared_by")},
        ),
        (_("Base location"), {"fields": ("base_latitude", "base_longitude")}),
        (
            _("Skills"),
            {
                "fields": (
                    "has_car",
                    "does_pharmacy",
                    "does_legal_consultation",
                    "does_psychological_consultation",
                    "languages",
                )
            },
        ),
        (
            _("Notifications and safety"),
            {
                "fields": (
                    "notification_channel",
                    "no_smartphone",
                    "telegram_chat_id",
                    "show_first_name_on_flyer",
                    "safety_protocol_accepted_at",
                    "safety_protocol_read_out_by",
                    "created_at",
                )
            },
        ),
    )
    actions = [
        "verify",
        "pause",
        "remove",
        "issue_password_link",
        "add_blocks",
        "remove_blocks",
        "allow_claims",
        "accept_safety_rules_read_out",
        "sign_out_everywhere",
        "export_personal_data",
        "erase_personal_data",
    ]

    def get_queryset(self, request):
        in_hand = Q(help_requests__status__in=IN_HAND)
        return (
            super()
            .get_queryset(request)
            .annotate(open_task_count=Count("help_requests", filter=in_hand))
            .prefetch_related("blocks")
        )

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            return
        # Availability, the task limit and blocks go through their services; the rest is
        # plain profile data.
        through_services = (*AVAILABILITY, "blocks", "max_open_tasks_allowed")
        plain = [n for n in form.changed_data if n not in through_services]
        if plain:
            obj.save(update_fields=plain)
        if "max_open_tasks_allowed" in form.changed_data:
            # Checks the organizer, logs who set it, lowers the volunteer's own choice to fit.
            volunteer_set_task_limit(
                volunteer=obj, limit=obj.max_open_tasks_allowed, actor=request.user
            )
        if any(name in form.changed_data for name in AVAILABILITY):
            volunteer_update_availability(
                volunteer=obj,
                is_available=obj.is_available,
                max_open_tasks=obj.max_open_tasks,
                notification_channel=obj.notification_channel,
                actor=request.user,
            )

    def save_related(self, request, form, formsets, change):
        # Blocks through volunteer_assign_blocks (group rule, base location), not save_m2m.
        blocks = form.cleaned_data.pop("blocks", None)
        super().save_related(request, form, formsets, change)
        if blocks is not None:
            volunteer_assign_blocks(
                volunteer=form.instance, blocks=blocks, actor=request.user, only_these=True
            )

    def get_readonly_fields(self, request, obj=None):
        # The profile's user is chosen once; moving a profile between people makes no sense.
        if obj is not None:
            return ("user", *self.readonly_fields)
        return self.readonly_fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "user":
            field.queryset = field.queryset.filter(role=Role.VOLUNTEER, volunteer__isnull=True)
        return field

    @admin.display(description=_("verification history"))
    def verification_history(self, volunteer):
        """Every change of state: when, by whom, from → to, how or why (newest first).

        A read-only field rather than an inline, so the change form posts no formset."""
        if volunteer._state.adding:
            return "—"
        events = volunteer.status_events.select_related("actor", "vouched_by")[:HISTORY_ROWS]
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{} → {}</td><td>{}</td></tr>",
            (
                (
                    date_format(timezone.localtime(event.created_at), "SHORT_DATETIME_FORMAT"),
                    event.actor or "—",
                    event.get_old_status_display() or "—",
                    event.get_new_status_display(),
                    _event_detail(event),
                )
                for event in events
            ),
        )
        if not rows:
            return "—"
        return format_html('<table class="verification-history"><tbody>{}</tbody></table>', rows)

    @admin.display(description=_("takes offers"))
    def weekly_hours(self, volunteer):
        # Set by the volunteer on their profile page.
        return weekly_hours_text(slots=list(volunteer.weekly_slots.all())) or _("at any time")

    @admin.action(description=_("Give blocks to selected volunteers"), permissions=["manage"])
    def add_blocks(self, request, queryset):
        return self._change_blocks(request, queryset, remove=False)

    @admin.action(
        description=_("Take blocks away from selected volunteers"), permissions=["manage"]
    )
    def remove_blocks(self, request, queryset):
        return self._change_blocks(request, queryset, remove=True)

    def _change_blocks(self, request, queryset, *, remove: bool):
        """Choose blocks of the group, then give them to each selected volunteer or take them
        away, through volunteers.services (group rule, base location)."""
        if "apply" in request.POST:
            form = BlocksForm(request.POST, user=request.user)
            if form.is_valid():
                blocks = list(form.cleaned_data["blocks"])
                change = volunteer_unassign_blocks if remove else volunteer_assign_blocks
                apply_to_each(
                    self,
                    request,
                    queryset,
                    lambda volunteer: change(
                        volunteer=volunteer, blocks=blocks, actor=request.user
                    ),
                    (
                        lambda n: ngettext(
                            "Blocks taken away from %(count)d volunteer.",
                            "Blocks taken away from %(count)d volunteers.",
                            n,
                        )
                    )
                    if remove
                    else (
                        lambda n: ngettext(
                            "Blocks given to %(count)d volunteer.",
                            "Blocks given to %(count)d volunteers.",
                            n,
                        )
                    ),
                )
                return None
        else:
            form = BlocksForm(user=request.user)
        return action_form_page(
            self,
            request,
            title=(
                _("Take blocks away from selected volunteers")
                if remove
                else _("Give blocks to selected volunteers")
            ),
            intro=(
                _("The blocks chosen below will be taken away from these volunteers:")
                if remove
                else _("The blocks chosen below will be added to these volunteers' blocks:")
            ),
            items=queryset,
            form=form,
            action="remove_blocks" if remove else "add_blocks",
            submit_label=_("Take away") if remove else _("Give"),
        )

    @admin.display(description=_("name"), ordering="user__last_name")
    def full_name(self, volunteer):
        return volunteer.user.get_full_name()

    @admin.display(description=_("tasks in hand"), ordering="open_task_count")
    def open_tasks(self, volunteer):
        return volunteer.open_task_count

    @admin.display(description=_("claims stopped"), boolean=True)
    def claims_stopped(self, volunteer):
        return volunteer.claims_blocked_at is not None

    @admin.action(description=_("Sign out everywhere"), permissions=["manage"])
    def sign_out_everywhere(self, request, queryset):
        apply_to_each(
            self,
            request,
            queryset.select_related("user"),
            lambda volunteer: user_sign_out_everywhere(
                user=volunteer.user, actor=request.user, reason="signed out by an organizer"
            ),
            lambda n: ngettext(
                "%(count)d volunteer signed out on every device.",
                "%(count)d volunteers signed out on every device.",
                n,
            ),
        )

    @admin.action(description=_("Allow claims again"), permissions=["manage"])
    def allow_claims(self, request, queryset):
        apply_to_each(
            self,
            request,
            queryset,
            lambda volunteer: volunteer_allow_claims(volunteer=volunteer, actor=request.user),
            lambda n: ngettext(
                "%(count)d volunteer may take tasks again.",
                "%(count)d volunteers may take tasks again.",
                n,
            ),
        )

    # A volunteer without a smartphone cannot open the rules page: read out by phone.
    @admin.action(
        description=_("Safety rules read out by phone and accepted"), permissions=["manage"]
    )
    def accept_safety_rules_read_out(self, request, queryset):
        apply_to_each(
            self,
            request,
            queryset,
            lambda volunteer: volunteer_accept_safety_protocol_for(
                volunteer=volunteer, actor=request.user
            ),
            lambda n: ngettext(
                "Safety rules recorded as read out to %(count)d volunteer.",
                "Safety rules recorded as read out to %(count)d volunteers.",
                n,
            ),
        )

    @admin.display(description=_("blocks"))
    def block_codes(self, volunteer):
        return ", ".join(block.code for block in volunteer.blocks.all())

    def _set_status(self, request, queryset, status, form_class, done_message):
        """Ask how (verification) or why (pause, removal), then change each volunteer through
        volunteer_set_status; the first request shows the form."""
        action = request.POST.get("action", "")
        extra = {"user": request.user} if form_class is VerifyForm else {}
        if "apply" in request.POST:
            form = form_class(request.POST, **extra)
            if form.is_valid():
                data = form.cleaned_data
                apply_to_each(
                    self,
                    request,
                    queryset,
                    lambda volunteer: volunteer_set_status(
                        volunteer=volunteer,
                        status=status,
                        actor=request.user,
                        method=data.get("method", ""),
                        vouched_by=data.get("vouched_by"),
                        reason=data.get("reason", ""),
                    ),
                    done_message,
                )
                return None
        else:
            form = form_class(**extra)
        context = {
            **self.admin_site.each_context(request),
            "title": self.get_actions(request)[action][2],
            "opts": self.model._meta,
            "form": form,
            "items": queryset.select_related("user"),
            "action": action,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/volunteers/volunteer/set_status.html", context)

    @admin.action(description=_("Verify selected volunteers"), permissions=["manage"])
    def verify(self, request, queryset):
        return self._set_status(
            request,
            queryset,
            VolunteerStatus.VERIFIED,
            VerifyForm,
            lambda n: ngettext(
                "%(count)d volunteer verified.", "%(count)d volunteers verified.", n
            ),
        )

    @admin.action(description=_("Pause selected volunteers"), permissions=["manage"])
    def pause(self, request, queryset):
        return self._set_status(
            request,
            queryset,
            VolunteerStatus.PAUSED,
            ReasonForm,
            lambda n: ngettext("%(count)d volunteer paused.", "%(count)d volunteers paused.", n),
        )

    @admin.action(
        description=_("Remove selected volunteers (or turn down their application)"),
        permissions=["manage"],
    )
    def remove(self, request, queryset):
        return self._set_status(
            request,
            queryset,
            VolunteerStatus.REMOVED,
            ReasonForm,
            lambda n: ngettext("%(count)d volunteer removed.", "%(count)d volunteers removed.", n),
        )

    @admin.action(
        description=_("Issue a one-time link to set a new password"), permissions=["manage"]
    )
    def issue_password_link(self, request, queryset):
        accounts = [volunteer.user for volunteer in queryset.select_related("user")]
        return password_links_response(self, request, accounts)
