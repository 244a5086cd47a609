"""Every API error as an RFC 9457 problem document.

    {"type": "about:blank", "title": "Bad Request", "status": 400,
     "detail": "...", "code": "invalid", "errors": {"field": ["message"]}}

`errors` appears on validation errors only and keeps DRF's shape: a message
list per field, nested for lists of objects (`items[1].exercise`).
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler

PROBLEM_CONTENT_TYPE = "application/problem+json"


class ProblemSerializer(serializers.Serializer):
    """Documents the error body in the schema; never used to validate."""

    type = serializers.CharField(help_text="Always `about:blank`: `title` names the problem.")
    title = serializers.CharField(help_text="The HTTP status phrase.")
    status = serializers.IntegerField()
    detail = serializers.CharField(help_text="What went wrong, for a person to read.")
    code = serializers.CharField(help_text="A stable machine-readable code, e.g. `invalid`.")
    errors = serializers.JSONField(
        required=False,
        help_text=(
            "On validation errors: the messages per field; nested objects and lists "
            "follow the shape of the request body."
        ),
    )


class Conflict(exceptions.APIException):
    status_code = 409
    default_detail = "The resource is not in a state that allows this."
    default_code = "conflict"


class RequestTooLarge(exceptions.APIException):
    status_code = 413
    default_detail = "The request body is too large."
    default_code = "too_large"


class ServiceUnavailable(exceptions.APIException):
    status_code = 503
    default_detail = "This is not available right now; try again later."
    default_code = "unavailable"


def problem(status: int, detail: str, code: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": str(detail),
        "code": code,
        **extra,
    }


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        # The domain services validate with Django's exception; same answer as ours.
        exc = exceptions.ValidationError(serializers.as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig):
        # Django's DATA_UPLOAD_MAX_MEMORY_SIZE, hit while DRF reads the body.
        exc = RequestTooLarge()
    response = exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    if isinstance(exc, exceptions.ValidationError):
        errors = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        response.data = problem(
            response.status_code,
            _("The request has invalid fields; see errors."),
            "invalid",
            errors=errors,
        )
    else:
        code = getattr(exc.detail, "code", None) or exc.default_code
        response.data = problem(response.status_code, exc.detail, str(code))
    response.content_type = PROBLEM_CONTENT_TYPE
    return response
