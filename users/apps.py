from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UsersConfig(AppConfig):
    name = "users"
    verbose_name = _("Users")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_login_failed
        from django.db.models.signals import post_save

        from users import receivers
        from users.middleware import on_user_logged_in
        from users.models import User

        user_login_failed.connect(receivers.on_login_failed, dispatch_uid="users.login_limits")
        post_save.connect(receivers.on_user_saved, sender=User, dispatch_uid="users.password")
        user_logged_in.connect(on_user_logged_in, dispatch_uid="users.session_start")
