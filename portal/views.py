"""The patient portal: today's program, logging how it went, safety, progress.

Every view starts from the `for_user` querysets, so a patient reaches only their
own rows; anything else is a 404, the same answer as a missing row.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from clinics.models import AuditEvent, audit, therapist_of
from patients.models import Patient, PortalInvitation, patient_of
from prescriptions import red_flags as red_flag_tiers
from prescriptions.adherence import patient_figures
from prescriptions.charts import daily_symptoms
from prescriptions.models import (
    AfterResponse,
    DuringResponse,
    Episode,
    Prescription,
    PrescriptionItem,
    RedFlag,
    RedFlagCheck,
    SymptomLog,
)
from prescriptions.services import (
    log_answers,
    record_red_flag_check,
    record_symptom_log,
    red_flag_tiers_due,
    red_flags_due,
    urgent_alert_open,
)
from prescriptions.stops import mark_stopped, with_stop_marks

from . import charts
from .advice import log_advice
from .forms import (
    AFTER_CHOICES,
    DURING_CHOICES,
    LOCATION_CHOICES,
    ActivationForm,
    LogForm,
    RedFlagForm,
    plain_label,
    suggested_username,
)
from .services import activate_portal_login, activation_throttled

View = Callable[..., HttpResponse]

# Answers that mean the exercise is helping; used only for an encouraging word.
GOOD_DURING = {DuringResponse.CENTRALIZE, DuringResponse.DECREASE, DuringResponse.ABOLISH}


def patient_required(view: View) -> View:
    """Let in only a signed-in patient, passed to the view as `patient`.

    A therapist goes to their dashboard (even one who is also a patient, since
    their querysets are clinic-wide); staff and other accounts get a 404.
    """

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if therapist_of(user) is not None:
            return redirect("home")
        patient = patient_of(user)
        if patient is None or user.is_staff or user.is_superuser:
            raise Http404
        if patient.archived:
            # Whatever archived the record (the dashboard, the API, the Django admin,
            # an import): the portal is closed to it, and this session ends.
            logout(request)
            messages.error(request, _("Your portal access has ended. Please contact your clinic."))
            return redirect("login")
        return view(request, patient, *args, **kwargs)

    return wrapper


# A form's token, as the page that drew the form made it (`uuid4().hex`): it names
# one submission, so the same form sent twice stores once.
TOKEN = re.compile(r"^[A-Za-z0-9]{8,40}$")


def posted_token(request: HttpRequest, name: str) -> str:
    """The token the form sent in `name`, or a new one when it sent none or a forged one."""
    token = request.POST.get(name, "")
    return token if TOKEN.match(token) else uuid.uuid4().hex


def _portal_audit(request: HttpRequest, action: str, target: Any, page: str) -> None:
    audit(action=action, target=target, request=request, detail={"page": page})


@patient_required
@require_GET
def today(request: HttpRequest, patient: Patient) -> HttpResponse:
    if urgent_alert_open(patient):
        # After an urgent answer the program waits until a therapist has looked.
        _portal_audit(request, AuditEvent.Action.VIEW, patient, "today-urgent")
        return render(
            request,
            "portal/today_urgent.html",
            {"patient": patient, "clinic": patient.clinic, "answers": _urgent_answers(request)},
        )
    prescription = (
        Prescription.objects.for_user(request.user)
        .active()
        .select_related("prescribed_by", "patient__clinic")
        .first()
    )
    items: list[PrescriptionItem] = []
    if prescription is not None:
        items = list(
            with_stop_marks(prescription.items.select_related("exercise"))
            .annotate(
                logged_today=Count(
                    "symptom_logs",
                    filter=Q(symptom_logs__logged_at__date=timezone.localdate()),
                ),
            )
            .order_by("position")
        )
        mark_stopped(items)
    _portal_audit(request, AuditEvent.Action.VIEW, prescription or patient, "today")
    return render(
        request,
        "portal/today.html",
        {
            "patient": patient,
            "clinic": patient.clinic,
            "prescription": prescription,
            "items": items,
            "adherence": patient_figures(patient, full=False) if prescription else None,
            "discharged": _discharged_from(request) if prescription is None else None,
        },
    )


def _discharged_from(request: HttpRequest) -> Episode | None:
    """The episode of care that ended last, when it is the patient's latest one: they
    were discharged and no new course of treatment has started since."""
    latest = Episode.objects.for_user(request.user).order_by("-started_at", "-id").first()
    return latest if latest is not None and latest.ended_at is not None else None


def _urgent_answers(request: HttpRequest, tier: str | None = None) -> list[str]:
    """What the patient said yes to today (of one tier when given), for the pages that
    say what to do now."""
    check = (
        RedFlagCheck.objects.for_user(request.user)
        .filter(checked_on=timezone.localdate())
        .exclude(answered_yes=[])
        .first()
    )
    if check is None:
        return []
    return [
        RedFlag(code).label
        for code in check.answered_yes
        if tier is None or red_flag_tiers.TIER_OF.get(code) == tier
    ]


@patient_required
@require_http_methods(["GET", "POST"])
def log_exercise(request: HttpRequest, patient: Patient, item_id: int) -> HttpResponse:
    # A program that ended while the form was open still takes the log: it stays
    # tied to the exact version the patient followed.
    item = get_object_or_404(
        PrescriptionItem.objects.for_user(request.user)
        .exclude(prescription__status=Prescription.Status.DRAFT)
        .select_related("exercise", "prescription"),
        pk=item_id,
    )
    if request.method == "POST":
        form = LogForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                outcome = record_symptom_log(
                    patient=patient,
                    item=item,
                    **log_answers(data),
                    source=SymptomLog.Source.PORTAL,
                    entered_by=request.user,
                    client_token=data["client_token"] or uuid.uuid4().hex,
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                if outcome.created:
                    _portal_audit(request, AuditEvent.Action.CREATE, outcome.log, "log")
                else:
                    messages.info(request, _("You had already sent this; it is saved once."))
                return redirect("portal:logged", log_id=outcome.log.pk)
        # Keep the token of a rejected submission: nothing was stored under it yet.
        token = form.cleaned_data.get("client_token") or uuid.uuid4().hex
    else:
        if item.prescription.status != Prescription.Status.ACTIVE or urgent_alert_open(patient):
            # Only a program that was replaced has "one to follow now"; after a
            # discharge Today says the treatment ended.
            replaced = (
                item.prescription.status != Prescription.Status.ACTIVE
                and Prescription.objects.for_user(request.user).active().exists()
            )
            if replaced:
                messages.info(
                    request, _("Your program has changed. Here is the one to follow now.")
                )
            return redirect("portal:today")
        if red_flags_due(patient):
            return redirect(f"{reverse('portal:red_flags')}?{urlencode({'next': request.path})}")
        token = uuid.uuid4().hex
        form = LogForm(initial={"sets_done": item.sets, "repetitions_done": item.repetitions})
    _portal_audit(request, AuditEvent.Action.VIEW, item.prescription, "log-form")
    return render(
        request,
        "portal/log.html",
        {
            "item": item,
            "exercise": item.exercise,
            "form": form,
            "client_token": token,
            "location_choices": LOCATION_CHOICES,
        },
        status=400 if form.is_bound else 200,
    )


@patient_required
@require_GET
def logged(request: HttpRequest, patient: Patient, log_id: int) -> HttpResponse:
    """The page right after a log: stop the exercise, a gentle word, or encouragement."""
    log = get_object_or_404(
        SymptomLog.objects.for_user(request.user).select_related(
            "item__exercise", "item__prescription"
        ),
        pk=log_id,
    )
    advice = log_advice(log)
    next_item = None
    if log.item.prescription.status == Prescription.Status.ACTIVE and not advice.stop:
        next_item = (
            log.item.prescription.items.filter(position__gt=log.item.position)
            .select_related("exercise")
            .order_by("position")
            .first()
        )
    _portal_audit(request, AuditEvent.Action.VIEW, log, "logged")
    return render(
        request,
        "portal/logged.html",
        {
            "log": log,
            "exercise": log.item.exercise,
            "clinic": patient.clinic,
            "advice": advice,
            "encourage": not advice.stop
            and (log.during in GOOD_DURING or log.after == AfterResponse.BETTER),
            "next_item": next_item,
            "where": plain_label(LOCATION_CHOICES, log.location),
            "during_text": plain_label(DURING_CHOICES, log.during),
            "after_text": plain_label(AFTER_CHOICES, log.after),
        },
    )


def _safe_next(request: HttpRequest, fallback: str) -> str:
    """The portal page to go on to: `next` when it is one of the portal's own pages on
    this site (resolved as written, so "/portal/../admin/" is not), else `fallback`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/portal/"):
        return fallback
    try:
        match = resolve(parts.path)
    except Resolver404:
        return fallback
    return target if match.namespace == "portal" else fallback


@patient_required
@require_http_methods(["GET", "POST"])
def red_flags(request: HttpRequest, patient: Patient) -> HttpResponse:
    """The red-flag questions of the tiers due, asked before the first session when due;
    "Report a warning sign" asks them all at any time."""
    next_url = _safe_next(request, reverse("portal:today"))
    due = red_flag_tiers_due(patient)
    form = RedFlagForm(request.POST if request.method == "POST" else None, tiers=due)
    if request.method == "POST" and form.is_valid():
        check, _alerts = record_red_flag_check(
            patient=patient, answered_yes=form.answered_yes(), asked=form.asked()
        )
        _portal_audit(request, AuditEvent.Action.CREATE, check, "red-flags")
        tiers = red_flag_tiers.tiers_answered_yes(form.answered_yes())
        if red_flag_tiers.Tier.EMERGENCY in tiers:
            return redirect("portal:urgent")
        if red_flag_tiers.Tier.TODAY in tiers:
            return redirect("portal:see_doctor")
        return redirect(next_url)
    _portal_audit(request, AuditEvent.Action.VIEW, patient, "red-flags")
    return render(
        request,
        "portal/red_flags.html",
        {"form": form, "next": next_url, "due": bool(due)},
        status=400 if form.is_bound else 200,
    )


@patient_required
@require_GET
def urgent(request: HttpRequest, patient: Patient) -> HttpResponse:
    answers = _urgent_answers(request)
    if not answers and not urgent_alert_open(patient):
        return redirect("portal:today")
    _portal_audit(request, AuditEvent.Action.VIEW, patient, "urgent")
    return render(request, "portal/urgent.html", {"clinic": patient.clinic, "answers": answers})


@patient_required
@require_GET
def see_doctor(request: HttpRequest, patient: Patient) -> HttpResponse:
    """After a "see a doctor today" yes: contact a doctor or the clinic today; the
    exercises go on."""
    answers = _urgent_answers(request, tier=red_flag_tiers.Tier.TODAY)
    if not answers:
        return redirect("portal:today")
    _portal_audit(request, AuditEvent.Action.VIEW, patient, "see-doctor")
    return render(
        request,
        "portal/see_doctor.html",
        {
            "clinic": patient.clinic,
            "answers": answers,
            "advice": red_flag_tiers.ADVICE[red_flag_tiers.Tier.TODAY],
        },
    )


PROGRESS_PAGE_SIZE = 10


@patient_required
@require_GET
def progress(request: HttpRequest, patient: Patient) -> HttpResponse:
    logs = SymptomLog.objects.for_user(request.user)
    days = daily_symptoms(patient, days=60)
    page = Paginator(
        logs.select_related("item__exercise").order_by("-logged_at", "-id"), PROGRESS_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    for log in page:
        log.where = plain_label(LOCATION_CHOICES, log.location)
        log.during_text = plain_label(DURING_CHOICES, log.during)
        log.after_text = plain_label(AFTER_CHOICES, log.after)
    _portal_audit(request, AuditEvent.Action.VIEW, patient, "progress")
    return render(
        request,
        "portal/progress.html",
        {
            "days": days,
            "pain_chart": charts.pain_chart(days),
            "location_chart": charts.location_chart(days),
            "first_day": days[0] if days else None,
            "last_day": days[-1] if days else None,
            "page": page,
        },
    )


@require_http_methods(["GET", "POST"])
def activate(request: HttpRequest, token: str) -> HttpResponse:
    """Turn a one-time invitation link into the patient's own portal login."""
    if request.method == "POST" and activation_throttled(request, token):
        return render(request, "portal/activate_throttled.html", status=429)
    invitation = PortalInvitation.find(token)
    if invitation is not None:
        # The invitation is for this patient: their language, not the browser's.
        translation.activate(invitation.patient.preferred_language)
    problem = _invitation_problem(invitation)
    if problem:
        return render(
            request,
            "portal/activate_unusable.html",
            {"problem": problem, "clinic": invitation.patient.clinic if invitation else None},
            status=404 if invitation is None else 410,
        )
    patient = invitation.patient
    if request.method == "GET":
        # The link holder is not signed in yet, but sees the patient's name.
        audit(
            action=AuditEvent.Action.VIEW,
            target=patient,
            request=request,
            actor_label="invitation-link",
            detail={"page": "activate", "invitation": invitation.pk},
        )
    form = ActivationForm(
        request.POST if request.method == "POST" else None,
        patient=patient,
        initial={"username": suggested_username(patient)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = activate_portal_login(
                invitation=invitation,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field, errors)
            else:
                invitation.refresh_from_db()
                return render(
                    request,
                    "portal/activate_unusable.html",
                    {
                        "problem": _invitation_problem(invitation) or "used",
                        "clinic": patient.clinic,
                    },
                    status=410,
                )
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            audit(
                action=AuditEvent.Action.CREATE,
                target=patient,
                object_type="portal_login",
                object_id=user.pk,
                request=request,
                actor=user,
                detail={"page": "activate", "invitation": invitation.pk},
            )
            messages.success(
                request, _("Welcome, %(name)s. You are signed in.") % {"name": patient.first_name}
            )
            return redirect("portal:today")
    return render(
        request,
        "portal/activate.html",
        {"form": form, "patient": patient, "clinic": patient.clinic},
        status=400 if form.is_bound else 200,
    )


def _invitation_problem(invitation: PortalInvitation | None) -> str:
    """Why a link cannot be used, as a key the template explains; '' if it can."""
    if invitation is None:
        return "unknown"
    if invitation.patient.has_portal_access and not invitation.resets_two_step:
        return "has_login"
    if invitation.used_at is not None:
        return "used"
    if invitation.voided_at is not None:
        return "replaced"
    if not invitation.is_usable:
        return "expired"
    return ""
