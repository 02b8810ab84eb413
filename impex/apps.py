from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImpexConfig(AppConfig):
    name = "impex"
    verbose_name = _("Import and export")
