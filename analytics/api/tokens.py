"""``POST /api/v1/auth/token/``: a token for a username and password, for scripts."""

from typing import Any

from allauth.mfa.utils import is_mfa_enabled
from django.contrib.auth import authenticate
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from analytics.services.tokens import MAX_LIVE_LOGIN_TOKENS, api_token_issue_for_login
from analytics.throttling import LoginRateThrottle
from consult.api_base import VALIDATION_ERROR_RESPONSE
from consult.errors import ApplicationError
from consult.logins import login_failure_record
from consult.mfa import one_time_code_check

CREDENTIALS_REFUSED = "Unable to log in with the given credentials."
CODE_MISSING = "This account has a second factor: send the current one-time code as `code`."
CODE_REFUSED = "The one-time code is wrong, expired or already used."


class LoginSerializer(serializers.Serializer):
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
            raise ApplicationError(CREDENTIALS_REFUSED)
        if is_mfa_enabled(user):
            code = attrs.get("code", "")
            if not code:
                raise serializers.ValidationError({"code": [CODE_MISSING]}, code="required")
            if not one_time_code_check(user=user, code=code):
                login_failure_record(request=request, username=attrs["username"])
                raise serializers.ValidationError({"code": [CODE_REFUSED]}, code="invalid")
        attrs["user"] = user
        return attrs


class TokenIssuedSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Shown once; send as `Authorization: Bearer <token>`.")
    id = serializers.UUIDField(source="public_id")
    name = serializers.CharField()
    read_only = serializers.BooleanField()  # type: ignore[assignment]


class TokenObtainView(APIView):
    """Exchange a username and password for a new API token.

    Each call issues a fresh token (only its hash is kept); past the
    ``MAX_LIVE_LOGIN_TOKENS`` most recent ones, the oldest token issued this
    way is revoked. Tokens made on the token page are not affected.
    """

    # The credentials are in the body: a stale or read-only token in the header
    # must not stand in the way of signing in again.
    authentication_classes: list = []
    permission_classes: list = []
    throttle_classes = [LoginRateThrottle]

    @extend_schema(
        summary="Obtain an API token",
        description=(
            "Send a username and password, and `code`, the current one-time code, when the "
            "account has a second factor (a missing or wrong code is refused with 400 and "
            "`fields.code`); the answer holds a new token, shown once, to be sent "
            "as `Authorization: Bearer <token>` (or `Token <token>`). Analysts' tokens are "
            f"read-only. Keeps the {MAX_LIVE_LOGIN_TOKENS} most recent tokens issued this way; "
            "tokens from /account/tokens/ are not affected. Throttled per address and username; "
            "past the limit of failed logins (wrong passwords or codes), the account and the "
            "address are locked for a while (429, `code: login_locked`)."
        ),
        tags=["auth"],
        auth=[],
        request=LoginSerializer,
        responses={
            200: TokenIssuedSerializer,
            400: OpenApiResponse(
                response=VALIDATION_ERROR_RESPONSE,
                description=(
                    "A username or password missing (`ValidationError`), or credentials "
                    f'that open no active account (`Error`: "{CREDENTIALS_REFUSED}").'
                ),
            ),
        },
    )
    def post(self, request: Request) -> Response:
        login = LoginSerializer(data=request.data, context={"request": request})
        login.is_valid(raise_exception=True)
        token, key = api_token_issue_for_login(
            user=login.validated_data["user"], read_only=login.validated_data["read_only"]
        )
        return Response(
            TokenIssuedSerializer(
                {
                    "token": key,
                    "public_id": token.public_id,
                    "name": token.name,
                    "read_only": token.read_only,
                }
            ).data
        )
