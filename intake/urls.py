from django.urls import path

from intake import views

app_name = "intake"

urlpatterns = [
    path("", views.desk, name="desk"),
    path("requests/<uuid:pk>/", views.request_page, name="request"),
    path("requests/<uuid:pk>/give/", views.request_give, name="request_give"),
    path("requests/<uuid:pk>/step/", views.request_step, name="request_step"),
    path("callbacks/", views.callbacks, name="callbacks"),
    path("offers/<uuid:pk>/accept/", views.offer_answer, {"answer": "accept"}, name="offer_accept"),
    path(
        "offers/<uuid:pk>/decline/", views.offer_answer, {"answer": "decline"}, name="offer_decline"
    ),
    path("callbacks/<int:pk>/told/", views.callback_told, name="callback_told"),
]
