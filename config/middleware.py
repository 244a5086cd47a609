"""Response headers every dynamic answer carries."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.http import escape_leading_slashes
from django.utils.translation import gettext as _

from clinics.images import MAX_MEGABYTES
from clinics.models import current_request


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


class RequestSizeLimitMiddleware:
    """Refuse a request whose declared body is over `REQUEST_MAX_BYTES` before
    anything reads it (413), so a 50 MB upload costs nothing. The reverse proxy
    should enforce the same limit (see docs/deployment.md).

    It sits below the middleware that signs the user in and picks their language
    (none of which reads the body), so that a page gets the site's layout in the
    user's language. The only large bodies a page sends are pictures, so the page
    names the picture limit and leads back to the form."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        limit = settings.REQUEST_MAX_BYTES
        if declared <= limit:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            message = _("The request is too large: at most %(n)d MB.") % {
                "n": limit // (1024 * 1024)
            }
            return JsonResponse(
                {"type": "about:blank", "title": str(message), "status": 413},
                status=413,
                content_type="application/problem+json",
            )
        # Pages post their forms to their own address: going there again shows the form.
        back = escape_leading_slashes(request.get_full_path())
        context = {"back": back, "picture_megabytes": MAX_MEGABYTES}
        return render(request, "413.html", context, status=413)


class CurrentRequestMiddleware:
    """Make the request being answered known to the audit of denied look-ups."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)
