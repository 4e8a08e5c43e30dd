"""``GET /api/v1/stats/``: counts per quarter for charts."""

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from analytics.selectors.stats import MAX_QUARTERS, quarterly_stats
from consult.errors import ApplicationError
from consult.filters import QUARTER_SCHEMA
from consult.quarters import Quarter
from consult.times import EARLIEST_YEAR, LATEST_YEAR

DEFAULT_SPAN = 40  # ten years


@extend_schema_field(
    {**QUARTER_SCHEMA, "pattern": r"^\s*(19[0-9]{2}|20[0-9]{2}|2100)[Qq][1-4]\s*$"}
)
class QuarterField(serializers.Field):
    def to_representation(self, value: Quarter) -> str:
        return str(value)

    def to_internal_value(self, data: Any) -> Quarter | None:
        if not str(data).strip():
            return None
        try:
            quarter = Quarter.parse(str(data))
        except ValueError as error:
            raise serializers.ValidationError(str(error), code="invalid") from error
        if not EARLIEST_YEAR <= quarter.year <= LATEST_YEAR:
            raise serializers.ValidationError(
                f"Give a year from {EARLIEST_YEAR} to {LATEST_YEAR}.", code="invalid"
            )
        return quarter


class StatsQuerySerializer(serializers.Serializer):
    since = QuarterField(required=False, help_text="First quarter (default: ten years back).")
    until = QuarterField(required=False, help_text="Last quarter (default: the current one).")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        until = attrs.get("until") or Quarter.current()
        since = attrs.get("since") or until - (DEFAULT_SPAN - 1)
        # Rules across the two fields, beyond what a schema can say: domain refusals.
        if since > until:
            raise ApplicationError(
                "'since' must not be after 'until'.",
                fields={"since": ["Must not be after 'until'."]},
            )
        if (until.year - since.year) * 4 + until.q - since.q >= MAX_QUARTERS:
            message = f"Ask for {MAX_QUARTERS} quarters at most."
            raise ApplicationError(message, fields={"since": [message]})
        return {"since": since, "until": until}


class SessionCountsSerializer(serializers.Serializer):
    regular = serializers.IntegerField()
    extraordinary = serializers.IntegerField()


class StatementCountsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    by_party = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="Party code to count; statements on Chatham House items count under "
        "'undisclosed' outside the secretariat.",
    )


class ActionPointCountsSerializer(serializers.Serializer):
    opened = serializers.IntegerField(help_text="Agreed at the quarter's sessions.")
    closed = serializers.IntegerField(help_text="Marked done during the quarter.")


class OutcomeCountsSerializer(serializers.Serializer):
    communique = serializers.IntegerField(help_text="Published communiqués.")
    chair_statement = serializers.IntegerField(
        help_text="Published chair's statements (a seat-holder dissociated)."
    )


class QuarterStatsSerializer(serializers.Serializer):
    quarter = serializers.CharField(help_text="e.g. 2027Q1")
    sessions = SessionCountsSerializer(help_text="Sessions held or planned, cancelled excluded.")
    statements = StatementCountsSerializer(help_text="Statements in the quarter's minutes.")
    action_points = ActionPointCountsSerializer()
    outcomes = OutcomeCountsSerializer(help_text="Texts of the quarter's sessions.")


class StatsSerializer(serializers.Serializer):
    quarters = QuarterStatsSerializer(many=True)


class StatsView(APIView):
    """Counts per quarter over what the caller may read (the access rule applies)."""

    @extend_schema(parameters=[StatsQuerySerializer], responses=StatsSerializer, tags=["stats"])
    def get(self, request: Request) -> Response:
        query = StatsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        rows = quarterly_stats(
            request.user, first=query.validated_data["since"], last=query.validated_data["until"]
        )
        return Response(StatsSerializer({"quarters": rows}).data)
