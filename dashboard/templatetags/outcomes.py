"""The outcome measures and episodes section of the patient page, as one tag, so
the patient page's view stays as it is."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from prescriptions.models import Episode
from prescriptions.outcome_charts import outcome_chart
from prescriptions.outcomes import due_after, episode_measures, measure_changes

register = template.Library()


@register.inclusion_tag("dashboard/includes/outcomes.html")
def outcomes_section(patient: Any) -> dict[str, Any]:
    episodes = list(
        Episode.objects.filter(patient=patient).select_related("ended_by").order_by("-started_at")
    )
    current = next((e for e in episodes if e.is_open), None)
    measures = episode_measures(current) if current else []
    return {
        "patient": patient,
        "episode": current,
        "measures": measures,
        "changes": measure_changes(measures),
        "chart": outcome_chart(measures),
        # From the measures already read: no query of its own.
        "due": due_after(
            patient,
            last_taken=max((m.taken_at for m in measures), default=None),
            discharge_requested=current.discharge_requested_at if current else None,
            today=timezone.localdate(),
        ),
        "past": [e for e in episodes if not e.is_open],
    }
