"""``python manage.py seed_demo``: demo data for the embedded run, idempotent.

The demo accounts get the documented DEMO_PASSWORD, so the command refuses to
run with DEBUG off (a production deployment) unless told ``--demo``.
"""

from importlib import import_module
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

# Each app's demo module exposes ``seed(*, stdout)``; they run in this order
# (members first: the others build on its parties, seats and delegations;
# briefings after the record and the crises: a pack holds the threat picture;
# analytics last: its search copy indexes the texts the others wrote).
# An app that has no demo module yet is skipped.
DEMO_MODULES = [
    "members.demo",
    "agenda.demo",
    "minutes.demo",
    "crises.demo",
    "briefings.demo",
    "analytics.demo",
]


class Command(BaseCommand):
    help = "Create the demo parties, seats, rotation, delegations and accounts (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--demo",
            action="store_true",
            help="Seed even with DEBUG off: a demonstration server, never a real deployment.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["demo"]:
            raise CommandError(
                "DEBUG is off: this looks like a production deployment, and the demo "
                "accounts would all share the documented password. Run with --demo only "
                "on a demonstration server."
            )
        with transaction.atomic():
            for name in DEMO_MODULES:
                try:
                    module = import_module(name)
                except ModuleNotFoundError as error:
                    if error.name in {name, name.rpartition(".")[0]}:
                        continue
                    raise
                module.seed(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
