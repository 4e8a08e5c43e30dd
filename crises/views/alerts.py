"""Crisis alerts: the list, an alert's page (the secretariat sees who has acknowledged), the
raise form for a seat-holder's head of delegation, and the one-click acknowledgement (from
the banner every page shows, back to the page it was clicked on)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from consult import access
from consult.listing import page_of
from consult.pages import render_form_or_save, run_service_and_redirect
from crises.forms import AlertForm
from crises.models import Crisis
from crises.selectors.alerts import alert_delivery_list, alert_get, alert_list
from crises.selectors.crises import crisis_list
from crises.services import alerts as services
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
            request, "Alert raised: every head of delegation and the secretariat are being told."
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
        "Alert acknowledged.",
    )


@login_required
@require_POST
def alert_request_session(request: HttpRequest, public_id: str) -> HttpResponse:
    alert = alert_get(user=request.user, public_id=public_id)
    return run_service_and_redirect(
        request,
        reverse("crises:alert_detail", kwargs={"public_id": alert.public_id}),
        lambda: services.alert_to_extraordinary_request(user=request.user, alert=alert),
        "Extraordinary session requested: the secretariat convenes it within 72 hours.",
    )
