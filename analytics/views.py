"""The token page: each user names, lists and revokes their own API tokens."""

from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from analytics.forms import ApiTokenForm
from analytics.selectors.tokens import api_token_get, api_token_list
from analytics.services.sessions import user_sessions_end_all
from analytics.services.tokens import api_token_create, api_token_revoke
from consult.access import is_analyst, is_secretariat
from consult.errors import ApplicationError
from consult.mfa import second_factor_required


@login_required
@require_http_methods(["GET", "POST"])
@second_factor_required
def token_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    read_only_forced = is_analyst(user) and not is_secretariat(user)
    form = ApiTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_key = api_token_create(
                user=user,
                name=form.cleaned_data["name"],
                read_only=read_only_forced or form.cleaned_data["read_only"],
            )
        except ApplicationError as exc:
            form.add_error("name" if "name" in exc.fields else None, exc.message)
        else:
            form = ApiTokenForm()
    response = render(
        request,
        "analytics/apitoken_list.html",
        {
            "tokens": api_token_list(user=user),
            "form": form,
            "new_key": new_key,
            "read_only_forced": read_only_forced,
            "idle_minutes": settings.SESSION_IDLE_SECONDS // 60,
            "max_hours": settings.SESSION_ABSOLUTE_SECONDS // 3600,
        },
        status=400 if request.method == "POST" and new_key is None else 200,
    )
    # The page may carry a key shown once: no cache may keep a copy.
    add_never_cache_headers(response)
    return response


@login_required
@require_POST
def token_revoke(request: HttpRequest, public_id: UUID) -> HttpResponse:
    token = api_token_get(user=request.user, public_id=public_id)
    try:
        api_token_revoke(token=token, user=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Token “%(name)s” revoked; it no longer opens the API.") % {"name": token.name},
        )
    return redirect("analytics:token_list")


@login_required
@require_POST
def logout_everywhere(request: HttpRequest) -> HttpResponse:
    """Ends every session of the user, this one included; optionally revokes their tokens."""
    sessions, tokens = user_sessions_end_all(
        user=request.user, revoke_tokens=request.POST.get("revoke_tokens") == "on"
    )
    logout(request)
    ended = ngettext(
        "Logged out of %(count)d session.", "Logged out of %(count)d sessions.", sessions
    ) % {"count": sessions}
    if tokens:
        revoked = ngettext(
            "%(count)d API token revoked.", "%(count)d API tokens revoked.", tokens
        ) % {"count": tokens}
        ended = f"{ended} {revoked}"
    messages.success(request, ended)
    return redirect("login")
