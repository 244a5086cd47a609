"""The REST API under /api/v1/. Every viewset starts from `ClinicViewSet`, the
one place where a request is tied to its clinic: querysets come from the
models' `for_clinic`, so another clinic's object is a 404 like a missing one."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import Prefetch, QuerySet
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from clinics.models import AuditEvent, Clinic, audit
from exercises.models import Exercise, Progression, ProgressionLink, ProgressionStep
from handouts.pdf import (
    EmptyHandoutError,
    HandoutRenderError,
    handout_filename,
    served_handout,
)
from patients.models import Patient
from prescriptions.adherence import patient_figures
from prescriptions.models import (
    Alert,
    Prescription,
    PrescriptionItem,
    ProgressionSuggestion,
    RedFlagCheck,
    SymptomLog,
)
from prescriptions.services import (
    UNCHANGED,
    accept_suggestion,
    create_prescription,
    dismiss_suggestion,
    end_prescription,
    record_red_flag_check,
    record_symptom_log,
    red_flag_tiers_due,
    revise_prescription,
    set_waking_hours,
)
from prescriptions.time_zones import set_time_zone

from . import serializers as s
from .auth import request_clinic
from .errors import PROBLEM_CONTENT_TYPE, Conflict, ProblemSerializer, ServiceUnavailable
from .idempotency import run_idempotently
from .pagination import Pagination, PatientSyncPagination, SinceSyncPagination, SyncPagination
from .replays import check_log_replay

logger = logging.getLogger(__name__)


class ClinicViewSet(viewsets.GenericViewSet):
    """List and read, scoped to the caller's clinic, audited when `audit_type`
    names patient data, filtered by `filter_class` and ordered by id so that
    pages are stable. Every POST goes through the Idempotency-Key handling."""

    queryset: QuerySet
    filter_class: type[s.QueryFilter] | None = None
    audit_type = ""
    # Any segment reaches the view, so that a malformed id is a problem+json 404
    # like every other answer, not the site's HTML 404 page.
    lookup_value_regex = "[^/]+"
    pagination_class = Pagination

    @cached_property
    def clinic(self) -> Clinic | None:
        return request_clinic(self.request)

    def get_queryset(self) -> QuerySet:
        return self.queryset.for_clinic(self.clinic).order_by("pk")

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # authentication, permissions, throttling
        handler = getattr(self, "post", None)
        if request.method == "POST" and handler is not None:
            # DRF looks the handler up after this; wrapping it here gives every write
            # of every viewset the same retry behaviour.
            self.post = lambda *a, **kw: run_idempotently(
                request, self.clinic, lambda: handler(*a, **kw)
            )

    def refuse_unknown_parameters(self, request: Request) -> None:
        """A 400 naming any query parameter the list does not read: a typo such as
        `patinet=3` must not quietly answer with the whole clinic's records."""
        known = set(getattr(self.pagination_class, "query_names", ()))
        if self.filter_class is not None:
            known |= set(self.filter_class().fields)
        unknown = sorted(set(request.query_params) - known)
        if unknown:
            raise serializers.ValidationError(
                {
                    name[:50]: [
                        "Not a parameter of this list. It takes: "
                        + (", ".join(sorted(known)) or "none")
                        + "."
                    ]
                    for name in unknown[:10]
                }
            )

    def get_object(self) -> Any:
        pk = self.kwargs[self.lookup_field]
        if not (pk.isascii() and pk.isdigit() and len(pk) <= 18):
            raise NotFound()
        return super().get_object()

    def list(self, request: Request) -> Response:
        self.refuse_unknown_parameters(request)
        context = {}
        if isinstance(self.paginator, SyncPagination) and self.paginator.reads_change_log(request):
            # Before any row is read: the run's upper bound in the change log.
            context["watermark"] = self.paginator.run_watermark(request)
        queryset = self.get_queryset()
        used_filters: dict[str, str] = {}
        if self.filter_class is not None:
            filters = self.filter_class(data=request.query_params.dict(), context=context)
            filters.is_valid(raise_exception=True)
            queryset = filters.apply(queryset)
            used_filters = {name: str(value) for name, value in filters.validated_data.items()}
        page = self.paginate_queryset(queryset)
        if self.audit_type:
            # Validated values only: raw query strings may hold anything, even NUL.
            audit(
                action=AuditEvent.Action.VIEW,
                request=request,
                clinic=self.clinic,
                object_type=self.audit_type,
                detail={
                    "ids": [obj.pk for obj in page],
                    "filters": used_filters,
                    **self.paginator.audit_detail(),
                },
            )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        obj = self.get_object()
        if self.audit_type:
            self.audit(AuditEvent.Action.VIEW, obj)
        return Response(self.get_serializer(obj).data)

    # Helpers for the writes of the subclasses.

    def audit(self, action: str, obj: Any, **detail: Any) -> None:
        audit(action=action, target=obj, request=self.request, clinic=self.clinic, detail=detail)

    def validated(self, serializer_class: type[serializers.Serializer]) -> dict[str, Any]:
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @property
    def acting_user(self) -> Any:
        """The signed-in therapist, or None for an API key (the key is in the audit)."""
        user = self.request.user
        return user if user.is_authenticated else None


class ExerciseViewSet(ClinicViewSet):
    """The exercise catalog: the built-in McKenzie exercises and the clinic's own."""

    queryset = Exercise.objects.all()
    serializer_class = s.ExerciseSerializer


class ProgressionViewSet(ClinicViewSet):
    """Named, ordered sequences of exercises (extension, flexion, the clinic's own)."""

    queryset = Progression.objects.prefetch_related(
        Prefetch(
            "steps",
            queryset=ProgressionStep.objects.select_related("exercise").order_by("position"),
        ),
        Prefetch(
            "links",
            queryset=ProgressionLink.objects.select_related(
                "exercise", "to_progression", "to_exercise"
            ).order_by("exercise__slug", "kind"),
        ),
    )
    serializer_class = s.ProgressionSerializer


class PatientViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ClinicViewSet):
    """The clinic's patients. `external_id` ties a patient to the clinic system."""

    # Each row's adherence is counted in the patient's zone, which may be the clinic's.
    queryset = Patient.objects.select_related("clinic")
    serializer_class = s.PatientSerializer
    filter_class = s.PatientFilter
    audit_type = "patient"
    pagination_class = PatientSyncPagination

    def perform_create(self, serializer: s.PatientSerializer) -> None:
        patient = serializer.save(clinic=self.clinic, created_by=self.acting_user)
        self.audit(AuditEvent.Action.CREATE, patient)

    def perform_update(self, serializer: s.PatientSerializer) -> None:
        hours = {
            name: serializer.validated_data.pop(name)
            for name in ("wake_start", "wake_end")
            if name in serializer.validated_data
        }
        fields = sorted([*serializer.validated_data, *hours])
        previous_email = serializer.instance.email
        patient = serializer.save()
        patient.email_changed_from(previous_email)
        if patient.archived:
            # As on the dashboard: an archived patient has no portal. Restoring the
            # record does not switch the login back on; a new invitation does.
            patient.revoke_portal_access()
        if hours:
            set_waking_hours(
                patient=patient,
                wake_start=hours.get("wake_start", patient.wake_start),
                wake_end=hours.get("wake_end", patient.wake_end),
            )
        if "time_zone" in fields:
            set_time_zone(patient=patient, time_zone=patient.time_zone)
        self.audit(AuditEvent.Action.UPDATE, patient, fields=fields)

    @extend_schema(
        summary="A patient's adherence",
        description=(
            "Sessions logged against sessions prescribed: the last 7 days, the 7 before, "
            "since the program started, today, the streak, and each of the last 7 days "
            "session by session. A session counts once whatever the number of exercises "
            "logged in it; see the documentation's Adherence page."
        ),
        responses={200: s.AdherenceSerializer},
    )
    @action(detail=True, methods=["get"])
    def adherence(self, request: Request, pk: str) -> Response:
        patient = self.get_object()
        self.audit(AuditEvent.Action.VIEW, patient, adherence=True)
        return Response(
            s.AdherenceSerializer(patient_figures(patient), context={"patient": patient}).data
        )


@contextmanager
def program_conflicts() -> Iterator[None]:
    """A write the program's state forbids answers 409: ending or revising a version
    that is not active, prescribing for an archived patient (the services say so
    with a message but no field), and the database refusing a second successor of
    a version or a second active program (a draft revision open in the dashboard,
    or a concurrent request that got there first)."""
    try:
        yield
    except DjangoValidationError as exc:
        if hasattr(exc, "error_dict"):
            raise  # field errors stay 400
        raise Conflict(" ".join(exc.messages)) from exc
    except IntegrityError as exc:
        raise Conflict(
            _(
                "The patient's program changed meanwhile, or already has a revision (perhaps "
                "a draft open in Centra). Read the patient's prescriptions again."
            )
        ) from exc


CONFLICT_RESPONSE = OpenApiResponse(
    ProblemSerializer,
    description=(
        "The program's state forbids this (not active, already revised, patient archived, "
        "changed meanwhile); or the Idempotency-Key was already used with another request."
    ),
)


class PrescriptionViewSet(ClinicViewSet):
    """Programs: an ordered list of exercises with their dosage, in versions."""

    queryset = Prescription.objects.select_related("prescribed_by", "progression").prefetch_related(
        Prefetch(
            "items",
            queryset=PrescriptionItem.objects.select_related("exercise").order_by("position"),
        )
    )
    serializer_class = s.PrescriptionSerializer
    filter_class = s.PrescriptionFilter
    audit_type = "prescription"

    @extend_schema(
        summary="Prescribe a program",
        request=s.PrescriptionInputSerializer,
        responses={201: s.PrescriptionSerializer, (409, PROBLEM_CONTENT_TYPE): CONFLICT_RESPONSE},
    )
    def create(self, request: Request) -> Response:
        data = self.validated(s.PrescriptionInputSerializer)
        with program_conflicts():
            prescription = create_prescription(
                patient=data["patient"],
                by=data["prescribed_by"],
                items=data["items"],
                progression=data.get("progression"),
                activate=data["activate"],
                change_note=data["change_note"],
                review_on=data.get("review_on"),
            )
        return self._written(prescription, AuditEvent.Action.CREATE, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Revise an active program",
        description=(
            "Makes the next version with these exercises and puts it in use at once; the "
            "revised version ends and stays readable. Only an active program can be revised."
        ),
        request=s.RevisionInputSerializer,
        responses={
            201: s.PrescriptionSerializer,
            (409, PROBLEM_CONTENT_TYPE): CONFLICT_RESPONSE,
        },
    )
    @action(detail=True, methods=["post"])
    def revise(self, request: Request, pk: str) -> Response:
        current = self.get_object()
        data = self.validated(s.RevisionInputSerializer)
        with program_conflicts():
            revision = revise_prescription(
                prescription=current,
                items=data["items"],
                by=data["prescribed_by"],
                change_note=data["change_note"],
                review_on=data.get("review_on", UNCHANGED),
            )
        return self._written(revision, AuditEvent.Action.CREATE, status.HTTP_201_CREATED)

    @extend_schema(
        summary="End an active program",
        request=None,
        responses={200: s.PrescriptionSerializer, (409, PROBLEM_CONTENT_TYPE): CONFLICT_RESPONSE},
    )
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: str) -> Response:
        with program_conflicts():
            prescription = end_prescription(prescription=self.get_object())
        return self._written(prescription, AuditEvent.Action.UPDATE, status.HTTP_200_OK)

    @extend_schema(
        summary="Download the printable handout",
        description=(
            "The handout of this version as a PDF, in the patient's language and print size "
            "unless `lang` or `size` asks for another."
        ),
        parameters=[s.HandoutParameters],
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="PDF."),
            (400, PROBLEM_CONTENT_TYPE): OpenApiResponse(
                ProblemSerializer, description="`size` or `lang` is not one offered."
            ),
            (409, PROBLEM_CONTENT_TYPE): OpenApiResponse(
                ProblemSerializer, description="The program has no exercises yet."
            ),
            (503, PROBLEM_CONTENT_TYPE): OpenApiResponse(
                ProblemSerializer, description="The PDF could not be made; try again later."
            ),
        },
    )
    def handout(self, request: Request, pk: str) -> HttpResponse:
        query = s.HandoutParameters(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        prescription = self.get_object()
        size = query.validated_data.get("size")
        large_print = size == "large" if size else prescription.patient.large_print
        try:
            served = served_handout(
                prescription,
                large_print=large_print,
                language=query.validated_data.get("lang", ""),
            )
        except EmptyHandoutError as exc:
            raise Conflict(str(exc)) from exc
        except HandoutRenderError as exc:
            raise ServiceUnavailable(_("The handout could not be made; try again later.")) from exc
        logger.info("Handout of program %s served (source: %s).", prescription.pk, served.source)
        self.audit(
            AuditEvent.Action.DOWNLOAD, prescription, document="handout", large_print=large_print
        )
        response = HttpResponse(served.pdf, content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(
            True,
            handout_filename(
                prescription,
                large_print=large_print,
                language=query.validated_data.get("lang", ""),
            ),
        )
        return response

    def _written(self, prescription: Prescription, action: str, code: int) -> Response:
        # Read back through the scoped queryset so the answer has the items in order.
        prescription = self.get_queryset().get(pk=prescription.pk)
        self.audit(action, prescription)
        return Response(self.get_serializer(prescription).data, status=code)


class SymptomLogViewSet(ClinicViewSet):
    """How each exercise went, as the patient (or the clinic system) reported it."""

    queryset = SymptomLog.objects.select_related("item__exercise")
    serializer_class = s.SymptomLogSerializer
    filter_class = s.SymptomLogFilter
    audit_type = "symptomlog"
    pagination_class = SyncPagination

    @extend_schema(
        summary="Record a symptom log",
        description=(
            "Stores the log and applies the same safety rules as the patient portal (see the "
            "documentation's Safety rules): pain reaching further from the spine than the previous "
            "log or the patient's starting location, an answer that it spread, worse "
            "afterwards, or new nerve symptoms set `stop_exercise` and raise an alert; a "
            "rise in pain above its recent level raises an alert. Repeats join the open "
            "alert of the same kind and exercise. `red_flag_tiers_due` lists the red-flag "
            "tiers to ask now (`red_flags_due` is true while it is not empty)."
        ),
        request=s.SymptomLogInputSerializer,
        responses={
            201: s.SymptomLogOutcomeSerializer,
            200: OpenApiResponse(
                s.SymptomLogOutcomeSerializer,
                description="A log with this `client_id` was already stored: the first one.",
            ),
            (409, PROBLEM_CONTENT_TYPE): OpenApiResponse(
                ProblemSerializer,
                description=(
                    "A simultaneous log got in the way (resend it); or the `client_id` or "
                    "the Idempotency-Key was already used with a different request."
                ),
            ),
        },
    )
    def create(self, request: Request) -> Response:
        data = dict(self.validated(s.SymptomLogInputSerializer))
        item = data.pop("item")
        by_key = self.acting_user is None
        try:
            outcome = record_symptom_log(
                patient=item.prescription.patient,
                item=item,
                source=SymptomLog.Source.API if by_key else SymptomLog.Source.THERAPIST,
                entered_by=self.acting_user,
                **data,
            )
        except IntegrityError as exc:
            # Two logs of one patient stored at the same instant can both try to raise
            # the one open "pain rise" alert; the loser stored nothing and may resend.
            raise Conflict(
                _("Another log of this patient was stored at the same moment; send it again.")
            ) from exc
        if not outcome.created:
            check_log_replay(outcome.log, item, data)
        if outcome.created:
            self.audit(AuditEvent.Action.CREATE, outcome.log, alerts=[a.pk for a in outcome.alerts])
        return Response(
            s.SymptomLogOutcomeSerializer(outcome, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED if outcome.created else status.HTTP_200_OK,
        )


class RedFlagCheckViewSet(ClinicViewSet):
    """The red-flag questions (in tiers) and the patient's answers: a yes to an emergency
    question raises an urgent alert and pauses the patient's program in the portal; a
    yes to a "see a doctor today" question raises an alert."""

    queryset = RedFlagCheck.objects.all()
    serializer_class = s.RedFlagCheckSerializer
    filter_class = s.RedFlagCheckFilter
    audit_type = "redflagcheck"
    pagination_class = SinceSyncPagination

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().prefetch_related("alerts")

    @extend_schema(
        summary="Record red-flag answers",
        description=(
            "Stores the day's answers (added to any given earlier that day). "
            "`tiers_answered_yes` says what to tell the patient: `emergency`, seek urgent "
            "medical care now; `today`, contact their doctor or the clinic today."
        ),
        request=s.RedFlagCheckInputSerializer,
        responses={201: s.RedFlagCheckSerializer},
    )
    def create(self, request: Request) -> Response:
        data = self.validated(s.RedFlagCheckInputSerializer)
        check, alerts = record_red_flag_check(
            patient=data["patient"],
            answered_yes=data["answered_yes"],
            asked=data.get("asked"),
            on=data.get("checked_on"),
        )
        self.audit(AuditEvent.Action.CREATE, check, alerts=[alert.pk for alert in alerts])
        check = self.get_queryset().get(pk=check.pk)
        return Response(self.get_serializer(check).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="The red-flag questions",
        description=(
            "The one table every path asks from, in the request's language: the questions "
            "in the order to ask them with their tier, and each tier's advice. With "
            "`?patient=<id>`, `due` lists the tiers to ask that patient now."
        ),
        responses={200: s.RedFlagQuestionsSerializer},
    )
    @action(detail=False, methods=["get"])
    def questions(self, request: Request) -> Response:
        unknown = sorted(set(request.query_params) - {"patient"})
        if unknown:
            raise serializers.ValidationError(
                {name[:50]: ["Not a parameter here. It takes: patient."] for name in unknown}
            )
        due = None
        if "patient" in request.query_params:
            filters = s.RedFlagCheckFilter(data=request.query_params.dict())
            filters.is_valid(raise_exception=True)
            patient = (
                Patient.objects.for_clinic(self.clinic)
                .filter(pk=filters.validated_data["patient"])
                .first()
            )
            if patient is None:
                raise NotFound()
            due = red_flag_tiers_due(patient)
            self.audit(AuditEvent.Action.VIEW, patient, red_flag_tiers_due=due)
        return Response(s.red_flag_table(due))


class AlertViewSet(ClinicViewSet):
    """What a therapist must look at, until someone acknowledges it."""

    queryset = Alert.objects.select_related("acknowledged_by", "exercise").prefetch_related("logs")
    serializer_class = s.AlertSerializer
    filter_class = s.AlertFilter
    audit_type = "alert"
    pagination_class = SyncPagination

    @extend_schema(
        summary="Acknowledge an alert",
        description="Acknowledging an alert already acknowledged changes nothing.",
        request=None,
        responses={200: s.AlertSerializer},
    )
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: str) -> Response:
        alert = self.get_object()
        if alert.acknowledge(by=self.acting_user):
            self.audit(AuditEvent.Action.UPDATE, alert, acknowledged=True)
        return Response(self.get_serializer(alert).data)


class SuggestionViewSet(ClinicViewSet):
    """Progression suggestions: the step a patient's logs point to, for the therapist
    to accept or dismiss. Patients never see them."""

    queryset = ProgressionSuggestion.objects.select_related(
        "from_exercise", "to_exercise", "decided_by"
    ).prefetch_related("logs")
    serializer_class = s.SuggestionSerializer
    filter_class = s.SuggestionFilter
    audit_type = "progressionsuggestion"

    @extend_schema(
        summary="Accept a suggestion",
        description=(
            "Makes the next version of the program with the suggested step in place of the "
            "current one and puts it in use at once (`result` is its id). Only an open "
            "suggestion of the program in use can be accepted."
        ),
        request=s.AcceptSuggestionInputSerializer,
        responses={200: s.SuggestionSerializer, (409, PROBLEM_CONTENT_TYPE): CONFLICT_RESPONSE},
    )
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str) -> Response:
        suggestion = self.get_object()
        data = self.validated(s.AcceptSuggestionInputSerializer)
        with program_conflicts():
            revision = accept_suggestion(suggestion=suggestion, by=data["prescribed_by"])
        self.audit(AuditEvent.Action.UPDATE, suggestion, decision="accept", result=revision.pk)
        return Response(self.get_serializer(self.get_queryset().get(pk=suggestion.pk)).data)

    @extend_schema(
        summary="Dismiss a suggestion",
        description="Closes an open suggestion with the reason, which is kept. The program "
        "does not change.",
        request=s.DismissSuggestionInputSerializer,
        responses={200: s.SuggestionSerializer, (409, PROBLEM_CONTENT_TYPE): CONFLICT_RESPONSE},
    )
    @action(detail=True, methods=["post"])
    def dismiss(self, request: Request, pk: str) -> Response:
        suggestion = self.get_object()
        data = self.validated(s.DismissSuggestionInputSerializer)
        with program_conflicts():
            dismiss_suggestion(suggestion=suggestion, by=self.acting_user, reason=data["reason"])
        self.audit(AuditEvent.Action.UPDATE, suggestion, decision="dismiss")
        return Response(self.get_serializer(self.get_queryset().get(pk=suggestion.pk)).data)
