from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrintingConfig(AppConfig):
    name = "printing"
    verbose_name = _("Printing")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Registers the start-up check that the PDF libraries and fonts are installed.
        from printing import checks  # noqa: F401
