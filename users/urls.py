from django.contrib.auth import views as auth_views
from django.urls import path

from users.forms import LoginForm

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    # Django's LogoutView accepts POST only: the page has a small sign-out form.
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
