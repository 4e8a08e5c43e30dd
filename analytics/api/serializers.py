"""Serializers of the analysts' API: stats, search and the login token.

Query parameters are read by serializers too (``StatsQuerySerializer``,
``SearchQuerySerializer``), so the schema documents them.
"""

from __future__ import annotations

from typing import Any

from allauth.mfa.utils import is_mfa_enabled
from django.contrib.auth import authenticate
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop, ngettext
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request

from analytics.models import SearchEntry
from analytics.selectors.search import Hit
from analytics.selectors.stats import MAX_QUARTERS
from consult.errors import ApplicationError
from consult.filters import QUARTER_SCHEMA
from consult.logins import login_failure_record
from consult.mfa import one_time_code_check
from consult.pagination import CursorPagination
from consult.quarters import Quarter
from consult.times import EARLIEST_YEAR, LATEST_YEAR

# Stats

DEFAULT_SPAN = 40  # ten years


@extend_schema_field(
    {**QUARTER_SCHEMA, "pattern": r"^\s*(19[0-9]{2}|20[0-9]{2}|2100)[Qq][1-4]\s*$"}
)
class QuarterField(serializers.Field[Quarter | None, Any, str, Any]):
    # DRF writes None itself and calls this for a quarter only.
    def to_representation(self, value: Quarter | None) -> str:
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
                gettext("Give a year from %(first)s to %(last)s.")
                % {"first": EARLIEST_YEAR, "last": LATEST_YEAR},
                code="invalid",
            )
        return quarter


class StatsQuerySerializer(serializers.Serializer[Any]):
    since = QuarterField(required=False, help_text="First quarter (default: ten years back).")
    until = QuarterField(required=False, help_text="Last quarter (default: the current one).")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        until = attrs.get("until") or Quarter.current()
        since = attrs.get("since") or until - (DEFAULT_SPAN - 1)
        # Rules across the two fields, beyond what a schema can say: domain refusals.
        if since > until:
            raise ApplicationError(
                gettext("'since' must not be after 'until'."),
                fields={"since": [gettext("Must not be after 'until'.")]},
            )
        if (until.year - since.year) * 4 + until.q - since.q >= MAX_QUARTERS:
            message = ngettext(
                "Ask for %(count)s quarter at most.",
                "Ask for %(count)s quarters at most.",
                MAX_QUARTERS,
            ) % {"count": MAX_QUARTERS}
            raise ApplicationError(message, fields={"since": [message]})
        return {"since": since, "until": until}


class SessionCountsSerializer(serializers.Serializer[Any]):
    regular = serializers.IntegerField()
    extraordinary = serializers.IntegerField()


class StatementCountsSerializer(serializers.Serializer[Any]):
    total = serializers.IntegerField()
    by_party = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="Party code to count; statements on Chatham House items count under "
        "'undisclosed' outside the secretariat.",
    )


class ActionPointCountsSerializer(serializers.Serializer[Any]):
    opened = serializers.IntegerField(help_text="Agreed at the quarter's sessions.")
    closed = serializers.IntegerField(help_text="Marked done during the quarter.")


class OutcomeCountsSerializer(serializers.Serializer[Any]):
    communique = serializers.IntegerField(help_text="Published communiqués.")
    chair_statement = serializers.IntegerField(
        help_text="Published chair's statements (a seat-holder dissociated)."
    )


class QuarterStatsSerializer(serializers.Serializer[Any]):
    quarter = serializers.CharField(help_text="e.g. 2027Q1")
    sessions = SessionCountsSerializer(help_text="Sessions held or planned, cancelled excluded.")
    statements = StatementCountsSerializer(help_text="Statements in the quarter's minutes.")
    action_points = ActionPointCountsSerializer()
    outcomes = OutcomeCountsSerializer(help_text="Texts of the quarter's sessions.")


class StatsSerializer(serializers.Serializer[Any]):
    quarters = QuarterStatsSerializer(many=True)


# Search

MAX_PAGE = 50
DEFAULT_PAGE_SIZE = 20
DETAIL_ROUTES: dict[str, str] = {
    SearchEntry.Kind.STATEMENT: "statement-detail",
    SearchEntry.Kind.DOCUMENT: "document-detail",
    SearchEntry.Kind.ACTION_POINT: "action-point-detail",
    SearchEntry.Kind.COMMUNIQUE: "communique-detail",
    SearchEntry.Kind.AGENDA_ITEM: "agenda-item-detail",
    SearchEntry.Kind.CRISIS: "crisis-detail",
    SearchEntry.Kind.THREAT: "threat-detail",
    SearchEntry.Kind.OFF_RAMP: "off-ramp-detail",
    SearchEntry.Kind.NORM: "norm-detail",
    SearchEntry.Kind.INCIDENT: "incident-detail",
    SearchEntry.Kind.EXERCISE: "exercise-detail",
    # A report's hit carries its exercise's id: the report is the exercise's.
    SearchEntry.Kind.AAR: "exercise-report",
}


class SearchQuerySerializer(serializers.Serializer[Any]):
    q = serializers.RegexField(
        r"[^\W_]",
        max_length=200,
        error_messages={"invalid": "Write at least one word."},
        help_text='Words to find (web-search syntax: "a phrase", or, -excluded).',
    )
    kind = serializers.MultipleChoiceField(
        choices=SearchEntry.Kind.choices,
        required=False,
        help_text="Only these kinds of text (repeat the parameter for several).",
    )
    quarter = QuarterField(required=False, help_text="e.g. 2027Q1")
    session = serializers.UUIDField(required=False, help_text="A session's id.")
    page = serializers.IntegerField(min_value=1, max_value=MAX_PAGE, default=1)
    page_size = serializers.IntegerField(
        min_value=1, max_value=CursorPagination.max_page_size, default=DEFAULT_PAGE_SIZE
    )


class SessionRefSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    number = serializers.CharField()
    quarter = serializers.CharField()


class HitSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=SearchEntry.Kind.choices)
    id = serializers.UUIDField(source="public_id")
    url = serializers.SerializerMethodField(help_text="The text's resource in this API.")
    title = serializers.CharField(
        help_text="A paper's title in the language Accept-Language asks for when a current "
        "translation has it, else its authoritative title (details say which)."
    )
    snippet = serializers.CharField(
        help_text="HTML: the matching passage, escaped, with the words found in <mark>."
    )
    rank = serializers.FloatField()
    session = SessionRefSerializer(
        allow_null=True, help_text="Null for a threat outside any crisis (of no one session)."
    )
    details = serializers.DictField(
        help_text="Per kind: a statement's party and speaker (“a participant” on Chatham "
        "House items) and item (its title in the language Accept-Language asks for when a "
        "current translation has it, with title_language); a paper's symbol, language (its "
        "own), owner, title_language "
        "(the language of the title served) and title_state (authoritative, unofficial or "
        "confirmed); an action point's status and owner; a communiqué's kind and status; an "
        "item's order; a crisis's "
        "status and region; a threat's region and whether it is retired; an off-ramp's "
        "status and crisis; a norm's source; an incident's place and day; an exercise's "
        "status and end; an after-action report's publication (its id is its exercise's)."
    )

    def get_url(self, hit: Hit) -> str:
        path = reverse(DETAIL_ROUTES[hit.kind], args=[hit.public_id])
        request: Request = self.context["request"]
        return request.build_absolute_uri(path)


class SearchPageSerializer(serializers.Serializer[Any]):
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = HitSerializer(many=True)


# The login token

# Worded per reader where they are raised (gettext); the schema quotes them in English.
CREDENTIALS_REFUSED = gettext_noop("Unable to log in with the given credentials.")
CODE_MISSING = gettext_noop(
    "This account has a second factor: send the current one-time code as `code`."
)
CODE_REFUSED = gettext_noop("The one-time code is wrong, expired or already used.")


class LoginSerializer(serializers.Serializer[Any]):
    username = serializers.CharField(write_only=True)
    password = serializers.CharField(
        write_only=True, trim_whitespace=False, style={"input_type": "password"}
    )
    # The metaclass takes declared fields off the class, so this name does not
    # shadow Field.read_only at run time; mypy only sees the class body.
    read_only = serializers.BooleanField(  # type: ignore[assignment]
        required=False,
        default=False,
        help_text="Ask for a read-only token (analysts always get one).",
    )
    code = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=32,
        help_text="The current code of the account's authenticator app (or one of its unused "
        "recovery codes); required when the account has a second factor. Each code is "
        "accepted once.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # The Django request, so that the lockout's marks reach its middleware.
        request = self.context["request"]._request
        user = authenticate(request=request, username=attrs["username"], password=attrs["password"])
        if user is None or not user.is_active:
            # Well-formed credentials that open no account: a refusal, not unreadable input.
            raise ApplicationError(gettext(CREDENTIALS_REFUSED))
        if is_mfa_enabled(user):
            code = attrs.get("code", "")
            if not code:
                raise serializers.ValidationError(
                    {"code": [gettext(CODE_MISSING)]}, code="required"
                )
            if not one_time_code_check(user=user, code=code):
                login_failure_record(request=request, username=attrs["username"])
                raise serializers.ValidationError({"code": [gettext(CODE_REFUSED)]}, code="invalid")
        attrs["user"] = user
        return attrs


class TokenIssuedSerializer(serializers.Serializer[Any]):
    token = serializers.CharField(help_text="Shown once; send as `Authorization: Bearer <token>`.")
    id = serializers.UUIDField(source="public_id")
    name = serializers.CharField()
    read_only = serializers.BooleanField()  # type: ignore[assignment]
