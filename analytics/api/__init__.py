"""The analysts' endpoints under /api/v1/ (mounted by ``analytics.api.urls``)."""
