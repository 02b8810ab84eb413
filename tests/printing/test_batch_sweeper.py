"""A batch ordered while Redis was down stays "waiting": the beat sweeper queues it again."""

from datetime import timedelta
from unittest import mock

import kombu.exceptions
import pytest
from django.utils import timezone

from covidarnost.celery import app as celery_app
from printing import services, tasks
from printing.models import PrintBatch, PrintBatchStatus
from requests.models import PaperForm

pytestmark = pytest.mark.django_db

QUEUE_DOWN = kombu.exceptions.OperationalError("Error 111 connecting to redis")


@pytest.fixture
def ordered_while_redis_down(organizer, block, django_capture_on_commit_callbacks):
    with (
        mock.patch(
            "printing.tasks.render_print_batch.apply_async", side_effect=QUEUE_DOWN
        ) as enqueue,
        django_capture_on_commit_callbacks(execute=True),
    ):
        batch = services.print_batch_create(
            blocks=[block], forms_per_block=2, actor=organizer, language="ru"
        )
    assert enqueue.call_count == 1  # tried, failed, and the order is still saved
    batch.refresh_from_db()
    assert batch.status == PrintBatchStatus.PENDING
    return batch


def _age(batch, minutes):
    PrintBatch.objects.filter(pk=batch.pk).update(
        created_at=timezone.now() - timedelta(minutes=minutes)
    )


def test_a_stuck_batch_is_queued_again_with_its_id_only(ordered_while_redis_down):
    batch = ordered_while_redis_down
    _age(batch, 11)
    with mock.patch("printing.tasks.render_print_batch.apply_async") as enqueue:
        assert services.print_batches_requeue_stuck() == 1
    enqueue.assert_called_once_with(args=(str(batch.pk),))


def test_the_sweeper_task_makes_the_pdf_once_redis_is_back(ordered_while_redis_down):
    """Eager Celery (no broker) runs the render inline: the batch ends up done, once."""
    batch = ordered_while_redis_down
    _age(batch, 30)
    assert tasks.requeue_stuck_batches() == 1
    batch.refresh_from_db()
    assert (batch.status, batch.blocks_done) == (PrintBatchStatus.DONE, 1)
    assert PaperForm.objects.count() == 2
    # Done: the next sweep leaves it alone.
    assert tasks.requeue_stuck_batches() == 0


def test_recent_running_finished_and_old_batches_are_left_alone(ordered_while_redis_down):
    batch = ordered_while_redis_down
    with mock.patch("printing.tasks.render_print_batch.apply_async") as enqueue:
        _age(batch, 2)  # may still be waiting behind others in the queue
        assert services.print_batches_requeue_stuck() == 0
        _age(batch, 60 * 25)  # ordered yesterday: nobody waits for it any more
        assert services.print_batches_requeue_stuck() == 0
        _age(batch, 30)
        for status in (PrintBatchStatus.RUNNING, PrintBatchStatus.DONE, PrintBatchStatus.FAILED):
            PrintBatch.objects.filter(pk=batch.pk).update(status=status)
            assert services.print_batches_requeue_stuck() == 0
    enqueue.assert_not_called()


def test_redis_still_down_is_no_error(ordered_while_redis_down):
    _age(ordered_while_redis_down, 30)
    with mock.patch("printing.tasks.render_print_batch.apply_async", side_effect=QUEUE_DOWN):
        assert services.print_batches_requeue_stuck() == 0


def test_beat_runs_the_sweeper():
    entry = celery_app.conf.beat_schedule["requeue-print-batches"]
    assert entry["task"] == "printing.requeue_stuck_batches"
    assert entry["schedule"] <= 10 * 60
