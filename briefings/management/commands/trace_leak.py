"""``manage.py trace_leak FILE``: name the copy a leaked PDF, PNG or JPEG came from."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from briefings.services.trace import pack_trace
from consult.errors import ApplicationError
from consult.times import utc_text


class Command(BaseCommand):
    help = (
        "Trace a leaked briefing pack (a PDF, or a PNG or JPEG of a page, even cropped) "
        "to the copy it came from: the copy, its delegate and its time of issue. "
        "Exits 1 when no copy is found."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path} could not be read: {exc.strerror or exc}.") from exc
        try:
            result = pack_trace(user=None, data=data, filename=path.name)
        except ApplicationError as error:
            raise CommandError(error.message) from error
        pack = result.pack
        if pack is None:
            if result.findings:
                raise CommandError(
                    f"{path.name} carries copy id {result.findings[0].copy_id} "
                    f"({result.findings[0].where}), but no copy on the platform has it."
                )
            raise CommandError(f"No copy's mark was found in {path.name}.")
        user = pack.user
        self.stdout.write(
            f"Copy {pack.public_id} of the briefing pack for {pack.session.number}\n"
            f"  delegate:   {user.get_full_name() or user.get_username()} "
            f"({user.get_username()}), Delegation of {pack.party.name_en}\n"
            f"  issued:     {utc_text(pack.stamped_at, 'Y-m-d H:i')}\n"
            f"  found in:   {result.where}"
        )
