"""What the portal tells a patient about one stored log: stop or not, why, and whether
to seek urgent care. Read from the findings the safety rules stored on the log, so the
page after one exercise and the page after a whole session say the same thing."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from prescriptions.models import LOCATION_RANK, SymptomLog

from .forms import LOCATION_CHOICES, plain_label


@dataclass(frozen=True)
class LogAdvice:
    """The advice one log leads to; `reasons` says, in the patient's words, why to stop."""

    log: SymptomLog
    stop: bool
    urgent: bool
    reasons: list[str]
    pain_rise: bool
    centralized: bool

    @property
    def exercise(self):
        return self.log.item.exercise


def log_advice(log: SymptomLog) -> LogAdvice:
    kinds = {finding["kind"] for finding in log.findings}
    return LogAdvice(
        log=log,
        stop=log.stop_exercise,
        urgent=any(finding.get("urgent") for finding in log.findings),
        reasons=stop_reasons(log),
        pain_rise="pain_rise" in kinds,
        centralized="centralization" in kinds,
    )


def stop_reasons(log: SymptomLog) -> list[str]:
    """Why the patient is told to stop, in their words, from the findings stored on the log."""
    reasons = []
    for finding in log.findings:
        if not finding.get("stop"):
            continue
        kind = finding["kind"]
        if kind == "peripheralization":
            reference = log.reference_location
            if reference and LOCATION_RANK[log.location] > LOCATION_RANK[reference]:
                then = (
                    _("Last time it reached:")
                    if log.reference_source == "previous_log"
                    else _("When you started, it reached:")
                )
                reasons.append(
                    _("Your pain now reaches: %(now)s. %(then)s %(before)s.")
                    % {
                        "now": plain_label(LOCATION_CHOICES, log.location).lower(),
                        "then": then,
                        "before": plain_label(LOCATION_CHOICES, reference).lower(),
                    }
                    + " "
                    + _("Pain spreading away from your spine is a warning sign.")
                )
            else:
                reasons.append(
                    _("You told us the pain spread further from your spine during this exercise.")
                )
        elif kind == "worse":
            reasons.append(
                _("You told us your pain is worse after this exercise and has stayed worse.")
            )
        elif kind == "neurological":
            reasons.append(
                _("You told us about new symptoms: %(list)s.")
                % {"list": "; ".join(label.lower() for label in log.new_symptom_labels)}
            )
    return reasons
