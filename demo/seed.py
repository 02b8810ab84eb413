"""Writes the demo plan into the database through the same services the app uses.

Rows are looked up by their natural keys (network name, group slug, block code, username,
neighbor block + flat + name, request idempotency key) so a second run updates or skips instead
of duplicating. Requests move through requests.services, so their events exist as in real use;
afterwards their timestamps are moved into the past so the demo shows a plausible history.
"""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.hashers import (
    PBKDF2PasswordHasher,
    get_hashers_by_algorithm,
    make_password,
)
from django.db import transaction
from django.utils import timezone

from demo import data
from demo.plan import Plan, RequestPlan, build_plan
from intake.services import neighbor_record_consent
from neighbors.models import Block, Group, Neighbor, Network
from neighbors.services import neighbor_create
from onboarding.models import INVITE_DAYS_MAX, Invite
from onboarding.services import invite_create
from requests import services as request_services
from requests.models import HelpRequest, RequestEvent
from users.models import User
from users.services import role_has_admin_access
from volunteers import services as volunteer_services
from volunteers.models import (
    DEFAULT_TASK_LIMIT,
    VerificationMethod,
    Volunteer,
    VolunteerStatus,
)

SEED = 20200325  # fixed: the demo is the same on every machine
PASSWORD_ALPHABET = "".join(c for c in string.ascii_letters + string.digits if c not in "lI1O0o")
PASSWORD_LENGTH = 12

# Which timestamp field each action sets, for back-dating.
ACTION_TIMESTAMPS = {
    "claim": "claimed_at",
    "mark_bought": "bought_at",
    "deliver": "delivered_at",
    "cancel": "cancelled_at",
}


@dataclass
class AccountRow:
    username: str
    role: str
    group: str
    password: str | None  # None: an existing account kept its password


@dataclass
class SeedResult:
    accounts: list[AccountRow]
    created_requests: int
    invite_url: str = ""


def new_password() -> str:
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_LENGTH))


class _RandomPasswordHasher(PBKDF2PasswordHasher):
    """PBKDF2 with fewer rounds, only for the generated passwords.

    A random 12-character password (~70 bits) needs no key stretching to resist guessing, and
    28 full-strength hashes would take over 10 s. Django sees the lower round count and
    re-hashes with the configured strength at the account's first sign-in.
    """

    iterations = 10_000


def _hash_random(password: str) -> str:
    if _RandomPasswordHasher.algorithm not in get_hashers_by_algorithm():
        # PBKDF2 is not enabled here (tests use a fast hasher): use whatever is configured.
        return make_password(password)
    hasher = _RandomPasswordHasher()
    return hasher.encode(password, hasher.salt())


def seed_demo(*, password: str | None) -> SeedResult:
    """Create or update the demo; with a password every demo account gets it.

    Without a password new accounts get a random one each and existing accounts keep theirs.
    """
    plan = build_plan(SEED)
    existing = set(
        User.objects.filter(username__in=[a.username for a in plan.accounts]).values_list(
            "username", flat=True
        )
    )
    if password is not None:
        # One hash for all: they share the password anyway, and 29 PBKDF2 runs take seconds.
        shared = make_password(password)
        passwords = {a.username: (password, shared) for a in plan.accounts}
    else:
        new = [a.username for a in plan.accounts if a.username not in existing]
        passwords = {}
        for username in new:
            clear = new_password()
            passwords[username] = (clear, _hash_random(clear))

    with transaction.atomic():
        groups = _groups()
        blocks = _blocks(plan, groups)
        users = _accounts(plan, groups, passwords)
        _volunteers(plan, users, blocks)
        neighbors = _neighbors(plan, blocks)
        created = sum(_request(rp, users, neighbors) for rp in plan.requests)
        invite = _invite(users)

    rows = [
        AccountRow(
            username=a.username,
            role=a.role,
            group=groups[a.group_slug].name if a.group_slug else data.NETWORK_NAME,
            password=passwords[a.username][0] if a.username in passwords else None,
        )
        for a in plan.accounts
    ]
    return SeedResult(accounts=rows, created_requests=created, invite_url=invite.url)


def _groups() -> dict[str, Group]:
    network, _ = Network.objects.get_or_create(name=data.NETWORK_NAME)
    groups = {}
    for spec in (data.GROUP_ONE, data.GROUP_TWO):
        group, _ = Group.objects.update_or_create(
            slug=spec["slug"],
            defaults={"name": spec["name"], "city": spec["city"], "network": network},
        )
        groups[group.slug] = group
    return groups


def _blocks(plan: Plan, groups: dict[str, Group]) -> dict[tuple[str, str], Block]:
    blocks = {}
    for bp in plan.blocks:
        block, _ = Block.objects.update_or_create(
            group=groups[bp.group_slug],
            code=bp.code,
            defaults={
                "address": bp.address,
                "entrances": bp.entrances,
                "floors": bp.floors,
                "latitude": bp.latitude,
                "longitude": bp.longitude,
            },
        )
        blocks[(bp.group_slug, bp.code)] = block
    return blocks


def _accounts(plan: Plan, groups: dict[str, Group], passwords) -> dict[str, User]:
    users = {}
    network = next(iter(groups.values())).network
    for ap in plan.accounts:
        user, _ = User.objects.update_or_create(
            username=ap.username,
            defaults={
                "group": groups[ap.group_slug] if ap.group_slug else None,
                "network": network if ap.role == "coordinator" else None,
                "role": ap.role,
                "first_name": ap.first_name,
                "last_name": ap.last_name,
                "email": f"{ap.username}@example.org",
                "is_staff": role_has_admin_access(ap.role),
                "is_active": True,
                "phone": ap.phone,
            },
        )
        if ap.username in passwords:
            user.password = passwords[ap.username][1]
            user.save(update_fields=["password"])
        users[ap.username] = user
    return users


def _volunteers(plan: Plan, users: dict[str, User], blocks) -> None:
    organizers = {u.group_id: u for u in users.values() if u.role == "organizer"}
    for vp in plan.volunteers:
        user = users[vp.username]
        organizer = organizers[user.group_id]
        volunteer, _ = Volunteer.objects.update_or_create(
            user=user,
            defaults={
                "base_latitude": vp.base_latitude,
                "base_longitude": vp.base_longitude,
                "radius_km": vp.radius_km,
                "max_open_tasks": vp.max_open_tasks,
                # Organizers set the limit; the demo allows what each volunteer chose.
                "max_open_tasks_allowed": max(vp.max_open_tasks, DEFAULT_TASK_LIMIT),
                "has_car": vp.has_car,
                "does_pharmacy": vp.does_pharmacy,
                "does_legal_consultation": vp.does_legal_consultation,
                "does_psychological_consultation": vp.does_psychological_consultation,
                "languages": vp.languages,
                "notification_channel": vp.notification_channel,
                "no_smartphone": vp.no_smartphone,
                "is_available": True,
            },
        )
        _put_in_state(volunteer, vp, organizer, users)
        volunteer_services.volunteer_assign_blocks(
            volunteer=volunteer,
            blocks=[blocks[(user.group.slug, code)] for code in vp.blocks],
            actor=organizer,
        )
        if vp.safety_accepted:
            volunteer_services.volunteer_accept_safety_protocol(volunteer=volunteer)


def _put_in_state(volunteer: Volunteer, vp, organizer, users) -> None:
    """Verify, pause or put back to pending through the service, only when the state differs
    (each change leaves a record: a second run adds none)."""
    if volunteer.status == vp.status:
        return
    if vp.status in (VolunteerStatus.VERIFIED, VolunteerStatus.PAUSED):
        if volunteer.status != VolunteerStatus.VERIFIED:
            number = int("".join(filter(str.isdigit, vp.username)) or 0)
            first = users["volunteer1" if number <= 20 else "volunteer21"]
            vouched = number % 5 == 0 and first.pk != volunteer.user_id
            volunteer_services.volunteer_set_status(
                volunteer=volunteer,
                status=VolunteerStatus.VERIFIED,
                actor=organizer,
                method=VerificationMethod.VOUCHED if vouched else VerificationMethod.IN_PERSON,
                vouched_by=first if vouched else None,
            )
        if vp.status == VolunteerStatus.PAUSED:
            volunteer_services.volunteer_set_status(
                volunteer=volunteer,
                status=VolunteerStatus.PAUSED,
                actor=organizer,
                reason="Уехала на дачу до конца месяца, просила не присылать заявки.",
            )
    else:
        # Puts back a pending volunteer someone verified while trying the demo.
        volunteer_services.volunteer_set_status(
            volunteer=volunteer,
            status=vp.status,
            actor=organizer,
            reason="Демо: снова ждёт проверки.",
        )


def _invite(users: dict[str, User]) -> Invite:
    """The demo group's open invite link, valid for another month on every run."""
    organizer = users["organizer"]
    invite = (
        Invite.objects.filter(
            group_id=organizer.group_id,
            created_by=organizer,
            for_name="",
            for_phone__isnull=True,
            revoked_at__isnull=True,
        )
        .order_by("created_at")
        .first()
    )
    if invite is None:
        invite = invite_create(group=organizer.group, actor=organizer, days_valid=INVITE_DAYS_MAX)
    invite.expires_at = timezone.now() + timedelta(days=INVITE_DAYS_MAX)
    invite.save(update_fields=["expires_at"])
    return invite


def _neighbors(plan: Plan, blocks) -> list[Neighbor]:
    now = timezone.now()
    neighbors = []
    for np_ in plan.neighbors:
        block = blocks[(np_.group_slug, np_.block_code)]
        neighbor = Neighbor.objects.filter(block=block, flat=np_.flat, name=np_.name).first()
        if neighbor is None:
            neighbor = neighbor_create(
                actor=None,  # the seeding command: no one in particular
                block=block,
                name=np_.name,
                flat=np_.flat,
                phone=np_.phone,
                entrance=np_.entrance,
                floor=np_.floor,
                notes=np_.notes,
                consent_to_contact=np_.consent_to_contact,
                is_isolated=np_.is_isolated,
            )
            if np_.last_contact_days_ago is not None:
                # Demo history: some isolated neighbors are due their weekly check-in.
                neighbor.last_contact_at = now - timedelta(days=np_.last_contact_days_ago)
                neighbor.save(update_fields=["last_contact_at"])
        if np_.consent_to_sms:
            # Also on a rerun: puts back a consent someone cleared while trying the demo.
            neighbor_record_consent(neighbor=neighbor, consent=True, consent_sms=True)
        neighbors.append(neighbor)
    return neighbors


def _request(rp: RequestPlan, users: dict[str, User], neighbors: list[Neighbor]) -> int:
    """Create one demo request and walk it through its history; 0 if it already exists."""
    neighbor = neighbors[rp.neighbor_index]
    now = timezone.now()
    created_at = now - timedelta(minutes=rp.age_minutes)
    help_request, created = request_services.help_request_create(
        created_by=users[rp.creator],
        block=neighbor.block,
        neighbor=neighbor,
        kind=rp.kind,
        details=rp.details,
        source=rp.source,
        budget=rp.budget,
        payment=rp.payment,
        urgency=rp.urgency,
        due_at=created_at + timedelta(minutes=rp.due_in_minutes) if rp.due_in_minutes else None,
        form_serial=rp.form_serial,
        idempotency_key=rp.key,
    )
    if not created:
        return 0
    # Squeeze the steps into the request's age so no step lands in the future.
    total = sum(step.gap_minutes for step in rp.steps)
    scale = min(1.0, max(rp.age_minutes - 1, 0) / total) if total else 1.0
    times = [created_at]
    for step in rp.steps:
        _step(help_request, step, users)
        times.append(times[-1] + timedelta(minutes=step.gap_minutes * scale))
    _backdate(help_request, rp, times, now)
    return 1


def _step(help_request: HelpRequest, step, users: dict[str, User]) -> None:
    actor = users[step.actor]
    s = request_services
    if step.action == "claim":
        s.help_request_claim(help_request=help_request, volunteer=actor.volunteer)
    elif step.action == "mark_bought":
        s.help_request_mark_bought(help_request=help_request, volunteer=actor.volunteer)
    elif step.action == "deliver":
        s.help_request_deliver(
            help_request=help_request,
            volunteer=actor.volunteer,
            spent=step.spent,
            paid_by=step.paid_by,
            note=step.reason,
        )
    elif step.action == "release":
        s.help_request_release(
            help_request=help_request, volunteer=actor.volunteer, reason=step.reason
        )
    elif step.action == "undeliverable":
        s.help_request_report_undeliverable(
            help_request=help_request, volunteer=actor.volunteer, reason=step.reason
        )
    elif step.action == "cancel":
        s.help_request_cancel(help_request=help_request, actor=actor, reason=step.reason)
    elif step.action == "reopen":
        s.help_request_reopen(help_request=help_request, actor=actor, reason=step.reason)
    elif step.action == "reimburse":
        s.help_request_mark_reimbursed(help_request=help_request, actor=actor)
    else:  # pragma: no cover - the plan only names the actions above
        raise ValueError(step.action)


def _backdate(help_request: HelpRequest, rp: RequestPlan, times, now) -> None:
    """Spread the request's history over its planned age instead of the last second."""
    all_events = list(RequestEvent.objects.filter(help_request=help_request).order_by("id"))
    # A give-back's new code word is an event of its own: it takes its give-back's time.
    events = [e for e in all_events if e.action != "new_code_word"]
    # One event per step plus the creation; reimbursement writes no event.
    event_steps = ["create"] + [s.action for s in rp.steps if s.action != "reimburse"]
    event_times = [times[0]] + [
        t for s, t in zip(rp.steps, times[1:], strict=True) if s.action != "reimburse"
    ]
    latest: dict[str, object] = {}
    for event, action, when in zip(events, event_steps, event_times, strict=True):
        RequestEvent.objects.filter(pk=event.pk).update(created_at=when)
        if action in ACTION_TIMESTAMPS:
            latest[ACTION_TIMESTAMPS[action]] = when
    previous_time = times[0]
    step_time = {event.pk: when for event, when in zip(events, event_times, strict=True)}
    for event in all_events:
        if event.pk in step_time:
            previous_time = step_time[event.pk]
        else:
            RequestEvent.objects.filter(pk=event.pk).update(created_at=previous_time)
    help_request.refresh_from_db()
    changes: dict[str, object] = {"created_at": times[0]}
    for action_field, when in latest.items():
        if getattr(help_request, action_field) is not None:
            changes[action_field] = when
    if help_request.reimbursed_at is not None:
        changes["reimbursed_at"] = min(times[-1], now)
    HelpRequest.objects.filter(pk=help_request.pk).update(**changes)
