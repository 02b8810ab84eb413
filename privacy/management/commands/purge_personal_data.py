"""manage.py purge_personal_data [--dry-run]: what the nightly task does, by hand."""

from django.core.management.base import BaseCommand

from privacy.retention import personal_data_purge


class Command(BaseCommand):
    help = (
        "Anonymise residents' details on requests, hotline calls and recurring requests closed "
        "long ago and delete residents without requests for long (each group's settings). "
        "--dry-run only counts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count, change nothing.")

    def handle(self, *args, dry_run=False, **options):
        report = personal_data_purge(dry_run=dry_run)
        prefix = "Would anonymise" if dry_run else "Anonymised"
        self.stdout.write(
            f"{prefix} {report.requests_anonymised} requests "
            f"({report.receipts_deleted} receipt photos, {report.notifications_deleted} "
            f"notification log entries), {report.calls_anonymised} hotline calls and "
            f"{report.recurring_anonymised} stopped recurring requests; "
            f"{'would delete' if dry_run else 'deleted'} {report.residents_deleted} residents."
        )
