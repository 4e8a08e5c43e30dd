"""``python manage.py seed_scale``: benchmark data in an empty database.

Full size by default (10 years of sessions, 100k statements, 100k papers,
~100k grants); every number is a parameter, so tests run it tiny.
"""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from analytics.scale.seed import scale_data_seed
from analytics.services.search_index import search_index_refresh
from consult.errors import ApplicationError


class Command(BaseCommand):
    help = "Fill an empty database with years of sessions, statements, papers and grants."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--years", type=int, default=10)
        parser.add_argument("--parties", type=int, default=200)
        parser.add_argument("--items-per-session", type=int, default=16)
        parser.add_argument("--statements", type=int, default=100_000)
        parser.add_argument("--documents", type=int, default=100_000)
        parser.add_argument("--grants", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (repeatable data).")
        parser.add_argument(
            "--no-search-index", action="store_true", help="Skip building the search copy."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        try:
            report = scale_data_seed(
                years=options["years"],
                parties=options["parties"],
                items_per_session=options["items_per_session"],
                statements=options["statements"],
                documents=options["documents"],
                grants=options["grants"],
                seed=options["seed"],
            )
        except ApplicationError as error:
            raise CommandError(error.message) from error
        self.stdout.write(
            f"{report.sessions} sessions, {report.items} items, {report.statements} statements, "
            f"{report.documents} papers, {report.grants} grants "
            f"in {time.monotonic() - started:.1f}s"
        )
        if not options["no_search_index"]:
            started = time.monotonic()
            written = sum(search_index_refresh(full=True).values())
            self.stdout.write(f"{written} search entries in {time.monotonic() - started:.1f}s")
        if connection.vendor == "postgresql":
            # Fresh tables have no statistics until autovacuum comes by, and
            # plans made meanwhile guess (a parallel scan of every paper, say).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        users = ", ".join(f"{role}: {name}" for role, name in report.users.items())
        self.stdout.write(self.style.SUCCESS(f"Scale data ready ({users})."))
