"""The analysts' endpoints, mounted under /api/v1/ next to the router."""

from django.urls import path

from analytics.api import exports
from analytics.api.search import SearchView
from analytics.api.stats import StatsView

urlpatterns = [
    path("stats/", StatsView.as_view(), name="api-stats"),
    path("search/", SearchView.as_view(), name="api-search"),
    *exports.urlpatterns,
]
