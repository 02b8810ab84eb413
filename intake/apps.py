from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    """The operators' intake desk: phone-first lookup, one-form entry, the call-back list."""

    name = "intake"
    verbose_name = _("Intake desk")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from intake.receivers import on_help_request_changed
        from requests.signals import help_request_changed

        help_request_changed.connect(on_help_request_changed, dispatch_uid="intake_notices")
