from django.urls import path

from recurring import views

app_name = "recurring"

urlpatterns = [
    path("", views.recurring_list, name="list"),
    path("new/", views.recurring_new, name="new"),
    path("<int:pk>/", views.recurring_page, name="detail"),
]
