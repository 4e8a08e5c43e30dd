"""The threat picture's charts as SVG under ``/api/v1/`` (mounted by ``crises.api.urls``):

- ``/api/v1/assessments/{id}/picture/matrix.svg``: the risk matrix of a released round;
- ``/api/v1/assessments/{id}/picture/divergence.svg``: threats ranked by spread, each
  party's score marked (attributed or anonymised as the assessment says);
- ``/api/v1/threats/trend.svg``: each threat's median and spread per quarter, the threats
  chosen by the threat list's filters.

Drawn by ``crises.charts`` from the same selectors as the JSON picture, so the image shows
exactly what the caller may read. The answer's type is fixed by the path: errors are JSON
whatever the client accepts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import BaseParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.views import APIView

from crises import charts
from crises.api.views import PictureQuerySerializer, TrendQuerySerializer, picture_for, trends_for
from crises.filters import ThreatFilter
from crises.models import Threat
from crises.selectors.assessments import threat_list
from crises.selectors.pictures import Picture

SVG = "image/svg+xml"
SVG_RESPONSE = {(200, SVG): OpenApiResponse(OpenApiTypes.STR, description="The chart, as SVG.")}


class FixedTypeNegotiation(BaseContentNegotiation):
    """The chart's type is fixed by its path; errors are JSON whatever the client accepts."""

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: Any = None
    ) -> tuple[BaseRenderer, str]:
        renderer = next(iter(renderers))
        return renderer, renderer.media_type

    def select_parser(self, request: Request, parsers: Iterable[BaseParser]) -> BaseParser | None:
        return next(iter(parsers), None)


def svg_response(document: str) -> HttpResponse:
    response = HttpResponse(document, content_type=SVG)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


class PictureChartView(APIView):
    draw: Callable[[Picture], str]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = FixedTypeNegotiation

    def get(self, request: Request, id: str) -> HttpResponse:
        return svg_response(type(self).draw(picture_for(request, id)))


@extend_schema(
    summary="The risk matrix of a released round, as SVG",
    description="Each threat at its median likelihood and impact, its spread drawn; the "
    "last released round, or `round`. 404 until a round is released.",
    parameters=[PictureQuerySerializer],
    responses=SVG_RESPONSE,
    tags=["assessments"],
)
class MatrixChartView(PictureChartView):
    draw = staticmethod(charts.risk_matrix_svg)


@extend_schema(
    summary="The divergence chart of a released round, as SVG",
    description="Threats ranked by spread, each party's score marked (“A participant” where "
    "the assessment is anonymised). 404 until a round is released.",
    parameters=[PictureQuerySerializer],
    responses=SVG_RESPONSE,
    tags=["assessments"],
)
class DivergenceChartView(PictureChartView):
    draw = staticmethod(charts.divergence_svg)


@extend_schema(
    summary="The threats' trend over quarters, as SVG",
    description="Each threat's median and spread per quarter (the last released round of each "
    "assessment the caller reads); the threat list's filters choose the threats.",
    parameters=[TrendQuerySerializer],
    filters=True,
    responses=SVG_RESPONSE,
    tags=["threats"],
)
class TrendChartView(GenericAPIView[Threat]):
    filter_backends = [DjangoFilterBackend]
    filterset_class = ThreatFilter
    pagination_class = None
    renderer_classes = [JSONRenderer]
    content_negotiation_class = FixedTypeNegotiation

    def get_queryset(self) -> QuerySet[Threat]:
        return threat_list(user=self.request.user)

    def get(self, request: Request) -> HttpResponse:
        trends = trends_for(request, self.filter_queryset(self.get_queryset()))
        return svg_response(charts.trend_svg(trends))
