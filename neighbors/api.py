"""API: the blocks (buildings) of the caller's group, to enter requests against."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.permissions import BasePermission

from covidarnost import permissions
from neighbors.models import Block

DETAIL = inline_serializer("BlocksDetail", {"detail": serializers.CharField()})


class CanCreateRequests(BasePermission):
    """Staff of a group and verified volunteers: those who may enter requests."""

    message = _("Only organizers, operators and verified volunteers may do this.")

    def has_permission(self, request, view):
        return permissions.can_create_request(request.user)


class BlockOutput(serializers.Serializer):
    id = serializers.UUIDField()
    code = serializers.CharField()
    address = serializers.CharField()
    entrances = serializers.IntegerField()
    floors = serializers.IntegerField(allow_null=True)
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()


class BlockListView(generics.ListAPIView):
    """Blocks of the caller's group, by code."""

    permission_classes = [CanCreateRequests]
    serializer_class = BlockOutput

    def get_queryset(self):
        fields = ("id", "code", "address", "entrances", "floors", "latitude", "longitude")
        return permissions.scope(Block.objects.order_by("code", "id"), self.request.user).only(
            *fields
        )

    @extend_schema(responses={200: BlockOutput(many=True), 401: DETAIL, 403: DETAIL})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
