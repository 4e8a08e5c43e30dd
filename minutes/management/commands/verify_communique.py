"""``manage.py verify_communique FILE``: is FILE (a signed PDF, or the JSON envelope
``{"canonical", "signature", "key_id"}``) a genuine, unaltered text of the body?
Exit 0 when it is, 1 when not (or when the file cannot be read)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from agenda.uploads import max_upload_bytes
from consult.errors import ApplicationError
from minutes.services.signing import communique_verify


class Command(BaseCommand):
    help = "Verify a communiqué's signed PDF or JSON signature envelope against the body's keys."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="A signed PDF or a JSON signature envelope.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        if path.stat().st_size > max_upload_bytes():
            raise CommandError(f"{path} is larger than DOCUMENT_MAX_UPLOAD_BYTES.")
        try:
            verdict = communique_verify(data=path.read_bytes())
        except ApplicationError as error:
            raise CommandError(f"{path}: {error.message}") from error
        if not verdict.genuine:
            raise CommandError(f"NOT GENUINE: {verdict.message}")
        what = f"“{verdict.title}”" if verdict.title else "a text not published here"
        self.stdout.write(
            f"GENUINE: {verdict.message}\n"
            f"Communiqué {verdict.communique_id}, version {verdict.version}: {what}.\n"
            f"Signed with the {verdict.key_status} {verdict.kind.upper()} key {verdict.key_id}"
            + (", time-stamped." if verdict.timestamped else ".")
        )
