from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RequestsConfig(AppConfig):
    # The label stays "requests": this app shadows the PyPI package inside the project,
    # which is why project code uses httpx for outbound HTTP.
    name = "requests"
    label = "requests"
    verbose_name = _("Help requests")

    def ready(self) -> None:
        from requests import receivers
        from requests.signals import help_request_changed

        help_request_changed.connect(
            receivers.on_help_request_changed, dispatch_uid="requests.receivers.matching"
        )
