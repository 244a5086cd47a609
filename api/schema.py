"""What the OpenAPI schema says beyond what drf-spectacular infers: the Api-Key
scheme, each list endpoint's filters, the Idempotency-Key header on every POST
and the problem documents every operation may answer."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from .errors import PROBLEM_CONTENT_TYPE, ProblemSerializer
from .idempotency import HEADER as IDEMPOTENCY_HEADER

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    IDEMPOTENCY_HEADER,
    type=str,
    location=OpenApiParameter.HEADER,
    required=False,
    pattern=r"^[\x21-\x7e]([\x20-\x7e]{0,253}[\x21-\x7e])?$",
    description=(
        "Any unique string (a UUID is ideal), up to 255 printable ASCII characters. A "
        "retry with the same key within 24 hours returns the first answer (status and "
        "body, with the header `Idempotent-Replayed: true`) and changes nothing. The same "
        "key with a different request is refused with 409. Requests that failed are not "
        "remembered, so a corrected retry may reuse the key."
    ),
)

ERRORS = {
    "400": "Invalid input: `errors` names each field and what is wrong with it.",
    "401": "Missing, invalid, revoked or expired credentials.",
    "403": "The credentials may not do this (e.g. a read-only key writing).",
    "404": "Not found, or not of your clinic; also a page number past the end.",
    "429": "Too many requests for this key; retry after `Retry-After` seconds.",
}
WRITE_ERRORS = {
    "413": "The request body is larger than the server accepts.",
    "415": "The body is not JSON (send `Content-Type: application/json`).",
}
POST_ERRORS = {
    "409": "The Idempotency-Key was already used with a different request (or, where "
    "noted, the resource changed meanwhile)."
}


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "api.auth.ApiKeyAuthentication"
    name = "ApiKeyAuth"

    def get_security_definition(self, auto_schema: AutoSchema) -> dict[str, Any]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "A clinic API key, sent as `Authorization: Api-Key <key>`. A clinic "
                "administrator creates keys on the API keys page of the dashboard (or "
                "`manage.py create_api_key`). Every request sees only the key's clinic."
            ),
        }


SUMMARIES = {
    "list": "List {plural}",
    "retrieve": "Read one {singular}",
    "create": "Create a {singular}",
    "update": "Replace a {singular}",
    "partial_update": "Change some fields of a {singular}",
}


class CentraAutoSchema(AutoSchema):
    def _map_serializer_field(self, field: Any, direction: str, bypass_extensions: bool = False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        # drf-spectacular leaves out the bounds of a nested list (`items`: 1 to 50).
        if isinstance(field, serializers.ListSerializer) and schema:
            if field.min_length is not None:
                schema["minItems"] = field.min_length
            if field.max_length is not None:
                schema["maxItems"] = field.max_length
        return schema

    def get_summary(self) -> str | None:
        summary = super().get_summary()
        action = getattr(self.view, "action", None)
        queryset = getattr(self.view, "queryset", None)
        if summary or action not in SUMMARIES or queryset is None:
            return summary
        meta = queryset.model._meta
        return SUMMARIES[action].format(singular=meta.verbose_name, plural=meta.verbose_name_plural)

    def get_override_parameters(self) -> list[Any]:
        parameters = list(super().get_override_parameters())
        filters = getattr(self.view, "filter_class", None)
        if filters is not None and self._is_list_view():
            parameters.append(filters)
        if self.method == "POST":
            parameters.append(IDEMPOTENCY_PARAMETER)
        return parameters

    def _get_response_bodies(self, direction: str = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        errors = dict(ERRORS)
        if self.method in ("POST", "PUT", "PATCH"):
            errors.update(WRITE_ERRORS)
        if self.method == "POST":
            errors.update(POST_ERRORS)
        for code, description in errors.items():
            responses.setdefault(
                code,
                self._get_response_for_code(
                    OpenApiResponse(ProblemSerializer, description=description),
                    code,
                    media_types=[PROBLEM_CONTENT_TYPE],
                ),
            )
        return responses
