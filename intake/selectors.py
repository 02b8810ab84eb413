"""Reads of the intake desk: finding a caller, and the requests that may be her duplicate."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from intake.messages import resident_message
from intake.models import NoticeChannel, NoticeStatus, ResidentNotice
from neighbors.models import Block, Neighbor
from notifications.backends.call_list import CALL_LIST
from notifications.models import NotificationLog
from requests.models import HelpRequest, Offer, OfferStatus, Status
from requests.paper_forms import paper_form_used_by
from requests.selectors import NOT_FINISHED
from volunteers.models import Volunteer, VolunteerStatus

# A phone shared by a household, or a flat of a big family, rarely has more; more would be a
# search too broad to read out anyway.
MAX_MATCHES = 20
CLOSED = (Status.DELIVERED, Status.CANCELLED)
RECENT_CLOSED = 3
DUPLICATE_WINDOW = timedelta(hours=24)
HISTORY_FIELDS = (
    "id",
    "neighbor_id",
    "kind",
    "status",
    "code_word",
    "created_at",
    "due_at",
    "delivered_at",
    "cancelled_at",
)


def _with_history(queryset: QuerySet[Neighbor]) -> list[Neighbor]:
    """Residents with `open_requests` and `recent_closed` (the last three) attached.

    Three queries whatever the number of residents or requests.
    """
    open_requests = (
        HelpRequest.objects.filter(status__in=NOT_FINISHED)
        .only(*HISTORY_FIELDS)
        .order_by("-created_at")
    )
    closed = (
        HelpRequest.objects.filter(status__in=CLOSED)
        .only(*HISTORY_FIELDS)
        .order_by("-created_at")[:RECENT_CLOSED]
    )
    return list(
        queryset.select_related("block")
        .prefetch_related(
            Prefetch("help_requests", queryset=open_requests, to_attr="open_requests"),
            Prefetch("help_requests", queryset=closed, to_attr="recent_closed"),
        )
        .order_by("block__code", "flat", "name")[:MAX_MATCHES]
    )


def residents_by_phone(*, group, phone: str) -> list[Neighbor]:
    """Residents of the group with this phone (E.164, see covidarnost.phones.normalize_phone)."""
    return _with_history(Neighbor.objects.filter(block__group=group, phone=phone))


def residents_by_flat(*, block: Block, flat: str) -> list[Neighbor]:
    """Residents of one flat of a block; "12а" finds "12А"."""
    return _with_history(Neighbor.objects.filter(block=block, flat__iexact=flat.strip()))


def possible_duplicates(
    *, group, neighbor: Neighbor | None, kind: str, form_serial: str, now=None
) -> list[HelpRequest]:
    """Requests the new one may repeat: the same resident's unfinished request of the same kind
    entered in the last 24 hours, and the request already entered from the same paper form."""
    now = now or timezone.now()
    found: list[HelpRequest] = []
    if neighbor is not None:
        found += list(
            HelpRequest.objects.filter(
                neighbor=neighbor,
                kind=kind,
                status__in=NOT_FINISHED,
                created_at__gte=now - DUPLICATE_WINDOW,
            ).select_related("block")
        )
    used = paper_form_used_by(serial=form_serial)
    if (
        used is not None
        and used.pk not in {r.pk for r in found}
        and used.block.group_id == group.pk
    ):
        found.append(used)
    return found


def group_blocks(group) -> QuerySet[Block]:
    """The blocks offered in the desk's drop-downs, by code."""
    return Block.objects.filter(group=group).only("id", "code", "address").order_by("code")


# An SMS not sent by then (queue or gateway down) shows on the call-back list too.
SMS_GRACE = timedelta(minutes=15)


def pending_callbacks(*, group_ids, now=None) -> QuerySet:
    """Notices still to tell residents of these groups: every call, and an SMS not sent within
    SMS_GRACE. The one rule for the call-back list and the organizer's desk."""
    now = now or timezone.now()
    return ResidentNotice.objects.filter(
        help_request__block__group_id__in=list(group_ids), status=NoticeStatus.PENDING
    ).filter(
        Q(channel=NoticeChannel.CALL) | Q(channel=NoticeChannel.SMS, created_at__lt=now - SMS_GRACE)
    )


def callbacks_for_group(*, group, now=None) -> list:
    """Residents to phone: notices still to tell, oldest first, each with `script` (what to
    say, with the code word) attached. A constant number of queries."""
    notices = list(
        pending_callbacks(group_ids=[group.pk], now=now)
        .select_related(
            "event",
            "help_request__neighbor",
            "help_request__block__group",
            "help_request__volunteer__user",
        )
        .order_by("created_at", "pk")[:200]
    )
    for notice in notices:
        help_request = notice.help_request
        notice.script = resident_message(
            action=notice.event.action,
            help_request=help_request,
            volunteer=help_request.volunteer,
        )
    return notices


def recently_told(*, group, limit: int = 20) -> list:
    """The latest notices told by phone or sent by SMS: who told whom, when."""
    return list(
        ResidentNotice.objects.filter(
            help_request__block__group=group,
            status__in=[NoticeStatus.TOLD, NoticeStatus.SENT],
        )
        .select_related("event", "told_by", "help_request__neighbor")
        .order_by("-told_at", "-pk")[:limit]
    )


def volunteers_to_give(group) -> QuerySet:
    """Verified, active volunteers of the group a request can be given to, by name."""
    return (
        Volunteer.objects.filter(user__group=group, user__is_active=True)
        .filter(status=VolunteerStatus.VERIFIED)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__username")
    )


def offers_to_phone(*, group) -> list:
    """Live offers to volunteers without a smartphone that no SMS reached: an operator phones
    them and passes on the answer."""
    on_call_list = NotificationLog.objects.filter(
        help_request=OuterRef("help_request"),
        recipient=OuterRef("volunteer__user"),
        channel=CALL_LIST,
    )
    return list(
        Offer.objects.filter(
            help_request__block__group=group,
            status=OfferStatus.PENDING,
            volunteer__no_smartphone=True,
        )
        .filter(Exists(on_call_list))
        .select_related("volunteer__user", "help_request__block")
        .order_by("created_at")[:100]
    )
