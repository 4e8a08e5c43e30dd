"""The agenda demo, on top of the members demo: sessions and invitations
(``sessions``), then agendas and papers (``documents``, with their texts in
``texts``). ``seed`` is the entry point the demo command calls.

Idempotent: what exists is left alone, so running it twice changes nothing.
"""

from typing import TextIO

from django.db import transaction

from agenda.demo import documents, sessions


@transaction.atomic
def seed(*, stdout: TextIO | None = None) -> None:
    if sessions.seed(stdout=stdout):
        documents.seed(stdout=stdout)
