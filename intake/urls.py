from django.urls import path

from intake import views

app_name = "intake"

urlpatterns = [
    path("", views.desk, name="desk"),
    path("requests/<uuid:pk>/", views.request_page, name="request"),
]
