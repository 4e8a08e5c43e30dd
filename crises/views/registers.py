"""The off-ramp board of a crisis, an option with its stances' history, and the register
of norms: a norm with its adherence table and its incidents on a timeline. The
secretariat records options and norms; each delegation states its own party's stances
and adherence, reports incidents and responds to the others'."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from agenda.models import Session
from agenda.selectors.sessions import session_list
from consult import access
from consult.errors import ApplicationError
from consult.pages import (
    form_refusal,
    render_form_or_save,
    run_service_and_redirect,
    secretariat_only,
)
from consult.parallel_views import TranslatedText, translation_pages
from crises.forms.registers import (
    AdherenceForm,
    IncidentForm,
    IncidentResponseForm,
    NormEditForm,
    NormForm,
    OffRampEditForm,
    OffRampForm,
    OffRampTransitionForm,
    StanceForm,
)
from crises.models import OffRamp
from crises.models.registers import NORM_PARALLEL, OFF_RAMP_PARALLEL
from crises.selectors.crises import crisis_get
from crises.selectors.registers import (
    adherence_parties,
    incident_get,
    incident_list,
    norm_adherence_table,
    norm_communiques,
    norm_get,
    norm_list,
    off_ramp_board,
    off_ramp_get,
    off_ramp_mentions,
    off_ramp_stances,
    off_ramp_transition_list,
    stance_parties,
)
from crises.services import registers as services
from crises.services.registers import NEXT_STATUSES
from members.selectors.parties import party_choice_list


def _problems(form: Any) -> str:
    return "; ".join(
        f"{form.fields[name].label if name in form.fields else _('The form')}: "
        + " ".join(str(error) for error in errors)
        for name, errors in form.errors.items()
    )


# --- Off-ramps -------------------------------------------------------------------------


@login_required
def off_ramp_board_page(request: HttpRequest, public_id: str) -> HttpResponse:
    crisis = crisis_get(user=request.user, public_id=public_id)
    board = off_ramp_board(user=request.user, crisis=crisis)
    return render(
        request,
        "crises/off_ramp_board.html",
        {
            "crisis": crisis,
            "board": board,
            "is_secretariat": access.is_secretariat(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def off_ramp_create(request: HttpRequest, public_id: str) -> HttpResponse:
    secretariat_only(request)
    crisis = crisis_get(user=request.user, public_id=public_id)
    form = OffRampForm(
        request.POST or None, parties=party_choice_list(), initial={"on": timezone.localdate()}
    )

    def save(values: dict[str, Any]) -> HttpResponse:
        off_ramp = services.off_ramp_create(user=request.user, crisis=crisis, **values)
        messages.success(request, _("Off-ramp recorded."))
        return redirect(off_ramp.get_absolute_url())

    def page(status: int) -> HttpResponse:
        return render(
            request, "crises/off_ramp_form.html", {"form": form, "crisis": crisis}, status=status
        )

    return render_form_or_save(request, form, save, page)


@login_required
@require_http_methods(["GET", "POST"])
def off_ramp_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    secretariat_only(request)
    off_ramp = off_ramp_get(user=request.user, public_id=public_id)
    form = OffRampEditForm(
        request.POST or None,
        parties=party_choice_list(),
        initial={
            "title": off_ramp.title,
            "text": off_ramp.text,
            "proposer": off_ramp.proposer.public_id if off_ramp.proposer else None,
            "preconditions": off_ramp.preconditions,
        },
    )

    def save(values: dict[str, Any]) -> HttpResponse:
        services.off_ramp_update(off_ramp=off_ramp, user=request.user, **values)
        messages.success(request, _("Off-ramp saved."))
        return redirect(off_ramp.get_absolute_url())

    def page(status: int) -> HttpResponse:
        return render(
            request,
            "crises/off_ramp_form.html",
            {"form": form, "crisis": off_ramp.crisis, "off_ramp": off_ramp},
            status=status,
        )

    return render_form_or_save(request, form, save, page)


def _off_ramp_page(
    request: HttpRequest, off_ramp: OffRamp, *, stance_form: StanceForm | None, status: int
) -> HttpResponse:
    secretariat = access.is_secretariat(request.user)
    context: dict[str, Any] = {
        "off_ramp": off_ramp,
        "crisis": off_ramp.crisis,
        "transitions": off_ramp_transition_list(off_ramp=off_ramp),
        "stances": off_ramp_stances(user=request.user, off_ramp=off_ramp),
        "mentions": off_ramp_mentions(user=request.user, off_ramp=off_ramp),
        "stance_form": stance_form,
        "is_secretariat": secretariat,
    }
    if secretariat and NEXT_STATUSES[off_ramp.status]:
        context["transition_form"] = OffRampTransitionForm(
            next_statuses=NEXT_STATUSES[off_ramp.status], initial={"on": timezone.localdate()}
        )
    return render(request, "crises/off_ramp_detail.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def off_ramp_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """The option, its status history, each party's stance with its history, the record
    that mentions it; a delegate at the table states their party's stance here."""
    off_ramp = off_ramp_get(user=request.user, public_id=public_id)
    parties = stance_parties(user=request.user, crisis=off_ramp.crisis)
    if request.method == "GET":
        form = StanceForm(parties=parties) if parties.exists() else None
        return _off_ramp_page(request, off_ramp, stance_form=form, status=200)
    form = StanceForm(request.POST, parties=parties)
    if form.is_valid():
        try:
            services.stance_state(user=request.user, off_ramp=off_ramp, **form.cleaned_data)
        except (ApplicationError, PermissionDenied) as error:
            status = form_refusal(form, error)
            return _off_ramp_page(request, off_ramp, stance_form=form, status=status)
        messages.success(request, _("Stance stated."))
        return redirect(off_ramp.get_absolute_url())
    status = 400 if parties.exists() else 403
    if status == 403:
        form.add_error(None, "A stance by a party that is not at the table is refused.")
    return _off_ramp_page(request, off_ramp, stance_form=form, status=status)


@login_required
@require_POST
def off_ramp_transition(request: HttpRequest, public_id: str) -> HttpResponse:
    secretariat_only(request)
    off_ramp = off_ramp_get(user=request.user, public_id=public_id)
    form = OffRampTransitionForm(request.POST, next_statuses=NEXT_STATUSES[off_ramp.status])
    if not form.is_valid():
        messages.error(
            request, _("The status was not changed. %(problems)s") % {"problems": _problems(form)}
        )
        return redirect(off_ramp.get_absolute_url())
    values = form.cleaned_data
    return run_service_and_redirect(
        request,
        off_ramp.get_absolute_url(),
        lambda: services.off_ramp_transition(user=request.user, off_ramp=off_ramp, **values),
        _("Status changed to %(status)s.") % {"status": OffRamp.Status(values["to_status"]).label},
    )


# An option's title and text in the other working languages.
off_ramp_translations, off_ramp_translation_confirm = translation_pages(
    TranslatedText(
        "crises:off_ramp", off_ramp_get, OFF_RAMP_PARALLEL, "text", gettext_lazy("Text")
    ),
    write=services.off_ramp_translation_set,
    confirm=services.off_ramp_translation_confirm,
)


# --- Norms -----------------------------------------------------------------------------


@login_required
def norm_list_page(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "crises/norm_list.html",
        {
            "norms": norm_list(user=request.user),
            "is_secretariat": access.is_secretariat(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def norm_create(request: HttpRequest) -> HttpResponse:
    secretariat_only(request)
    sessions = session_list(user=request.user).exclude(status=Session.Status.CANCELLED)
    form = NormForm(request.POST or None, sessions=sessions)

    def save(values: dict[str, Any]) -> HttpResponse:
        norm = services.norm_create(user=request.user, **values)
        messages.success(request, _("Norm registered."))
        return redirect(norm.get_absolute_url())

    def page(status: int) -> HttpResponse:
        return render(request, "crises/norm_form.html", {"form": form}, status=status)

    return render_form_or_save(request, form, save, page)


@login_required
@require_http_methods(["GET", "POST"])
def norm_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    secretariat_only(request)
    norm = norm_get(user=request.user, public_id=public_id)
    form = NormEditForm(
        request.POST or None,
        initial={
            "title": norm.title,
            "text": norm.text,
            "source": norm.source,
            "distribution": norm.distribution,
        },
    )

    def save(values: dict[str, Any]) -> HttpResponse:
        services.norm_update(norm=norm, user=request.user, **values)
        messages.success(request, _("Norm saved."))
        return redirect(norm.get_absolute_url())

    def page(status: int) -> HttpResponse:
        return render(request, "crises/norm_form.html", {"form": form, "norm": norm}, status=status)

    return render_form_or_save(request, form, save, page)


def _norm_page(
    request: HttpRequest, public_id: str, *, forms: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    norm = norm_get(user=request.user, public_id=public_id)
    parties = adherence_parties(user=request.user)
    incidents = list(incident_list(user=request.user, norm=norm))
    own = set(parties.values_list("pk", flat=True))
    forms = forms or {}
    if own and "adherence_form" not in forms:
        forms["adherence_form"] = AdherenceForm(parties=parties)
    return render(
        request,
        "crises/norm_detail.html",
        {
            "norm": norm,
            "adherence": norm_adherence_table(user=request.user, norm=norm),
            "incidents": [
                {
                    "incident": incident,
                    "respond": bool(own - {incident.reporting_party_id}),
                }
                for incident in incidents
            ],
            "communiques": norm_communiques(user=request.user, norm=norm),
            "may_report": bool(own),
            "own_parties": list(parties),
            "is_secretariat": access.is_secretariat(request.user),
            **forms,
        },
        status=status,
    )


@login_required
def norm_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    return _norm_page(request, public_id)


@login_required
@require_POST
def adherence_state(request: HttpRequest, public_id: str) -> HttpResponse:
    norm = norm_get(user=request.user, public_id=public_id)
    form = AdherenceForm(request.POST, parties=adherence_parties(user=request.user))
    if form.is_valid():
        try:
            services.adherence_state(user=request.user, norm=norm, **form.cleaned_data)
        except (ApplicationError, PermissionDenied) as error:
            status = form_refusal(form, error)
            return _norm_page(request, public_id, forms={"adherence_form": form}, status=status)
        messages.success(request, _("Adherence stated."))
        return redirect(norm.get_absolute_url())
    return _norm_page(request, public_id, forms={"adherence_form": form}, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def incident_report(request: HttpRequest, public_id: str) -> HttpResponse:
    norm = norm_get(user=request.user, public_id=public_id)
    form = IncidentForm(
        request.POST or None,
        parties=adherence_parties(user=request.user),
        all_parties=party_choice_list(),
    )

    def save(values: dict[str, Any]) -> HttpResponse:
        services.incident_report(user=request.user, norm=norm, **values)
        messages.success(request, _("Incident reported."))
        return redirect(norm.get_absolute_url())

    def page(status: int) -> HttpResponse:
        return render(
            request, "crises/incident_form.html", {"form": form, "norm": norm}, status=status
        )

    return render_form_or_save(request, form, save, page)


@login_required
@require_POST
def incident_respond(request: HttpRequest, public_id: str) -> HttpResponse:
    incident = incident_get(user=request.user, public_id=public_id)
    form = IncidentResponseForm(
        request.POST,
        parties=adherence_parties(user=request.user).exclude(pk=incident.reporting_party_id),
    )
    if not form.is_valid():
        messages.error(
            request,
            _("The response was not recorded. %(problems)s") % {"problems": _problems(form)},
        )
        return redirect(incident.norm.get_absolute_url())
    return run_service_and_redirect(
        request,
        incident.norm.get_absolute_url(),
        lambda: services.incident_respond(
            user=request.user, incident=incident, **form.cleaned_data
        ),
        _("Response recorded."),
    )


# A norm's title and text in the other working languages.
norm_translations, norm_translation_confirm = translation_pages(
    TranslatedText("crises:norm", norm_get, NORM_PARALLEL, "text", gettext_lazy("Text")),
    write=services.norm_translation_set,
    confirm=services.norm_translation_confirm,
)
