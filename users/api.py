"""API: sign in for a token, and who am I (role, group, volunteer state, safety rules)."""

from __future__ import annotations

from django.contrib.auth import authenticate, logout
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from covidarnost import permissions
from covidarnost.api_throttles import AuthIPThrottle
from users import login_limits
from users.forms import LOCKED_MESSAGE
from users.services import api_token_create, second_factor_device, second_factor_match
from volunteers.services import volunteer_accept_safety_protocol

DETAIL = inline_serializer("Detail", {"detail": serializers.CharField()})


class InvalidCredentials(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = _("Wrong username, phone number or password.")
    default_code = "invalid_credentials"


class TokenInput(serializers.Serializer):
    username = serializers.CharField(max_length=150, help_text=_("Username or phone number."))
    password = serializers.CharField(max_length=128, trim_whitespace=False)
    otp = serializers.CharField(
        max_length=16,
        required=False,
        allow_blank=True,
        default="",
        help_text=_(
            "Organizers, operators and coordinators: the code of their authenticator app "
            "(or a recovery code), set up on the web first."
        ),
    )


class TokenOutput(serializers.Serializer):
    token = serializers.CharField(help_text=_("Send it as `Authorization: Token <token>`."))
    expires_at = serializers.DateTimeField(
        help_text=_("The token stops working then; sign in again for a new one.")
    )


class TokenView(APIView):
    """Exchange a username (or phone number) and password for an API token."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    # Every attempt per address (cache); failures per account and per client are counted in
    # the database by users.login_limits, shared with the web and admin forms.
    throttle_classes = [AuthIPThrottle]

    @extend_schema(
        request=TokenInput,
        responses={
            200: TokenOutput,
            400: OpenApiResponse(
                {"type": "object", "additionalProperties": True},
                description="Wrong credentials, code or missing fields.",
            ),
            403: DETAIL,
            429: DETAIL,
        },
        auth=[],
        tags=["auth"],
    )
    def post(self, request):
        data = TokenInput(data=request.data)
        data.is_valid(raise_exception=True)
        if login_limits.locked_out(request, data.validated_data["username"]):
            raise exceptions.Throttled(wait=login_limits.lock_seconds(), detail=str(LOCKED_MESSAGE))
        user = authenticate(
            request._request,
            username=data.validated_data["username"],
            password=data.validated_data["password"],
        )
        if user is None:
            raise InvalidCredentials
        if permissions.needs_second_factor(user):
            # The same rule as the web: no personal data before a one-time code.
            if second_factor_device(user=user) is None:
                raise exceptions.PermissionDenied(
                    _("Set up two-factor sign-in on the web first, then ask for a token.")
                )
            if second_factor_match(user=user, token=data.validated_data["otp"]) is None:
                raise exceptions.ValidationError(
                    {"otp": [_("This code does not match. Type the current one.")]}
                )
        token, expires_at = api_token_create(user=user)
        return Response(TokenOutput({"token": token, "expires_at": expires_at}).data)


class LogoutView(APIView):
    """Revoke the token this request is signed with (other devices keep theirs)."""

    @extend_schema(
        request=None,
        responses={204: OpenApiResponse(description="Signed out."), 401: DETAIL},
        tags=["auth"],
    )
    def post(self, request):
        if request.auth is not None and hasattr(request.auth, "delete"):
            request.auth.delete()
        else:
            # Signed in with the browser session: end that session.
            logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class GroupOutput(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()


class VolunteerStateOutput(serializers.Serializer):
    id = serializers.UUIDField()
    status = serializers.CharField()
    is_available = serializers.BooleanField()
    max_open_tasks = serializers.IntegerField()
    safety_protocol_accepted_at = serializers.DateTimeField(allow_null=True)


class MeOutput(serializers.Serializer):
    username = serializers.CharField()
    role = serializers.CharField(help_text="organizer, operator, volunteer or empty")
    is_coordinator = serializers.BooleanField()
    group = GroupOutput(allow_null=True)
    volunteer = VolunteerStateOutput(allow_null=True)
    safety_protocol = serializers.CharField(help_text="The group's safety rules (may be empty).")
    safety_protocol_accepted = serializers.BooleanField()


def me_data(user) -> dict:
    volunteer = permissions.volunteer_profile(user)
    group = user.group
    return {
        "username": user.username,
        "role": user.role,
        "is_coordinator": permissions.is_coordinator(user),
        "group": {"id": group.pk, "name": group.name} if group else None,
        "volunteer": (
            {
                "id": volunteer.pk,
                "status": volunteer.status,
                "is_available": volunteer.is_available,
                "max_open_tasks": volunteer.max_open_tasks,
                "safety_protocol_accepted_at": volunteer.safety_protocol_accepted_at,
            }
            if volunteer
            else None
        ),
        "safety_protocol": group.safety_protocol if group else "",
        "safety_protocol_accepted": bool(volunteer and volunteer.safety_protocol_accepted_at),
    }


class MeView(APIView):
    """The signed-in account: role, group and, for volunteers, their state."""

    @extend_schema(responses={200: MeOutput, 401: DETAIL}, tags=["me"])
    def get(self, request):
        return Response(MeOutput(me_data(request.user)).data)


class AcceptSafetyProtocolView(APIView):
    """A volunteer confirms they read the group's safety rules; needed before the first claim."""

    @extend_schema(request=None, responses={200: MeOutput, 401: DETAIL, 403: DETAIL}, tags=["me"])
    def post(self, request):
        volunteer = permissions.volunteer_profile(request.user)
        if volunteer is None:
            raise exceptions.PermissionDenied(_("Only volunteers accept the safety rules."))
        volunteer_accept_safety_protocol(volunteer=volunteer)
        return Response(MeOutput(me_data(request.user)).data)
