"""The domain error and its HTTP mapping.

Services raise ApplicationError for refused input or illegal transitions;
the API answers 400 with {"detail": message, "fields": {...}} and pages show
the message as a form error. Nothing partial is saved because every service
runs in one transaction.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler


class ApplicationError(Exception):
    def __init__(self, message: str, *, fields: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


# DRF's own words, so its catalogs and ours translate them alike.
NOT_FOUND_DETAIL = _("Not found.")


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ApplicationError):
        body: dict[str, Any] = {"detail": exc.message}
        if exc.fields:
            body["fields"] = exc.fields
        return Response(body, status=400)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, Http404):
        # One body for "missing" and "refused": existence is never revealed.
        exc = exceptions.NotFound(NOT_FOUND_DETAIL)
    elif isinstance(exc, PermissionDenied):
        # Services word their refusals for the user ("Only delegations holding a seat ...").
        exc = exceptions.PermissionDenied(str(exc) or None)
    return drf_exception_handler(exc, context)
