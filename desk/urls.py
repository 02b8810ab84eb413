from django.urls import path

from desk import views

app_name = "desk"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/groups/<uuid:pk>/", views.group_dashboard, name="group_dashboard"),
    path("dashboard/map/", views.own_map, name="own_map"),
    path("dashboard/groups/<uuid:pk>/map/", views.group_map, name="group_map"),
]
