"""The navigation's count of unread messages from patients."""

from __future__ import annotations

from typing import Any

from django import template

from messaging.models import unread_counts

register = template.Library()


@register.simple_tag
def unread_messages(therapist: Any) -> dict[str, int]:
    """The clinic's unread messages and those assigned to this therapist (one query)."""
    return unread_counts(therapist.clinic, therapist.user)
