"""Sessions that are written only when something changed or their end must move on,
and that end after a maximum lifetime however active their user is."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse

RENEWED_KEY = "_renewed_at"
STARTED_KEY = "_signed_in_at"


class SessionRenewalMiddleware:
    """Push an idle session's end on, at most once a minute, and end a signed-in
    session SESSION_MAX_AGE once it was started, active or not.

    Writing the session on every request (SESSION_SAVE_EVERY_REQUEST) costs a
    database write per page. The idle timeout only needs minute precision, so
    the session remembers when it was last written and is marked changed when
    that is a minute old; SessionMiddleware then saves it with a new expiry.
    The sign-in time is stored once, in the write that signing in makes anyway.
    Sits below SessionMiddleware (so its response step runs first) and above
    AuthenticationMiddleware (so an ended session reaches the view as anonymous
    and the usual sign-in redirect follows).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and SESSION_KEY in session:
            started = session.get(STARTED_KEY)
            if started is not None and time.time() - started >= settings.SESSION_MAX_AGE:
                session.flush()
        response = self.get_response(request)
        # A session nobody looked at (static files, API keys) stays untouched, and an
        # empty one (anonymous visitor) is never created.
        if session is None or not session.accessed or session.is_empty():
            return response
        now = int(time.time())
        if SESSION_KEY in session and STARTED_KEY not in session:
            session[STARTED_KEY] = now
        if session.modified or now - session.get(RENEWED_KEY, 0) >= settings.SESSION_RENEW_SECONDS:
            session[RENEWED_KEY] = now
        return response
