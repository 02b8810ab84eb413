from django.urls import path

from requests import views

app_name = "requests"

urlpatterns = [
    path("offers/<uuid:pk>/claim/", views.offer_claim, name="offer_claim"),
    path("offers/<uuid:pk>/decline/", views.offer_decline_view, name="offer_decline"),
]
