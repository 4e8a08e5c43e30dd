"""The API router: each app's viewsets under /api/v1/."""

from rest_framework.routers import DefaultRouter

from agenda.api.documents import DocumentViewSet
from agenda.api.invitations import InvitationViewSet
from agenda.api.items import AgendaItemViewSet, ObjectionViewSet
from agenda.api.sessions import SessionViewSet
from members.api import DelegationViewSet, PartyViewSet, RotationTermViewSet, SeatViewSet

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
