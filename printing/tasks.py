"""Celery task that makes a print batch's PDF. Takes the batch id only."""

from celery import shared_task

from printing import services
from requests.tasks import TASK_OPTIONS


@shared_task(name=services.RENDER_PRINT_BATCH, **TASK_OPTIONS)
def render_print_batch(batch_id: str) -> str:
    return services.print_batch_render(batch_id=batch_id).status


@shared_task(name="printing.requeue_stuck_batches", **TASK_OPTIONS)
def requeue_stuck_batches() -> int:
    """Beat: queue again the batches whose first enqueue failed (Redis down)."""
    return services.print_batches_requeue_stuck()
