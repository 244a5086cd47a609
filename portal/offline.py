"""The offline portal: the service worker, and what the phone keeps to work without signal.

The phone's scripts (static/portal/) keep the pages the patient opened, queue a log made
without signal and judge it at once by the same rules as `prescriptions.safety` (a copy in
JS, held to the Python by tests/browser/test_offline_rules.py). `state` gives them, while
the phone is online, what that judgement needs and the form token to send with; `device`
answers, when the patient is no longer signed in, whether the phone must forget everything
(access revoked, record archived). See docs/portal-offline.md.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model, logout
from django.core import signing
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from clinics.models import therapist_of
from patients.models import LOCATION_RANK, Patient, patient_of
from prescriptions import red_flags, safety
from prescriptions.baseline import log_facts
from prescriptions.models import Prescription, SymptomLog

DEVICE_SALT = "centra.portal.offline-device"
# A phone unused for longer than this is told nothing at its next contact; it is
# signed out long before (the session's maximum age) and its queue waits for a sign-in.
DEVICE_MAX_AGE = 90 * 24 * 3600

# The facts of a log that come from the patient's history, not from the answers.
HISTORY_FACTS = (
    "held",
    "persisting",
    "starting_location",
    "previous_location",
    "recent_levels",
    "pain_rise_threshold",
    "recent_back_levels",
    "recent_leg_levels",
)


def rule_constants() -> dict[str, Any]:
    """The tables the phone's copy of the safety rules reads, taken from the Python rules
    so that the two cannot drift apart in their data (only in their logic, which the
    agreement test checks)."""
    return {
        "location_rank": dict(LOCATION_RANK),
        "recurrence_locations": sorted(safety.RECURRENCE_LOCATIONS),
        "back_only": sorted(safety.BACK_ONLY),
        "leg_locations": sorted(safety.LEG_LOCATIONS),
        "urgent_neuro_symptoms": sorted(safety.URGENT_NEURO_SYMPTOMS),
        "tiers": list(red_flags.Tier.values),
        "tier_of": {str(code): tier for code, tier in red_flags.TIER_OF.items()},
    }


def history_facts(patient: Patient, *, now=None) -> dict[str, Any]:
    """What a log made now would be compared with (reference, recent pain levels): the
    same `log_facts` the server judges by, for a log not yet made."""
    probe = SymptomLog(
        patient=patient,
        logged_at=now or timezone.now(),
        pain=0,
        location="none",
        during="",
        after="",
        new_symptoms=[],
    )
    facts = log_facts(probe, patient)
    return {
        name: list(value) if isinstance(value, tuple) else value
        for name, value in ((name, getattr(facts, name)) for name in HISTORY_FACTS)
    }


def _urls() -> dict[str, str]:
    return {
        "today": reverse("portal:today"),
        "login": reverse("login"),
        "session_saved": reverse("portal:session_logged"),
    }


@never_cache
@require_GET
def state(request: HttpRequest) -> HttpResponse:
    """JSON for the phone: who is signed in, the form token to send queued logs with, and
    the facts the offline safety judgement needs. Not signed in: 401 (the queue waits). An
    archived record: 410 with `clear`, and the session ends (as every portal page does)."""
    user = request.user
    if not user.is_authenticated:
        return JsonResponse({"signed_in": False}, status=401)
    patient = patient_of(user)
    if therapist_of(user) is not None or patient is None or user.is_staff:
        return JsonResponse({"signed_in": False}, status=404)
    if patient.archived:
        logout(request)
        return JsonResponse({"signed_in": False, "clear": True}, status=410)
    clinic = patient.clinic
    program = (
        Prescription.objects.for_user(user)
        .active()
        .prefetch_related("items__exercise")
        .only("pk", "patient_id")
        .first()
    )
    items = {str(item.pk): item.exercise.name for item in program.items.all()} if program else {}
    return JsonResponse(
        {
            "signed_in": True,
            "user": user.pk,
            "csrf": get_token(request),
            "device": signing.dumps(user.pk, salt=DEVICE_SALT),
            "facts": history_facts(patient),
            "rules": rule_constants(),
            "risk_history": bool(patient.risk_factors),
            "items": items,
            "clinic": {
                "name": clinic.name,
                "phone": clinic.phone,
                "phone_link": clinic.phone_link,
                "emergency_number": clinic.emergency_number,
                "emergency_link": clinic.emergency_link,
            },
            "urls": _urls(),
        }
    )


@never_cache
@require_GET
def device(request: HttpRequest) -> HttpResponse:
    """Whether a phone that is no longer signed in must forget what it keeps: yes when the
    account it was signed in with (named by the signed `device` value `state` gave) has no
    portal access any more or its record is archived. A session that merely ended keeps
    its queue, which is sent at the next sign-in."""
    try:
        user_id = signing.loads(
            request.GET.get("device", ""), salt=DEVICE_SALT, max_age=DEVICE_MAX_AGE
        )
    except signing.BadSignature:
        return JsonResponse({"clear": False}, status=400)
    user = get_user_model().objects.filter(pk=user_id).first()
    patient = patient_of(user) if user is not None and user.is_active else None
    return JsonResponse({"clear": patient is None or patient.archived})


@never_cache
@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, served from the portal so that its scope is the portal (a
    static address would not be); a template, so it names the hashed static files."""
    body = render_to_string("portal/sw.js", {"urls": _urls()}, request=request)
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = reverse("portal:today")
    return response


@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    """What the phone shows for a portal page it never kept, when there is no signal.
    Nothing of the patient's is on it; the service worker keeps it at install."""
    return render(request, "portal/offline.html")
