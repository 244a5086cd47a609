import logging
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from clinics.models import AuditEvent, audit, therapist_of
from prescriptions.models import Episode, Prescription

from .discharge import AUDIENCES, DOCTOR, discharge_pdf
from .handout import PATIENT, THERAPIST, handout_filename
from .pdf import EmptyHandoutError, HandoutRenderError, served_handout

logger = logging.getLogger(__name__)


SIZES = ("large", "normal")


def large_print_wanted(size: str | None, patient: Any) -> bool:
    if size in SIZES:
        return size == "large"
    return patient.large_print


@never_cache  # a patient's program must not linger in shared or browser caches
@login_required
@require_GET
def handout(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable handout of one program version, for its therapists and its patient."""
    prescription = get_object_or_404(
        Prescription.objects.for_user(request.user).select_related(
            "patient__clinic", "prescribed_by"
        ),
        pk=pk,
    )
    is_therapist = therapist_of(request.user) is not None
    if prescription.status == Prescription.Status.DRAFT and not is_therapist:
        raise Http404  # a draft is still the therapist's work, not the patient's program
    context = {
        "prescription": prescription,
        "patient": prescription.patient,
        "is_therapist": is_therapist,
    }
    # ?size=large or ?size=normal: the print size chosen for this copy; without it,
    # the patient's own preference (large print is 14 pt and more). Another size is a
    # mistake in the link, answered as one rather than with a size nobody asked for.
    size = request.GET.get("size")
    if size is not None and size not in SIZES:
        return HttpResponseBadRequest(
            _("Unknown print size: use size=large or size=normal."),
            content_type="text/plain; charset=utf-8",
        )
    large_print = large_print_wanted(request.GET.get("size"), prescription.patient)
    try:
        served = served_handout(
            prescription,
            large_print=large_print,
            reader=THERAPIST if is_therapist else PATIENT,
        )
    except EmptyHandoutError as error:
        return render(
            request, "handouts/empty.html", {**context, "message": str(error)}, status=409
        )
    except HandoutRenderError:
        logger.exception("Could not render the handout of prescription %s", prescription.pk)
        return render(request, "handouts/unavailable.html", context, status=503)
    # For the operator: "rendered" here means a reader waited for WeasyPrint.
    logger.info("Handout of program %s served (source: %s).", prescription.pk, served.source)
    audit(
        action=AuditEvent.Action.DOWNLOAD,
        target=prescription,
        request=request,
        detail={
            "document": "handout",
            "version": prescription.version,
            "large_print": large_print,
        },
    )
    response = HttpResponse(served.pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        False, handout_filename(prescription, large_print=large_print)
    )
    return response


@never_cache
@login_required
@require_GET
def discharge(request: HttpRequest, pk: int, audience: str) -> HttpResponse:
    """An episode's discharge summary: the patient's version, or the referring doctor's
    (for the clinic's therapists only). An episode still in care has none yet."""
    episode = get_object_or_404(
        Episode.objects.for_user(request.user)
        .filter(ended_at__isnull=False)
        .select_related("patient__clinic", "ended_by"),
        pk=pk,
    )
    is_therapist = therapist_of(request.user) is not None
    if audience not in AUDIENCES or (audience == DOCTOR and not is_therapist):
        raise Http404
    try:
        pdf = discharge_pdf(episode, audience)
    except HandoutRenderError:
        logger.exception("Could not render the discharge summary of episode %s", episode.pk)
        context = {"patient": episode.patient, "is_therapist": is_therapist}
        return render(request, "handouts/unavailable.html", context, status=503)
    audit(
        action=AuditEvent.Action.DOWNLOAD,
        target=episode,
        request=request,
        detail={"document": "discharge", "audience": audience},
    )
    name = slugify(episode.patient.full_name) or "patient"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        False, f"discharge-summary-{name}-{audience}-{episode.started_at:%Y-%m-%d}.pdf"
    )
    return response
