"""Celery app. Without REDIS_URL settings make every task run eagerly (demo needs no worker)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "covidarnost.settings")

app = Celery("covidarnost")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
