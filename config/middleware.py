"""Response headers every dynamic answer carries."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every answer the app builds.

    Pages, PDFs and API answers carry patient data; neither the browser's
    back-button cache nor a shared proxy may keep them. Static files never reach
    this (WhiteNoise answers them first, with its own long caching).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        patch_cache_control(response, no_store=True, no_cache=True, private=True, max_age=0)
        response.headers.pop("Expires", None)
        return response
