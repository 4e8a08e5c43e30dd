"""The record of a session (docs/architecture.md, "minutes"): the minutes (``record``) and the
non-binding communiqué with the seat-holders' positions (``communiques``).

Every model is re-exported here, as Django and the migrations expect them on
``minutes.models``.
"""

from minutes.models.communiques import (
    Communique,
    CommuniqueSignature,
    CommuniqueVersion,
    Position,
    SilenceBreak,
)
from minutes.models.record import (
    STATEMENT_DISTRIBUTIONS,
    ActionPoint,
    Amendment,
    Attendance,
    Minutes,
    MinutesRevision,
    Statement,
)

__all__ = [
    "STATEMENT_DISTRIBUTIONS",
    "ActionPoint",
    "Amendment",
    "Attendance",
    "Communique",
    "CommuniqueSignature",
    "CommuniqueVersion",
    "Minutes",
    "MinutesRevision",
    "Position",
    "SilenceBreak",
    "Statement",
]
