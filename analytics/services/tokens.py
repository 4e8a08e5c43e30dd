"""Writes of the analysts' API: personal tokens."""

from datetime import timedelta

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from analytics.keys import hash_key, new_key
from analytics.models import ApiToken
from audit.models import AuditEntry
from audit.services import audit_record
from consult.access import is_analyst, is_secretariat
from consult.actors import Actor
from consult.errors import ApplicationError
from consult.validation import check_visible

MAX_LIVE_TOKENS = 20
# Scripts that log in with a password get a fresh token each time; the oldest
# of those is revoked past this many, so they never crowd out the named ones.
MAX_LIVE_LOGIN_TOKENS = 5
# ``last_used_at`` (and the audit entry of a token's use) is written at most once
# a minute per token, so a burst of reads does not turn into a burst of writes.
LAST_USED_RESOLUTION = timedelta(minutes=1)


@transaction.atomic
def api_token_create(
    *, user: Actor, name: str, read_only: bool = True, source: str = ApiToken.Source.PAGE
) -> tuple[ApiToken, str]:
    """Issue a token; the returned key is the only time it exists in clear."""
    name = check_visible(name.strip(), field="name", label=_("The token's name"))
    if not name:
        raise ApplicationError(_("Name the token."), fields={"name": [_("Name the token.")]})
    if len(name) > ApiToken._meta.get_field("name").max_length:  # type: ignore[operator]
        raise ApplicationError(
            _("The name is too long (80 characters at most)."),
            fields={"name": [_("80 characters at most.")]},
        )
    if not user.is_authenticated or not user.is_active:
        raise ApplicationError(_("Only an active account may hold API tokens."))
    if is_analyst(user) and not is_secretariat(user):
        read_only = True

    live = list(ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True))
    if len(live) >= MAX_LIVE_TOKENS:
        raise ApplicationError(
            ngettext(
                "You already hold %(count)d live token; revoke it first.",
                "You already hold %(count)d live tokens; revoke one first.",
                MAX_LIVE_TOKENS,
            )
            % {"count": MAX_LIVE_TOKENS}
        )
    if any(token.name == name for token in live):
        message = _("You already hold a live token named “%(name)s”.") % {"name": name}
        raise ApplicationError(message, fields={"name": [message]})
    prefix, key = new_key()
    try:
        with transaction.atomic():
            token = ApiToken.objects.create(
                user=user,
                name=name,
                prefix=prefix,
                key_hash=hash_key(key),
                read_only=read_only,
                source=source,
            )
    except IntegrityError as exc:
        # A prefix collision (40 random bits) or a concurrent first token with the same name.
        raise ApplicationError(_("The token could not be issued; try again.")) from exc
    audit_record(
        kind=AuditEntry.Kind.TOKEN_ISSUED,
        user=user,
        obj=token,
        summary=f"Issued {'read-only' if read_only else 'read-write'} token "
        f"{token.prefix} “{name}” ({source}).",
    )
    return token, key


@transaction.atomic
def api_token_issue_for_login(*, user: User, read_only: bool = False) -> tuple[ApiToken, str]:
    """A token for a client that signed in with a password; the oldest such tokens lapse."""
    now = timezone.now()
    logins = list(
        ApiToken.objects.select_for_update()
        .filter(user=user, source=ApiToken.Source.LOGIN, revoked_at__isnull=True)
        .order_by("created_at")
    )
    surplus = logins[: max(0, len(logins) - MAX_LIVE_LOGIN_TOKENS + 1)]
    ApiToken.objects.filter(pk__in=[token.pk for token in surplus]).update(revoked_at=now)
    for token in surplus:
        audit_record(
            kind=AuditEntry.Kind.TOKEN_REVOKED,
            user=user,
            obj=token,
            summary=f"Token {token.prefix} lapsed: {MAX_LIVE_LOGIN_TOKENS} newer login tokens.",
        )
    return api_token_create(
        user=user,
        name=f"API login {now:%Y-%m-%d %H:%M:%S.%f} UTC",
        read_only=read_only,
        source=ApiToken.Source.LOGIN,
    )


@transaction.atomic
def api_token_revoke(*, token: ApiToken, user: Actor) -> ApiToken:
    """Revoke one of the user's own tokens; the next request with it is refused."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.user_id != user.pk:
        raise ApplicationError(_("You can only revoke your own tokens."))
    if token.revoked_at is not None:
        raise ApplicationError(_("This token is already revoked."))
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(
        kind=AuditEntry.Kind.TOKEN_REVOKED,
        user=user,
        obj=token,
        summary=f"Revoked token {token.prefix} “{token.name}”.",
    )
    return token


def api_token_record_use(*, token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_RESOLUTION:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
    audit_record(
        kind=AuditEntry.Kind.TOKEN_USED,
        user=token.user,
        obj=token,
        summary=f"Token {token.prefix} used (first use in a minute).",
    )
