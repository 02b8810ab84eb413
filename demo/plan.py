"""What the demo contains, decided before anything touches the database.

build_plan() is a pure function of its random generator: the same seed gives the same plan on
every run, whatever is already in the database, which is what lets seed_demo look existing rows
up by username, slug or code and skip or update them instead of duplicating.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal

from demo import data
from users.services import role_has_admin_access


@dataclass
class BlockPlan:
    group_slug: str
    code: str
    address: str
    entrances: int
    floors: int
    latitude: float
    longitude: float


@dataclass
class AccountPlan:
    username: str
    group_slug: str
    role: str
    first_name: str
    last_name: str
    phone: str | None = None

    @property
    def is_staff(self) -> bool:
        return role_has_admin_access(self.role)


@dataclass
class VolunteerPlan:
    username: str
    status: str  # verified | pending | paused
    blocks: list[str]
    safety_accepted: bool
    base_latitude: float
    base_longitude: float
    radius_km: Decimal | None
    max_open_tasks: int
    has_car: bool
    does_pharmacy: bool
    does_legal_consultation: bool
    does_psychological_consultation: bool
    languages: str
    notification_channel: str
    no_smartphone: bool = False


@dataclass
class NeighborPlan:
    block_code: str
    group_slug: str
    name: str
    flat: str
    entrance: int
    floor: int
    phone: str
    notes: str
    is_isolated: bool
    consent_to_contact: bool
    last_contact_days_ago: int | None
    consent_to_sms: bool = False


@dataclass
class Step:
    """One service call after creation: action, who does it, optional details."""

    action: str  # claim, mark_bought, deliver, release, undeliverable, cancel, reopen, reimburse
    actor: str  # username
    reason: str = ""
    spent: Decimal | None = None
    paid_by: str = ""
    gap_minutes: int = 30  # time since the previous step, for back-dating the history


@dataclass
class RequestPlan:
    key: str  # idempotency key: the demo request's identity across runs
    group_slug: str
    neighbor_index: int
    creator: str
    source: str
    kind: str
    details: str
    budget: Decimal | None
    payment: str
    urgency: str
    form_serial: str
    age_minutes: int  # how long ago it was created
    due_in_minutes: int | None  # relative to creation
    steps: list[Step] = field(default_factory=list)
    final_status: str = "open"


@dataclass
class Plan:
    blocks: list[BlockPlan]
    accounts: list[AccountPlan]
    volunteers: list[VolunteerPlan]
    neighbors: list[NeighborPlan]
    requests: list[RequestPlan]


ONE, TWO = data.GROUP_ONE["slug"], data.GROUP_TWO["slug"]

# Final statuses of the demo requests per group, with a few extra histories on open ones.
STATUS_MIX = {
    ONE: {"open": 13, "claimed": 9, "bought": 6, "delivered": 18, "cancelled": 6},
    TWO: {"open": 2, "claimed": 2, "bought": 1, "delivered": 2, "cancelled": 1},
}
NEIGHBORS_PER_GROUP = {ONE: 72, TWO: 8}
# (final status, holder) of the first requests of a group, in its volunteer1's blocks.
FEATURED = {
    ONE: [
        ("claimed", "volunteer1"),
        ("bought", "volunteer1"),
        ("open", None),
        ("open", None),
        ("delivered", "volunteer1"),
    ],
}


def _blocks(rng: random.Random, slug: str, prefix: str, streets) -> list[BlockPlan]:
    blocks = []
    for street, first, step, count, lat, lon, dlat, dlon in streets:
        for i in range(count):
            house = first + i * step
            address = f"{street}, д. {house}"
            if rng.random() < 0.2:
                address += f", корп. {rng.randint(1, 3)}"
            blocks.append(
                BlockPlan(
                    group_slug=slug,
                    code=f"{prefix}{len(blocks) + 1:02d}",
                    address=address,
                    entrances=rng.choice([1, 2, 3, 4, 4, 6, 8]),
                    floors=rng.choice([5, 5, 9, 9, 12, 14, 16]),
                    latitude=round(lat + i * dlat + rng.uniform(-0.00015, 0.00015), 6),
                    longitude=round(lon + i * dlon + rng.uniform(-0.00025, 0.00025), 6),
                )
            )
    return blocks


def _phone(rng: random.Random) -> str:
    return f"+7{rng.choice(data.MOBILE_PREFIXES)}{rng.randint(2000000, 9999999)}"


def _accounts() -> list[AccountPlan]:
    accounts = [
        AccountPlan("organizer", ONE, "organizer", "Елена", "Смирнова"),
        AccountPlan("operator", ONE, "operator", "Павел", "Орлов"),
    ]
    for n in range(1, 21):
        first, last = data.VOLUNTEER_NAMES[n - 1]
        accounts.append(
            AccountPlan(f"volunteer{n}", ONE, "volunteer", first, last, phone=f"+7921555{n:04d}")
        )
    accounts.append(AccountPlan("organizer2", TWO, "organizer", "Андрей", "Лебедев"))
    # No group: a coordinator looks after every group of the demo network.
    accounts.append(AccountPlan("coordinator", "", "coordinator", "Ольга", "Васильева"))
    for n in range(21, 26):
        first, last = data.VOLUNTEER_NAMES[n - 1]
        accounts.append(
            AccountPlan(f"volunteer{n}", TWO, "volunteer", first, last, phone=f"+7921555{n:04d}")
        )
    # Signed up with the group's invite link and waits for an organizer to verify her.
    accounts.append(
        AccountPlan("newcomer", ONE, "volunteer", "Светлана", "Новикова", phone="+79215550026")
    )
    return accounts


DEFAULT_NEWCOMER_TASKS = 2
# volunteer16 has no smartphone: the operators give tasks and record steps for them.
NO_SMARTPHONE = 16


def _volunteers(rng: random.Random, blocks: list[BlockPlan]) -> list[VolunteerPlan]:
    by_group = {slug: [b for b in blocks if b.group_slug == slug] for slug in (ONE, TWO)}
    status = {18: "paused", 19: "pending", 20: "pending", 25: "pending"}
    no_safety = {17, 19, 20, 25}  # 17 is verified but has not read the rules yet
    volunteers = []
    for n in range(1, 26):
        group_blocks = by_group[ONE if n <= 20 else TWO]
        if n == 1:
            codes = [group_blocks[0].code, group_blocks[1].code, group_blocks[2].code]
        elif n == 2:
            # volunteer1 and volunteer2 share the first block: two people see the same tasks.
            codes = [group_blocks[0].code, group_blocks[5].code]
        else:
            start = ((n - 3) * 2 + 3) % len(group_blocks)
            size = rng.choice([1, 2, 2, 3])
            codes = [group_blocks[(start + k) % len(group_blocks)].code for k in range(size)]
        home = next(b for b in group_blocks if b.code == codes[0])
        max_open_tasks = rng.choice([2, 3, 3, 3, 5])
        if n == 1:
            max_open_tasks = max(max_open_tasks, 3)  # holds the featured tasks, see FEATURED
        volunteers.append(
            VolunteerPlan(
                username=f"volunteer{n}",
                status=status.get(n, "verified"),
                blocks=codes,
                safety_accepted=n not in no_safety,
                base_latitude=round(home.latitude + rng.uniform(-0.0015, 0.0015), 6),
                base_longitude=round(home.longitude + rng.uniform(-0.003, 0.003), 6),
                radius_km=rng.choice([None, None, Decimal("1.5"), Decimal("2"), Decimal("3")]),
                max_open_tasks=max_open_tasks,
                has_car=n in (3, 7, 12, 22),
                does_pharmacy=n not in (6, 14),
                does_legal_consultation=n in (5, 23),
                does_psychological_consultation=n in (9, 24),
                languages={4: "ru, en", 11: "ru, en", 16: "ru, uz", 21: "ru, en"}.get(n, "ru"),
                notification_channel="console" if n % 4 == 0 else "email",
                # Offers by SMS without links, or on the operators' call-back list.
                no_smartphone=n == NO_SMARTPHONE,
            )
        )
    # The newcomer (no random draw: the rest of the demo stays as it was).
    home = by_group[ONE][4]
    volunteers.append(
        VolunteerPlan(
            username="newcomer",
            status="pending",
            blocks=[home.code],
            safety_accepted=True,
            base_latitude=home.latitude,
            base_longitude=home.longitude,
            radius_km=None,
            max_open_tasks=DEFAULT_NEWCOMER_TASKS,
            has_car=False,
            does_pharmacy=True,
            does_legal_consultation=False,
            does_psychological_consultation=False,
            languages="ru,en",
            notification_channel="email",
        )
    )
    return volunteers


SMS_RESIDENT_PHONE = "+79215550100"


def _neighbors(rng: random.Random, blocks: list[BlockPlan]) -> list[NeighborPlan]:
    neighbors = []
    for slug, count in NEIGHBORS_PER_GROUP.items():
        group_blocks = [b for b in blocks if b.group_slug == slug]
        used: set[tuple[str, str]] = set()
        for i in range(count):
            block = (
                group_blocks[i % len(group_blocks)]
                if i < len(group_blocks)
                else (rng.choice(group_blocks))
            )
            female = rng.random() < 0.7  # most people asking for help are older women
            surname = rng.choice(data.SURNAMES)[1 if female else 0]
            first = rng.choice(data.FEMALE_FIRST if female else data.MALE_FIRST)
            patronymic = rng.choice(data.PATRONYMICS)[1 if female else 0]
            entrance = rng.randint(1, block.entrances)
            floor = rng.randint(1, block.floors)
            flats_per_floor = 4
            flat = (entrance - 1) * block.floors * flats_per_floor
            flat += (floor - 1) * flats_per_floor + rng.randint(1, flats_per_floor)
            while (block.code, str(flat)) in used:
                flat += 1
            used.add((block.code, str(flat)))
            isolated = rng.random() < 0.25
            neighbors.append(
                NeighborPlan(
                    block_code=block.code,
                    group_slug=slug,
                    name=f"{surname} {first} {patronymic}",
                    flat=str(flat),
                    entrance=entrance,
                    floor=floor,
                    phone=_phone(rng) if rng.random() < 0.9 else "",
                    notes=rng.choice(data.NEIGHBOR_NOTES) if rng.random() < 0.4 else "",
                    is_isolated=isolated,
                    consent_to_contact=rng.random() < 0.95,
                    last_contact_days_ago=rng.choice([1, 3, 6, 9, 12]) if isolated else None,
                )
            )
    # The first resident of the first group agreed to SMS: "help is coming" and the code word
    # reach her by SMS (with an SMS gateway set), the others through the call-back list.
    first = next(n for n in neighbors if n.group_slug == ONE)
    first.consent_to_contact = True
    first.consent_to_sms = True
    first.phone = first.phone or SMS_RESIDENT_PHONE
    return neighbors


# Kinds only volunteers with the skill may take: the flag each needs.
CONSULTATIONS = {
    "legal": "does_legal_consultation",
    "psychological": "does_psychological_consultation",
}


def _gives(volunteer: VolunteerPlan, kind: str) -> bool:
    return kind not in CONSULTATIONS or getattr(volunteer, CONSULTATIONS[kind])


def _pick_errand(rng: random.Random) -> tuple[str, str, Decimal | None]:
    kinds = list(data.KIND_WEIGHTS)
    kind = rng.choices(kinds, weights=[data.KIND_WEIGHTS[k] for k in kinds])[0]
    details, budget = rng.choice(data.ERRANDS[kind])
    return kind, details, Decimal(budget) if budget is not None else None


def _requests(
    rng: random.Random,
    neighbors: list[NeighborPlan],
    volunteers: list[VolunteerPlan],
    accounts: list[AccountPlan],
) -> list[RequestPlan]:
    plans: list[RequestPlan] = []
    in_hand: dict[str, int] = {}
    for slug, mix in STATUS_MIX.items():
        staff = [a.username for a in accounts if a.group_slug == slug and a.is_staff]
        organizer = next(
            a.username for a in accounts if a.group_slug == slug and a.role == "organizer"
        )
        can_claim = [
            v
            for v in volunteers
            if v.status == "verified"
            and v.safety_accepted
            and next(a for a in accounts if a.username == v.username).group_slug == slug
        ]
        group_neighbors = [i for i, n in enumerate(neighbors) if n.group_slug == slug]
        featured = FEATURED.get(slug, [])
        remaining = dict(mix)
        for status, _holder in featured:
            remaining[status] -= 1
        statuses = [s for s, count in remaining.items() for _ in range(count)]
        rng.shuffle(statuses)
        # The first requests are for whoever tries the demo as volunteer1: tasks in hand,
        # open tasks in their blocks, one delivered.
        featured_blocks = {
            code for v in can_claim if v.username == "volunteer1" for code in v.blocks
        }
        featured_neighbors = [
            i for i in group_neighbors if neighbors[i].block_code in featured_blocks
        ]
        queue = [(status, holder, True) for status, holder in featured]
        queue += [(status, None, False) for status in statuses]

        def holder_for(
            block_code: str, forced: str | None = None, kind: str = "", can_claim=can_claim
        ) -> str:
            if forced:
                in_hand.setdefault(forced, 0)
                return forced
            # A consultation goes to one who gives it (volunteers 5, 9, 23, 24).
            able = [v for v in can_claim if _gives(v, kind)]
            # Prefer a volunteer of the block, then anyone of the group with room left.
            free = [v for v in able if in_hand.get(v.username, 0) < v.max_open_tasks]
            own = [v for v in free if block_code in v.blocks]
            return rng.choice(own or free).username

        for status, forced, is_featured in queue:
            number = len(plans) + 1
            neighbor_index = rng.choice(featured_neighbors if is_featured else group_neighbors)
            block_code = neighbors[neighbor_index].block_code
            kind, details, budget = _pick_errand(rng)
            while forced and kind in CONSULTATIONS:
                # The featured tasks are volunteer1's, who gives no consultation.
                kind, details, budget = _pick_errand(rng)
            source = rng.choice(["paper_form", "paper_form", "phone", "phone", "volunteer"])
            creator = rng.choice(staff) if source != "volunteer" else rng.choice(can_claim).username
            # A volunteer may enter a request only for a new resident or one whose task they
            # hold; the demo's residents exist already, so staff type in what a volunteer
            # brought (the random draw above stays, so the rest of the plan is unchanged).
            creator = creator if source != "volunteer" else staff[0]
            plan = RequestPlan(
                key=f"demo-{number:03d}",
                group_slug=slug,
                neighbor_index=neighbor_index,
                creator=creator,
                source=source,
                kind=kind,
                details=details,
                budget=budget,
                payment="free"
                if budget is None
                else rng.choice(
                    ["cash_on_delivery", "cash_on_delivery", "cash_on_delivery", "prepaid"]
                ),
                urgency="urgent" if rng.random() < 0.15 else "normal",
                form_serial=f"{block_code}-{number:04d}" if source == "paper_form" else "",
                age_minutes=0,
                due_in_minutes=rng.choice([None, None, 12 * 60, 24 * 60, 48 * 60]),
                final_status=status,
            )
            _history(
                rng,
                plan,
                status,
                lambda code, forced=forced, kind=kind: holder_for(code, forced, kind),
                block_code,
                organizer,
                staff,
                in_hand,
            )
            plans.append(plan)
    return plans


def _history(rng, plan, status, holder_for, block_code, organizer, staff, in_hand) -> None:
    """Fill plan.steps with a plausible path to `status`, and its age."""
    steps = plan.steps
    if status == "open":
        plan.age_minutes = rng.randint(10, 6 * 60)
        roll = rng.random()
        if roll < 0.15:
            steps.append(Step("claim", holder_for(block_code), gap_minutes=rng.randint(5, 40)))
            steps.append(Step("release", steps[-1].actor, reason=rng.choice(data.RELEASE_REASONS)))
        elif roll < 0.25:
            steps.append(Step("claim", holder_for(block_code), gap_minutes=rng.randint(5, 40)))
            steps.append(Step("mark_bought", steps[-1].actor, gap_minutes=50))
            steps.append(
                Step(
                    "undeliverable",
                    steps[-1].actor,
                    reason=rng.choice(data.UNDELIVERABLE_REASONS),
                    gap_minutes=30,
                )
            )
        elif roll < 0.32:
            steps.append(Step("cancel", rng.choice(staff), reason=data.CANCEL_REASONS[2]))
            steps.append(Step("reopen", organizer, reason="Отменили по ошибке.", gap_minutes=15))
        return
    if status == "cancelled":
        plan.age_minutes = rng.randint(3 * 60, 7 * 24 * 60)
        if rng.random() < 0.4:
            steps.append(Step("claim", holder_for(block_code), gap_minutes=rng.randint(5, 90)))
        steps.append(Step("cancel", rng.choice(staff), reason=rng.choice(data.CANCEL_REASONS[:2])))
        return
    holder = holder_for(block_code)
    steps.append(Step("claim", holder, gap_minutes=rng.randint(3, 90)))
    if status == "claimed":
        plan.age_minutes = rng.randint(30, 10 * 60)
        in_hand[holder] = in_hand.get(holder, 0) + 1
        return
    if status == "bought" or plan.kind not in CONSULTATIONS:
        steps.append(Step("mark_bought", holder, gap_minutes=rng.randint(20, 120)))
    if status == "bought":
        plan.age_minutes = rng.randint(2 * 60, 12 * 60)
        in_hand[holder] = in_hand.get(holder, 0) + 1
        return
    # Spread over eight weeks, so the desk's weekly response-time chart has something to show.
    plan.age_minutes = rng.randint(4 * 60, 56 * 24 * 60)
    spent, paid_by = None, ""
    if plan.budget:
        spent = (plan.budget * Decimal(rng.uniform(0.7, 1.05))).quantize(Decimal("1"))
        paid_by = rng.choice(["resident_cash", "resident_cash", "group_fund", "volunteer"])
    steps.append(
        Step(
            "deliver",
            holder,
            spent=spent,
            paid_by=paid_by,
            reason=rng.choice(data.DELIVERY_NOTES),
            gap_minutes=rng.randint(20, 90),
        )
    )
    if paid_by == "volunteer" and rng.random() < 0.5:
        steps.append(Step("reimburse", organizer, gap_minutes=24 * 60))


def build_plan(seed: int) -> Plan:
    rng = random.Random(seed)
    blocks = _blocks(rng, ONE, "CR", data.STREETS_ONE) + _blocks(rng, TWO, "SH", data.STREETS_TWO)
    accounts = _accounts()
    volunteers = _volunteers(rng, blocks)
    neighbors = _neighbors(rng, blocks)
    requests = _requests(rng, neighbors, volunteers, accounts)
    return Plan(blocks, accounts, volunteers, neighbors, requests)
