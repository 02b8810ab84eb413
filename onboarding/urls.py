from django.urls import path

from onboarding import views

app_name = "onboarding"

urlpatterns = [
    path("join/<str:token>/", views.join, name="join"),
    path("accounts/password/forgot/", views.password_help, name="password_help"),
    path(
        "accounts/password/set/<uidb64>/<token>/",
        views.PasswordSetView.as_view(),
        name="password_set",
    ),
    path(
        "accounts/password/set/done/", views.PasswordSetDoneView.as_view(), name="password_set_done"
    ),
]
