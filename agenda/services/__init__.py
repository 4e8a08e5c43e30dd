"""Writes of the agenda app; each module owns one part of the quarterly cycle."""

from agenda.services.invitations import (
    invitation_accept,
    invitation_create,
    invitation_decline,
    invitation_grants_sync,
    invitation_revoke,
)
from agenda.services.planning import session_reminders_send, sessions_plan_ahead
from agenda.services.sessions import (
    extraordinary_request_create,
    session_convene_extraordinary,
    session_create,
    session_transition,
    session_update,
)

__all__ = [
    "extraordinary_request_create",
    "invitation_accept",
    "invitation_create",
    "invitation_decline",
    "invitation_grants_sync",
    "invitation_revoke",
    "session_convene_extraordinary",
    "session_create",
    "session_reminders_send",
    "session_transition",
    "session_update",
    "sessions_plan_ahead",
]
