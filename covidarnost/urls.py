from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from covidarnost.api_errors import api_not_found
from covidarnost.health import healthz
from users.forms import AdminLoginForm

urlpatterns = [
    path("", RedirectView.as_view(url="/tasks/", permanent=False)),
    # Liveness and dependencies for load balancers and compose healthchecks (public, no data).
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("users.urls")),
    # Sign-up through an invite link (/join/<token>/), "forgot password", set a new password.
    path("", include("onboarding.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # Volunteer mobile pages (/tasks/, /profile/ …).
    path("", include("volunteers.urls")),
    # Weekly check-in call list for the volunteers of a block.
    path("", include("neighbors.urls")),
    # Help-request pages for helpers and organizers, and webhooks.
    path("", include("requests.urls")),
    # The operators' intake desk: phone-first lookup, requests from calls and paper forms.
    # The hotline log and recurring requests, next to the desk that links to them.
    path("intake/calls/", include("hotline.urls")),
    path("intake/recurring/", include("recurring.urls")),
    path("intake/", include("intake.urls")),
    # The organizer's desk: /dashboard/.
    path("", include("desk.urls")),
    # Telegram linking, and the Telegram and SMS webhooks.
    path("notifications/", include("notifications.urls")),
    # Printed request forms, entrance flyers and route sheets (PDF), and batches of them.
    path("print/", include("printing.urls")),
    path("api/v1/", include("covidarnost.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its init script from a URL, so the page needs no inline script (CSP).
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    # Last: any other path under /api/ answers a JSON 404, not an HTML page.
    re_path(r"^api/(?P<rest>.*)$", api_not_found, name="api-not-found"),
]

admin.site.site_header = settings.ADMIN_SITE_HEADER
admin.site.login_form = AdminLoginForm
admin.site.site_title = settings.ADMIN_SITE_HEADER

# A lost database connection answers 503 "try again" instead of a server error.
handler500 = "covidarnost.errors.handler500"
