from django.urls import path

from recurring import views

app_name = "recurring"

urlpatterns = [
    path("<int:pk>/", views.recurring_page, name="detail"),
]
