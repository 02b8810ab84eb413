from celery import shared_task

from recurring.services import recurring_requests_spawn
from requests.tasks import TASK_OPTIONS


@shared_task(name="recurring.spawn_due", **TASK_OPTIONS)
def spawn_due() -> int:
    """Beat: make the recurring requests' occurrences due within RECURRING_LEAD_HOURS."""
    return recurring_requests_spawn()
