"""How a dashboard page tells the therapist that a service refused a change."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest


def show_refusal(request: HttpRequest, error: ValidationError) -> None:
    """A service's refusal, shown as messages on the next page."""
    for message in error.messages:
        messages.error(request, str(message))
