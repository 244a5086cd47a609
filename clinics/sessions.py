"""Sessions that are written only when something changed or their end must move on."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

RENEWED_KEY = "_renewed_at"


class SessionRenewalMiddleware:
    """Push an idle session's end on, at most once a minute.

    Writing the session on every request (SESSION_SAVE_EVERY_REQUEST) costs a
    database write per page. The idle timeout only needs minute precision, so
    the session remembers when it was last written and is marked changed when
    that is a minute old; SessionMiddleware then saves it with a new expiry.
    Sits below SessionMiddleware so its response step runs first.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # A session nobody looked at (static files, API keys) stays untouched, and an
        # empty one (anonymous visitor) is never created.
        if session is None or not session.accessed or session.is_empty():
            return response
        now = int(time.time())
        if session.modified or now - session.get(RENEWED_KEY, 0) >= settings.SESSION_RENEW_SECONDS:
            session[RENEWED_KEY] = now
        return response
