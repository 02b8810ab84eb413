"""Register this site's webhook with Telegram (once per deployment, or after a domain change)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from notifications import telegram
from notifications.backends.base import NotificationError


class Command(BaseCommand):
    help = "Point the Telegram bot at SITE_URL/notifications/telegram/webhook/ with the secret."

    def handle(self, *args, **options):
        if not telegram.is_configured() or not settings.TELEGRAM_WEBHOOK_SECRET:
            raise CommandError("Set TELEGRAM_BOT_TOKEN and TELEGRAM_WEBHOOK_SECRET first.")
        url = settings.SITE_URL + reverse("notifications:telegram_webhook")
        try:
            telegram.call(
                "setWebhook",
                {
                    "url": url,
                    "secret_token": settings.TELEGRAM_WEBHOOK_SECRET,
                    "allowed_updates": ["message", "callback_query"],
                    "drop_pending_updates": False,
                },
            )
        except NotificationError as exc:
            raise CommandError(f"Telegram refused the webhook: {exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"Webhook set to {url}"))
