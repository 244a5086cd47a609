"""The therapist's side of patients: the list, the record and the patient page."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Case, Count, IntegerField, Max, Prefetch, Q, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clinics.mfa import has_two_step
from clinics.models import AuditEvent, audit
from patients.forms import PatientForm, PatientSearchForm
from patients.models import Patient
from prescriptions.charts import daily_symptoms, symptom_chart
from prescriptions.forms import DismissSuggestionForm, PaperLogForm
from prescriptions.models import (
    Alert,
    Prescription,
    PrescriptionItem,
    ProgressionSuggestion,
    SymptomLog,
)
from prescriptions.progress import attach_adherence, location_trend
from prescriptions.services import URGENT_FIRST, set_waking_hours
from prescriptions.stops import mark_stopped, with_stop_marks
from prescriptions.time_zones import set_time_zone
from reminders.models import ReminderPlan

from ..decorators import therapist_required
from ..tasks import invitation_link, send_portal_invitation

PATIENTS_PER_PAGE = 25
LOGS_PER_PAGE = 30
ACKNOWLEDGED_ALERTS_SHOWN = 10
SUGGESTIONS_SHOWN = 10
INVITATION_SESSION_KEY = "portal-invitation"


def _first_if(condition: Q) -> Case:
    return Case(When(condition, then=Value(0)), default=Value(1), output_field=IntegerField())


class ListPage:
    """One page of the patient list, by keyset: a page starts after (or ends before)
    a row of the list, so a deep page costs what the first does (no OFFSET). One row
    more than the page tells whether there is more in that direction. A cursor that
    names no row of this list (gone, archived, another clinic's) gives the first page."""

    def __init__(
        self, queryset, *, sort: str, after: str | None, before: str | None, per_page: int
    ) -> None:
        cursor = after or before
        row = None
        if cursor and cursor.isdigit() and int(cursor) < 2**63:
            fields = [field for field, _desc, _nulls in queryset.list_keys(sort)]
            row = queryset.filter(pk=int(cursor)).values(*fields).first()
        backwards = row is not None and not after
        if row is not None:
            queryset = queryset.beyond(sort, row, backwards=backwards)
        if backwards:
            queryset = queryset.reverse()
        rows = list(queryset[: per_page + 1])
        more = len(rows) > per_page
        rows = rows[:per_page]
        if backwards:
            rows.reverse()
        self.object_list = rows
        self.has_next = more if not backwards else True
        self.has_previous = row is not None and (more if backwards else True)
        self.has_other_pages = self.has_next or self.has_previous

    @property
    def first_id(self) -> int | None:
        return self.object_list[0].pk if self.object_list else None

    @property
    def last_id(self) -> int | None:
        return self.object_list[-1].pk if self.object_list else None

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def __getitem__(self, index: int):
        return self.object_list[index]


@require_GET
@therapist_required
def patient_list(request: HttpRequest) -> HttpResponse:
    form = PatientSearchForm(request.GET or None)
    # The fields that are valid apply even when another is not: a stale bookmark's
    # unknown sort must not drop the name being searched for.
    form.is_valid()
    query = getattr(form, "cleaned_data", {})
    patients = Patient.objects.for_user(request.user)
    if not query.get("archived"):
        patients = patients.active()
    for term in query.get("q", "").split():
        patients = patients.filter(
            Q(first_name__icontains=term)
            | Q(last_name__icontains=term)
            | Q(external_id__iexact=term)
        )
    if query.get("suggestion"):
        patients = patients.filter(progress_suggestion=query["suggestion"])
    # Patients who need attention now come first, urgent ones before the rest.
    # The clinic: each row's adherence is counted in the patient's zone, maybe the clinic's.
    patients = patients.in_list_order(query.get("sort") or "name").select_related(
        "suggested_exercise", "clinic"
    )
    page = ListPage(
        patients,
        sort=query.get("sort") or "name",
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        per_page=PATIENTS_PER_PAGE,
    )
    attach_adherence(page.object_list)
    for patient in page:
        patient.trend = location_trend(patient)
    audit(
        action=AuditEvent.Action.VIEW,
        request=request,
        clinic=request.therapist.clinic,
        object_type="patient_list",
        detail={"q": query.get("q", ""), "patients": [patient.pk for patient in page]},
    )
    params = request.GET.copy()
    for name in ("page", "after", "before"):
        params.pop(name, None)
    return render(
        request,
        "dashboard/patient_list.html",
        {
            "form": form,
            "page": page,
            "query_string": params.urlencode(),
            "filtered": bool(query.get("q") or query.get("suggestion")),
        },
    )


def _warn_shared_email(request: HttpRequest, patient: Patient) -> None:
    """Say so when another patient of the clinic has the same email address: a typo
    that lands on another patient's address sends this patient's portal link there,
    and patients who share an address cannot sign in with it (only their username)."""
    if not patient.email:
        return
    other = (
        Patient.objects.for_clinic(patient.clinic)
        .filter(email__iexact=patient.email)
        .exclude(pk=patient.pk)
        .first()
    )
    if other is not None:
        messages.warning(
            request,
            _(
                "%(name)s has the same email address, %(email)s. Please check it: the "
                "portal link goes to that address, and patients who share an address sign "
                "in with their username, not the address."
            )
            % {"name": other, "email": patient.email},
        )


def _save_patient(form: PatientForm) -> Patient | None:
    """Save, turning a lost race on the external id into a form error."""
    try:
        with transaction.atomic():
            known = form.instance.pk is not None
            patient = form.save()
            if {"wake_start", "wake_end"} & set(form.changed_data) and known:
                # Today's sessions are counted again with the new hours; past days
                # keep the hours they had.
                set_waking_hours(
                    patient=patient,
                    wake_start=patient.wake_start,
                    wake_end=patient.wake_end,
                    previous=(form.initial["wake_start"], form.initial["wake_end"]),
                )
            if "time_zone" in form.changed_data and known:
                set_time_zone(patient=patient, time_zone=patient.time_zone)
            return patient
    except IntegrityError:
        form.add_error(
            "external_id", _("Another patient of this clinic already has this external id.")
        )
        return None


@require_http_methods(["GET", "POST"])
@therapist_required
def patient_create(request: HttpRequest) -> HttpResponse:
    clinic = request.therapist.clinic
    form = PatientForm(request.POST or None, clinic=clinic, instance=Patient(clinic=clinic))
    if request.method == "POST" and form.is_valid():
        form.instance.created_by = request.user
        patient = _save_patient(form)
        if patient is not None:
            audit(action=AuditEvent.Action.CREATE, target=patient, request=request)
            messages.success(
                request, _("%(name)s is registered. Next: build a program.") % {"name": patient}
            )
            _warn_shared_email(request, patient)
            return redirect("patients:detail", pk=patient.pk)
    return render(
        request,
        "dashboard/patient_form.html",
        {"form": form, "patient": None},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@therapist_required
def patient_edit(request: HttpRequest, pk: int) -> HttpResponse:
    patient = get_object_or_404(Patient.objects.for_user(request.user), pk=pk)
    form = PatientForm(request.POST or None, clinic=patient.clinic, instance=patient)
    if request.method == "POST" and form.is_valid():
        if _save_patient(form) is not None:
            audit(
                action=AuditEvent.Action.UPDATE,
                target=patient,
                request=request,
                detail={"changed": form.changed_data},
            )
            messages.success(request, _("The record of %(name)s is saved.") % {"name": patient})
            if "email" in form.changed_data:
                _warn_shared_email(request, patient)
                if patient.email_changed_from(form.initial.get("email", "")):
                    messages.info(
                        request,
                        _(
                            "The portal link sent to the previous address no longer works. "
                            "Send a new one under Patient portal."
                        ),
                    )
            return redirect("patients:detail", pk=patient.pk)
    else:
        audit(action=AuditEvent.Action.VIEW, target=patient, request=request)
    return render(
        request,
        "dashboard/patient_form.html",
        {"form": form, "patient": patient},
        status=400 if form.errors else 200,
    )


@require_POST
@therapist_required
def patient_archive(request: HttpRequest, pk: int) -> HttpResponse:
    patient = get_object_or_404(Patient.objects.for_user(request.user), pk=pk)
    archive = request.POST.get("archived", "1") == "1"
    if archive:
        patient.revoke_portal_access()  # an archived patient has no portal
    if patient.archived != archive:
        patient.archived = archive
        patient.save(update_fields=["archived", "updated_at"])
        audit(
            action=AuditEvent.Action.UPDATE,
            target=patient,
            request=request,
            detail={"archived": archive},
        )
    if archive:
        messages.success(
            request,
            _("%(name)s is archived. The record stays readable; restore it at any time.")
            % {"name": patient},
        )
    else:
        messages.success(request, _("%(name)s is back in the patient list.") % {"name": patient})
    return redirect("patients:detail", pk=patient.pk)


@require_POST
@therapist_required
def patient_invite(request: HttpRequest, pk: int) -> HttpResponse:
    patient = get_object_or_404(Patient.objects.for_user(request.user), pk=pk)
    if patient.archived:
        messages.error(request, _("Restore the patient before inviting them to the portal."))
        return redirect("patients:detail", pk=patient.pk)
    # Ticked by the therapist for a patient who lost the phone with their two-step app:
    # the link then lets them in again and they set the app up anew.
    resets_two_step = request.POST.get("reset_two_step") == "on" and patient.user is not None
    if patient.has_portal_access and not resets_two_step:
        messages.info(request, _("%(name)s already has portal access.") % {"name": patient})
        return redirect("patients:detail", pk=patient.pk)
    invitation, token = patient.invite(by=request.user, resets_two_step=resets_two_step)
    link = invitation_link(token)
    emailed = bool(patient.email)
    if emailed:
        # The worker makes the link again from the invitation's id (L3: no link in
        # the task table), and tries again later if the mail server is down.
        send_portal_invitation.enqueue(invitation.pk)
    audit(
        action=AuditEvent.Action.CREATE,
        target=invitation,
        request=request,
        detail={"emailed": emailed, **({"resets_two_step": True} if resets_two_step else {})},
    )
    # Only the hash is stored, so the raw link is handed to the next page once, then dropped.
    request.session[INVITATION_SESSION_KEY] = {"patient": patient.pk, "link": link}
    if emailed:
        messages.success(
            request, _("The portal link is being emailed to %(email)s.") % {"email": patient.email}
        )
    return redirect(reverse("patients:detail", kwargs={"pk": patient.pk}) + "#portal")


def _reminders(patient: Patient) -> ReminderPlan | None:
    """The patient's reminder plan (read with the patient), with when the last went."""
    try:
        plan = patient.reminder_plan
    except ReminderPlan.DoesNotExist:
        return None
    plan.last_sent = patient.last_reminder
    return plan


def _timeline(logs) -> list[dict]:
    """Logs grouped by day, newest first, for the timeline."""
    days: list[dict] = []
    for log in logs:
        day = timezone.localdate(log.logged_at)
        if not days or days[-1]["day"] != day:
            days.append({"day": day, "logs": []})
        days[-1]["logs"].append(log)
    return days


@require_GET
@therapist_required
def patient_detail(request: HttpRequest, pk: int) -> HttpResponse:
    patient = get_object_or_404(
        Patient.objects.for_user(request.user)
        .select_related("user", "clinic", "reminder_plan")
        .annotate(last_reminder=Max("sent_reminders__sent_at")),
        pk=pk,
    )
    attach_adherence([patient], full=True)
    alerts = Alert.objects.filter(patient=patient).select_related("acknowledged_by")
    open_alerts = list(
        alerts.open()
        .prefetch_related(
            Prefetch(
                "logs",
                SymptomLog.objects.select_related("item__exercise").order_by("logged_at", "id"),
            )
        )
        .order_by(_first_if(Q(severity=Alert.Severity.URGENT)), "-created_at")
    )
    acknowledged = list(
        alerts.filter(acknowledged_at__isnull=False).order_by("-acknowledged_at")[
            :ACKNOWLEDGED_ALERTS_SHOWN
        ]
    )
    versions = list(
        Prescription.objects.filter(patient=patient)
        .select_related("prescribed_by", "progression")
        .annotate(item_count=Count("items"))
        .order_by("-version")
    )
    active = next((p for p in versions if p.status == Prescription.Status.ACTIVE), None)
    drafts = [p for p in versions if p.status == Prescription.Status.DRAFT]
    items = (
        list(
            with_stop_marks(
                PrescriptionItem.objects.filter(prescription=active).select_related("exercise")
            ).order_by("position")
        )
        if active
        else []
    )
    mark_stopped(items)
    logs = (
        SymptomLog.objects.filter(patient=patient)
        .select_related("item__exercise", "item__prescription", "entered_by")
        .order_by("-logged_at", "-id")
    )
    log_page = Paginator(logs, LOGS_PER_PAGE).get_page(request.GET.get("logs"))
    suggestions = list(
        ProgressionSuggestion.objects.filter(patient=patient)
        .exclude(status=ProgressionSuggestion.Status.OUTDATED)
        .select_related("from_exercise", "to_exercise", "decided_by", "result")
        .prefetch_related(
            Prefetch("logs", SymptomLog.objects.select_related("item").order_by("logged_at", "id"))
        )[: SUGGESTIONS_SHOWN + 1]
    )
    days = daily_symptoms(patient)
    invitation = patient.invitations.order_by("-created_at").first()
    shown_link = request.session.get(INVITATION_SESSION_KEY)
    if shown_link and shown_link.get("patient") == patient.pk:
        del request.session[INVITATION_SESSION_KEY]
    else:
        shown_link = None
    audit(action=AuditEvent.Action.VIEW, target=patient, request=request)
    return render(
        request,
        "dashboard/patient_detail.html",
        {
            "patient": patient,
            "trend": location_trend(patient),
            "open_alerts": open_alerts,
            "acknowledged_alerts": acknowledged,
            "versions": versions,
            "active": active,
            "drafts": drafts,
            "items": items,
            "stopped_items": [item for item in items if item.stopped],
            "log_page": log_page,
            "timeline": _timeline(log_page.object_list),
            "days": days,
            "chart": symptom_chart(days, versions=versions),
            "invitation": invitation,
            "invitation_link": shown_link["link"] if shown_link else "",
            "log_form": PaperLogForm(items=items) if items and not patient.archived else None,
            "suggestion": next((x for x in suggestions if x.is_open), None),
            "suggestion_history": [x for x in suggestions if not x.is_open][:SUGGESTIONS_SHOWN],
            "dismiss_form": DismissSuggestionForm(),
            "urgent_first": URGENT_FIRST,
            "reminders": _reminders(patient),
            "portal_two_step": patient.user is not None and has_two_step(patient.user),
        },
    )
