"""The notices page: the e-mails sent to the signed-in user, marked read once shown."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from notices.selectors.notifications import notification_list
from notices.services.notifications import notifications_mark_read

SHOWN = 50


@login_required
@require_GET
def notice_list(request: HttpRequest) -> HttpResponse:
    """Opening the page is reading them, as opening a mailbox is: the shown ones become read."""
    notices = list(notification_list(user=request.user)[:SHOWN])
    unread = {notice.pk for notice in notices if notice.read_at is None}
    notifications_mark_read(user=request.user, notification_ids=unread)
    return render(request, "notices/notification_list.html", {"notices": notices, "unread": unread})
