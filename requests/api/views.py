"""API views for help requests (entered by helpers, read by staff) and tasks (volunteers).

Views parse input, find the object through covidarnost.permissions, call one service and
render the result. Service errors become responses in covidarnost.api_errors.
"""

from __future__ import annotations

import re
from functools import cached_property

from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from covidarnost import permissions
from covidarnost.api_throttles import CreateRequestIPThrottle, CreateRequestUserThrottle
from covidarnost.geo import haversine_m
from neighbors.api import CanCreateRequests
from neighbors.models import Block
from privacy.access_log import record_personal_data_view
from privacy.models import ViewChannel
from requests import list_cache, services
from requests.api.serializers import (
    DeliverInput,
    ReasonInput,
    RequestCreatedOutput,
    RequestDetailOutput,
    RequestInput,
    TaskListQuery,
    TaskOutput,
    TaskPrivateOutput,
    TaskPublicOutput,
)
from requests.selectors import (
    task_kinds,
    tasks_for_volunteer,
    tasks_held_by,
    volunteer_base_point,
)

DETAIL = OpenApiResponse(
    response={"type": "object", "properties": {"detail": {"type": "string"}}},
    description="An error message.",
)
FIELD_ERRORS = OpenApiResponse(
    response={"type": "object", "additionalProperties": True},
    description='{"field": [messages]} or {"detail": message}.',
)

# Printable ASCII without spaces, 1 to 64 characters: the server and the schema share it.
IDEMPOTENCY_KEY_PATTERN = r"^[!-~]{1,64}$"
IDEMPOTENCY_KEY_RE = re.compile(IDEMPOTENCY_KEY_PATTERN)
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    {"type": "string", "pattern": IDEMPOTENCY_KEY_PATTERN, "maxLength": 64},
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "Up to 64 printable ASCII characters, no spaces. A retry with the same key returns "
        "the request created the first time (200), never a second request."
    ),
)


# --- Help requests ------------------------------------------------------------------------
def _idempotency_key(request) -> str | None:
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return None
    if not IDEMPOTENCY_KEY_RE.fullmatch(key):
        raise exceptions.ValidationError(
            {"Idempotency-Key": [_("Use up to 64 printable characters without spaces.")]}
        )
    return key


class RequestCreateView(APIView):
    """Enter a help request for a resident (organizers, operators, verified volunteers)."""

    permission_classes = [CanCreateRequests]
    throttle_classes = [CreateRequestUserThrottle, CreateRequestIPThrottle]

    @extend_schema(
        request=RequestInput,
        parameters=[IDEMPOTENCY_KEY],
        responses={
            201: RequestCreatedOutput,
            200: OpenApiResponse(RequestCreatedOutput, description="A retry: the same request."),
            400: FIELD_ERRORS,
            401: DETAIL,
            403: DETAIL,
            404: DETAIL,
            413: DETAIL,
            429: DETAIL,
        },
        tags=["requests"],
    )
    def post(self, request):
        key = _idempotency_key(request)
        form = RequestInput(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        user = request.user
        # Another group's block or resident answers like one that does not exist.
        block = get_object_or_404(permissions.scope(Block.objects.all(), user), pk=data["block"])
        neighbor = None
        if data.get("neighbor_id"):
            # A resident the caller may not file for answers like one that does not exist.
            neighbor = permissions.get_neighbor_for_request(user, data["neighbor_id"])
        help_request, created = services.help_request_create(
            created_by=user,
            block=block,
            kind=data["kind"],
            details=data["details"],
            source=data["source"],
            neighbor=neighbor,
            neighbor_data=data.get("neighbor"),
            budget=data["budget"],
            payment=data["payment"],
            urgency=data["urgency"],
            due_at=data["due_at"],
            form_serial=data["form_serial"],
            idempotency_key=key,
        )
        return Response(
            RequestCreatedOutput(help_request).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class RequestDetailView(APIView):
    """A help request with the resident's details, for organizers and operators of its group."""

    @extend_schema(
        responses={200: RequestDetailOutput, 401: DETAIL, 404: DETAIL}, tags=["requests"]
    )
    def get(self, request, pk):
        help_request = permissions.get_request_for_staff(request.user, pk)
        record_personal_data_view(
            viewer=request.user,
            neighbors=[help_request.neighbor],
            channel=ViewChannel.API_REQUEST,
            group_id=help_request.block.group_id,
        )
        data = RequestDetailOutput(help_request).data
        return Response(_without_private_notes(data, help_request, request.user))


# --- Tasks --------------------------------------------------------------------------------
class IsActiveVolunteer(BasePermission):
    """Tasks are for verified volunteers; others learn why they have none."""

    message = _("Only volunteers have tasks.")

    def has_permission(self, request, view):
        if permissions.active_volunteer(request.user) is not None:
            return True
        profile = permissions.volunteer_profile(request.user)
        if profile is not None:
            self.message = {
                "pending": _("An organizer has not verified your volunteer account yet."),
                "paused": _("Your volunteer account is paused."),
            }.get(profile.status, _("Your volunteer account is not active."))
        return False


def _without_private_notes(data: dict, help_request, user, confidential=None) -> dict:
    if "details" in data and not permissions.can_see_request_notes(
        user, help_request, confidential
    ):
        data["details"] = ""
    return data


def _private_parts(tasks, *, user, volunteer) -> list[dict | None]:
    """Each task's private fields (TaskPrivateOutput) if the user may see them now, else None.

    Marks each task `held_by_me`, and `personal_shown` for the record of who saw whom
    (callers pass the tasks to _record_task_views, once per answer).
    """
    for task in tasks:
        task.held_by_me = task.volunteer_id == volunteer.pk
        # One rule for the web page and the API: permissions.task_fields_visible.
        visible = permissions.task_fields_visible(user, task)
        task.personal_shown = visible >= permissions.TASK_PRIVATE_FIELDS
    # One serializer for all: DRF copies a serializer's fields for every instance.
    shown = iter(TaskPrivateOutput([t for t in tasks if t.personal_shown], many=True).data)
    return [next(shown) if task.personal_shown else None for task in tasks]


def _task_row(public: dict, task, private: dict | None, user, confidential) -> dict:
    """A task's answer: its public fields, and its private ones when shown. Otherwise the free
    text is empty (as on the web page); a consultation's notes only for the consultant."""
    data = {**public, "details": "", **(private or {})}
    return _without_private_notes(data, task, user, confidential)


def _task_rows(tasks, *, user, volunteer, confidential=None) -> tuple[list[dict], list[dict]]:
    """The tasks as this volunteer may see them, and as anyone of the group may (for the
    cache), in their order. Each task needs `distance_m` set (None without a base)."""
    tasks = list(tasks)
    privates = _private_parts(tasks, user=user, volunteer=volunteer)
    publics = TaskPublicOutput(tasks, many=True).data
    shown, public = [], []
    for row, task, private in zip(publics, tasks, privates, strict=True):
        shown.append(_task_row(row, task, private, user, confidential))
        public.append(_task_row(row, task, None, user, confidential))
    return shown, public


def task_data(task, *, user, volunteer, distance_m=None, confidential=None) -> dict:
    """One task as this volunteer may see it: personal details only while they hold it, and
    a consultation's notes only for the consultant holding it."""
    task.distance_m = getattr(task, "distance_m", distance_m)
    shown, _public = _task_rows([task], user=user, volunteer=volunteer, confidential=confidential)
    return shown[0]


def _record_task_views(user, tasks, *, group_id=None) -> None:
    shown = [task for task in tasks if getattr(task, "personal_shown", False)]
    if shown:
        record_personal_data_view(
            viewer=user,
            neighbors=[task.neighbor for task in shown],
            channel=ViewChannel.API_TASK,
            group_id=group_id if group_id is not None else shown[0].block.group_id,
        )


def _distance_m(volunteer, task) -> float | None:
    base = volunteer_base_point(volunteer)
    if base is None:
        return None
    return haversine_m(base[0], base[1], task.block.latitude, task.block.longitude)


class TaskViewMixin:
    permission_classes = [IsActiveVolunteer]
    # A task that is not the caller's answers like one that does not exist.
    not_allowed_status = status.HTTP_404_NOT_FOUND

    @cached_property
    def volunteer(self):
        # Once per request: the permission check already loaded the same profile.
        return permissions.active_volunteer(self.request.user)

    def render_task(self, task, *, distance=True):
        volunteer = self.volunteer
        data = task_data(
            task,
            user=self.request.user,
            volunteer=volunteer,
            distance_m=_distance_m(volunteer, task) if distance else None,
        )
        _record_task_views(self.request.user, [task])
        return data


class TaskListView(TaskViewMixin, GenericAPIView):
    """Tasks I hold, then open tasks of my blocks, then the group's open tasks, nearest first."""

    serializer_class = TaskOutput

    @extend_schema(
        parameters=[TaskListQuery],
        responses={200: TaskOutput(many=True), 400: FIELD_ERRORS, 401: DETAIL, 403: DETAIL},
        tags=["tasks"],
    )
    def get(self, request):
        volunteer = self.volunteer
        # Cached per volunteer, query and language until the group changes (requests.list_cache);
        # the entry holds public fields only. A hit needs neither the group's kinds nor the
        # query checked: only a valid query was stored, and a change of kinds bumps the group.
        parts = (
            "api",
            *list_cache.volunteer_part(volunteer),
            get_language(),
            request.build_absolute_uri(),
        )
        version, cached = list_cache.lookup(group_id=volunteer.group_id, parts=parts)
        if cached is not None:
            page = cached["page"]
            rows = self._with_my_details(page["results"], frozenset(cached["confidential"]))
            return Response({**page, "results": rows})
        kinds = task_kinds(volunteer=volunteer)
        query = TaskListQuery(
            data=request.query_params, context={"kinds": {slug for slug, _label in kinds.choices}}
        )
        query.is_valid(raise_exception=True)
        tasks = tasks_for_volunteer(
            volunteer=volunteer, kind=query.validated_data.get("kind"), hidden_kinds=kinds.hidden
        ).select_related("neighbor")
        page = self.paginate_queryset(tasks)
        data, public_rows = _task_rows(
            page, user=request.user, volunteer=volunteer, confidential=kinds.confidential
        )
        _record_task_views(request.user, page)
        response = self.get_paginated_response(data)
        list_cache.store(
            group_id=volunteer.group_id,
            parts=parts,
            version=version,
            value={
                "page": {**response.data, "results": public_rows},
                "confidential": sorted(kinds.confidential),
            },
        )
        return response

    def _with_my_details(self, rows: list[dict], confidential: frozenset[str]) -> list[dict]:
        """Cached rows are public; the tasks I hold get their private fields, read now."""
        held = [row["id"] for row in rows if row["held_by_me"]]
        if not held:
            return rows
        volunteer, user = self.volunteer, self.request.user
        mine = {str(task.pk): task for task in tasks_held_by(volunteer=volunteer, pks=held)}
        privates = dict(
            zip(
                mine,
                _private_parts(list(mine.values()), user=user, volunteer=volunteer),
                strict=True,
            )
        )
        _record_task_views(user, mine.values(), group_id=volunteer.group_id)
        return [
            _task_row(row, mine[row["id"]], privates[row["id"]], user, confidential)
            if row["id"] in mine
            else row
            for row in rows
        ]


class TaskDetailView(TaskViewMixin, APIView):
    @extend_schema(
        responses={200: TaskOutput, 401: DETAIL, 403: DETAIL, 404: DETAIL}, tags=["tasks"]
    )
    def get(self, request, pk):
        task = permissions.get_task_for_volunteer(request.user, pk)
        return Response(self.render_task(task))


class TaskActionView(TaskViewMixin, APIView):
    """POST an action on a task; the task as it is afterwards comes back."""

    input_serializer: type[serializers.Serializer] | None = None

    def act(self, task, volunteer, data):
        raise NotImplementedError

    def post(self, request, pk):
        data = {}
        if self.input_serializer is not None:
            form = self.input_serializer(data=request.data)
            form.is_valid(raise_exception=True)
            data = form.validated_data
        task = permissions.get_task_for_action(request.user, pk)
        task = self.act(task, self.volunteer, data)
        return Response(self.render_task(task))


def _action_schema(request=None, description="", extra=None):
    return extend_schema(
        request=request,
        responses={
            200: TaskOutput,
            400: FIELD_ERRORS,
            401: DETAIL,
            403: DETAIL,
            404: DETAIL,
            409: OpenApiResponse(
                DETAIL.response, description="The task's status does not allow this."
            ),
            **(extra or {}),
        },
        description=description,
        tags=["tasks"],
    )


CLAIMS_STOPPED = OpenApiResponse(
    DETAIL.response,
    description=(
        "Claims stopped: more than 3 tasks given back within 24 hours, until an organizer "
        "allows claims again."
    ),
)


class TaskClaimView(TaskActionView):
    @_action_schema(
        description="Take an open task. 409 when someone else holds it.",
        extra={429: CLAIMS_STOPPED},
    )
    def post(self, request, pk):
        return super().post(request, pk)

    def act(self, task, volunteer, data):
        return services.help_request_claim(help_request=task, volunteer=volunteer)


class TaskReleaseView(TaskActionView):
    input_serializer = ReasonInput

    @_action_schema(ReasonInput, "Give a task you hold back to the open list, saying why.")
    def post(self, request, pk):
        return super().post(request, pk)

    def act(self, task, volunteer, data):
        return services.help_request_release(
            help_request=task, volunteer=volunteer, reason=data["reason"]
        )


class TaskMarkBoughtView(TaskActionView):
    @_action_schema(description="Bought what was asked, on the way.")
    def post(self, request, pk):
        return super().post(request, pk)

    def act(self, task, volunteer, data):
        return services.help_request_mark_bought(help_request=task, volunteer=volunteer)


class TaskDeliverView(TaskActionView):
    input_serializer = DeliverInput

    @_action_schema(DeliverInput, "Handed over; money spent and who paid.")
    def post(self, request, pk):
        return super().post(request, pk)

    def act(self, task, volunteer, data):
        return services.help_request_deliver(
            help_request=task,
            volunteer=volunteer,
            spent=data["spent"],
            paid_by=data["paid_by"],
            note=data["note"],
        )


class TaskUndeliverableView(TaskActionView):
    input_serializer = ReasonInput

    @_action_schema(ReasonInput, "Could not deliver: the task returns to the open list.")
    def post(self, request, pk):
        return super().post(request, pk)

    def act(self, task, volunteer, data):
        return services.help_request_report_undeliverable(
            help_request=task, volunteer=volunteer, reason=data["reason"]
        )
