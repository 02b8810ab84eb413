"""Every route × every role: a test walks the URL resolver and fails on a route not listed.

A new URL must be added to MATRIX below with the status a GET gets for each role, in this order:

    anonymous  volunteer  operator  organizer  other  (other = organizer of another group)

    "tasks/<uuid:pk>/": S("302 200 403 403 403", pk="task"),

Path parameters name an object of `world` (below) or give a literal. Admin models take one line
with what organizers and operators may do there (`admin_model`). When a route is missing, the
failure message prints the line to paste (with the statuses seen, to check before pasting).
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from tests import factories

ROLES = ("anonymous", "volunteer", "operator", "organizer", "other")


@dataclass(frozen=True)
class S:
    """Expected GET statuses per role, as "anon volunteer operator organizer other"."""

    statuses: str
    params: dict = field(default_factory=dict)

    def __init__(self, statuses: str, **params):
        object.__setattr__(self, "statuses", statuses)
        object.__setattr__(self, "params", params)

    def expected(self) -> dict[str, int]:
        codes = [int(code) for code in self.statuses.split()]
        assert len(codes) == len(ROLES), f"{self.statuses!r}: give one status per role {ROLES}"
        return dict(zip(ROLES, codes, strict=True))


def admin_model(label: str, obj: str, *, organizer: str = "", operator: str = "") -> dict:
    """The six admin routes of a model, from what organizers and operators may do there.

    label: "app/model" as in the URL; obj: the world object of the group to open; organizer and
    operator: the rights among "view add change delete". Anonymous users and volunteers are
    sent to the admin sign-in (302); an organizer of another group is sent back to the admin
    index (302) from the group's objects; a page without the right answers 403.
    """

    def status(rights: str, right: str) -> str:
        return "200" if right in rights.split() else "403"

    def row(right_for) -> S:
        return S(
            " ".join(
                ["302", "302", right_for(operator), right_for(organizer), other_for(right_for)]
            ),
            object_id=obj,
        )

    def other_for(right_for) -> str:
        # Another group's organizer has their organizer rights, but not on this object.
        seen = right_for(organizer)
        return "302" if seen == "200" else seen

    base = f"admin/{label}/"
    changelist = S(
        f"302 302 {status(operator, 'view')} {status(organizer, 'view')} "
        f"{status(organizer, 'view')}"
    )
    add = S(
        f"302 302 {status(operator, 'add')} {status(organizer, 'add')} {status(organizer, 'add')}"
    )
    return {
        base: changelist,
        base + "add/": add,
        base + "<path:object_id>/change/": row(lambda rights: status(rights, "view")),
        base + "<path:object_id>/history/": row(lambda rights: status(rights, "view")),
        base + "<path:object_id>/delete/": row(lambda rights: status(rights, "delete")),
        # The bare object URL redirects to its change page, for everyone.
        base + "<path:object_id>/": S("302 302 302 302 302", object_id=obj),
    }


MATRIX: dict[str, S] = {
    "": S("302 302 302 302 302"),
    # Health check for the load balancer and compose: open to all, says nothing personal.
    "healthz": S("200 200 200 200 200"),
    # Accounts and language.
    "accounts/login/": S("200 302 302 302 302"),
    "accounts/logout/": S("405 405 405 405 405"),
    "i18n/setlang/": S("302 302 302 302 302"),
    # Volunteer pages. Staff get a 403 page pointing them to the admin; POST-only actions 405.
    "tasks/": S("302 200 403 403 403"),
    "tasks/<uuid:pk>/": S("302 200 403 403 403", pk="task"),
    "tasks/<uuid:pk>/claim/": S("405 405 405 405 405", pk="task"),
    "tasks/<uuid:pk>/bought/": S("405 405 405 405 405", pk="task"),
    "tasks/<uuid:pk>/release/": S("405 405 405 405 405", pk="task"),
    "tasks/<uuid:pk>/deliver/": S("405 405 405 405 405", pk="task"),
    "tasks/<uuid:pk>/undeliverable/": S("405 405 405 405 405", pk="task"),
    "tasks/<uuid:pk>/receipt/": S("302 200 200 200 404", pk="delivered"),
    "safety/": S("302 200 403 403 403"),  # also 200 for a volunteer waiting for verification
    "profile/": S("302 200 403 403 403"),
    "history/": S("302 200 403 403 403"),
    "checkins/": S("302 200 403 403 403"),
    "checkins/<uuid:pk>/called/": S("405 405 405 405 405", pk="isolated"),
    "offers/<uuid:pk>/claim/": S("302 200 404 404 404", pk="offer"),
    "offers/<uuid:pk>/decline/": S("302 200 404 404 404", pk="offer"),
    # Intake desk (operators and organizers).
    "intake/": S("302 404 200 200 200"),
    "intake/requests/<uuid:pk>/": S("302 404 200 200 404", pk="task"),
    "intake/requests/<uuid:pk>/give/": S("302 405 405 405 405", pk="task"),
    "intake/requests/<uuid:pk>/step/": S("302 405 405 405 405", pk="task"),
    "intake/offers/<uuid:pk>/accept/": S("302 405 405 405 405", pk="offer"),
    "intake/offers/<uuid:pk>/decline/": S("302 405 405 405 405", pk="offer"),
    "intake/callbacks/": S("302 404 200 200 200"),
    "intake/callbacks/<int:pk>/told/": S("302 405 405 405 405", pk=1),
    # Printing (PDFs), staff of the group only; anyone else gets 404. Forms and flyers answer
    # 409 while the group has no hotline phone to print; a batch downloads once it is done.
    "print/blocks/<uuid:pk>/form.pdf": S("404 404 409 409 404", pk="block"),
    "print/blocks/<uuid:pk>/flyer.pdf": S("404 404 409 409 404", pk="block"),
    "print/volunteers/<uuid:pk>/route.pdf": S("404 404 200 200 404", pk="volunteer"),
    "print/batches/<uuid:pk>/": S("404 404 200 200 404", pk="print_batch"),
    "print/batches/<uuid:pk>/download.pdf": S("404 404 404 404 404", pk="print_batch"),
    # Hotline log and recurring requests (an id that does not exist: no object needed).
    "admin/hotline/calllog/": S("302 302 200 200 200"),
    "admin/hotline/calllog/add/": S("302 302 200 200 200"),
    "admin/hotline/calllog/<path:object_id>/history/": S("302 302 302 302 302", object_id=0),
    "admin/hotline/calllog/<path:object_id>/delete/": S("302 302 403 403 403", object_id=0),
    "admin/hotline/calllog/<path:object_id>/change/": S("302 302 302 302 302", object_id=0),
    "admin/hotline/calllog/<path:object_id>/": S("302 302 302 302 302", object_id=0),
    "admin/recurring/recurringrequest/": S("302 302 200 200 200"),
    "admin/recurring/recurringrequest/add/": S("302 302 200 200 200"),
    "admin/recurring/recurringrequest/<path:object_id>/history/": S(
        "302 302 302 302 302", object_id=0
    ),
    "admin/recurring/recurringrequest/<path:object_id>/delete/": S(
        "302 302 403 403 403", object_id=0
    ),
    "admin/recurring/recurringrequest/<path:object_id>/change/": S(
        "302 302 302 302 302", object_id=0
    ),
    "admin/recurring/recurringrequest/<path:object_id>/": S("302 302 302 302 302", object_id=0),
    "intake/calls/": S("302 404 200 200 200"),
    "intake/calls/<int:pk>/done/": S("405 405 405 405 405", pk=0),
    "intake/recurring/<int:pk>/": S("302 404 404 404 404", pk=0),
    "intake/recurring/": S("302 404 200 200 200"),
    # Without ?resident= or ?request= there is nobody to set it up for.
    "intake/recurring/new/": S("302 404 404 404 404"),
    # Telegram linking and the webhooks (these answer the bot and the gateway, not people).
    "notifications/telegram/link/": S("302 200 403 403 403"),
    "notifications/telegram/webhook/": S("405 405 405 405 405"),
    "notifications/sms/inbound/": S("405 405 405 405 405"),
    # API v1: anonymous calls get 401 (token authentication asks for credentials).
    "api/v1/auth/token/": S("405 405 405 405 405"),
    "api/v1/me/": S("401 200 200 200 200"),
    "api/v1/me/accept-safety-protocol/": S("401 405 405 405 405"),
    "api/v1/blocks/": S("401 200 200 200 200"),
    "api/v1/requests/": S("401 405 405 405 405"),
    "api/v1/requests/<uuid:pk>/": S("401 404 200 200 404", pk="task"),
    "api/v1/tasks/": S("401 200 403 403 403"),
    "api/v1/tasks/<uuid:pk>/": S("401 200 403 403 403", pk="task"),
    "api/v1/tasks/<uuid:pk>/claim/": S("401 405 403 403 403", pk="task"),
    "api/v1/tasks/<uuid:pk>/release/": S("401 405 403 403 403", pk="task"),
    "api/v1/tasks/<uuid:pk>/mark-bought/": S("401 405 403 403 403", pk="task"),
    "api/v1/tasks/<uuid:pk>/deliver/": S("401 405 403 403 403", pk="task"),
    "api/v1/tasks/<uuid:pk>/undeliverable/": S("401 405 403 403 403", pk="task"),
    "api/schema/": S("200 200 200 200 200"),
    "api/docs/": S("200 200 200 200 200"),
    # Any other path under /api/: a JSON 404 for everyone.
    "api-not-found": S("404 404 404 404 404", rest="v1/nothing/"),
    # Admin.
    "admin/": S("302 302 200 200 200"),
    "admin/login/": S("200 200 302 302 302"),
    "admin/logout/": S("302 302 405 405 405"),
    "admin/password_change/": S("302 302 200 200 200"),
    "admin/password_change/done/": S("302 302 200 200 200"),
    "admin/autocomplete/": S("302 302 403 403 403"),
    "admin/jsi18n/": S("302 302 200 200 200"),
    "admin/r/<path:content_type_id>/<path:object_id>/": S(
        "302 302 404 404 404", content_type_id="block_type", object_id="block"
    ),
    "admin:app_list": S("302 302 200 200 200", app_label="requests"),
    "admin/(?P<url>.*)$": S("302 302 404 404 404", url="no-such-page/"),
    "admin/users/user/<id>/password/": S("302 302 403 200 404", id="volunteer_user"),
    **admin_model("users/user", "volunteer_user", organizer="view add change"),
    **admin_model("neighbors/network", "network"),
    # Tokens and second-factor devices: no organizer or operator rights in the admin.
    **admin_model("knox/authtoken", "knox_token"),
    **admin_model("otp_static/staticdevice", "static_device"),
    **admin_model("otp_totp/totpdevice", "totp_device"),
    "admin/otp_totp/totpdevice/<int:pk>/config/": S("302 302 403 403 403", pk="totp_device"),
    "admin/otp_totp/totpdevice/<int:pk>/qrcode/": S("302 302 403 403 403", pk="totp_device"),
    "accounts/two-factor/": S("302 302 302 302 302"),
    "accounts/sign-out-everywhere/": S("405 405 405 405 405"),
    "dashboard/": S("302 403 403 200 200"),
    "dashboard/groups/<uuid:pk>/": S("302 403 403 200 404", pk="group"),
    "dashboard/map/": S("302 403 403 200 200"),
    "dashboard/groups/<uuid:pk>/map/": S("302 403 403 200 404", pk="group"),
    "api/v1/auth/logout/": S("401 405 405 405 405"),
    "admin/neighbors/network/<path:object_id>/history/": S(
        "302 302 302 302 302", object_id="network"
    ),
    **admin_model("neighbors/group", "group", organizer="view change"),
    **admin_model("neighbors/block", "block", organizer="view add change delete", operator="view"),
    **admin_model(
        "neighbors/neighbor",
        "isolated",
        organizer="view add change delete",
        operator="view add change",
    ),
    **admin_model("volunteers/volunteer", "volunteer", organizer="view add change"),
    **admin_model(
        "requests/helprequest", "task", organizer="view add change", operator="view add change"
    ),
    **admin_model("requests/requestevent", "event", organizer="view"),
    **admin_model("requests/offer", "offer", organizer="view"),
    **admin_model("notifications/notificationlog", "notification", organizer="view"),
    **admin_model("requests/requestkind", "request_kind", organizer="view add change"),
    **admin_model("privacy/personaldataview", "data_view", organizer="view"),
    **admin_model("privacy/privacyevent", "privacy_event", organizer="view"),
    # The audit of people and roles: coordinators (superusers) only.
    **admin_model("auditlog/logentry", "log_entry"),
    # Import (upload and dry run; the confirmation is POST only) and export: organizers, each
    # into and out of their own group only; operators may not.
    "admin/neighbors/block/import/": S("302 302 403 200 200"),
    "admin/neighbors/block/process_import/": S("302 302 405 405 405"),
    "admin/neighbors/block/export/": S("302 302 403 200 200"),
    "admin/volunteers/volunteer/import/": S("302 302 403 200 200"),
    "admin/volunteers/volunteer/process_import/": S("302 302 405 405 405"),
    "admin/volunteers/volunteer/export/": S("302 302 403 200 200"),
    "admin/requests/helprequest/export/": S("302 302 403 200 200"),
    # Onboarding: public sign-up through an invite link (signed-in people are told to sign out
    # first), "forgot password", and the one-time link to set a new one (a bad link says so).
    "join/<str:token>/": S("200 200 200 200 200", token="invite_token"),
    "accounts/password/forgot/": S("200 200 200 200 200"),
    "accounts/password/set/<uidb64>/<token>/": S(
        "200 200 200 200 200", uidb64="MQ", token="not-a-token"
    ),
    "accounts/password/set/done/": S("200 200 200 200 200"),
    **admin_model("onboarding/invite", "invite", organizer="view add"),
    **admin_model("onboarding/passwordhelprequest", "password_help", organizer="view"),
}

ADMIN_MODEL_ROUTE = re.compile(r"^admin/([a-z_]+/[a-z_]+)/(?:add/|<path:object_id>/.*)?$")

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


@pytest.fixture
def world(group, block, volunteer, operator, organizer, other_organizer):
    """One object of every kind in `group`, reachable by the names MATRIX uses."""
    from django.contrib.contenttypes.models import ContentType

    from notifications.models import NotificationLog
    from requests.models import Offer, RequestEvent, RequestKind, Status
    from requests.services import help_request_claim

    task = help_request_claim(
        help_request=factories.HelpRequestFactory(neighbor__block=block), volunteer=volunteer
    )
    delivered = factories.HelpRequestFactory(
        neighbor__block=block,
        status=Status.DELIVERED,
        volunteer=volunteer,
        delivered_at=timezone.now(),
    )
    delivered.receipt.save("receipt.png", ContentFile(PNG))
    open_request = factories.HelpRequestFactory(neighbor__block=block)
    offer = Offer.objects.create(
        help_request=open_request,
        volunteer=volunteer,
        rank=1,
        short_code="AB12",
        expires_at=timezone.now() + timezone.timedelta(minutes=15),
    )
    from auditlog.models import LogEntry

    from printing.models import PrintBatch
    from privacy.access_log import record_personal_data_view
    from privacy.models import PersonalDataView, PrivacyEvent

    record_personal_data_view(viewer=organizer, neighbors=[task.neighbor], channel="admin")
    volunteer.user.first_name = "Audited"
    volunteer.user.save()
    from onboarding.models import PasswordHelpRequest
    from onboarding.services import invite_create

    invite = invite_create(group=group, actor=organizer)
    notification = NotificationLog.objects.create(
        key="matrix-test", channel="email", recipient=volunteer.user, help_request=task
    )
    return {
        "group": group,
        "block": block,
        "block_type": ContentType.objects.get_for_model(block).pk,
        "task": task,
        "delivered": delivered,
        "offer": offer,
        "isolated": factories.NeighborFactory(block=block, is_isolated=True),
        "volunteer": volunteer,
        "volunteer_user": volunteer.user,
        "event": RequestEvent.objects.filter(help_request=task).first(),
        "notification": notification,
        "network": factories.NetworkFactory(),
        "knox_token": AuthToken.objects.create(user=volunteer.user)[0],
        "static_device": StaticDevice.objects.create(user=organizer, name="recovery"),
        "totp_device": TOTPDevice.objects.create(user=organizer, name="phone"),
        "print_batch": PrintBatch.objects.create(group=group, requested_by=organizer),
        "request_kind": RequestKind.objects.create(group=group, slug="firewood", name="Дрова"),
        "data_view": PersonalDataView.objects.get(),
        "privacy_event": PrivacyEvent.objects.create(
            action="resident_erased", subject_id="x", group=group
        ),
        "log_entry": LogEntry.objects.get_for_object(volunteer.user).latest("timestamp"),
        "invite": invite,
        "invite_token": invite.token,
        "password_help": PasswordHelpRequest.objects.create(user=volunteer.user, group=group),
        "users": {
            "anonymous": None,
            "volunteer": volunteer.user,
            "operator": operator,
            "organizer": organizer,
            "other": other_organizer,
        },
    }


def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            joined = f"{namespace}:{inner}" if namespace and inner else namespace or inner
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), joined)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield prefix, pattern, name


def routes() -> dict[str, tuple[str, str | None, bool]]:
    """Matrix key → (full route, URL name, is a plain route). Regex routes with a name are
    keyed by the name, since their text changes with what is registered (admin app list)."""
    found = {}
    for prefix, pattern, name in _walk(get_resolver().url_patterns):
        full = prefix + str(pattern.pattern)
        plain = isinstance(pattern.pattern, RoutePattern) and "^" not in prefix
        key = full if plain or not name else name
        found[key] = (full, name, plain)
    return found


def _value(value, world):
    found = world.get(value, value) if isinstance(value, str) else value
    return getattr(found, "pk", found)


def build_path(key: str, entry: S, world) -> str:
    from django.urls import reverse

    full, name, plain = routes()[key]
    kwargs = {param: _value(value, world) for param, value in entry.params.items()}
    if name and not plain:
        return reverse(name, kwargs=kwargs)
    path = full
    for param, value in kwargs.items():
        path = re.sub(rf"<(?:[a-z]+:)?{param}>|\(\?P<{param}>[^)]*\)", str(value), path)
    return "/" + path.replace("^", "").replace("$", "")


def suggestion(key: str, seen: dict[str, int] | None) -> str:
    statuses = " ".join(str(seen[role]) for role in ROLES) if seen else "??? ??? ??? ??? ???"
    params = re.findall(r"<(?:[a-z]+:)?([a-z_]+)>", key)
    args = "".join(f', {param}="<object in world>"' for param in params)
    return f'    "{key}": S("{statuses}"{args}),'


def statuses_for(path: str, world) -> dict[str, int]:
    """GET path as each role. One signed-in client per role (GET never signs out here)."""
    clients = world.setdefault("clients", {})
    for role in ROLES:
        if role not in clients:
            clients[role] = Client()
            if world["users"][role] is not None:
                clients[role].force_login(world["users"][role])
    return {role: clients[role].get(path).status_code for role in ROLES}


@pytest.mark.django_db
def test_every_route_is_in_the_matrix(world):
    found = routes()
    missing = [key for key in found if key not in MATRIX]
    lines = []
    admin_models = sorted(
        {match.group(1) for key in missing if (match := ADMIN_MODEL_ROUTE.match(key))}
    )
    for label in admin_models:
        lines.append(
            f'    **admin_model("{label}", "<object in world>", organizer="view add change '
            f'delete", operator=""),  # keep only the rights each role has'
        )
    for key in missing:
        match = ADMIN_MODEL_ROUTE.match(key)
        if match and match.group(1) in admin_models:
            continue
        params = re.findall(r"<(?:[a-z]+:)?[a-z_]+>", key)
        # Without parameters, GET it as each role to suggest the statuses to check.
        seen = None if params else statuses_for(build_path(key, S("0 0 0 0 0"), world), world)
        lines.append(suggestion(key, seen))
    assert not missing, (
        f"{len(missing)} route(s) missing from MATRIX in tests/test_url_matrix.py. Add, after "
        "checking each status (anonymous volunteer operator organizer other-group organizer):\n"
        + "\n".join(lines)
    )


def test_matrix_has_no_stale_routes():
    stale = sorted(set(MATRIX) - set(routes()))
    assert not stale, f"Remove these from MATRIX in tests/test_url_matrix.py: {stale}"


@pytest.mark.django_db
def test_every_route_answers_each_role_as_listed(world):
    """One world for all routes (fast); every mismatch is reported at once."""
    found = routes()
    wrong = []
    for key in sorted(set(MATRIX) & set(found)):
        path = build_path(key, MATRIX[key], world)
        seen = statuses_for(path, world)
        if seen != MATRIX[key].expected():
            wrong.append(
                f"GET {path}: expected {MATRIX[key].statuses!r}, seen\n" + suggestion(key, seen)
            )
    assert not wrong, (
        "Routes answer otherwise than MATRIX in tests/test_url_matrix.py says (roles: "
        + " ".join(ROLES)
        + "). Fix the view, or if the new answer is right:\n"
        + "\n".join(wrong)
    )
