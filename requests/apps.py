from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RequestsConfig(AppConfig):
    # The label stays "requests": this app shadows the PyPI package inside the project,
    # which is why project code uses httpx for outbound HTTP.
    name = "requests"
    label = "requests"
    verbose_name = _("Help requests")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from requests import kinds, receivers
        from requests.signals import help_request_changed

        help_request_changed.connect(
            receivers.on_help_request_changed, dispatch_uid="requests.receivers.matching"
        )
        post_migrate.connect(
            kinds.restore_built_in_kinds, sender=self, dispatch_uid="requests.built_in_kinds"
        )
        self._connect_list_cache()

    @staticmethod
    def _connect_list_cache() -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from neighbors.models import Block
        from requests import list_cache_receivers as on
        from requests.models import HelpRequest, RequestKind
        from volunteers.models import Volunteer

        for signal in (post_save, post_delete):
            signal.connect(on.on_help_request_saved, sender=HelpRequest, dispatch_uid="tl-hr")
            signal.connect(on.on_block_saved, sender=Block, dispatch_uid="tl-block")
            signal.connect(on.on_volunteer_saved, sender=Volunteer, dispatch_uid="tl-vol")
            signal.connect(on.on_request_kind_changed, sender=RequestKind, dispatch_uid="tl-kind")
        m2m_changed.connect(
            on.on_volunteer_blocks_changed, sender=Volunteer.blocks.through, dispatch_uid="tl-m2m"
        )
