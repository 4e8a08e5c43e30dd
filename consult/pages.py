"""What the apps' pages share: the secretariat-only guard, a form page that saves
through a service and shows its refusal on the form, the POST that runs a service
and reports how it went, the secretariat's workflow steps built from it, and the
``next`` page a form returns to."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consult import access
from consult.errors import ApplicationError
from consult.mfa import second_factor_refusal

if TYPE_CHECKING:
    # A message may be a lazy translation, worded when it is shown.
    from django_stubs_ext import StrOrPromise


def secretariat_only(request: HttpRequest) -> None:
    # Staff pages are nobody else's business: answer as for a missing page.
    if not access.is_secretariat(request.user):
        raise Http404(_("Not found."))


def form_refusal(form: forms.Form, error: ApplicationError | PermissionDenied) -> int:
    """Show a service's refusal on the form; the HTTP status to answer with."""
    if isinstance(error, PermissionDenied):
        form.add_error(None, str(error) or _("You may not do this."))
        return 403
    for field, problems in error.fields.items():
        if field in form.fields:
            form.add_error(field, problems)
    form.add_error(None, error.message)
    return 400


def render_form_or_save(
    request: HttpRequest,
    form: forms.Form,
    save: Callable[[dict[str, Any]], HttpResponse],
    page: Callable[[int], HttpResponse],
) -> HttpResponse:
    """A page with a form: ``page(status)`` shows it; a POSTed valid form goes to ``save``,
    which calls the service and answers (a redirect); an invalid form answers 400, and a
    refusal of the service is shown on the form with its status (400, or 403)."""
    if request.method != "POST":
        return page(200)
    if not form.is_valid():
        return page(400)
    try:
        return save(form.cleaned_data)
    except (ApplicationError, PermissionDenied) as error:
        return page(form_refusal(form, error))


def run_service_and_redirect(
    request: HttpRequest, url: str, do: Callable[[], Any], done: StrOrPromise
) -> HttpResponseRedirect:
    """Run ``do`` (one service call); say ``done`` or the service's refusal, back on ``url``."""
    try:
        do()
    except (ApplicationError, PermissionDenied) as error:
        messages.error(request, getattr(error, "message", None) or str(error))
    else:
        messages.success(request, done)
    return redirect(url)


def secretariat_step(
    service: Callable[..., Any],
    done: StrOrPromise,
    *,
    load: Callable[[HttpRequest, str], Any],
    subject: str,
    back: Callable[[Any], str],
    second_factor: bool = False,
) -> Callable[[HttpRequest, str], HttpResponse]:
    """The secretariat's POST moving one object a step along its workflow: the object
    ``load`` reads goes to ``service`` as its ``subject`` keyword, with the user; the
    answer goes ``back`` to the object's page with ``done`` or the service's refusal.
    A ``second_factor`` step asks for it again first (after the role is checked, so
    others still find no such page)."""

    @login_required
    @require_POST
    def step(request: HttpRequest, public_id: str) -> HttpResponse:
        secretariat_only(request)
        if second_factor and (refusal := second_factor_refusal(request)) is not None:
            return refusal
        target = load(request, public_id)
        return run_service_and_redirect(
            request, back(target), lambda: service(**{subject: target}, user=request.user), done
        )

    step.__name__ = step.__qualname__ = service.__name__
    return step


def choose_the_only_one(field: forms.Field) -> None:
    """A choice with one option is made for the user: a delegate who belongs to one
    delegation finds their party already chosen (and no empty option to pick by mistake)."""
    assert isinstance(field, forms.ModelChoiceField)
    options = list(field.queryset[:2]) if field.queryset is not None else []
    if len(options) == 1:
        field.initial = options[0]
        field.empty_label = None


def safe_next(request: HttpRequest, default: str) -> str:
    """The form's ``next`` page if it is on this site, else ``default`` (no open redirect)."""
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
