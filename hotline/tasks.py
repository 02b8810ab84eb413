"""Celery tasks of the hotline log: they take ids and call the notification services."""

from __future__ import annotations

from celery import shared_task

from hotline.models import CallLog
from hotline.services import ALERT_FAKE_VOLUNTEER
from notifications.services import alert_organizers
from requests.tasks import TASK_OPTIONS

FAKE_VOLUNTEER_ALERT = "fake_volunteer_alert"


@shared_task(name=ALERT_FAKE_VOLUNTEER, **TASK_OPTIONS)
def alert_fake_volunteer(call_id: int) -> int:
    """Tell the group's organizers that a caller reported a fake volunteer (once each)."""
    group_id = CallLog.objects.filter(pk=call_id).values_list("group_id", flat=True).first()
    if group_id is None:
        return 0
    return alert_organizers(
        group_id=group_id, message=FAKE_VOLUNTEER_ALERT, key=f"fake_volunteer:{call_id}"
    )
