"""``python manage.py seed_demo``: demo data for the embedded run, idempotent."""

from importlib import import_module
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

# Each app's demo module exposes ``seed(*, stdout)``; they run in this order
# (members first: the others build on its parties, seats and delegations;
# analytics last: its search copy indexes the texts the others wrote).
# An app that has no demo module yet is skipped.
DEMO_MODULES = [
    "members.demo",
    "agenda.demo",
    "minutes.demo",
    "briefings.demo",
    "crises.demo",
    "analytics.demo",
]


class Command(BaseCommand):
    help = "Create the demo parties, seats, rotation, delegations and accounts (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
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
