"""Celery tasks of the intake desk. They take ids only: the resident's phone and the code word
are read from the database inside the task, never passed through the broker."""

from __future__ import annotations

from celery import shared_task

from intake.notices import SEND_RESIDENT_SMS, resident_notice_send_sms
from requests.tasks import TASK_OPTIONS


@shared_task(name=SEND_RESIDENT_SMS, **TASK_OPTIONS)
def send_resident_sms(notice_id: int) -> bool:
    return resident_notice_send_sms(notice_id=notice_id)
