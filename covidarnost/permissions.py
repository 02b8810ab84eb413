"""Who may see and do what. The one place permission decisions are made.

HTML views, the API, the admin and Celery tasks all call these functions. The group is the
boundary: a user sees objects of their own group only. A network coordinator (a role, not a
superuser) sees the groups of their network; superusers, the site's administrators, see every
group. Inside a group, residents' personal data goes only to organizers, operators and the
volunteer who holds the task: never to a network coordinator, who looks after figures and
people, not residents.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from hotline.models import CallLog
from intake.models import ResidentNotice
from neighbors.models import Block, Group, Neighbor
from printing.models import PrintBatch
from recurring.models import RecurringRequest
from requests.models import (
    CONSULTATION_SKILLS,
    IN_HAND,
    HelpRequest,
    Offer,
    RequestKind,
    Skill,
    Status,
)
from users.models import Role
from volunteers.models import Volunteer, VolunteerStatus

# How each model reaches its group; used to scope every queryset a user sees.
GROUP_PATHS: dict[str, str] = {
    "neighbors.group": "pk",
    "neighbors.block": "group",
    "neighbors.neighbor": "block__group",
    "volunteers.volunteer": "user__group",
    "users.user": "group",
    "requests.helprequest": "block__group",
    "requests.requestevent": "help_request__block__group",
    "requests.offer": "help_request__block__group",
    "notifications.notificationlog": "help_request__block__group",
    "intake.residentnotice": "help_request__block__group",
    "hotline.calllog": "group",
    "recurring.recurringrequest": "block__group",
    # Built-in kinds (no group) are the coordinators' business.
    "requests.requestkind": "group",
    "printing.printbatch": "group",
    "privacy.personaldataview": "group",
    "privacy.privacyevent": "group",
    "onboarding.invite": "group",
    "onboarding.passwordhelprequest": "group",
    "volunteers.volunteerstatusevent": "volunteer__user__group",
}


def _network_path(label: str) -> str:
    """How a group-owned model reaches its network (for coordinators' scope)."""
    path = GROUP_PATHS[label]
    return "network" if path == "pk" else f"{path}__network"


# How each model reaches its network; the network itself is visible to its coordinators.
NETWORK_PATHS: dict[str, str] = {label: _network_path(label) for label in GROUP_PATHS}
NETWORK_PATHS["neighbors.network"] = "pk"


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def group_locked(user) -> bool:
    """Whether the user's group is under an emergency lock (privacy.lock).

    Members of a locked group have no rights at all until it is lifted: every role check
    below answers no for them, so no page, API call or admin screen shows them anything.
    The group comes with the user (users.backends loads it in the same query).
    """
    return bool(getattr(user, "group_id", None)) and user.group.locked_at is not None


def _member(user) -> bool:
    """Signed in, and not frozen by a lock of their group."""
    return _signed_in(user) and not group_locked(user)


def is_superuser(user) -> bool:
    """The site's administrators: every group, every right (as before coordinators had a role)."""
    return _signed_in(user) and user.is_superuser


def coordinator_network_id(user):
    """The network a coordinator (by role) looks after; None for everyone else, superusers too."""
    if _signed_in(user) and not user.is_superuser and user.role == Role.COORDINATOR:
        return user.network_id
    return None


def is_coordinator(user) -> bool:
    """Network coordinators: the coordinator role (their network's groups) or a superuser (all)."""
    return is_superuser(user) or coordinator_network_id(user) is not None


def is_organizer(user) -> bool:
    return _member(user) and user.role == Role.ORGANIZER and user.group_id is not None


def is_operator(user) -> bool:
    return _member(user) and user.role == Role.OPERATOR and user.group_id is not None


def is_staff_of_group(user) -> bool:
    """Organizers and operators: they handle requests and see residents' details.

    Superusers too; network coordinators by role do not (no resident's personal data).
    """
    return is_superuser(user) or is_organizer(user) or is_operator(user)


def volunteer_profile(user) -> Volunteer | None:
    """The volunteer profile of a signed-in volunteer, whatever its verification state."""
    if not _member(user) or user.role != Role.VOLUNTEER or user.group_id is None:
        return None
    try:
        return user.volunteer
    except user.__class__.volunteer.RelatedObjectDoesNotExist:
        return None


def active_volunteer(user) -> Volunteer | None:
    """The profile of a verified volunteer; pending, paused and removed ones get None."""
    volunteer = volunteer_profile(user)
    if volunteer is not None and volunteer.is_active_volunteer:
        return volunteer
    return None


def pending_volunteer(user) -> Volunteer | None:
    """The profile of a volunteer waiting for verification: they see the safety rules only."""
    volunteer = volunteer_profile(user)
    if volunteer is not None and volunteer.status == VolunteerStatus.PENDING:
        return volunteer
    return None


def scope(queryset: QuerySet, user) -> QuerySet:
    """Restrict any queryset of a group-owned model to what the user's group may see.

    Coordinators see their network's groups (and the network itself); superusers everything.
    """
    if is_superuser(user):
        return queryset
    label = queryset.model._meta.label_lower
    network_id = coordinator_network_id(user)
    if network_id is not None:
        return queryset.filter(**{NETWORK_PATHS[label]: network_id})
    if not _member(user) or user.group_id is None or label not in GROUP_PATHS:
        return queryset.none()
    return queryset.filter(**{GROUP_PATHS[label]: user.group_id})


def can_see(user, obj: Model) -> bool:
    """Whether obj belongs to a group the user may see."""
    return scope(obj.__class__._default_manager.filter(pk=obj.pk), user).exists()


def can_create_request(user) -> bool:
    """Organizers, operators and verified volunteers may enter requests for residents."""
    return is_staff_of_group(user) or active_volunteer(user) is not None


def can_file_request_for(user, neighbor) -> bool:
    """Whether the user may enter a request for this known resident.

    Staff of the group, for any of its residents. A volunteer only for a resident whose task
    they hold now: otherwise filing a request for any resident's id and claiming it would
    hand them that resident's name, flat and phone again. New residents need no check.
    """
    if is_staff_of_group(user):
        return can_see(user, neighbor)
    volunteer = active_volunteer(user)
    if volunteer is None or neighbor.block.group_id != user.group_id:
        return False
    return neighbor.help_requests.filter(volunteer=volunteer, status__in=IN_HAND).exists()


def get_neighbor_for_request(user, pk) -> Neighbor:
    """A known resident the user may file a request for, or 404 (like another group's)."""
    neighbor = _get_or_404(scope(Neighbor.objects.select_related("block"), user), pk)
    if not can_file_request_for(user, neighbor):
        raise Http404
    return neighbor


# Who outranks whom among accounts. A role not listed here (one added later) ranks highest,
# so it is protected until someone places it.
ROLE_RANK: dict[str, int] = {Role.VOLUNTEER: 0, Role.OPERATOR: 1, Role.ORGANIZER: 2}
TOP_RANK = 3


def account_rank(account) -> int:
    """Coordinators (superusers) above organizers, above operators, above volunteers."""
    if account.is_superuser or is_coordinator(account):
        return TOP_RANK
    if not account.role:
        return ROLE_RANK[Role.VOLUNTEER] if account.group_id else TOP_RANK
    return ROLE_RANK.get(account.role, TOP_RANK)


def can_edit_account(user, account) -> bool:
    """Whether user may change account (its fields, its password) in the admin.

    Coordinators may change anyone; an organizer the accounts of their group that do not
    outrank them: never a coordinator's, even one who belongs to the group.
    """
    if is_coordinator(user):
        return True
    if not can_manage_group(user) or not can_see(user, account):
        return False
    return account.pk == user.pk or account_rank(account) <= account_rank(user)


def can_sign_out(user, account) -> bool:
    """Whether user may end every session and token of account: their own, or one they may
    edit (coordinators anyone, organizers the accounts of their group below them)."""
    if not _signed_in(user):
        return False
    return account.pk == user.pk or can_edit_account(user, account)


def needs_second_factor(user) -> bool:
    """Organizers, operators and coordinators must confirm a one-time code (TOTP or a recovery
    code) before they see any personal data, whenever TWO_FACTOR_REQUIRED (DEBUG off).

    Accounts in TWO_FACTOR_EXEMPT_USERNAMES (a public demo's own) are exempt.
    """
    if not settings.TWO_FACTOR_REQUIRED or not _signed_in(user):
        return False
    if user.get_username() in settings.TWO_FACTOR_EXEMPT_USERNAMES:
        return False
    return is_coordinator(user) or is_staff_of_group(user) or bool(user.is_staff)


def can_manage_group(user) -> bool:
    """Organizers (and coordinators) verify volunteers, assign blocks, reimburse."""
    return is_coordinator(user) or is_organizer(user)


def can_take_back(user, help_request: HelpRequest) -> bool:
    """Return a held task to the open list (help_request_take_back): those who manage the
    group, so also a network coordinator removing a volunteer of one of their groups
    (volunteer_set_status). The take-back shows them no resident's data: a new code word is
    made and goes to the resident, not to them."""
    return can_manage_group(user) and can_see(user, help_request)


def can_create_groups(user) -> bool:
    """Coordinators create groups (in their network) and their organizers."""
    return is_coordinator(user)


def roles_user_may_give(user) -> list[str]:
    """Roles a user may give to accounts they create or change.

    Superusers any; coordinators organizers, operators and volunteers of their network's groups;
    organizers the roles inside their own group.
    """
    if is_superuser(user):
        return list(Role.values)
    if is_coordinator(user) or is_organizer(user):
        return [Role.ORGANIZER, Role.OPERATOR, Role.VOLUNTEER]
    return []


def can_see_personal_details(user, help_request: HelpRequest) -> bool:
    """Name, flat, phone and code word: staff of the group, or the volunteer holding the task.

    The volunteer keeps them while the task is in hand and for a day after delivery (to
    answer a call about change or a receipt), then they disappear from the volunteer's view.
    """
    if is_staff_of_group(user):
        return can_see(user, help_request)
    volunteer = active_volunteer(user)
    if volunteer is None or help_request.volunteer_id != volunteer.pk:
        return False
    if help_request.status in IN_HAND:
        return True
    if help_request.status == Status.DELIVERED and help_request.delivered_at:
        window = timedelta(hours=settings.DELIVERED_DETAILS_VISIBLE_HOURS)
        return timezone.now() - help_request.delivered_at < window
    return False


# What a verified volunteer of the group sees of a task before claiming it, on the web and in
# the API alike: what kind of errand, how urgent, how big, where and by when, never free text.
TASK_PUBLIC_FIELDS = frozenset(
    {"id", "status", "kind", "needs", "urgency", "payment", "budget", "due_at", "created_at"}
    | {"block"}
)
# Free text, the resident and the code word: only the holder, within the window above.
TASK_PRIVATE_FIELDS = frozenset({"details", "neighbor", "code_word"})


def task_fields_visible(user, help_request: HelpRequest) -> frozenset[str]:
    """The fields of a task this user may see; the web page and the API both render these.

    Free text (details) can carry a name, a flat or a phone number, so it follows the same
    rule as the personal details: staff of the group, or the holder within the window.
    """
    if can_see_personal_details(user, help_request):
        return TASK_PUBLIC_FIELDS | TASK_PRIVATE_FIELDS
    return TASK_PUBLIC_FIELDS


def can_check_in(user, neighbor) -> bool:
    """Weekly check-in calls: staff of the group, or a verified volunteer of the neighbor's block.

    Those volunteers see the names and phones of their blocks' isolated neighbors, because
    calling them is the whole point of the list.
    """
    if is_staff_of_group(user):
        return can_see(user, neighbor)
    volunteer = active_volunteer(user)
    return volunteer is not None and volunteer.blocks.filter(pk=neighbor.block_id).exists()


# Consultations: who gives each. A kind needing one of these skills is seen, offered and
# claimed only by volunteers who have it, and its notes stay between the consultant holding
# it and the organizers (operators enter it but do not read it back).
CONSULTANT_FILTERS: dict[str, Q] = {
    Skill.LEGAL: Q(does_legal_consultation=True),
    Skill.PSYCHOLOGICAL: Q(does_psychological_consultation=True),
    Skill.ANY_CONSULTATION: Q(does_legal_consultation=True)
    | Q(does_psychological_consultation=True),
}


def consultant_filter(skill: str) -> Q | None:
    """Volunteers who may see and take a request needing this skill; None: any volunteer."""
    return CONSULTANT_FILTERS.get(skill)


def volunteer_may_take(volunteer: Volunteer, skill: str) -> bool:
    """Whether a volunteer has what a kind needing `skill` requires to see and claim it."""
    legal = volunteer.does_legal_consultation
    psychological = volunteer.does_psychological_consultation
    if skill == Skill.LEGAL:
        return legal
    if skill == Skill.PSYCHOLOGICAL:
        return psychological
    if skill == Skill.ANY_CONSULTATION:
        return legal or psychological
    return True


def _kind_skills(group_id) -> dict[str, str]:
    """{slug: needed skill} of the built-in kinds and the group's own (one query)."""
    rows = RequestKind.objects.filter(Q(group__isnull=True) | Q(group_id=group_id))
    return dict(rows.values_list("slug", "skill"))


def kinds_hidden_from(volunteer: Volunteer, kinds=None) -> list[str]:
    """Slugs of the group's consultation kinds this volunteer may not see or take.

    kinds: the group's RequestKind rows (offered or not), when the caller has them already.
    """
    if kinds is None:
        skills = _kind_skills(volunteer.group_id)
    else:
        skills = {kind.slug: kind.skill for kind in kinds}
    return sorted(
        slug for slug, skill in skills.items() if not volunteer_may_take(volunteer, skill)
    )


def confidential_kinds(group_id) -> frozenset[str]:
    """Slugs of the kinds whose notes only the consultant and organizers read."""
    return frozenset(
        slug for slug, skill in _kind_skills(group_id).items() if skill in CONSULTATION_SKILLS
    )


def can_see_request_notes(user, help_request: HelpRequest, confidential=None) -> bool:
    """Whether a consultation's notes (its free text, its events' notes) may be shown.

    Only organizers of the group (and superusers) and the consultant holding it (while they
    see the personal details); operators enter it but do not read it back, network
    coordinators see no resident's data. Any other
    kind: True, the rules on seeing the request itself apply.
    confidential: confidential_kinds() of the group, when the caller checks many requests.
    """
    if confidential is None:
        confidential = confidential_kinds(help_request.block.group_id)
    if help_request.kind not in confidential:
        return True
    if is_superuser(user) or is_organizer(user):
        return can_see(user, help_request)
    return active_volunteer(user) is not None and can_see_personal_details(user, help_request)


def can_change_request_kind(user, kind: RequestKind) -> bool:
    """Built-in kinds: superusers; a group's own: its organizers and network coordinators."""
    if kind.group_id is None:
        return is_superuser(user)
    if is_organizer(user):
        return user.group_id == kind.group_id
    return is_coordinator(user) and scope(Group.objects.filter(pk=kind.group_id), user).exists()


def get_request_for_staff(user, pk) -> HelpRequest:
    """A help request for an organizer or operator of its group, or 404."""
    if not is_staff_of_group(user):
        raise Http404
    queryset = HelpRequest.objects.select_related("block", "neighbor", "volunteer__user")
    return _get_or_404(scope(queryset, user), pk)


def get_task_for_volunteer(user, pk) -> HelpRequest:
    """A help request as a task for a verified volunteer of its group, or 404.

    Another group's id, or a task held by another volunteer, answers exactly like an id
    that does not exist, so ids cannot be probed.
    """
    volunteer = active_volunteer(user)
    if volunteer is None:
        raise Http404
    queryset = scope(HelpRequest.objects.select_related("block", "neighbor"), user)
    help_request = _get_or_404(queryset, pk)
    if help_request.volunteer_id not in (None, volunteer.pk):
        raise Http404
    if help_request.volunteer_id is None and help_request.kind in kinds_hidden_from(volunteer):
        # A consultation for those who give it: to anyone else it does not exist.
        raise Http404
    return help_request


def get_offer_for_volunteer(user, pk) -> Offer:
    """An offer for the verified volunteer it was made to, or 404 (for anyone else alike)."""
    volunteer = active_volunteer(user)
    if volunteer is None:
        raise Http404
    queryset = scope(Offer.objects.select_related("help_request__block"), user)
    return _get_or_404(queryset.filter(volunteer=volunteer), pk)


def get_task_for_action(user, pk) -> HelpRequest:
    """A help request of a verified volunteer's group that they post an action on, or 404.

    Unlike get_task_for_volunteer it also finds a task another volunteer holds now, so a lost
    claim race or a stale form gets the services' clear message instead of a 404. Callers must
    not show anything of the returned request; they redirect after the action.
    """
    if active_volunteer(user) is None:
        raise Http404
    return _get_or_404(scope(HelpRequest.objects.select_related("block"), user), pk)


def get_receipt_request(user, pk) -> HelpRequest:
    """A delivered request whose receipt photo the user may see, or 404.

    Staff of the group always; the volunteer who delivered it while the personal details are
    still visible to them (the same 24-hour window).
    """
    if is_staff_of_group(user):
        help_request = get_request_for_staff(user, pk)
    else:
        help_request = get_task_for_volunteer(user, pk)
    if not help_request.receipt or not can_see_personal_details(user, help_request):
        raise Http404
    return help_request


def can_print(user) -> bool:
    """Forms, flyers and route sheets: organizers and operators (and coordinators).

    Volunteers do not print: a route sheet holds residents' details, and form serials are
    issued and recorded for the hotline that types the forms in.
    """
    return is_staff_of_group(user)


def get_block_for_print(user, pk) -> Block:
    """A block whose forms and flyer the user may print, or 404 (for anyone else alike)."""
    if not can_print(user):
        raise Http404
    return _get_or_404(scope(Block.objects.select_related("group"), user), pk)


def get_volunteer_for_route_sheet(user, pk) -> Volunteer:
    """A volunteer of the user's group whose route sheet the user may print, or 404."""
    if not can_print(user):
        raise Http404
    return _get_or_404(scope(Volunteer.objects.select_related("user__group"), user), pk)


def get_print_batch(user, pk) -> PrintBatch:
    """A batch of printed forms and flyers of the user's group, or 404."""
    if not can_print(user):
        raise Http404
    return _get_or_404(scope(PrintBatch.objects.all(), user), pk)


def _get_or_404(queryset: QuerySet, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValidationError, ValueError, TypeError) as exc:
        # A malformed id is "not found" too, never a 500.
        raise Http404 from exc


# What coordinators, organizers and operators may do in the Django admin, per model;
# superusers may do everything. Which objects they may do it to is scope()'s business. The admin
# asks here instead of Django's per-model permission rows, which seed data and fixtures never
# assign. Coordinators get no residents and no requests: those carry personal data.
ADMIN_RIGHTS: dict[str, dict[str, frozenset[str]]] = {
    Role.COORDINATOR: {
        "neighbors.network": frozenset({"view"}),
        "neighbors.group": frozenset({"view", "add", "change"}),
        "neighbors.block": frozenset({"view", "add", "change", "delete"}),
        "volunteers.volunteer": frozenset({"view", "change"}),
        "users.user": frozenset({"view", "add", "change"}),
        "onboarding.invite": frozenset({"view", "add"}),
        "onboarding.passwordhelprequest": frozenset({"view"}),
    },
    Role.ORGANIZER: {
        "neighbors.group": frozenset({"view", "change"}),
        "neighbors.block": frozenset({"view", "add", "change", "delete"}),
        "neighbors.neighbor": frozenset({"view", "add", "change", "delete"}),
        "volunteers.volunteer": frozenset({"view", "add", "change"}),
        "users.user": frozenset({"view", "add", "change"}),
        "requests.helprequest": frozenset({"view", "add", "change"}),
        "requests.requestevent": frozenset({"view"}),
        "requests.offer": frozenset({"view"}),
        "notifications.notificationlog": frozenset({"view"}),
        "requests.requestkind": frozenset({"view", "add", "change"}),
        "hotline.calllog": frozenset({"view", "add", "change"}),
        "recurring.recurringrequest": frozenset({"view", "add", "change"}),
        "privacy.personaldataview": frozenset({"view"}),
        "privacy.privacyevent": frozenset({"view"}),
        "onboarding.invite": frozenset({"view", "add"}),
        "onboarding.passwordhelprequest": frozenset({"view"}),
    },
    Role.OPERATOR: {
        "neighbors.block": frozenset({"view"}),
        "neighbors.neighbor": frozenset({"view", "add", "change"}),
        "requests.helprequest": frozenset({"view", "add", "change"}),
        "hotline.calllog": frozenset({"view", "add", "change"}),
        "recurring.recurringrequest": frozenset({"view", "add", "change"}),
    },
}


def can_admin(user, model_label: str, action: str) -> bool:
    """Whether the user may view/add/change/delete objects of a model in the Django admin."""
    if not (_signed_in(user) and user.is_staff):
        return False
    if is_superuser(user):
        return True
    if is_coordinator(user):
        rights = ADMIN_RIGHTS[Role.COORDINATOR]
    elif is_organizer(user):
        rights = ADMIN_RIGHTS[Role.ORGANIZER]
    elif is_operator(user):
        rights = ADMIN_RIGHTS[Role.OPERATOR]
    else:
        return False
    return action in rights.get(model_label, frozenset())


def can_cancel_request(user) -> bool:
    """Organizers and operators (and coordinators) may cancel requests of their group."""
    return is_staff_of_group(user)


# --- Intake desk (/intake/) ----------------------------------------------------------------


def can_use_intake_desk(user) -> bool:
    """Operators and organizers type in requests from the phone and from paper forms.

    Coordinators have no group of their own, and the desk works inside one group, so they use
    the admin instead.
    """
    return is_organizer(user) or is_operator(user)


def intake_group_or_404(user):
    """The group whose intake desk the user works at, or 404 for everyone else."""
    if not can_use_intake_desk(user):
        raise Http404
    return user.group


def intake_block(user, pk):
    """A block of the desk user's group, or None (a foreign or malformed id alike)."""
    try:
        return _get_or_404(scope(Block.objects.all(), user), pk)
    except Http404:
        return None


def intake_neighbor(user, pk):
    """A resident of the desk user's group, or None (a foreign or malformed id alike)."""
    try:
        return _get_or_404(scope(Neighbor.objects.select_related("block"), user), pk)
    except Http404:
        return None


def get_request_for_intake(user, pk) -> HelpRequest:
    """A help request of the desk user's group, for the intake desk's request page, or 404."""
    intake_group_or_404(user)
    return get_request_for_staff(user, pk)


def can_tell_resident(user, notice) -> bool:
    """Operators and organizers of the group phone residents back and record it."""
    return can_use_intake_desk(user) and can_see(user, notice)


def get_notice_for_intake(user, pk):
    """A notice to a resident of the desk user's group, or 404."""
    intake_group_or_404(user)
    return _get_or_404(scope(ResidentNotice.objects.all(), user), pk)


def can_use_hotline_log(user) -> bool:
    """Operators and organizers log the group's hotline calls that are not requests."""
    return can_use_intake_desk(user)


def hotline_group_or_404(user):
    """The group whose hotline log the user keeps, or 404 for everyone else."""
    if not can_use_hotline_log(user):
        raise Http404
    return user.group


def get_call_for_hotline(user, pk) -> CallLog:
    """A logged call of the user's group, for its operators and organizers, or 404."""
    hotline_group_or_404(user)
    return _get_or_404(scope(CallLog.objects.all(), user), pk)


def get_recurring_for_desk(user, pk) -> RecurringRequest:
    """A recurring request of the desk user's group, or 404 (for everyone else alike)."""
    intake_group_or_404(user)
    queryset = RecurringRequest.objects.select_related("neighbor", "block")
    return _get_or_404(scope(queryset, user), pk)


def can_act_for_volunteer(user, help_request, volunteer) -> bool:
    """Organizers and operators give a request to a volunteer of its group and record the
    volunteer's steps for them (volunteers without a smartphone, mostly)."""
    return (
        is_staff_of_group(user)
        and can_see(user, help_request)
        and volunteer.group_id == help_request.block.group_id
    )


def can_act_for_volunteer_profile(user, volunteer) -> bool:
    """Organizers and operators of the volunteer's group record for them what they said on
    the phone (the safety rules read out to one without a smartphone, mostly)."""
    return is_staff_of_group(user) and can_see(user, volunteer)


def get_offer_for_intake(user, pk) -> Offer:
    """An offer of the desk user's group (to phone its volunteer), or 404."""
    intake_group_or_404(user)
    queryset = Offer.objects.select_related("volunteer__user", "help_request__block")
    return _get_or_404(scope(queryset, user), pk)


# The organizer's desk (/dashboard/) ---------------------------------------------------------


def can_use_desk(user) -> bool:
    """The desk: organizers for their group, coordinators for their network's groups."""
    return is_organizer(user) or is_coordinator(user)


def desk_groups(user) -> QuerySet:
    """Groups whose desk the user may open."""
    if not can_use_desk(user):
        return Group.objects.none()
    return scope(Group.objects.all(), user)


def get_group_for_desk(user, pk):
    """A group whose desk the user may open, or 404 (another group's id looks like none)."""
    return _get_or_404(desk_groups(user), pk)


def can_see_desk_lines(user, group) -> bool:
    """Lines that link to single requests and volunteers' reimbursements: the group's own
    organizers (and superusers). Coordinators by role get figures and coverage only."""
    return is_superuser(user) or (is_organizer(user) and user.group_id == group.pk)


def can_lock_group(user, group) -> bool:
    """Coordinators lock and unlock the groups they see (their network's; superusers all)."""
    return is_coordinator(user) and can_see(user, group)


def can_edit_resident(user, neighbor) -> bool:
    """Organizers and operators of the resident's group change their record (and superusers)."""
    return is_staff_of_group(user) and can_see(user, neighbor)


def can_read_history(user, person) -> bool:
    """Who changed a resident, volunteer or account, and when (the audit log, values of
    personal fields masked): whoever may open the person in the admin, scoped to the group."""
    return (is_staff_of_group(user) or is_coordinator(user)) and can_see(user, person)


def can_handle_person_data(user, person) -> bool:
    """Export or erase everything about one resident or volunteer: organizers of their group
    (and superusers). Not operators, and not network coordinators, who see no resident data."""
    return (is_organizer(user) or is_superuser(user)) and can_see(user, person)


# --- Import and export (impex) ---------------------------------------------------------------


def can_import(user) -> bool:
    """Blocks and volunteers from a file: organizers (into their own group) and coordinators
    (into one of their network's groups). Operators and volunteers never."""
    return can_manage_group(user)


def import_groups(user) -> QuerySet:
    """Groups the user may import blocks and volunteers into."""
    if not can_import(user):
        return Group.objects.none()
    return scope(Group.objects.all(), user)


def can_import_to(user, group) -> bool:
    """Whether the user may write imported rows into this group."""
    return group is not None and import_groups(user).filter(pk=group.pk).exists()


def can_edit_blocks_of(user, group) -> bool:
    """Add and change a group's blocks (admin form, file import): its organizers, and the
    coordinators of its network."""
    return can_manage_group(user) and group is not None and can_see(user, group)


def can_export(user) -> bool:
    """Requests, blocks and volunteers to CSV or XLSX, without personal data: organizers (their
    group) and coordinators (their network's groups, and only what they see in the admin).
    Operators and volunteers do not export."""
    return can_manage_group(user)


def can_export_personal_data(user) -> bool:
    """Names, phones, flats, residents' addresses and emails in an export: organizers of the
    group (and superusers), each time on an explicit choice, and recorded. Never network
    coordinators, who see no resident's data."""
    return is_organizer(user) or is_superuser(user)


# --- Onboarding: invites, and new passwords for members who forgot theirs ------------------


def can_invite_to(user, group) -> bool:
    """Organizers invite volunteers to their own group, coordinators to their network's."""
    return can_manage_group(user) and can_see(user, group)


def can_issue_password_link(user, account) -> bool:
    """A one-time link to set a new password: for an account the user may edit and see
    (organizers: their group's accounts that do not outrank them; coordinators: their
    network's), never their own (they change it themselves)."""
    return (
        can_manage_group(user)
        and account.pk != user.pk
        and can_see(user, account)
        and can_edit_account(user, account)
    )
