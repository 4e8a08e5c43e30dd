"""Demo briefing packs: ``seed_demo`` asks for the current quarter's session's packs.

The build is scheduled after the seed commits; on the embedded run the worker
that bin/run starts renders the copies. Idempotent: a request for the same
content and recipients is not made twice.
"""

from __future__ import annotations

from typing import TextIO

from agenda.demo.sessions import demo_quarter
from agenda.models import Session
from briefings.models import PackRequest
from briefings.selectors.versions import pack_delivery_fingerprint
from briefings.services.schedule import pack_rebuild_schedule


def seed(*, stdout: TextIO) -> None:
    session = (
        Session.objects.filter(
            kind=Session.Kind.REGULAR, quarter=str(demo_quarter()), agenda__isnull=False
        )
        .exclude(status=Session.Status.CANCELLED)
        .first()
    )
    if session is None:
        stdout.write("Briefing packs: no current session with an agenda; none built.\n")
        return
    fingerprint = pack_delivery_fingerprint(session=session)
    if PackRequest.objects.filter(session=session, fingerprint=fingerprint).exists():
        stdout.write(f"Briefing packs of {session.number}: already requested for this content.\n")
        return
    pack_rebuild_schedule(session_id=session.pk, delay=0, fingerprint=fingerprint)
    stdout.write(f"Briefing packs of {session.number}: built once the demo data is saved.\n")
