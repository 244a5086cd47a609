"""Who may open a therapist page."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from clinics.models import Clinic, therapist_of


def admin_clinic(request: HttpRequest) -> Clinic:
    """The clinic a clinic administrator runs; anyone else is refused (403)."""
    therapist = therapist_of(request.user)
    if therapist is None or not therapist.is_clinic_admin:
        raise PermissionDenied
    return therapist.clinic


def therapist_required(view: Callable) -> Callable:
    """Signed-in therapists only. Anyone else signed in is sent home (a patient
    lands on the portal) or, for a form post, refused."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        therapist = therapist_of(request.user)
        if therapist is None:
            if request.method in ("GET", "HEAD"):
                return redirect("home")
            raise PermissionDenied
        request.therapist = therapist
        return view(request, *args, **kwargs)

    return wrapper
