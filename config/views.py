from django.contrib.auth.views import redirect_to_login
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from clinics.models import therapist_of
from patients.models import patient_of


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Send each kind of user to where their work is."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if therapist_of(user) is not None:
        return redirect("patients:list")
    if patient_of(user) is not None:
        return redirect("portal:today")
    if user.is_staff:
        return redirect("admin:index")
    return redirect("logout_notice")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "error"}, status=503)
    return JsonResponse({"status": "ok"})


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """What axes shows once an account is paused from this address."""
    from axes.helpers import get_cool_off

    cool_off = get_cool_off(request)
    minutes = max(1, int(cool_off.total_seconds() // 60)) if cool_off else 15
    return render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)
