"""The shared threat list (the secretariat keeps it, with its translations) and the threat
picture over quarters."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from consult import access, parallel
from consult.listing import page_of
from consult.pages import render_form_or_save, run_service_and_redirect, secretariat_only
from consult.parallel_views import TranslatedText, translation_pages
from crises import charts
from crises.forms.crises import ThreatForm
from crises.models.assessments import THREAT_PARALLEL
from crises.selectors.assessments import threat_get, threat_list
from crises.selectors.crises import crisis_get, crisis_list
from crises.selectors.pictures import threat_trends
from crises.services import threats as services


@login_required
def threat_list_page(request: HttpRequest) -> HttpResponse:
    """The threats the reader may read (the secretariat: the whole list, retired ones too)."""
    listing = page_of(request, threat_list(user=request.user))
    return render(
        request,
        "crises/threat_list.html",
        {
            "listing": listing,
            "threats": listing.rows,
            "is_secretariat": access.is_secretariat(request.user),
        },
        status=listing.status,
    )


def _threat_form_page(request: HttpRequest, threat: Any = None) -> HttpResponse:
    initial = (
        {
            "title": threat.title,
            "description": threat.description,
            "region": threat.region,
            "crisis": threat.crisis.public_id if threat.crisis else None,
        }
        if threat is not None
        else {"crisis": request.GET.get("crisis")}
    )
    form = ThreatForm(
        request.POST or None,
        crises=crisis_list(user=request.user),
        new=threat is None,
        initial=initial,
    )

    def save(values: dict[str, Any]) -> HttpResponse:
        if threat is None:
            services.threat_create(user=request.user, **values)
            messages.success(request, _("Threat added to the list."))
        else:
            services.threat_update(threat=threat, user=request.user, **values)
            messages.success(request, _("Threat saved."))
        return redirect("crises:threat_list")

    def page(status: int) -> HttpResponse:
        return render(
            request, "crises/threat_form.html", {"form": form, "threat": threat}, status=status
        )

    return render_form_or_save(request, form, save, page)


@login_required
@require_http_methods(["GET", "POST"])
def threat_create(request: HttpRequest) -> HttpResponse:
    secretariat_only(request)
    return _threat_form_page(request)


@login_required
@require_http_methods(["GET", "POST"])
def threat_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    secretariat_only(request)
    return _threat_form_page(request, threat_get(user=request.user, public_id=public_id))


@login_required
@require_POST
def threat_retire(request: HttpRequest, public_id: str) -> HttpResponse:
    secretariat_only(request)
    threat = threat_get(user=request.user, public_id=public_id)
    return run_service_and_redirect(
        request,
        reverse("crises:threat_list"),
        lambda: services.threat_retire(threat=threat, user=request.user),
        _("“%(title)s” retired: no longer offered to new assessments.")
        % {"title": parallel.served_title(threat, THREAT_PARALLEL)},
    )


@login_required
def threat_trend(request: HttpRequest) -> HttpResponse:
    """Each threat's median and spread per quarter; ``?crisis=`` narrows to one crisis."""
    crisis = None
    if request.GET.get("crisis"):
        crisis = crisis_get(user=request.user, public_id=request.GET["crisis"])
    threats = list(threat_list(user=request.user, crisis=crisis)) if crisis else None
    trends = threat_trends(user=request.user, threats=threats)
    return render(
        request,
        "crises/threat_trend.html",
        {
            "crisis": crisis,
            "trends": trends,
            "trend_svg": charts.trend_svg(trends) if trends else "",
            "trend_rows": charts.trend_rows(trends) if trends else [],
        },
    )


# A threat's title and description in the other working languages, and their confirmation.
threat_translations, threat_translation_confirm = translation_pages(
    TranslatedText(
        "crises:threat",
        threat_get,
        THREAT_PARALLEL,
        "description",
        gettext_lazy("Description"),
        rich_text=False,
        back=lambda threat: reverse("crises:threat_list"),
    ),
    write=services.threat_translation_set,
    confirm=services.threat_translation_confirm,
)
