"""Crisis alerts: the list, an alert's page (the secretariat sees who has acknowledged), the
raise form for a seat-holder's head of delegation, the one-click acknowledgement (from
the banner every page shows, back to the page it was clicked on), and the alerts' live
channel.

The live channel is a server-sent event stream like the exercises' (same settings, same
polling of the rows, so an alert raised in another process reaches the page like one raised
here): each event is one of the reader's own deliveries not yet acknowledged, newer than the
last event id, carrying the banner's markup; a browser reconnecting with ``Last-Event-ID``
catches up. Only the secretariat and heads of delegation are ever addressed an alert; anyone
else gets an empty stream that asks the browser to come back in ``ALERT_LIVE_IDLE_RETRY_MS``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from consult import access
from consult.listing import page_of
from consult.pages import render_form_or_save, run_service_and_redirect
from crises.forms.crises import AlertForm
from crises.models import Crisis
from crises.selectors.alerts import (
    alert_delivery_list,
    alert_get,
    alert_list,
    alert_live_served,
    alert_unacknowledged_list,
)
from crises.selectors.crises import crisis_list
from crises.services import alerts as services
from crises.views.exercises import _last_event_id  # the live channels read it alike
from members.selectors.parties import party_headed_list


@login_required
def alert_list_page(request: HttpRequest) -> HttpResponse:
    listing = page_of(request, alert_list(user=request.user))
    return render(
        request,
        "crises/alert_list.html",
        {
            "listing": listing,
            "alerts": listing.rows,
            "may_raise": party_headed_list(user=request.user).exists(),
        },
        status=listing.status,
    )


@login_required
def alert_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    alert = alert_get(user=request.user, public_id=public_id)
    deliveries = list(alert_delivery_list(user=request.user, alert=alert))
    return render(
        request,
        "crises/alert_detail.html",
        {
            "alert": alert,
            "deliveries": deliveries,
            "is_secretariat": access.is_secretariat(request.user),
            "may_request": alert.extraordinary_request_id is None
            and party_headed_list(user=request.user).filter(pk=alert.party_id).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def alert_raise(request: HttpRequest) -> HttpResponse:
    crises = crisis_list(user=request.user).exclude(status=Crisis.Status.CLOSED)
    form = AlertForm(
        request.POST or None, crises=crises, initial={"crisis": request.GET.get("crisis")}
    )

    def save(values: dict[str, Any]) -> HttpResponse:
        alert = services.alert_raise(user=request.user, **values)
        messages.success(
            request, _("Alert raised: every head of delegation and the secretariat are being told.")
        )
        return redirect(alert.get_absolute_url())

    def page(status: int) -> HttpResponse:
        return render(request, "crises/alert_form.html", {"form": form}, status=status)

    return render_form_or_save(request, form, save, page)


@login_required
@require_POST
def alert_acknowledge(request: HttpRequest, public_id: str) -> HttpResponse:
    alert = alert_get(user=request.user, public_id=public_id)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = alert.get_absolute_url()
    return run_service_and_redirect(
        request,
        back,
        lambda: services.alert_acknowledge(user=request.user, alert=alert),
        _("Alert acknowledged."),
    )


@login_required
@require_POST
def alert_request_session(request: HttpRequest, public_id: str) -> HttpResponse:
    alert = alert_get(user=request.user, public_id=public_id)
    return run_service_and_redirect(
        request,
        reverse("crises:alert_detail", kwargs={"public_id": alert.public_id}),
        lambda: services.alert_to_extraordinary_request(user=request.user, alert=alert),
        _("Extraordinary session requested: the secretariat convenes it within 72 hours."),
    )


# A reader who is never addressed an alert is asked back this much later (10 minutes).
ALERT_LIVE_IDLE_RETRY_MS = 600_000


def alerts_stream(*, request: HttpRequest, after: int) -> Iterator[str]:
    """The server-sent events of ``request.user``'s unacknowledged alerts after delivery
    ``after``, polled from the rows (one query a poll), each with its banner's markup."""
    yield "retry: 1000\n\n"
    deadline = time.monotonic() + settings.EXERCISE_LIVE_SECONDS
    while True:
        fresh = sorted(
            alert_unacknowledged_list(user=request.user, after=after), key=lambda d: d.pk
        )
        for delivery in fresh:
            banner = render_to_string(
                "crises/_alert_banner_item.html", {"delivery": delivery}, request=request
            )
            data = {"alert": str(delivery.alert.public_id), "html": banner}
            yield f"id: {delivery.pk}\ndata: {json.dumps(data)}\n\n"
            after = delivery.pk
        if time.monotonic() >= deadline:
            return
        time.sleep(settings.EXERCISE_LIVE_POLL_SECONDS)


@login_required
@require_GET
def alerts_live(request: HttpRequest) -> StreamingHttpResponse:
    if alert_live_served(user=request.user):
        content: Iterator[str] = alerts_stream(request=request, after=_last_event_id(request))
    else:
        content = iter([f"retry: {ALERT_LIVE_IDLE_RETRY_MS}\n\n"])
    response = StreamingHttpResponse(content, content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response
