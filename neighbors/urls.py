from django.urls import path

from neighbors import views

app_name = "neighbors"
urlpatterns = [
    path("checkins/", views.checkin_list, name="checkins"),
    path("checkins/<uuid:pk>/called/", views.checkin_done, name="checkin_done"),
]
