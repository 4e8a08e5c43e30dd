"""The charts' paths under /api/v1/, mounted before the router (whose format suffixes would
read ``trend.svg`` as the trend action in an ``svg`` format)."""

from django.urls import path

from crises.api.charts import DivergenceChartView, MatrixChartView, TrendChartView

urlpatterns = [
    path(
        "assessments/<uuid:id>/picture/matrix.svg",
        MatrixChartView.as_view(),
        name="assessment-picture-matrix",
    ),
    path(
        "assessments/<uuid:id>/picture/divergence.svg",
        DivergenceChartView.as_view(),
        name="assessment-picture-divergence",
    ),
    path("threats/trend.svg", TrendChartView.as_view(), name="threat-trend-svg"),
]
