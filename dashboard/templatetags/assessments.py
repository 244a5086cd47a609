"""The assessments section of the patient page, as one tag, so the patient page's
view stays as it is."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Prefetch

from assessments.charts import assessment_chart
from assessments.models import Assessment, MovementTest
from assessments.program import proposed_program

register = template.Library()


@register.inclusion_tag("dashboard/includes/assessments.html")
def assessment_section(patient: Any) -> dict[str, Any]:
    assessments = list(
        Assessment.objects.filter(patient=patient)
        .prefetch_related(Prefetch("tests", MovementTest.objects.order_by("id")))
        .order_by("assessed_on", "id")
    )
    latest = assessments[-1] if assessments else None
    return {
        "patient": patient,
        "assessments": list(reversed(assessments)),
        "latest": latest,
        "proposed": proposed_program(latest, patient.clinic) if latest else None,
        "chart": assessment_chart(assessments),
    }
