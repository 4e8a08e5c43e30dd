"""The API router: each app's viewsets under /api/v1/."""

from rest_framework.routers import DefaultRouter

from agenda.api.views.documents import DocumentViewSet
from agenda.api.views.invitations import InvitationViewSet
from agenda.api.views.items import AgendaItemViewSet
from agenda.api.views.objections import ObjectionViewSet
from agenda.api.views.sessions import SessionViewSet
from audit.api import AuditEntryViewSet
from briefings.api.views import PackViewSet
from crises.api.alerts import AlertViewSet
from crises.api.exercises import ExerciseViewSet
from crises.api.registers import IncidentViewSet, NormViewSet, OffRampViewSet, StanceViewSet
from crises.api.views import AssessmentViewSet, CrisisViewSet, ScoreViewSet, ThreatViewSet
from members.api.views import DelegationViewSet, PartyViewSet, RotationTermViewSet, SeatViewSet
from minutes.api.signing import SigningKeyViewSet
from minutes.api.views import (
    ActionPointViewSet,
    CommuniqueViewSet,
    MinutesViewSet,
    PositionViewSet,
    StatementViewSet,
)

router = DefaultRouter()
router.register("parties", PartyViewSet, basename="party")
router.register("seats", SeatViewSet, basename="seat")
router.register("rotation", RotationTermViewSet, basename="rotation")
router.register("delegations", DelegationViewSet, basename="delegation")
router.register("sessions", SessionViewSet, basename="session")
router.register("invitations", InvitationViewSet, basename="invitation")
router.register("agenda-items", AgendaItemViewSet, basename="agenda-item")
router.register("objections", ObjectionViewSet, basename="objection")
router.register("documents", DocumentViewSet, basename="document")
router.register("minutes", MinutesViewSet, basename="minutes")
router.register("statements", StatementViewSet, basename="statement")
router.register("action-points", ActionPointViewSet, basename="action-point")
router.register("communiques", CommuniqueViewSet, basename="communique")
router.register("positions", PositionViewSet, basename="position")
router.register("signing-keys", SigningKeyViewSet, basename="signing-key")
router.register("packs", PackViewSet, basename="pack")
router.register("audit", AuditEntryViewSet, basename="audit-entry")
router.register("crises", CrisisViewSet, basename="crisis")
router.register("threats", ThreatViewSet, basename="threat")
router.register("assessments", AssessmentViewSet, basename="assessment")
router.register("scores", ScoreViewSet, basename="score")
router.register("alerts", AlertViewSet, basename="alert")
router.register("off-ramps", OffRampViewSet, basename="off-ramp")
router.register("stances", StanceViewSet, basename="stance")
router.register("norms", NormViewSet, basename="norm")
router.register("incidents", IncidentViewSet, basename="incident")
router.register("exercises", ExerciseViewSet, basename="exercise")
