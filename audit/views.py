"""The audit trail's page: the secretariat's whole trail, anyone else's own entries."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from audit.filters import AuditEntryFilter
from audit.selectors import audit_entry_list, audit_user_choice_list
from consult import access

PAGE_SIZE = 50


@login_required
@require_GET
def audit_entry_list_page(request: HttpRequest) -> HttpResponse:
    entries = AuditEntryFilter(request.GET, queryset=audit_entry_list(user=request.user))
    valid = entries.is_valid()
    page = Paginator(entries.qs if valid else entries.queryset.none(), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/auditentry_list.html",
        {
            "filter": entries,
            "page": page,
            "query": query.urlencode(),
            "usernames": audit_user_choice_list(user=request.user),
            "is_secretariat": access.is_secretariat(request.user),
        },
        status=200 if valid else 400,
    )
