"""Crisis dossiers: the list, the dossier (its status history, its timeline across
quarters and its threats), and the secretariat's opening, editing, status changes
and links to the record."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from agenda.models import Session
from agenda.selectors.sessions import session_get, session_list
from consult import access
from consult.listing import page_of
from consult.pages import render_form_or_save, run_service_and_redirect, secretariat_only
from consult.parallel_views import TranslatedText, translation_pages
from crises import charts
from crises.forms.crises import (
    CrisisFilterForm,
    CrisisForm,
    CrisisLinkForm,
    CrisisTransitionForm,
    CrisisUnlinkForm,
)
from crises.models import Crisis
from crises.models.dossiers import CRISIS_PARALLEL
from crises.selectors.assessments import threat_list
from crises.selectors.crises import (
    crisis_get,
    crisis_link_choices,
    crisis_linkable_get,
    crisis_list,
    crisis_timeline,
    crisis_transition_list,
)
from crises.selectors.pictures import threat_trends
from crises.services import crises as services
from crises.services.crises import NEXT_STATUSES

# A timeline entry's kind, as the name of the dossier's link to it (for unlinking).
LINK_OF_KIND = {
    "item": "items",
    "paper": "documents",
    "statement": "statements",
    "action_point": "action_points",
    "communique": "communiques",
}


@login_required
def crisis_list_page(request: HttpRequest) -> HttpResponse:
    """The dossiers the reader may read, filtered by status and region, a page at a time."""
    form = CrisisFilterForm(request.GET or None)
    status = 200
    crises = crisis_list(user=request.user)
    if form.is_bound:
        if form.is_valid():
            crises = crisis_list(
                user=request.user,
                status=form.cleaned_data["status"] or None,
                region=form.cleaned_data["region"] or None,
            )
        else:
            crises, status = crises.none(), 400
    listing = page_of(request, crises, form=form)
    return render(
        request,
        "crises/crisis_list.html",
        {
            "listing": listing,
            "crises": listing.rows,
            "is_secretariat": access.is_secretariat(request.user),
        },
        status=max(status, listing.status),
    )


@login_required
def crisis_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    crisis = crisis_get(user=request.user, public_id=public_id)
    secretariat = access.is_secretariat(request.user)
    threats = list(threat_list(user=request.user, crisis=crisis))
    trends = threat_trends(user=request.user, threats=threats) if threats else []
    timeline = crisis_timeline(user=request.user, crisis=crisis)
    context: dict[str, Any] = {
        "crisis": crisis,
        "transitions": crisis_transition_list(crisis=crisis),
        "timeline": [
            {"entry": entry, "link": f"{LINK_OF_KIND[entry.kind]}:{entry.record.public_id}"}
            if entry.kind in LINK_OF_KIND
            else {"entry": entry, "link": ""}
            for entry in timeline
        ],
        "threats": threats,
        "trends": trends,
        "trend_svg": charts.trend_svg(trends) if trends else "",
        "trend_rows": charts.trend_rows(trends) if trends else [],
        "is_secretariat": secretariat,
    }
    if secretariat:
        context["transition_form"] = CrisisTransitionForm(
            next_statuses=NEXT_STATUSES[crisis.status],
            initial={"on": timezone.localdate()},
        )
    return render(request, "crises/crisis_detail.html", context)


def _open_sessions(request: HttpRequest) -> Any:
    return session_list(user=request.user).exclude(status=Session.Status.CANCELLED)


@login_required
@require_http_methods(["GET", "POST"])
def crisis_create(request: HttpRequest) -> HttpResponse:
    secretariat_only(request)
    form = CrisisForm(
        request.POST or None,
        sessions=_open_sessions(request),
        initial={"on": timezone.localdate(), "session": request.GET.get("session")},
    )

    def save(values: dict[str, Any]) -> HttpResponse:
        crisis = services.crisis_create(user=request.user, **values)
        messages.success(request, _("Crisis dossier opened."))
        return redirect(crisis.get_absolute_url())

    def page(status: int) -> HttpResponse:
        return render(
            request, "crises/crisis_form.html", {"form": form, "crisis": None}, status=status
        )

    return render_form_or_save(request, form, save, page)


@login_required
@require_http_methods(["GET", "POST"])
def crisis_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    secretariat_only(request)
    crisis = crisis_get(user=request.user, public_id=public_id)
    form = CrisisForm(
        request.POST or None,
        initial={
            "title": crisis.title,
            "region": crisis.region,
            "summary": crisis.summary,
            "distribution": crisis.distribution,
        },
    )

    def save(values: dict[str, Any]) -> HttpResponse:
        services.crisis_update(crisis=crisis, user=request.user, **values)
        messages.success(request, _("Crisis dossier saved."))
        return redirect(crisis.get_absolute_url())

    def page(status: int) -> HttpResponse:
        return render(
            request, "crises/crisis_form.html", {"form": form, "crisis": crisis}, status=status
        )

    return render_form_or_save(request, form, save, page)


@login_required
@require_POST
def crisis_transition(request: HttpRequest, public_id: str) -> HttpResponse:
    secretariat_only(request)
    crisis = crisis_get(user=request.user, public_id=public_id)
    form = CrisisTransitionForm(request.POST, next_statuses=NEXT_STATUSES[crisis.status])
    if not form.is_valid():
        problems = "; ".join(
            f"{form.fields[name].label if name in form.fields else _('The form')}: "
            + " ".join(str(error) for error in errors)
            for name, errors in form.errors.items()
        )
        messages.error(
            request, _("The status was not changed. %(problems)s") % {"problems": problems}
        )
        return redirect(crisis.get_absolute_url())
    values = form.cleaned_data
    return run_service_and_redirect(
        request,
        crisis.get_absolute_url(),
        lambda: services.crisis_transition(
            crisis=crisis,
            user=request.user,
            to_status=values["to_status"],
            on=values["on"],
            reason=values["reason"],
        ),
        _("Status changed to %(status)s.") % {"status": Crisis.Status(values["to_status"]).label},
    )


@login_required
@require_http_methods(["GET", "POST"])
def crisis_link(request: HttpRequest, public_id: str) -> HttpResponse:
    """Link a record of one session (chosen first) to the dossier."""
    secretariat_only(request)
    crisis = crisis_get(user=request.user, public_id=public_id)
    sessions = session_list(user=request.user)
    wanted = request.POST.get("session") or request.GET.get("session")
    session = session_get(user=request.user, public_id=wanted) if wanted else crisis.session
    form = CrisisLinkForm(
        request.POST or None, groups=crisis_link_choices(user=request.user, session=session)
    )

    def save(values: dict[str, Any]) -> HttpResponse:
        target = crisis_linkable_get(user=request.user, value=values["record"])
        services.crisis_link(crisis=crisis, user=request.user, target=target)
        messages.success(request, _("Linked to the dossier: %(record)s.") % {"record": target})
        return redirect(f"{request.path}?session={session.public_id}")

    def page(status: int) -> HttpResponse:
        return render(
            request,
            "crises/crisis_link.html",
            {"crisis": crisis, "form": form, "session": session, "sessions": sessions},
            status=status,
        )

    return render_form_or_save(request, form, save, page)


@login_required
@require_POST
def crisis_unlink(request: HttpRequest, public_id: str) -> HttpResponse:
    secretariat_only(request)
    crisis = crisis_get(user=request.user, public_id=public_id)
    form = CrisisUnlinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the record to unlink."))
        return redirect(crisis.get_absolute_url())
    target = crisis_linkable_get(user=request.user, value=form.cleaned_data["record"])
    return run_service_and_redirect(
        request,
        crisis.get_absolute_url(),
        lambda: services.crisis_link(crisis=crisis, user=request.user, target=target, linked=False),
        _("Unlinked from the dossier: %(record)s.") % {"record": target},
    )


# A dossier's title and summary in the other working languages, and their confirmation.
crisis_translations, crisis_translation_confirm = translation_pages(
    TranslatedText(
        "crises:crisis", crisis_get, CRISIS_PARALLEL, "summary", gettext_lazy("Summary")
    ),
    write=services.crisis_translation_set,
    confirm=services.crisis_translation_confirm,
)
