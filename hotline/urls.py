from django.urls import path

from hotline import views

app_name = "hotline"

urlpatterns = [
    path("", views.call_list, name="calls"),
    path("<int:pk>/done/", views.call_done, name="done"),
]
