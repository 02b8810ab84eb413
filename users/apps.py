from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UsersConfig(AppConfig):
    name = "users"
    verbose_name = _("Users")

    def ready(self):
        from django.contrib.auth.signals import user_login_failed

        from users.login_limits import on_login_failed

        user_login_failed.connect(on_login_failed, dispatch_uid="users.login_limits")
