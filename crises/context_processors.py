"""The alert banner on every page: the signed-in recipient's unacknowledged alerts."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from crises.selectors.alerts import alert_unacknowledged_list


def unacknowledged_alerts(request: HttpRequest) -> dict[str, Any]:
    """Read (one query) only when a page renders the banner."""
    user = getattr(request, "user", None)
    if user is None:
        return {"unacknowledged_alerts": []}
    return {"unacknowledged_alerts": SimpleLazyObject(lambda: alert_unacknowledged_list(user=user))}
