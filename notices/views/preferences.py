"""The viewer's preferences: the zone they read times in, kept for the browser session."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consult.pages import safe_next
from consult.times import known_timezones
from notices.forms.preferences import ViewerTimezoneForm

VIEWER_TIMEZONE_KEY = "viewer_timezone"


def viewer_timezone(request: HttpRequest) -> str:
    """The zone the viewer chose to read times in (UTC until they choose)."""
    name = request.session.get(VIEWER_TIMEZONE_KEY, "UTC")
    return name if name in known_timezones() else "UTC"


def viewer_timezone_context(request: HttpRequest) -> dict[str, Any]:
    """What a page showing times passes its template: the viewer's zone and the form to change it
    (``notices/viewer_timezone_form.html``)."""
    zone = viewer_timezone(request)
    return {
        "viewer_timezone": zone,
        "timezone_form": ViewerTimezoneForm(
            initial={"timezone": zone, "next": request.get_full_path()}
        ),
    }


@require_POST
def viewer_timezone_set(request: HttpRequest) -> HttpResponse:
    """Remember the zone the viewer reads times in, for this browser session."""
    form = ViewerTimezoneForm(request.POST)
    # By URL name only: the sessions list is agenda's, an app above this one.
    target = safe_next(request, reverse("agenda:session_list"))
    if form.is_valid():
        request.session[VIEWER_TIMEZONE_KEY] = form.cleaned_data["timezone"]
    else:
        messages.error(request, _("Choose a time zone from the list."))
    return redirect(target)
