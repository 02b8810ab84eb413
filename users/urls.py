from django.contrib.auth import views as auth_views
from django.urls import path

from users import views
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
    # One-time code for staff (set up the first time); see users.middleware.
    path("two-factor/", views.two_factor, name="two_factor"),
    path("sign-out-everywhere/", views.sign_out_everywhere, name="sign_out_everywhere"),
]
