"""The shape every resource of ``/api/v1/`` shares, in base classes.

Decisions of record (each app's ``api.py`` builds on these):

- ``id`` is the UUID ``public_id``; integer keys never leave the server. The
  detail URL is ``/api/v1/<resource>/<id>/``, given as ``url`` on each resource.
- A related object is a nested summary ``{"id": ..., <a label or two>}``, never
  a bare key, so a client needs no second request to show it.
- Times are ISO 8601 with an offset (UTC, written ``Z``); a time given
  without its offset, or outside 1900-2100, answers 400. Dates are ISO dates;
  quarters are ``2027Q1``.
- Lists are cursor pages ``{"next", "previous", "results"}`` (no count: a count
  of a permission-filtered table costs a full scan); ``page_size`` is capped.
- Filters are django-filter FilterSets, documented in the schema; ``ordering``
  takes the fields a viewset lists in ``ordering_fields``. A value a filter,
  ``ordering`` or ``page_size`` cannot read answers 400; an empty one is ignored.
- Errors are ``{"detail": ...}`` (a service's refusal adds ``"fields"``); a
  refused read answers exactly like a missing object (404, same body).
"""

from datetime import UTC, datetime
from typing import Any

from django.db import models
from django.urls import get_script_prefix, get_urlconf
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from consult.links import route_parts
from consult.times import AWARE_DATETIME_SCHEMA, EARLIEST_YEAR, LATEST_YEAR


def detail_url(view_name: str, public_id: Any, request: Any = None) -> str:
    """The API URL of a resource, absolute when there is a request.

    Each route is reversed once (per script prefix), and split around the id
    once per request: a list page links every row by joining three strings.
    """
    links = getattr(request, "_api_links", None) if request is not None else None
    if links is None:
        links = {}
        if request is not None:
            request._api_links = links
    parts = links.get(view_name)
    if parts is None:
        head, tail = route_parts(view_name, get_script_prefix(), get_urlconf())
        if request is not None:
            head = request.build_absolute_uri("/")[:-1] + head
        parts = links[view_name] = (head, tail)
    return f"{parts[0]}{public_id}{parts[1]}"


@extend_schema_field(OpenApiTypes.URI)
class DetailLinkField(serializers.Field[Any, Any, str, Any]):
    """The resource's own URL under ``/api/v1/`` (read from ``public_id``)."""

    def __init__(self, view_name: str, **kwargs: Any) -> None:
        kwargs.setdefault("source", "public_id")
        kwargs.setdefault("help_text", "This resource's URL in the API.")
        kwargs["read_only"] = True
        super().__init__(**kwargs)
        self.view_name = view_name

    def to_representation(self, value: Any) -> str:
        # ``context`` walks up to the root serializer on every read; a list
        # shares this field across its rows, so look the request up once.
        if "_request" not in self.__dict__:
            self.__dict__["_request"] = self.context.get("request")
        return detail_url(self.view_name, value, self.__dict__["_request"])


class DirectReadMixin:
    """Writes a read-only representation by plain attribute reads.

    For serializers whose fields are attribute paths on model instances (no
    callables, no mappings, no defaults but None): DRF's per-field machinery
    (source lookup, callable checks, skip handling) costs more than the
    fields themselves on a page of rows. The plan of each field is worked out
    once per serializer, which a list shares across its rows. A missing link
    in a path reads as None, as DRF's ``default=None`` would.
    """

    def to_representation(self, instance: Any) -> dict[str, Any]:
        plan = self.__dict__.get("_direct_plan")
        if plan is None:
            plan = [
                (field.field_name, field.source_attrs, field.to_representation)
                for field in self._readable_fields  # type: ignore[attr-defined]
            ]
            self.__dict__["_direct_plan"] = plan
        data: dict[str, Any] = {}
        for name, path, represent in plan:
            value = instance
            for attribute in path:
                value = getattr(value, attribute)
                if value is None:
                    break
            data[name] = None if value is None else represent(value)
        return data


@extend_schema_field(AWARE_DATETIME_SCHEMA)
class AwareDateTimeField(serializers.DateTimeField):
    """A time given with its offset, from 1900 to 2100.

    A naive time would be read in the server's zone, which the client does
    not know; a far year overflows the date arithmetic of reminders and
    windows.
    """

    default_error_messages = {
        "naive": _("Give the time with its offset, e.g. 2027-03-01T09:00:00Z or +01:00."),
        "year": format_lazy(
            _("Give a year from {earliest} to {latest}."),
            earliest=EARLIEST_YEAR,
            latest=LATEST_YEAR,
        ),
    }

    def enforce_timezone(self, value: datetime) -> datetime:
        if timezone.is_naive(value):
            self.fail("naive")
        if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
            self.fail("year")
        return super().enforce_timezone(value)


class UtcDateTimeField(AwareDateTimeField):
    """A time written in UTC (``...Z``), without asking for the active zone per value."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("default_timezone", UTC)
        super().__init__(*args, **kwargs)


class ApiModelSerializer(serializers.ModelSerializer[Any]):
    """A model serializer whose times are ``UtcDateTimeField``."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: UtcDateTimeField,
    }


class PublicModelSerializer(ApiModelSerializer):
    """Exposes ``public_id`` as ``id``; subclasses list ``"id"`` in ``Meta.fields``."""

    id = serializers.UUIDField(source="public_id", read_only=True)


class ReadOnlyApiViewSet(viewsets.ReadOnlyModelViewSet[Any]):
    """List and retrieve by public id; ``get_queryset`` must return a selector's queryset."""

    lookup_field = "public_id"
    lookup_url_kwarg = "id"


ERROR_SCHEMA = {
    "type": "object",
    "description": (
        "An error: `detail` says why. A change refused by a domain rule (a service's "
        "refusal) adds `fields`, naming the fields the rule concerns."
    ),
    "properties": {
        "detail": {"type": "string"},
        "fields": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["detail"],
    "additionalProperties": False,
}
# Serializer errors name the fields they concern, so their body is an open object.
VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "additionalProperties": True,
    "description": (
        "Input the API cannot read: field names (or `non_field_errors`) mapped to messages. "
        "Also a reference to an object that does not exist or that the caller may not read."
    ),
}

# A 400's body: unreadable input, or a domain rule's refusal.
VALIDATION_ERROR_RESPONSE = {
    "anyOf": [
        {"$ref": "#/components/schemas/ValidationError"},
        {"$ref": "#/components/schemas/Error"},
    ]
}

_ERRORS: dict[str, tuple[str, dict[str, Any]]] = {
    "400": (
        "Invalid input (`ValidationError`: field names mapped to messages), or a change "
        "refused by a domain rule (`Error`: `detail`, with `fields` when the rule concerns "
        "some), e.g. a session ending before it starts, a step the procedure does not allow "
        "now, or a reference to nothing the caller may read.",
        VALIDATION_ERROR_SCHEMA,
    ),
    "401": ("No valid credentials: a missing, malformed or revoked token.", ERROR_SCHEMA),
    "403": ("Not allowed, e.g. a write with a read-only token.", ERROR_SCHEMA),
    "404": ("Missing, or not readable by the caller (the same answer).", ERROR_SCHEMA),
    "405": ("The method is not allowed on this path (see `Allow`).", ERROR_SCHEMA),
    "406": ("The `Accept` header asks for a type other than JSON.", ERROR_SCHEMA),
    "429": ("Over the token's quota; retry after `Retry-After` seconds.", ERROR_SCHEMA),
    "503": ("The database is unavailable for a moment; retry after `Retry-After`.", ERROR_SCHEMA),
}
# Errors only an operation with a request body can answer.
_BODY_ERRORS: dict[str, tuple[str, dict[str, Any]]] = {
    "413": ("The request body is larger than the limit.", ERROR_SCHEMA),
    "415": ("The body's `Content-Type` is not one this operation reads.", ERROR_SCHEMA),
}
_RETRY_AFTER = {
    "Retry-After": {
        "schema": {"type": "integer"},
        "description": "Seconds to wait before retrying.",
    }
}


def add_error_responses(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: document the errors every operation may answer.

    Added once here for every operation (consult/errors.py and
    consult/api_errors.py answer them), unless a view documents its own.
    """
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("Error", ERROR_SCHEMA)
    components.setdefault("ValidationError", VALIDATION_ERROR_SCHEMA)
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            errors = dict(_ERRORS)
            if "requestBody" in operation:
                errors.update(_BODY_ERRORS)
            for status, (description, schema) in errors.items():
                if status in responses:
                    continue
                body: dict[str, Any] = {"$ref": "#/components/schemas/Error"}
                if schema is VALIDATION_ERROR_SCHEMA:
                    body = VALIDATION_ERROR_RESPONSE
                response: dict[str, Any] = {
                    "description": description,
                    "content": {"application/json": {"schema": body}},
                }
                if status in ("429", "503"):
                    response["headers"] = _RETRY_AFTER
                responses[status] = response
    return result


def document_empty_query_values(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: an optional query parameter may be sent empty.

    Filters, ``ordering`` and ``page_size`` read ``?quarter=`` as no value at
    all, as HTML forms send it; the schema says so.
    """
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query" and not parameter.get("required"):
                    parameter["allowEmptyValue"] = True
    return result
