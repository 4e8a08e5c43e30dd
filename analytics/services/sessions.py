"""Ending a user's signed-in sessions (and, if asked, their API tokens) at once."""

from allauth.usersessions.models import UserSession
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from analytics.models import ApiToken
from consult.actors import Actor


@transaction.atomic
def user_sessions_end_all(*, user: Actor, revoke_tokens: bool = False) -> tuple[int, int]:
    """Log the user out on every device; with ``revoke_tokens``, revoke their live API tokens too.

    Returns how many sessions ended and how many tokens were revoked. The
    sessions are those allauth listed at each login; the session rows go with them.
    """
    if not isinstance(user, User):
        return 0, 0  # an anonymous visitor has no sessions or tokens to end
    sessions = list(UserSession.objects.filter(user_id=user.pk))
    for session in sessions:
        session.end()
    revoked = 0
    if revoke_tokens:
        revoked = ApiToken.objects.filter(user_id=user.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    return len(sessions), revoked
