"""A therapist's choice of dashboard language."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from clinics.forms import DashboardLanguageForm

from ..decorators import therapist_required


@require_http_methods(["GET", "POST"])
@therapist_required
def dashboard_language(request: HttpRequest) -> HttpResponse:
    form = DashboardLanguageForm(request.POST or None, instance=request.therapist)
    if request.method == "POST" and form.is_valid():
        therapist = form.save()
        # The confirmation is already in the language just chosen.
        language = therapist.language or translation.get_language_from_request(request)
        translation.activate(language)
        messages.success(request, _("Your dashboard language is saved."))
        return redirect("dashboard:language")
    return render(
        request,
        "dashboard/language.html",
        {"form": form},
        status=400 if form.errors else 200,
    )
