"""The analysts' endpoints, mounted under /api/v1/ next to the router."""

from django.urls import path

from analytics.api.views import (
    EXPORTS,
    SearchView,
    StatsView,
    export_view,
    picture_export_view,
)
from analytics.exports import Format

urlpatterns = [
    path("stats/", StatsView.as_view(), name="api-stats"),
    path("search/", SearchView.as_view(), name="api-search"),
    *(
        path(
            f"exports/{name}.{fmt}",
            export_view(name, export, filterset, fmt),
            name=f"export-{name}-{fmt}",
        )
        for name, (export, filterset) in EXPORTS.items()
        for fmt in (Format.CSV, Format.JSONL)
    ),
    *(
        path(
            f"exports/threat-pictures.{fmt}",
            picture_export_view(fmt),
            name=f"export-threat-pictures-{fmt}",
        )
        for fmt in (Format.CSV, Format.JSONL)
    ),
]
