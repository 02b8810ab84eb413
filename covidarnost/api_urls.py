"""Routes of the public REST API v1. Each app exposes its endpoints in its api module."""

from django.urls import path  # noqa: F401

app_name = "api"
urlpatterns: list = []
