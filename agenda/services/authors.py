"""The person a write records as its author."""

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied

from consult.actors import Actor


def signed_in(user: Actor) -> User:
    """``user`` as the author a row records: the pages and the API let only signed-in users
    reach a write, and each service's own check refuses anyone else first."""
    if isinstance(user, User):
        return user
    raise PermissionDenied
