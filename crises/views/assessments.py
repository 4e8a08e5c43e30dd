"""Threat assessments in Delphi rounds: the secretariat opens one, each seat-holder
delegation scores the open round on one form, the secretariat releases it and may
ask again; the released picture (three charts, each with its table: the risk matrix, the
divergence and the picture's threats over the quarters) is shown to the
session's participants."""

from __future__ import annotations

from collections.abc import Sequence
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
from agenda.selectors.sessions import session_list
from consult import access
from consult.listing import page_of
from consult.pages import (
    render_form_or_save,
    run_service_and_redirect,
    secretariat_only,
    secretariat_step,
)
from crises import charts
from crises.forms.crises import AssessmentOpenForm, NextRoundForm, ScoreForm
from crises.models import Assessment, AssessmentRound
from crises.selectors.assessments import (
    AssessmentState,
    assessment_get,
    assessment_list_with_state,
    round_list,
    round_scored_parties,
    score_list,
    threat_list,
)
from crises.selectors.pictures import ThreatPicture, assessment_picture, threat_trends
from crises.services import assessments as services
from crises.services.assessments import ScoreInput
from members.models import Party


@login_required
def assessment_list_page(request: HttpRequest) -> HttpResponse:
    listing = page_of(request, assessment_list_with_state(user=request.user))
    return render(
        request,
        "crises/assessment_list.html",
        {
            "listing": listing,
            "assessments": listing.rows,
            "states": AssessmentState,
            "is_secretariat": access.is_secretariat(request.user),
        },
        status=listing.status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment_open(request: HttpRequest) -> HttpResponse:
    secretariat_only(request)
    sessions = session_list(user=request.user, kind=Session.Kind.REGULAR).exclude(
        status__in=[Session.Status.CLOSED, Session.Status.CANCELLED]
    )
    form = AssessmentOpenForm(
        request.POST or None,
        sessions=sessions,
        threats=threat_list(user=request.user, include_retired=False),
    )

    def save(values: dict[str, Any]) -> HttpResponse:
        assessment = services.assessment_open(user=request.user, **values)
        messages.success(request, _("Assessment opened: the delegations may score round 1."))
        return redirect(assessment.get_absolute_url())

    def page(status: int) -> HttpResponse:
        return render(request, "crises/assessment_open.html", {"form": form}, status=status)

    return render_form_or_save(request, form, save, page)


def _scoring_party(parties: list[Party], code: str | None) -> Party | None:
    for party in parties:
        if party.code == code:
            return party
    return parties[0] if parties else None


def _picture_context(request: HttpRequest, assessment: Assessment) -> dict[str, Any]:
    picture = assessment_picture(user=request.user, assessment=assessment)
    if picture is None or not picture.threats:
        return {"picture": None}
    return {
        "picture": picture,
        "matrix_svg": charts.risk_matrix_svg(picture),
        "matrix_rows": charts.matrix_rows(picture),
        "divergence_svg": charts.divergence_svg(picture),
        "divergence_rows": charts.divergence_rows(picture),
        # The picture's threats over the quarters, as the briefing pack's section draws it.
        **_trend_context(request, picture.threats),
    }


def _trend_context(request: HttpRequest, threats: Sequence[ThreatPicture]) -> dict[str, Any]:
    trends = threat_trends(user=request.user, threats=[item.threat for item in threats])
    return {"trend_svg": charts.trend_svg(trends), "trend_rows": charts.trend_rows(trends)}


@login_required
@require_http_methods(["GET", "POST"])
def assessment_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """The assessment: its rounds, the delegation's scores on the open round (POST saves
    them), who has answered, and the picture of the last released round."""
    assessment = assessment_get(user=request.user, public_id=public_id)
    session = assessment.session
    rounds = list(round_list(user=request.user, assessment=assessment))
    current: AssessmentRound | None = rounds[-1] if rounds else None
    secretariat = access.is_secretariat(request.user)
    now = timezone.now()
    open_round = current if current and not current.is_released else None
    accepting = open_round is not None and open_round.deadline > now
    parties = (
        services.scoring_parties(user=request.user, assessment=assessment)
        if not secretariat
        else []
    )
    party = _scoring_party(parties, request.POST.get("party") or request.GET.get("party"))
    threats = list(open_round.threats.order_by("title")) if open_round else []
    own = (
        {
            score.threat_id: score
            for score in score_list(user=request.user, round=open_round)
            if party is not None and score.party_id == party.pk
        }
        if open_round and party is not None
        else {}
    )
    form = ScoreForm(
        request.POST or None,
        threats=threats,
        parties=parties,
        own=own,
        initial={"party": party.code} if party else None,
    )
    scored = round_scored_parties(round=current) if current else []

    def save(values: dict[str, Any]) -> HttpResponse:
        chosen = _scoring_party(parties, values.get("party")) if "party" in values else None
        services.scores_submit(
            user=request.user,
            assessment=assessment,
            party=chosen,
            answers=[ScoreInput(**answer) for answer in form.answers()],
        )
        messages.success(
            request,
            _(
                "Your scores are saved. Only your delegation reads them until the round is "
                "released; you may change them until the deadline."
            ),
        )
        return redirect(assessment.get_absolute_url())

    def page(status: int) -> HttpResponse:
        picture = _picture_context(request, assessment)
        latest_released = current is not None and current.is_released
        offers_next = (
            bool(secretariat and latest_released and picture["picture"] is not None)
            and picture["picture"].offers_new_round
        )
        return render(
            request,
            "crises/assessment_detail.html",
            {
                "assessment": assessment,
                "session": session,
                "rounds": rounds,
                "current": current,
                "open_round": open_round,
                "accepting": accepting,
                "score_form": form if accepting and parties else None,
                "score_errors": form.non_field_errors() if request.method == "POST" else [],
                "party": party,
                "own_scored": bool(own),
                "scored": scored,
                "names_shown": secretariat
                or assessment.attribution == Assessment.Attribution.ATTRIBUTED,
                "is_secretariat": secretariat,
                "offers_release": secretariat and open_round is not None and bool(scored),
                "next_round_form": NextRoundForm() if offers_next else None,
                **picture,
            },
            status=status,
        )

    return render_form_or_save(request, form, save, page)


round_release = secretariat_step(
    services.round_release,
    gettext_lazy("Round released: the participants now see the picture."),
    load=lambda request, public_id: assessment_get(user=request.user, public_id=public_id),
    subject="assessment",
    back=Assessment.get_absolute_url,
)


@login_required
@require_POST
def round_open_next(request: HttpRequest, public_id: str) -> HttpResponse:
    secretariat_only(request)
    assessment = assessment_get(user=request.user, public_id=public_id)
    form = NextRoundForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the next round's deadline as 2027-03-20 12:00 (UTC)."))
        return redirect(assessment.get_absolute_url())
    return run_service_and_redirect(
        request,
        assessment.get_absolute_url(),
        lambda: services.round_open_next(
            user=request.user, assessment=assessment, deadline=form.cleaned_data["deadline"]
        ),
        _("A further round is open on the threats where views have not converged."),
    )
