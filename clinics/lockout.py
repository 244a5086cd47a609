"""Wrong passwords typed by someone already signed in (changing the password,
turning off two-step sign-in) count towards the same sign-in pause as the login
page's: a stolen session must not get unlimited guesses at the password."""

from __future__ import annotations

from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse


def _credentials(user: Any) -> dict[str, str]:
    return {"username": user.get_username()}


def paused_response(request: HttpRequest, user: Any) -> HttpResponse | None:
    """The lockout page when the account is paused from this address, else None."""
    credentials = _credentials(user)
    if AxesProxyHandler.is_locked(request, credentials):
        return get_lockout_response(request, None, credentials)
    return None


def count_wrong_password(request: HttpRequest, user: Any) -> None:
    """One failure for the account from this address (django-axes hears the signal;
    at the limit it marks the request and its middleware answers with the pause)."""
    user_login_failed.send(sender=__name__, credentials=_credentials(user), request=request)
