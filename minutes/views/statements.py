"""Statements across the record: search and the CSV export, attributed as the selector says."""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from audit.models import AuditEntry
from audit.services import audit_read
from members.selectors import party_choice_list
from minutes import selectors
from minutes.forms import StatementSearchForm


@login_required
def statements_export(request: HttpRequest, public_id: str) -> HttpResponse:
    """The statements of the minutes as CSV, with the same attribution as the page."""
    minutes = selectors.minutes_get(request.user, public_id=public_id)
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
    for statement in selectors.statement_list(request.user, minutes=minutes):
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
    parties = party_choice_list().order_by("name_en")
    form = StatementSearchForm(request.GET or None, parties=parties)
    statements = None
    if form.is_valid() and any(form.cleaned_data.values()):
        values = form.cleaned_data
        statements = selectors.statement_list(
            request.user,
            q=values["q"] or None,
            party=values["party"],
            date_from=values["date_from"],
            date_to=values["date_to"],
        )[:200]
        audit_read(
            kind=AuditEntry.Kind.SEARCH,
            object_type="statement",
            summary=f"Searched statements: {request.GET.urlencode()}",
        )
    return render(request, "minutes/statement_list.html", {"form": form, "statements": statements})
