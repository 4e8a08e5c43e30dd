"""Action points: each delegation follows its own; the secretariat follows all."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agenda.selectors.sessions import session_filter_choices
from consult import access
from consult.errors import ApplicationError
from consult.listing import bound, filtered_page
from members.selectors.parties import party_choices, party_own_list
from minutes.forms import ActionPointStatusForm
from minutes.models import ActionPoint
from minutes.selectors import record as record_selectors
from minutes.selectors.listing import action_point_filter
from minutes.services import action_points as action_points_services


@login_required
def action_point_list(request: HttpRequest) -> HttpResponse:
    """Action points, open ones unless asked otherwise: a delegation's own, or all of them
    for the secretariat; a page at a time, filtered as in the API."""
    parties = None if access.is_secretariat(request.user) else party_own_list(user=request.user)
    listing = filtered_page(
        request,
        action_point_filter(request.user, params=bound(request, status=ActionPoint.Status.OPEN)),
        shown=("quarter", "session", "party", "status"),
        choices={
            **session_filter_choices(user=request.user).as_choices(),
            "party": party_choices(parties),
        },
    )
    # Days left until each is due (negative when overdue), counted in UTC as the due dates are.
    today = timezone.now().date()
    for point in listing.rows:
        point.days_left = (point.due_date - today).days if point.due_date else None
        point.days_overdue = -point.days_left if point.days_left is not None else None
    return render(
        request,
        "minutes/actionpoint_list.html",
        {
            "listing": listing,
            "action_points": listing.rows,
            "status_form": ActionPointStatusForm(),
        },
        status=listing.status,
    )


@login_required
@require_POST
def action_point_status(request: HttpRequest, public_id: str) -> HttpResponse:
    point = record_selectors.action_point_get(request.user, public_id=public_id)
    form = ActionPointStatusForm(request.POST)
    url = reverse("minutes:actionpoint_list")
    if not form.is_valid():
        messages.error(request, _("Choose open or done."))
        return redirect(url)
    status = form.cleaned_data["status"]
    try:
        action_points_services.action_point_update_status(
            action_point=point, user=request.user, status=status
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        done = status == ActionPoint.Status.DONE
        messages.success(
            request, _("Action point marked done.") if done else _("Action point reopened.")
        )
    return redirect(url)
