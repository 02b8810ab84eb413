"""Batches of printed forms and flyers, made in the background for many blocks at once."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# Most forms per block in one print (a form link or a batch): a ream, not a typo's worth.
MAX_FORMS_PER_BLOCK = 50


class PrintBatchStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Being made")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class PrintBatch(models.Model):
    """One PDF with a flyer and N request forms for each of some blocks.

    The file holds no resident data (forms and flyers are blank but for the group, the block
    and the serials), yet it is served only through a permission check like everything else.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    group = models.ForeignKey(
        "neighbors.Group",
        verbose_name=_("group"),
        on_delete=models.CASCADE,
        related_name="print_batches",
    )
    blocks = models.ManyToManyField("neighbors.Block", verbose_name=_("blocks"), related_name="+")
    forms_per_block = models.PositiveSmallIntegerField(_("forms per block"), default=10)
    language = models.CharField(_("language"), max_length=8, default="ru")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=PrintBatchStatus.choices,
        default=PrintBatchStatus.PENDING,
    )
    blocks_total = models.PositiveIntegerField(_("blocks"), default=0)
    blocks_done = models.PositiveIntegerField(_("blocks done"), default=0)
    file = models.FileField(_("file"), upload_to="print-batches/%Y/%m/", blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("print batch")
        verbose_name_plural = _("print batches")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    forms_per_block__gte=0, forms_per_block__lte=MAX_FORMS_PER_BLOCK
                ),
                name="print_batch_forms_per_block_range",
            ),
        ]

    def __str__(self) -> str:
        return str(self.id)[:8]

    @property
    def is_finished(self) -> bool:
        return self.status in (PrintBatchStatus.DONE, PrintBatchStatus.FAILED)

    @property
    def percent_done(self) -> int:
        if self.status == PrintBatchStatus.DONE:
            return 100
        if not self.blocks_total:
            return 0
        # Rendering the blocks is most of the work; joining and saving the file is the rest.
        return min(95, 95 * self.blocks_done // self.blocks_total)
