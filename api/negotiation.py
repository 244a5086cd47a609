from __future__ import annotations

from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.request import Request


class FallbackContentNegotiation(DefaultContentNegotiation):
    """Answer in JSON when the client asks only for something else (say
    `Accept: application/pdf` on an error): better than a bare 406."""

    def select_renderer(self, request: Request, renderers: list, format_suffix: str | None = None):
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except NotAcceptable:
            return renderers[0], renderers[0].media_type
