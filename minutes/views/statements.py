"""Statements across the record: search and the CSV export, attributed as the selector says."""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from agenda.selectors.sessions import session_filter_choices
from audit.models import AuditEntry
from audit.services import audit_read
from consult.listing import filtered_page
from members.selectors.parties import party_choices
from minutes.selectors import record as record_selectors
from minutes.selectors.listing import statement_filter_set


@login_required
def statements_export(request: HttpRequest, public_id: str) -> HttpResponse:
    """The statements of the minutes as CSV, with the same attribution as the page."""
    minutes = record_selectors.minutes_get(request.user, public_id=public_id)
    audit_read(
        kind=AuditEntry.Kind.EXPORT,
        obj=minutes,
        summary=f"Exported the statements of {minutes.session.number} as CSV.",
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = minutes.session.number.replace("/", "-")
    response["Content-Disposition"] = f'attachment; filename="{filename}-statements.csv"'
    writer = csv.writer(response)
    writer.writerow(["session", "item", "order", "kind", "party", "speaker", "summary"])
    for statement in record_selectors.statement_list(request.user, minutes=minutes):
        writer.writerow(
            [
                statement.minutes.session.number,
                statement.item.order,
                statement.order,
                statement.get_kind_display(),
                statement.display_party,  # type: ignore[attr-defined]
                statement.display_speaker,  # type: ignore[attr-defined]
                _csv_safe(statement.summary),
            ]
        )
    return response


def _csv_safe(value: str) -> str:
    # A cell starting with = + - @ runs as a formula in spreadsheet programs.
    return f"'{value}" if value[:1] in ("=", "+", "-", "@") else value


@login_required
def statement_search(request: HttpRequest) -> HttpResponse:
    """Statements the reader may read, a page at a time, filtered as in the API."""
    listing = filtered_page(
        request,
        statement_filter_set(request.user, params=request.GET),
        shown=("q", "quarter", "session", "party", "kind", "date_from", "date_to"),
        choices={
            **session_filter_choices(user=request.user).as_choices(),
            "party": party_choices(),
        },
    )
    if listing.status == 200 and request.GET:
        audit_read(
            kind=AuditEntry.Kind.SEARCH,
            object_type="statement",
            summary=f"Searched statements: {request.GET.urlencode()}",
        )
    return render(
        request,
        "minutes/statement_list.html",
        {"listing": listing, "statements": listing.rows},
        status=listing.status,
    )
