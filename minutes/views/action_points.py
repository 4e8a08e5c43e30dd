"""Action points: each delegation follows its own; the secretariat follows all."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from consult import access
from consult.errors import ApplicationError
from minutes import selectors, services
from minutes.forms import ActionPointStatusForm
from minutes.models import ActionPoint


@login_required
def action_point_list(request: HttpRequest) -> HttpResponse:
    """Open action points: a delegation's own, or all of them for the secretariat."""
    status = request.GET.get("status") or ActionPoint.Status.OPEN
    if status not in ActionPoint.Status.values:
        status = ActionPoint.Status.OPEN
    if access.is_secretariat(request.user):
        points = selectors.action_point_list(request.user, status=status)
    else:
        points = selectors.action_point_list(
            request.user, status=status, owners=access.active_party_ids(request.user)
        )
    return render(
        request,
        "minutes/actionpoint_list.html",
        {"action_points": points, "status": status, "status_form": ActionPointStatusForm()},
    )


@login_required
@require_POST
def action_point_status(request: HttpRequest, public_id: str) -> HttpResponse:
    point = selectors.action_point_get(request.user, public_id=public_id)
    form = ActionPointStatusForm(request.POST)
    url = reverse("minutes:actionpoint_list")
    if not form.is_valid():
        messages.error(request, "Choose open or done.")
        return redirect(url)
    status = form.cleaned_data["status"]
    try:
        services.action_point_update_status(action_point=point, user=request.user, status=status)
    except ApplicationError as error:
        messages.error(request, error.message)
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        done = status == ActionPoint.Status.DONE
        messages.success(request, "Action point marked done." if done else "Action point reopened.")
    return redirect(url)
