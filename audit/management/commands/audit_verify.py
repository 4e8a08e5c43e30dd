"""``manage.py audit_verify``: walk the audit chain; exit 1 at the first broken link."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from audit.services import audit_chain_verify


class Command(BaseCommand):
    help = "Check the audit trail's hash chain and name the first broken entry."

    def handle(self, *args: Any, **options: Any) -> None:
        report = audit_chain_verify()
        if not report.intact:
            raise CommandError(
                f"Audit chain broken at entry #{report.broken_seq}: {report.reason} "
                f"({report.checked} entries before it verified)."
            )
        self.stdout.write(f"Audit chain intact: {report.checked} entries verified.")
