"""Routes of the public REST API v1. Each app exposes its endpoints in its api module."""

from django.urls import path

# The schema's field extensions register on import, before any schema is generated.
import covidarnost.api_schema  # noqa: F401
from neighbors.api import BlockListView
from requests.api import views as requests_api
from users.api import AcceptSafetyProtocolView, LogoutView, MeView, TokenView

app_name = "api"
urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="token"),
    path("auth/logout/", LogoutView.as_view(), name="logout"),
    path("me/", MeView.as_view(), name="me"),
    path(
        "me/accept-safety-protocol/",
        AcceptSafetyProtocolView.as_view(),
        name="accept-safety-protocol",
    ),
    path("blocks/", BlockListView.as_view(), name="blocks"),
    path("requests/", requests_api.RequestCreateView.as_view(), name="request-create"),
    path("requests/<uuid:pk>/", requests_api.RequestDetailView.as_view(), name="request-detail"),
    path("tasks/", requests_api.TaskListView.as_view(), name="tasks"),
    path("tasks/<uuid:pk>/", requests_api.TaskDetailView.as_view(), name="task-detail"),
    path("tasks/<uuid:pk>/claim/", requests_api.TaskClaimView.as_view(), name="task-claim"),
    path("tasks/<uuid:pk>/release/", requests_api.TaskReleaseView.as_view(), name="task-release"),
    path(
        "tasks/<uuid:pk>/mark-bought/",
        requests_api.TaskMarkBoughtView.as_view(),
        name="task-mark-bought",
    ),
    path("tasks/<uuid:pk>/deliver/", requests_api.TaskDeliverView.as_view(), name="task-deliver"),
    path(
        "tasks/<uuid:pk>/undeliverable/",
        requests_api.TaskUndeliverableView.as_view(),
        name="task-undeliverable",
    ),
]
