"""`manage.py seed_demo`: a realistic demo (two groups, accounts, residents, requests)."""

import logging
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.seed import seed_demo


class Command(BaseCommand):
    help = (
        "Create demo groups, blocks, accounts, neighbors and help requests. Safe to run again: "
        "existing demo rows are updated, never duplicated. Runs only with DEBUG on."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            help="Give every demo account this password (also resets it on existing ones). "
            "Without it, new accounts get a random password each, printed once.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (the demo accounts have known passwords).",
        )

    def handle(self, *args, password=None, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with known passwords, so it refuses to run with "
                "DEBUG off. Set DEBUG=1, or pass --force if this really is a demo server."
            )
        if password is not None and not password.strip():
            raise CommandError("--password must not be empty.")

        started = time.monotonic()
        # One INFO line per request step would bury the password table; -v 2 shows them.
        if options["verbosity"] < 2:
            logging.disable(logging.INFO)
        try:
            result = seed_demo(password=password)
        finally:
            logging.disable(logging.NOTSET)
        elapsed = time.monotonic() - started

        self.stdout.write(
            f"Demo ready in {elapsed:.1f} s: {result.created_requests} new help requests."
        )
        self.stdout.write("")
        width = max(len(row.username) for row in result.accounts)
        self.stdout.write(f"{'username':<{width}}  {'role':<9}  {'group':<14}  password")
        for row in result.accounts:
            shown = row.password if row.password is not None else "(unchanged)"
            self.stdout.write(f"{row.username:<{width}}  {row.role:<9}  {row.group:<14}  {shown}")
        if result.invite_url:
            self.stdout.write("")
            self.stdout.write(
                f"Invite link of the demo group (sign up as a volunteer): {result.invite_url}"
            )
        if any(row.password is None for row in result.accounts):
            self.stdout.write(
                self.style.WARNING(
                    "Existing accounts kept their passwords; pass --password to reset them."
                )
            )
