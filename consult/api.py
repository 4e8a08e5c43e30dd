"""The API router: each app's viewsets under /api/v1/."""

from rest_framework.routers import DefaultRouter

from agenda.api.invitations import InvitationViewSet
from agenda.api.sessions import SessionViewSet

router = DefaultRouter()
router.register("sessions", SessionViewSet, basename="session")
router.register("invitations", InvitationViewSet, basename="invitation")
