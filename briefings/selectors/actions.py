"""The action centre: what is waiting for the signed-in user, each line linked to where it
is done (the lines are in ``actions_delegate`` and ``actions_secretariat``)."""

from __future__ import annotations

from datetime import datetime

from briefings.selectors.actions_base import ActionCentre
from briefings.selectors.actions_delegate import delegate_actions
from briefings.selectors.actions_secretariat import secretariat_actions
from consult.actors import Actor


def action_centre(
    *, user: Actor, secretariat: bool, delegate: bool, now: datetime | None = None
) -> ActionCentre | None:
    """The signed-in user's action centre: the secretariat's, a delegate's, or none.

    The caller says which roles ``user`` holds (the dashboard has read them already).
    """
    if secretariat:
        return secretariat_actions(user=user, now=now)
    if delegate:
        return delegate_actions(user=user, now=now)
    return None
