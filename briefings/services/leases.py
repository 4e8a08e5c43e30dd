"""The leases that make pack work safe to redeliver, and the errors a worker's attempt raises.

A worker holds a render's lease while it builds it or stamps its copies, and
renews it every third of its length; only a dead worker lets it lapse, and
the sweep (``recovery``) then re-queues the work. Attempts are counted in the
database, so a worker killed mid-build counts too.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from briefings.models import PackRender

MAX_ATTEMPTS = 3


class TransientPackError(Exception):
    """A build attempt failed for a reason that may pass; the task retries with backoff."""


class RenderBusy(Exception):
    """Another worker holds the render's lease; try again once it has lapsed."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"Another worker is building this render for {seconds:.0f} more seconds.")
        self.seconds = seconds


def lease_duration() -> timedelta:
    # Renewed every third of it while a worker works: only a dead worker lets it lapse.
    return timedelta(seconds=int(settings.PACK_LEASE_SECONDS))


def lease_renew(render_id: int, *, status: str, attempt: int) -> None:
    """Extend this worker's lease, as long as it still holds it (the attempt is its token)."""
    PackRender.objects.filter(pk=render_id, status=status, attempts=attempt).update(
        lease_until=timezone.now() + lease_duration()
    )
