"""Bench only: the project's URLs plus /bench/floor/ (signed in, does nothing)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path

from covidarnost.urls import urlpatterns as project_urlpatterns


@login_required
def floor(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/floor/", floor), *project_urlpatterns]
