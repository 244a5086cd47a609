"""The catalog: the built-in McKenzie exercises, the progressions and a clinic's own."""

from __future__ import annotations

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from clinics.models import AuditEvent, audit
from exercises.forms import ExerciseForm
from exercises.models import Exercise, Progression, ProgressionLink, ProgressionStep
from prescriptions.forms import CatalogFilterForm
from prescriptions.progression_rules import clinic_rules_text

from ..decorators import therapist_required


@require_GET
@therapist_required
def catalog(request: HttpRequest) -> HttpResponse:
    filter_form = CatalogFilterForm(request.GET or None)
    exercises = filter_form.filter(
        list(Exercise.objects.for_user(request.user).order_by("direction", "name"))
    )
    steps = ProgressionStep.objects.select_related("exercise").order_by("position")
    links = ProgressionLink.objects.select_related("to_exercise", "to_progression")
    progressions = list(
        Progression.objects.for_user(request.user)
        .prefetch_related(Prefetch("steps", queryset=steps), Prefetch("links", queryset=links))
        .order_by("clinic_id", "name")
    )
    # The graph's branches under the step they leave from.
    for progression in progressions:
        for step in progression.steps.all():
            step.branches = [
                link for link in progression.links.all() if link.exercise_id == step.exercise_id
            ]
    return render(
        request,
        "dashboard/catalog.html",
        {
            "filter_form": filter_form,
            "builtin": [exercise for exercise in exercises if exercise.is_builtin],
            "own": [exercise for exercise in exercises if not exercise.is_builtin],
            "progressions": progressions,
            "clinic_rules": clinic_rules_text(request.therapist.clinic),
            "filtered": filter_form.is_bound,
        },
    )


def _save(request: HttpRequest, form: ExerciseForm, action: str) -> Exercise | None:
    try:
        with transaction.atomic():
            exercise = form.save()
            audit(action=action, target=exercise, request=request, detail={"name": exercise.name})
    except IntegrityError:
        form.add_error(None, _("This exercise could not be saved; please try again."))
        return None
    return exercise


@require_http_methods(["GET", "POST"])
@therapist_required
def exercise_create(request: HttpRequest) -> HttpResponse:
    clinic = request.therapist.clinic
    form = ExerciseForm(request.POST or None, request.FILES or None, clinic=clinic)
    if request.method == "POST" and form.is_valid():
        exercise = _save(request, form, AuditEvent.Action.CREATE)
        if exercise is not None:
            messages.success(
                request,
                _("%(name)s is in your clinic's catalog and can be prescribed.")
                % {"name": exercise.name},
            )
            return redirect(reverse("exercises:catalog") + f"#exercise-{exercise.pk}")
    return render(
        request,
        "dashboard/exercise_form.html",
        {"form": form, "exercise": None},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@therapist_required
def exercise_edit(request: HttpRequest, pk: int) -> HttpResponse:
    clinic = request.therapist.clinic
    # Built-in exercises are shared by every clinic and stay as shipped.
    exercise = get_object_or_404(Exercise.objects.filter(clinic=clinic), pk=pk)
    form = ExerciseForm(
        request.POST or None, request.FILES or None, clinic=clinic, instance=exercise
    )
    saved = (
        request.method == "POST"
        and form.is_valid()
        and _save(request, form, AuditEvent.Action.UPDATE) is not None
    )
    if saved:
        messages.success(request, _("%(name)s is saved.") % {"name": exercise.name})
        return redirect(reverse("exercises:catalog") + f"#exercise-{exercise.pk}")
    return render(
        request,
        "dashboard/exercise_form.html",
        {"form": form, "exercise": exercise},
        status=400 if form.errors else 200,
    )
