"""The alert banner on every page: the signed-in recipient's unacknowledged alerts, and
the newest of their deliveries shown, from which the live channel goes on."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from crises.selectors.alerts import alert_unacknowledged_list


def unacknowledged_alerts(request: HttpRequest) -> dict[str, Any]:
    """Read (one query, shared by both values) only when a page renders the banner."""
    user = getattr(request, "user", None)
    if user is None:
        return {"unacknowledged_alerts": [], "alerts_last_event": "0"}
    banner = SimpleLazyObject(lambda: alert_unacknowledged_list(user=user))
    return {
        "unacknowledged_alerts": banner,
        # The live channel sends only deliveries newer than those the banner shows.
        "alerts_last_event": SimpleLazyObject(
            lambda: str(max((delivery.pk for delivery in banner), default=0))
        ),
    }
