"""Celery app. Without REDIS_URL settings make every task run eagerly (demo needs no worker).

Periodic tasks are scheduled here, in code, so every deployment gets the same schedule:
run one `celery -A covidarnost beat` process next to the workers.
"""

import os

from celery import Celery
from celery.schedules import crontab
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "covidarnost.settings")

app = Celery("covidarnost")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # Expire offers past their window, offer open requests that have no live offer (also
    # those saved while Redis was down), send missed undeliverable alerts.
    # Every MATCHING["SWEEP_SECONDS"]: set by use_settings_schedule once settings are read.
    "sweep-matching": {"task": "requests.sweep_matching", "schedule": 60},
    # Claimed-but-not-delivered reminders and unclaimed-request alerts.
    "send-reminders": {"task": "requests.send_reminders", "schedule": 5 * 60},
    # Print batches ordered while Redis was down: queued again once it is back.
    "requeue-print-batches": {"task": "printing.requeue_stuck_batches", "schedule": 5 * 60},
    # Recurring requests: each occurrence becomes a request RECURRING_LEAD_HOURS ahead.
    "spawn-recurring": {"task": "recurring.spawn_due", "schedule": 15 * 60},
    # Isolated neighbours to call, for each block's volunteers.
    "weekly-checkin-lists": {
        "task": "requests.send_checkin_lists",
        "schedule": crontab(day_of_week="mon", hour=10, minute=0),
    },
    # Short memory: anonymise old requests, delete residents without requests for long.
    "nightly-purge-personal-data": {
        "task": "privacy.purge_personal_data",
        "schedule": crontab(hour=3, minute=30),
    },
}


@app.on_after_configure.connect
def use_settings_schedule(sender, **kwargs):
    """Take the sweep interval from settings, which have read .env by now (this module is
    imported before them, so reading the environment here would miss .env)."""
    sender.conf.beat_schedule["sweep-matching"]["schedule"] = settings.MATCHING["SWEEP_SECONDS"]
