"""Writes behind printing: serials issued for forms, route sheets recorded on each request.

Every print of a form issues new serials (requests.paper_forms), so the intake desk can tell a
real form of this block from a mistyped number; every printed route sheet leaves an event on
each request it lists, because it carries the residents' details out of the system.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from covidarnost import permissions
from neighbors.models import Block
from printing import documents
from printing.models import MAX_FORMS_PER_BLOCK, PrintBatch, PrintBatchStatus
from printing.selectors import (
    flyer_volunteer_names,
    flyer_volunteer_names_by_block,
    route_sheet_tasks,
)
from privacy.access_log import record_personal_data_view
from privacy.models import ViewChannel
from requests.enqueue import safe_enqueue
from requests.exceptions import NotAllowed
from requests.models import RequestEvent
from requests.needs import need_labels
from requests.paper_forms import paper_forms_issue
from requests.transitions import Action

logger = logging.getLogger(__name__)

# The batch task's registered name (printing.tasks): enqueued by name, like request work.
RENDER_PRINT_BATCH = "printing.render_print_batch"

# A batch still waiting this long was never queued (Redis was down when it was ordered) or
# its message was lost: the sweeper queues it again. Long enough that a batch merely waiting
# behind others in a busy queue is not queued twice; a duplicate would only find it finished.
REQUEUE_PENDING_AFTER = timedelta(minutes=10)
# Older than this, nobody is waiting for it any more: left as it is.
REQUEUE_PENDING_UNTIL = timedelta(days=1)

# Blocks laid out together in a batch: progress is saved after each such chunk. Layout cost is
# per page either way (bench/print.py compares it with one pass for the whole batch).
BATCH_CHUNK_BLOCKS = 10


def _require_printer(actor, obj) -> None:
    if not permissions.can_print(actor) or not permissions.can_see(actor, obj):
        raise NotAllowed(_("You cannot print for this group."))


def request_forms_print(*, block, count: int, actor) -> bytes:
    """Issue `count` new serials for a block and return its forms as one PDF.

    Rules: organizers and operators of the block's group; 1 to MAX_FORMS_PER_BLOCK forms; the
    group has a hotline phone. Serials and PDF go together: a failed render issues none.
    """
    _require_printer(actor, block)
    count = max(1, min(count, MAX_FORMS_PER_BLOCK))
    group = block.group
    sheet = documents.form_sheet(block=block, group=group)
    hotline = documents.hotline_of(group)
    with transaction.atomic():
        forms = paper_forms_issue(block=block, count=count, actor=actor)
        pages = [
            documents.form_page(sheet=sheet, serial=form.pk, hotline=hotline) for form in forms
        ]
        return documents.render_pages_pdf(pages)


def flyer_print(*, block, actor) -> bytes:
    """The entrance flyer of a block as PDF (nothing is written)."""
    _require_printer(actor, block)
    page = documents.flyer_page(
        block=block, group=block.group, volunteer_names=flyer_volunteer_names(block=block)
    )
    return documents.render_pages_pdf([page])


def route_sheet_print(*, volunteer, actor) -> bytes:
    """A volunteer's tasks in hand, with the residents' details, as PDF; recorded on each task.

    Rules: organizers and operators of the volunteer's group. Each listed request gets a
    "route sheet printed" event naming who printed it (the status does not change).
    """
    _require_printer(actor, volunteer)
    tasks = list(route_sheet_tasks(volunteer=volunteer))
    for task in tasks:
        task.need_labels = [str(label) for label in need_labels(task.needs)]
    pdf = documents.render_pdf(
        "printing/route_sheet.html",
        {
            "volunteer": volunteer,
            "group": volunteer.group,
            "hotline": documents.phone_display(volunteer.group.hotline_phone),
            "tasks": tasks,
            "printed_at": timezone.localtime(),
        },
    )
    with transaction.atomic():
        RequestEvent.objects.bulk_create(
            RequestEvent(
                help_request=task,
                actor=actor,
                action=Action.ROUTE_SHEET_PRINTED,
                from_status=task.status,
                to_status=task.status,
            )
            for task in tasks
        )
        # Who saw which residents' phones and flats (privacy.access_log).
        record_personal_data_view(
            viewer=actor,
            neighbors=[task.neighbor for task in tasks],
            channel=ViewChannel.ROUTE_SHEET,
        )
    return pdf


def print_batch_create(*, blocks, forms_per_block: int, actor, language: str) -> PrintBatch:
    """Order one PDF with a flyer and `forms_per_block` forms for each block; made by Celery.

    Rules: organizers and operators; at least one block, all of one group the actor sees;
    0 to MAX_FORMS_PER_BLOCK forms a block; the group has a hotline phone. The task gets the
    batch id only, after the commit.
    """
    blocks = list(blocks)
    if not permissions.can_print(actor):
        raise NotAllowed(_("You cannot print for this group."))
    if not blocks:
        raise ValidationError(_("Select at least one block."))
    group_ids = {block.group_id for block in blocks}
    if len(group_ids) != 1:
        raise ValidationError(_("Select blocks of one group at a time."))
    visible = permissions.scope(Block.objects.filter(pk__in=[b.pk for b in blocks]), actor)
    if visible.count() != len(blocks):
        raise NotAllowed(_("You cannot print for this group."))
    if not 0 <= forms_per_block <= MAX_FORMS_PER_BLOCK:
        raise ValidationError(
            _("Forms per block: from 0 to %(max)d.") % {"max": MAX_FORMS_PER_BLOCK}
        )
    group = blocks[0].group
    documents.hotline_of(group)
    with transaction.atomic():
        batch = PrintBatch.objects.create(
            group=group,
            forms_per_block=forms_per_block,
            language=language,
            requested_by=actor,
            blocks_total=len(blocks),
        )
        batch.blocks.set(blocks)
        transaction.on_commit(lambda: safe_enqueue(RENDER_PRINT_BATCH, str(batch.pk)))
    logger.info("print batch %s: %d blocks ordered", batch.pk, len(blocks))
    return batch


def _batch_pages(batch: PrintBatch, blocks, names, hotline) -> list[dict]:
    pages = []
    for block in blocks:
        pages.append(
            documents.flyer_page(
                block=block, group=batch.group, volunteer_names=names.get(block.pk, [])
            )
        )
        if batch.forms_per_block:
            sheet = documents.form_sheet(block=block, group=batch.group)
            forms = paper_forms_issue(
                block=block, count=batch.forms_per_block, actor=batch.requested_by
            )
            pages += [documents.form_page(sheet=sheet, serial=f.pk, hotline=hotline) for f in forms]
    return pages


def print_batch_render(*, batch_id) -> PrintBatch:
    """Make a batch's PDF, saving progress per chunk of blocks; store it under MEDIA_ROOT.

    Rules: a finished batch is left alone (a task delivered twice makes one file); a rerun
    after a crash starts again with new serials (unused serials are harmless: intake only
    accepts issued ones). A failure marks the batch failed, with the reason in the log.
    """
    batch = PrintBatch.objects.select_related("group", "requested_by").get(pk=batch_id)
    if batch.is_finished:
        return batch
    PrintBatch.objects.filter(pk=batch.pk).update(status=PrintBatchStatus.RUNNING, blocks_done=0)
    blocks = list(batch.blocks.select_related("group").order_by("code"))
    try:
        with translation.override(batch.language):
            hotline = documents.hotline_of(batch.group)
            names = flyer_volunteer_names_by_block(blocks=blocks)
            rendered = []
            for start in range(0, len(blocks), BATCH_CHUNK_BLOCKS):
                chunk = blocks[start : start + BATCH_CHUNK_BLOCKS]
                pages = _batch_pages(batch, chunk, names, hotline)
                rendered.append(documents.render_pages_pdf(pages))
                PrintBatch.objects.filter(pk=batch.pk).update(blocks_done=start + len(chunk))
            pdf = documents.join_pdfs(rendered)
    except (OperationalError, InterfaceError):
        raise  # the database hiccuped: the task retries with backoff
    except Exception:
        logger.exception("print batch %s failed", batch.pk)
        PrintBatch.objects.filter(pk=batch.pk).update(
            status=PrintBatchStatus.FAILED, finished_at=timezone.now()
        )
        batch.refresh_from_db()
        return batch
    batch.file.save(f"{batch.pk}.pdf", ContentFile(pdf), save=False)
    batch.status = PrintBatchStatus.DONE
    batch.blocks_done = len(blocks)
    batch.finished_at = timezone.now()
    batch.save(update_fields=["file", "status", "blocks_done", "finished_at"])
    logger.info("print batch %s: done", batch.pk)
    return batch


def print_batches_requeue_stuck(*, now=None) -> int:
    """Beat: queue again the batches still waiting REQUEUE_PENDING_AFTER after being ordered.

    Rules: only batches waiting (never started) and ordered within REQUEUE_PENDING_UNTIL; the
    task gets the batch id only; a failed enqueue is left for the next run. Returns how many
    were queued.
    """
    now = now or timezone.now()
    stuck = PrintBatch.objects.filter(
        status=PrintBatchStatus.PENDING,
        created_at__lte=now - REQUEUE_PENDING_AFTER,
        created_at__gte=now - REQUEUE_PENDING_UNTIL,
    ).values_list("pk", flat=True)
    queued = 0
    for batch_id in list(stuck):
        if safe_enqueue(RENDER_PRINT_BATCH, str(batch_id)):
            queued += 1
            logger.info("print batch %s: queued again", batch_id)
    return queued
