"""The program builder: a new program from a progression or the catalog, and editing a draft."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assessments.models import Assessment
from assessments.program import ProposedProgram, proposed_program
from clinics.models import AuditEvent, audit
from exercises.models import Exercise, Progression, ProgressionStep
from patients.models import Patient
from prescriptions.forms import (
    HAND_PICK,
    MAX_ITEMS,
    CatalogFilterForm,
    ChangeNoteForm,
    ItemForm,
    ProgramStartForm,
    item_formset,
)
from prescriptions.models import Prescription
from prescriptions.services import (
    ItemSpec,
    activate_prescription,
    create_prescription,
    progression_items,
    set_items,
)
from prescriptions.sides import side_preview

from ..decorators import therapist_required
from .feedback import show_refusal

# The start option that takes the assessment's proposal.
PROPOSAL = "assessment"


def _progressions(user) -> list[Progression]:
    steps = ProgressionStep.objects.select_related("exercise").order_by("position")
    return list(
        Progression.objects.for_user(user)
        .prefetch_related(Prefetch("steps", queryset=steps))
        .order_by("clinic_id", "name")
    )


def _proposal(request: HttpRequest, patient: Patient) -> ProposedProgram | None:
    """The program proposed by the assessment the page names (`assessment`), or by
    the patient's latest one."""
    assessments = Assessment.objects.for_user(request.user).filter(patient=patient)
    asked = request.POST.get("assessment") or request.GET.get("assessment") or ""
    if asked.isdigit():
        assessment = get_object_or_404(assessments.prefetch_related("tests"), pk=asked)
    else:
        assessment = assessments.prefetch_related("tests").order_by("assessed_on", "id").last()
    return proposed_program(assessment, patient.clinic) if assessment else None


def _start_from_proposal(request: HttpRequest, patient: Patient) -> HttpResponse:
    proposed = _proposal(request, patient)
    if proposed is None or proposed.reassess:
        messages.error(request, _("The assessment proposes no program; pick one below."))
        return redirect("prescriptions:new", patient_pk=patient.pk)
    if proposed.progression is not None:
        items = progression_items(proposed.progression, first=proposed.first)
    else:
        items = [ItemSpec.from_exercise(exercise) for exercise in proposed.exercises]
    try:
        prescription = create_prescription(
            patient=patient, by=request.user, items=items, progression=proposed.progression
        )
    except ValidationError as error:
        show_refusal(request, error)
        return redirect("patients:detail", pk=patient.pk)
    audit(
        action=AuditEvent.Action.CREATE,
        target=prescription,
        request=request,
        detail={"source": "assessment", "assessment": proposed.assessment.pk},
    )
    messages.info(request, proposed.why)
    return redirect("prescriptions:edit", pk=prescription.pk)


@require_http_methods(["GET", "POST"])
@therapist_required
def program_new(request: HttpRequest, patient_pk: int) -> HttpResponse:
    patient = get_object_or_404(Patient.objects.for_user(request.user), pk=patient_pk)
    if request.method == "POST" and request.POST.get("source") == PROPOSAL:
        return _start_from_proposal(request, patient)
    progressions = _progressions(request.user)
    form = ProgramStartForm(request.POST or None, progressions=progressions)
    if request.method == "POST" and form.is_valid():
        progression = form.progression
        items = (
            progression_items(progression, first=form.cleaned_data["first"]) if progression else []
        )
        try:
            prescription = create_prescription(
                patient=patient, by=request.user, items=items, progression=progression
            )
        except ValidationError as error:
            show_refusal(request, error)
            return redirect("patients:detail", pk=patient.pk)
        audit(
            action=AuditEvent.Action.CREATE,
            target=prescription,
            request=request,
            detail={
                "source": progression.slug if progression else HAND_PICK,
                "first": form.cleaned_data["first"],
            },
        )
        return redirect("prescriptions:edit", pk=prescription.pk)
    drafts = Prescription.objects.filter(patient=patient, status=Prescription.Status.DRAFT)
    active = Prescription.objects.filter(patient=patient, status=Prescription.Status.ACTIVE).first()
    audit(
        action=AuditEvent.Action.VIEW,
        target=patient,
        request=request,
        detail={"page": "new program"},
    )
    return render(
        request,
        "dashboard/program_new.html",
        {
            "patient": patient,
            "form": form,
            "progressions": progressions,
            "drafts": list(drafts.order_by("-version")),
            "active": active,
            "hand_pick": HAND_PICK,
            "proposal_source": PROPOSAL,
            "proposed": _proposal(request, patient),
        },
        status=400 if form.errors else 200,
    )


def _catalog(user) -> dict[int, Exercise]:
    exercises = Exercise.objects.for_user(user).order_by("clinic_id", "direction", "name")
    return {exercise.pk: exercise for exercise in exercises}


def _apply(
    action: str, specs: list[ItemSpec], exercises: dict[int, Exercise]
) -> tuple[list[ItemSpec], str]:
    """Apply a builder button to the list of items; returns the list and a message."""
    verb, _sep, argument = action.partition(":")
    if verb == "add":
        exercise = exercises.get(int(argument)) if argument.isdigit() else None
        if exercise is None:
            return specs, _("That exercise is not in your catalog.")
        if any(spec.exercise.pk == exercise.pk for spec in specs):
            return specs, _("%(name)s is already in the program.") % {"name": exercise}
        if len(specs) >= MAX_ITEMS:
            return specs, _("A program holds at most %(n)d exercises.") % {"n": MAX_ITEMS}
        return [*specs, ItemSpec.from_exercise(exercise)], ""
    if verb in ("up", "down") and argument.isdigit():
        index = int(argument)
        target = index - 1 if verb == "up" else index + 1
        if 0 <= index < len(specs) and 0 <= target < len(specs):
            specs = list(specs)
            specs[index], specs[target] = specs[target], specs[index]
    return specs, ""


@require_http_methods(["GET", "POST"])
@therapist_required
def program_edit(request: HttpRequest, pk: int) -> HttpResponse:
    prescription = get_object_or_404(
        Prescription.objects.for_user(request.user).select_related("patient", "replaces"), pk=pk
    )
    patient = prescription.patient
    if not prescription.is_editable:
        messages.info(
            request, _("This version is no longer a draft. Revise the program to change it.")
        )
        return redirect("prescriptions:detail", pk=prescription.pk)
    exercises = _catalog(request.user)
    filter_form = CatalogFilterForm(
        request.POST if request.method == "POST" else (request.GET or None)
    )
    if request.method == "GET":
        formset = _saved_formset(prescription, exercises)
        note_form = ChangeNoteForm(
            initial={"change_note": prescription.change_note, "review_on": prescription.review_on}
        )
        audit(action=AuditEvent.Action.VIEW, target=prescription, request=request)
        return _render_builder(request, prescription, formset, note_form, filter_form, exercises)
    if patient.archived:
        messages.error(request, _("This patient is archived; restore them to change programs."))
        return redirect("patients:detail", pk=patient.pk)
    data = request.POST.copy()
    action = data.get("action", "save")
    if action.startswith("remove:"):
        # A removed item's fields are not checked: it is going away.
        data[f"items-{action.partition(':')[2]}-DELETE"] = "on"
    if _names_foreign_exercise(data, action, exercises):
        # An id outside the clinic's catalog (another clinic's, or none): nothing is
        # saved, and the page shows the draft as saved with the reason.
        messages.error(request, _("That exercise is not in your catalog."))
        return _render_builder(
            request,
            prescription,
            _saved_formset(prescription, exercises),
            ChangeNoteForm(data),
            filter_form,
            exercises,
            status=400,
        )
    formset = item_formset(exercises, data=data)
    note_form = ChangeNoteForm(data)
    if not (formset.is_valid() and note_form.is_valid()):
        messages.error(request, _("Please correct the dosage marked below; nothing was lost."))
        return _render_builder(
            request, prescription, formset, note_form, filter_form, exercises, status=400
        )
    if action.startswith(("up:", "down:")):
        # The button names the item by its index in the form; the list may be reordered.
        action = f"{action.partition(':')[0]}:{_position_of(formset, action)}"
    specs, notice = _apply(action, [form.to_spec() for form in formset.kept_forms()], exercises)
    if notice:
        messages.warning(request, notice)
    try:
        with transaction.atomic():
            set_items(prescription=prescription, items=specs)
            prescription.change_note = note_form.cleaned_data["change_note"]
            prescription.review_on = note_form.cleaned_data["review_on"]
            prescription.save(update_fields=["change_note", "review_on"])
            audit(
                action=AuditEvent.Action.UPDATE,
                target=prescription,
                request=request,
                detail={"action": action, "items": [spec.exercise.slug for spec in specs]},
            )
            if action == "activate":
                activate_prescription(prescription=prescription)
    except ValidationError as error:
        show_refusal(request, error)
        return redirect("prescriptions:edit", pk=prescription.pk)
    return _after_save(request, prescription, action, filter_form)


def _saved_formset(prescription: Prescription, exercises: dict[int, Exercise]):
    specs = [
        ItemSpec.from_item(item)
        for item in prescription.items.select_related("exercise").order_by("position")
    ]
    return item_formset(exercises, specs=specs)


def _names_foreign_exercise(data: Any, action: str, exercises: dict[int, Exercise]) -> bool:
    """Whether the post names an exercise outside the user's catalog, in an item or
    in an "add" button."""
    posted = [
        value
        for key, value in data.items()
        if key.startswith("items-") and key.endswith("-exercise")
    ]
    verb, _sep, argument = action.partition(":")
    if verb == "add":
        posted.append(argument)
    for value in posted:
        value = str(value).strip()
        if not value.isdigit() or int(value) not in exercises:
            return True
    return False


def _render_builder(
    request, prescription, formset, note_form, filter_form, exercises, *, status=200
) -> HttpResponse:
    catalog = list(exercises.values())
    item_forms = _forms_in_order(formset)
    for form in item_forms:
        exercise = form.exercise_object
        # The server writes the sentence the patient will read for each side; the page's
        # script only shows the one chosen.
        form.side_preview = (
            side_preview(exercise, prescription.patient) if exercise and exercise.sided else None
        )
    return render(
        request,
        "dashboard/program_edit.html",
        {
            "prescription": prescription,
            "patient": prescription.patient,
            "formset": formset,
            "item_forms": item_forms,
            "note_form": note_form,
            "filter_form": filter_form,
            "catalog": catalog,
            "matching": {exercise.pk for exercise in filter_form.filter(catalog)},
            "in_program": {f.exercise_object.pk for f in formset.forms if f.exercise_object},
            "is_revision": prescription.replaces_id is not None
            or Prescription.objects.filter(
                patient=prescription.patient_id, status=Prescription.Status.ACTIVE
            ).exists(),
        },
        status=status,
    )


def _forms_in_order(formset) -> list[ItemForm]:
    """The forms as the therapist last arranged them (a drag changes only `order`)."""
    forms = []
    for index, form in enumerate(formset.forms):
        form.index = index
        if not (formset.is_bound and form["DELETE"].value()):
            forms.append(form)

    def key(form):
        try:
            return (int(form["order"].value()), form.index)
        except (TypeError, ValueError):
            return (form.index + 1, form.index)

    return sorted(forms, key=key)


def _position_of(formset, action: str) -> int:
    """Where the form named in `up:<form index>` stands in the ordered list."""
    index = int(action.partition(":")[2]) if action.partition(":")[2].isdigit() else -1
    target = formset.forms[index] if 0 <= index < len(formset.forms) else None
    for position, form in enumerate(formset.kept_forms()):
        if form is target:
            return position
    return -1


def _after_save(request, prescription, action: str, filter_form) -> HttpResponse:
    if action == "activate":
        messages.success(
            request,
            _("Version %(n)d is now the active program. The patient sees it in the portal.")
            % {"n": prescription.version},
        )
        return redirect("patients:detail", pk=prescription.patient_id)
    if action == "preview":
        return redirect("prescriptions:detail", pk=prescription.pk)
    url = reverse("prescriptions:edit", kwargs={"pk": prescription.pk})
    if filter_form.is_bound and filter_form.is_valid():
        params = {k: v for k, v in filter_form.cleaned_data.items() if v}
        if params:
            url += "?" + urlencode(params)
    if action == "save":
        messages.success(request, _("Draft saved."))
    anchor = "#catalog" if action.startswith(("add:", "filter")) else "#program"
    return redirect(url + anchor)
