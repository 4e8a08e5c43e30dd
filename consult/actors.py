"""The person acting: the one type every selector reads for and every service acts as.

``request.user`` is either a signed-in ``User`` or ``AnonymousUser``; the platform
itself (the planner, a sweep) acts as ``None`` where a service allows it, which
its signature says with ``Actor | None``.
"""

from django.contrib.auth.models import AnonymousUser, User

type Actor = User | AnonymousUser
