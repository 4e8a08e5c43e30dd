"""The minutes' history: comparing two kept revisions, and the secretariat's decision
on a proposed amendment (which makes the next revision)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consult.pages import run_service_and_redirect, secretariat_only
from minutes.forms import AmendmentDecisionForm
from minutes.selectors import record as record_selectors
from minutes.services import review as review_services


@login_required
@require_POST
def amendment_decide(request: HttpRequest, public_id: str) -> HttpResponse:
    secretariat_only(request)
    amendment = record_selectors.amendment_get(request.user, public_id=public_id)
    url = amendment.minutes.get_absolute_url()
    form = AmendmentDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Accept or reject the amendment, and give the reason."))
        return redirect(url)
    accept = form.cleaned_data["decision"] == "accept"
    return run_service_and_redirect(
        request,
        url,
        lambda: review_services.amendment_decide(
            amendment=amendment,
            user=request.user,
            accept=accept,
            reason=form.cleaned_data["reason"],
        ),
        _("Amendment accepted.") if accept else _("Amendment rejected."),
    )


@login_required
def revision_diff(request: HttpRequest, public_id: str) -> HttpResponse:
    """Compare two kept revisions, rendered for the reader (anonymised outside the secretariat)."""
    minutes = record_selectors.minutes_get(request.user, public_id=public_id)
    revisions = list(record_selectors.revision_list(minutes))
    numbers = [revision.number for revision in revisions]
    context: dict[str, Any] = {"minutes": minutes, "revisions": revisions, "diff": None}
    if len(numbers) >= 1:
        try:
            older = int(request.GET.get("older") or (numbers[-2] if len(numbers) > 1 else 1))
            newer = int(request.GET.get("newer") or numbers[-1])
        except ValueError as exc:
            raise Http404("Not found.") from exc
        context["diff"] = record_selectors.revision_diff(
            request.user, minutes=minutes, older=older, newer=newer
        )
    return render(request, "minutes/revision_diff.html", context)
