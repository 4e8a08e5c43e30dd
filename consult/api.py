"""The API router: each app's viewsets under /api/v1/."""

from rest_framework.routers import DefaultRouter

router = DefaultRouter()
