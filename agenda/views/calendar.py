"""The calendar page (show, rotate or switch off the secret URL) and the feed itself."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from agenda.selectors.calendar import calendar_feed_get, calendar_feed_of, calendar_ics
from agenda.services.calendar import calendar_feed_revoke, calendar_feed_rotate


@login_required
@require_http_methods(["GET", "POST"])
def calendar_page(request: HttpRequest) -> HttpResponse:
    """Only the token's hash is kept, so the URL is shown once, right after it is issued."""
    feed_url = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            calendar_feed_revoke(user=request.user)
            messages.success(request, _("Your calendar URL is switched off."))
            return redirect("agenda:calendar")
        token = calendar_feed_rotate(user=request.user)
        feed_url = request.build_absolute_uri(
            reverse("agenda:calendar_feed", kwargs={"token": token})
        )
    feed = calendar_feed_of(user=request.user)
    response = render(request, "agenda/calendar.html", {"feed": feed, "feed_url": feed_url})
    # The page may carry a secret URL: never keep it in a cache.
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The feed answers to its secret token alone (calendar clients send no cookie)."""
    feed = calendar_feed_get(token=token)
    if feed is None:
        raise Http404(_("Not found."))
    body = calendar_ics(user=feed.user, uid_domain=request.get_host().split(":")[0])
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="sessions.ics"'
    response["Cache-Control"] = "private, no-store"
    return response
