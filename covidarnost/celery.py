"""Celery app. Without REDIS_URL settings make every task run eagerly (demo needs no worker).

Periodic tasks are scheduled here, in code, so every deployment gets the same schedule:
run one `celery -A covidarnost beat` process next to the workers.
"""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "covidarnost.settings")

app = Celery("covidarnost")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

SWEEP_SECONDS = int(os.environ.get("MATCHING_SWEEP_SECONDS", "60"))

app.conf.beat_schedule = {
    # Expire offers past their window, offer open requests that have no live offer (also
    # those saved while Redis was down), send missed undeliverable alerts.
    "sweep-matching": {"task": "requests.sweep_matching", "schedule": SWEEP_SECONDS},
    # Claimed-but-not-delivered reminders and unclaimed-request alerts.
    "send-reminders": {"task": "requests.send_reminders", "schedule": 5 * 60},
    # Isolated neighbours to call, for each block's volunteers.
    "weekly-checkin-lists": {
        "task": "requests.send_checkin_lists",
        "schedule": crontab(day_of_week="mon", hour=10, minute=0),
    },
}
