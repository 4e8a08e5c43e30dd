"""The crisis toolkit (docs/architecture.md, "crises"): crisis dossiers followed across
sessions, and threat assessments in Delphi rounds.

A crisis is raised at a session, and its distribution is read against that
session like a paper's. An assessment belongs to the regular session it
prepares; its aggregate picture is that session's ``participants`` material.
A score is sealed to its own delegation until the round is released (nobody
else reads it, the secretariat included); after release it is read by the
session's participants, attributed or anonymised as chosen when the
assessment was opened.
"""

from crises.models.alerts import Alert, AlertDelivery
from crises.models.assessments import (
    SCORE_MAX,
    SCORE_MIN,
    Assessment,
    AssessmentRound,
    Score,
    Threat,
)
from crises.models.dossiers import CRISIS_DISTRIBUTIONS, Crisis, CrisisTransition
from crises.models.exercises import (
    AfterActionReport,
    Exercise,
    ExerciseEvent,
    ImprovementItem,
    Inject,
    Response,
)
from crises.models.registers import (
    Adherence,
    Incident,
    IncidentResponse,
    Norm,
    OffRamp,
    OffRampTransition,
    Stance,
)

__all__ = [
    "CRISIS_DISTRIBUTIONS",
    "SCORE_MAX",
    "SCORE_MIN",
    "Adherence",
    "AfterActionReport",
    "Alert",
    "AlertDelivery",
    "Assessment",
    "AssessmentRound",
    "Crisis",
    "CrisisTransition",
    "Exercise",
    "ExerciseEvent",
    "ImprovementItem",
    "Incident",
    "IncidentResponse",
    "Inject",
    "Norm",
    "OffRamp",
    "OffRampTransition",
    "Response",
    "Score",
    "Stance",
    "Threat",
]
