"""The person acting: the one type every selector reads for and every service acts as.

``request.user`` is either a signed-in ``User`` or ``AnonymousUser``; the platform
itself (the planner, a sweep) acts as ``None`` where a service allows it, which
its signature says with ``Actor | None``.
"""

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied

type Actor = User | AnonymousUser


def signed_in(user: Actor) -> User:
    """``user`` as the author a row records. The pages and the API let only signed-in
    users reach a write, and each service's own check refuses anyone else first."""
    if isinstance(user, User):
        return user
    raise PermissionDenied
