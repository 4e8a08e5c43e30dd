"""Pages of the members app: the rotation, and its planning by the secretariat.

The dashboard gathers from every app, so it lives in ``briefings.views``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consult.access import is_secretariat, require_secretariat
from consult.errors import ApplicationError
from consult.i18n import PREFERRED_LANGUAGE_SESSION_KEY
from consult.pages import safe_next
from consult.quarters import Quarter
from members.forms import LanguageForm, RotationSwapForm
from members.models import RotationTerm
from members.selectors.rotation import (
    rotation_candidates,
    rotation_swap_list,
    rotation_table,
    rotation_term_get,
)
from members.services import terms
from members.services.profiles import profile_language_set

PLANNING_HORIZON = 8


def secretariat_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        require_secretariat(request.user, _("open this page"))
        return view(request, *args, **kwargs)

    return wrapper


@login_required
def rotation(request: HttpRequest) -> HttpResponse:
    """Who holds each seat and the chair, this quarter and the next seven."""
    quarters = Quarter.current().following(PLANNING_HORIZON)
    table = rotation_table(quarters=quarters)
    return render(
        request,
        "members/rotation_list.html",
        {
            "table": table,
            "quarters": quarters,
            "current": quarters[0],
            "may_plan": is_secretariat(request.user),
        },
    )


@secretariat_required
@require_POST
def rotation_plan(request: HttpRequest) -> HttpResponse:
    start = Quarter.current()
    terms.rotation_plan(start=start, count=PLANNING_HORIZON)
    terms.chair_plan(start=start, count=PLANNING_HORIZON)
    messages.success(
        request,
        _("Rotation and chair planned from %(quarter)s for %(count)d quarters.")
        % {"quarter": start, "count": PLANNING_HORIZON},
    )
    return redirect("members:rotation")


@secretariat_required
def rotation_term_swap(request: HttpRequest, public_id: str) -> HttpResponse:
    try:
        term = rotation_term_get(public_id=public_id)
    except RotationTerm.DoesNotExist as exc:
        raise Http404(_("Not found.")) from exc
    quarter = Quarter.parse(term.quarter)
    candidates = rotation_candidates(seat=term.seat, quarter=quarter).exclude(pk=term.holder_id)
    form = RotationSwapForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            terms.rotation_term_swap(
                term=term,
                new_holder=form.cleaned_data["new_holder"],
                reason=form.cleaned_data["reason"],
                swapped_by=request.user,
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("%(seat)s %(quarter)s: %(holder)s now holds the term; the swap is recorded.")
                % {
                    "seat": term.seat.display_name,
                    "quarter": term.quarter,
                    "holder": form.cleaned_data["new_holder"].display_name,
                },
            )
            return redirect("members:rotation")
    return render(
        request,
        "members/rotationterm_form.html",
        {
            "term": term,
            "form": form,
            "swaps": rotation_swap_list(term=term),
        },
    )


@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """The language switcher: answer in the chosen working language from now on, and keep it as
    the signed-in user's preference (their pages, e-mails and notices) and in a cookie."""
    form = LanguageForm(request.POST)
    target = safe_next(request, reverse("dashboard"))
    if not form.is_valid():
        messages.error(request, _("Choose one of the working languages."))
        return redirect(target)
    language = form.cleaned_data["language"]
    if request.user.is_authenticated:
        try:
            profile_language_set(user=request.user, language=language)
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect(target)
        request.session[PREFERRED_LANGUAGE_SESSION_KEY] = language
    translation.activate(language)
    response = redirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response
