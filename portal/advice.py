"""What the portal tells a patient about one stored log: stop or not, why, and whether
to seek urgent care. Read from the findings the safety rules stored on the log, so the
page after one exercise and the page after a whole session say the same thing."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from prescriptions.models import LOCATION_RANK, Location, NeuroSymptom, SymptomLog


@dataclass(frozen=True)
class LogAdvice:
    """The advice one log leads to; `reasons` says, in the patient's words, why to stop."""

    log: SymptomLog
    stop: bool
    urgent: bool
    reasons: list[str]
    pain_rise: bool
    centralized: bool
    recurrence: bool

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
        recurrence="recurrence" in kinds,
    )


# Whole sentences per location, so that no stored answer is pasted into a sentence
# and each language words them its own way.
PAIN_NOW = {
    Location.CENTRAL: gettext_lazy("Your pain is now in the middle of your low back."),
    Location.ONE_SIDE: gettext_lazy("Your pain is now on one side of your low back."),
    Location.BUTTOCK: gettext_lazy("Your pain now reaches into your buttock."),
    Location.THIGH: gettext_lazy("Your pain now reaches down into your thigh."),
    Location.BELOW_KNEE: gettext_lazy("Your pain now reaches below your knee."),
    Location.FOOT: gettext_lazy("Your pain now reaches into your foot."),
}
PAIN_BEFORE = {
    Location.NONE: gettext_lazy("In recent days, you had no pain."),
    Location.CENTRAL: gettext_lazy("In recent days, it stayed in the middle of your low back."),
    Location.ONE_SIDE: gettext_lazy("In recent days, it stayed on one side of your low back."),
    Location.BUTTOCK: gettext_lazy("In recent days, it reached no further than your buttock."),
    Location.THIGH: gettext_lazy("In recent days, it reached no further than your thigh."),
    Location.BELOW_KNEE: gettext_lazy(
        "In recent days, it reached no further than below your knee."
    ),
    Location.FOOT: gettext_lazy("In recent days, it reached into your foot."),
}
NEW_SYMPTOM = {
    NeuroSymptom.NUMBNESS: gettext_lazy("You told us about new numbness in a leg or foot."),
    NeuroSymptom.PINS_NEEDLES: gettext_lazy(
        "You told us about new pins and needles in a leg or foot."
    ),
    NeuroSymptom.WEAKNESS: gettext_lazy("You told us about new weakness in a leg or foot."),
    NeuroSymptom.BOTH_LEGS: gettext_lazy("You told us you have symptoms in both legs."),
}


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
                reasons.append(
                    " ".join(
                        [
                            str(PAIN_NOW[log.location]),
                            str(PAIN_BEFORE[reference]),
                            _("Pain spreading away from your spine is a sign to stop."),
                        ]
                    )
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
            reasons.extend(str(NEW_SYMPTOM[code]) for code in log.new_symptoms)
    return reasons
