"""Nightly forgetting of personal data (scheduled in covidarnost/celery.py)."""

from celery import shared_task

from privacy.retention import personal_data_purge


@shared_task(name="privacy.purge_personal_data", acks_late=True)
def purge_personal_data() -> dict:
    """Idempotent: a second run finds nothing left to forget."""
    report = personal_data_purge()
    return {
        "requests_anonymised": report.requests_anonymised,
        "residents_deleted": report.residents_deleted,
        "calls_anonymised": report.calls_anonymised,
        "recurring_anonymised": report.recurring_anonymised,
    }
