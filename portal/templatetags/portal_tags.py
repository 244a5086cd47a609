from __future__ import annotations

from django import template
from django.utils.crypto import salted_hmac

from prescriptions import red_flags
from prescriptions.models import LOCATION_RANK, Episode
from prescriptions.outcomes import measures_due

register = template.Library()


@register.inclusion_tag("portal/_body_map.html")
def body_map(location: str) -> dict:
    """A small back-view figure shaded from the spine out to `location`.

    Decorative: the words beside it carry the meaning, so it is hidden from
    screen readers.
    """
    rank = LOCATION_RANK.get(str(location), 0)
    return {
        "reached": {code for code, n in LOCATION_RANK.items() if 0 < n <= rank},
        "furthest": str(location) if rank else "",
    }


@register.inclusion_tag("portal/_measures_due.html")
def measures_due_card(patient: object) -> dict:
    """A card on Today when the patient's outcome questionnaire is due."""
    return {"due": measures_due(patient)}


@register.inclusion_tag("portal/_discharge_summaries.html")
def discharge_summaries(patient: object) -> dict:
    """The patient's own discharge summaries, one per finished episode of care."""
    episodes = Episode.objects.filter(patient=patient, ended_at__isnull=False).order_by("-ended_at")
    return {"episodes": list(episodes)}


@register.simple_tag
def red_flag_advice(tier: str) -> red_flags.Advice:
    """What a red-flag tier tells the patient, from the one table (red_flags.py)."""
    return red_flags.ADVICE[tier]


@register.simple_tag
def red_flag_questions(tier: str) -> list[red_flags.Question]:
    """The red-flag questions of one tier, from the one table (red_flags.py)."""
    return red_flags.questions([tier])


@register.filter
def draft_key(user) -> str:
    """The key (hex, 256 bits) this patient's log drafts are encrypted with in the
    browser. The server derives it from the login and gives it only to the patient's
    signed-in pages, so after a timeout the answers stored on a shared phone cannot be
    read until the same patient signs in again. A new password makes a new key."""
    if not getattr(user, "is_authenticated", False):
        return ""
    return salted_hmac(
        "centra.portal.log-drafts", f"{user.pk}:{user.password}", algorithm="sha256"
    ).hexdigest()


@register.simple_tag
def offline_rules() -> dict:
    """The safety rules' tables for the phone's offline judgement (portal/offline.py)."""
    from portal.offline import rule_constants

    return rule_constants()
