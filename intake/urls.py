from django.urls import path

from intake import views

app_name = "intake"

urlpatterns = [
    path("", views.desk, name="desk"),
    path("requests/<uuid:pk>/", views.request_page, name="request"),
    path("callbacks/", views.callbacks, name="callbacks"),
    path("callbacks/<int:pk>/told/", views.callback_told, name="callback_told"),
]
